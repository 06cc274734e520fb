"""The demo book: realistic, and as whole as a real one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates
from app.book import Book, open_book
from app.db import read_session
from app.errors import BookError
from app.ledger.balances import savings_by_member
from app.ledger.chart import KAS, PINJAMAN_ANGGOTA, SIMPANAN_SUKARELA
from app.ledger.check import check_book
from app.models import Account, AuditRecord, JournalEntry, JournalLine, Loan, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.nik import check_nik
from app.queries import loans as loan_queries
from app.services import loans, savings
from app.services.demo import create_demo_book
from app.services.loan_state import CLASSES


@pytest.fixture
def demo(tmp_path: Path, fixed_today: date) -> Book:
    path = tmp_path / "demo.sqlite"
    seen: list[tuple[int, int]] = []
    create_demo_book(path, members=80, years=3, seed=11, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    book = open_book(path)
    yield book
    book.close()


def test_demo_book_passes_check(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        assert check_book(session) == []


def test_every_entry_balances_and_none_is_in_the_future(demo: Book, fixed_today: date) -> None:
    with read_session(demo.sessions) as session:
        totals = session.execute(
            select(JournalLine.entry_id, func.sum(JournalLine.amount), func.count()).group_by(
                JournalLine.entry_id
            )
        ).all()
        assert len(totals) > 2000
        assert all(total == 0 and count >= 2 for _, total, count in totals)
        first, last = session.execute(
            select(func.min(JournalEntry.date), func.max(JournalEntry.date))
        ).one()
    assert first == date(2023, 1, 1)
    assert last <= fixed_today


def test_members_look_real(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        members = session.scalars(select(Member).order_by(Member.id)).all()
        session.expunge_all()
    assert [m.number for m in members] == [f"{n:04d}" for n in range(1, 81)]
    assert len({m.nik for m in members}) == 80
    for member in members:
        result = check_nik(member.nik, sex=member.sex, birth_date=member.birth_date)
        assert result.errors == () and result.warnings == (), member.nik
        assert member.nik.startswith("32")
        assert member.phone == "" or member.phone.startswith("+628")
        assert len(member.rt) == 3 and len(member.rw) == 3
        assert member.dusun and member.occupation and member.name
    assert {m.sex for m in members} == {"L", "P"}
    assert sum(m.joined_on == date(2023, 1, 1) for m in members) == 20
    assert any(m.joined_on.year == 2025 for m in members)
    assert {m.position for m in members} >= {"Ketua", "Sekretaris", "Bendahara"}


def test_sukarela_never_negative_and_cash_never_below_zero(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        for balances in savings_by_member(session).values():
            assert balances[SIMPANAN_SUKARELA] >= 0
        kas_by_day = session.execute(
            select(JournalEntry.date, func.sum(JournalLine.amount))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.code == KAS)
            .group_by(JournalEntry.date)
            .order_by(JournalEntry.date)
        ).all()
    running = 0
    for _day, total in kas_by_day:
        running += int(total)
        assert running >= 0


def test_some_members_left_through_the_exit_settlement(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        gone = session.scalars(select(Member).where(Member.status != "aktif")).all()
        assert gone
        everyone = savings_by_member(session)
        for member in gone:
            assert member.status_date is not None and member.status_reason
            assert sum(everyone[member.id].values()) == 0
            assert session.scalar(
                select(func.count()).where(
                    JournalEntry.member_id == member.id, JournalEntry.kind == "KL"
                )
            )


def test_some_members_are_in_wajib_arrears(demo: Book, fixed_today: date) -> None:
    with read_session(demo.sessions) as session:
        active = session.scalars(select(Member.id).where(Member.status == "aktif")).all()
        statuses = [
            savings.wajib_status(session, member_id, fixed_today.year, fixed_today.month)
            for member_id in active
        ]
    behind = [s for s in statuses if s.arrears > 0]
    assert len(behind) >= 3
    assert any(len(s.unpaid_months) >= 3 for s in behind)
    assert any(s.advance > 0 for s in statuses)  # some pay months ahead
    assert sum(s.arrears == 0 for s in statuses) > len(statuses) // 2


def test_withdrawals_and_expenses_exist(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        kinds: dict[str, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(JournalEntry.kind, func.count()).group_by(JournalEntry.kind)
            ).all()
        )
        audit = session.scalars(select(AuditRecord.action)).all()
    assert kinds["ST"] > 1000
    assert kinds["TR"] > 20
    assert kinds["KK"] > 10
    assert kinds["KL"] >= 1
    assert "buku.demo" in audit


def test_demo_refuses_an_existing_book(book: Book) -> None:
    with pytest.raises(BookError, match="sudah ada"):
        create_demo_book(book.path, members=5, years=1)


def test_demo_is_deterministic(tmp_path: Path, fixed_today: date) -> None:
    def summary(path: Path) -> tuple[object, ...]:
        create_demo_book(path, members=15, years=2, seed=4)
        opened = open_book(path)
        try:
            with read_session(opened.sessions) as session:
                return (
                    tuple(
                        session.execute(
                            select(JournalEntry.number, JournalEntry.date, JournalLine.amount)
                            .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
                            .order_by(JournalLine.id)
                        ).all()
                    )
                    + tuple(session.scalars(select(Member.nik).order_by(Member.id)).all())
                    + tuple(
                        session.execute(
                            select(
                                Loan.number,
                                Loan.principal,
                                Loan.method,
                                Loan.status,
                                Loan.closed_on,
                            ).order_by(Loan.id)
                        ).all()
                    )
                )
        finally:
            opened.close()

    assert summary(tmp_path / "a.sqlite") == summary(tmp_path / "b.sqlite")


def test_a_failed_demo_leaves_no_half_made_book(
    tmp_path: Path, fixed_today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import demo as demo_module

    calls = []
    real = demo_module.post_many

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("disk penuh")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_module, "post_many", failing)
    path = tmp_path / "gagal.sqlite"
    with pytest.raises(RuntimeError):
        create_demo_book(path, members=10, years=1)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


# -- loans ---------------------------------------------------------------------------


def _lines_by_loan(session: Session, code: str, kinds: tuple[str, ...]) -> dict[int, int]:
    return {
        loan_id: int(total)
        for loan_id, total in session.execute(
            select(JournalLine.loan_id, func.sum(JournalLine.amount))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.code == code, JournalEntry.kind.in_(kinds))
            .group_by(JournalLine.loan_id)
        )
        if loan_id is not None
    }


def test_loans_of_every_method_and_every_fate(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        all_loans = session.scalars(select(Loan).order_by(Loan.id)).all()
        session.expunge_all()
        memos = session.scalars(select(JournalEntry.memo).where(JournalEntry.kind == "AN")).all()
        recovered = _lines_by_loan(session, loans.RECOVERY, ("KM",))
        denda = _lines_by_loan(session, loans.DENDA, ("AN",))
        counts = dict(
            session.execute(
                select(JournalEntry.kind, func.count()).group_by(JournalEntry.kind)
            ).all()
        )
    assert len(all_loans) >= 12
    assert counts["PC"] == len(all_loans)
    assert {loan.method for loan in all_loans} == {"flat", "menurun", "anuitas"}
    by_status = {status: [x for x in all_loans if x.status == status] for status in
                 (DISBURSED, PAID_OFF, WRITTEN_OFF)}  # fmt: skip
    assert all(by_status.values())
    assert {loan.status for loan in all_loans} == set(by_status)
    for loan in all_loans:
        assert loan.disbursed_on is not None and loan.decided_on is not None
        assert loan.number == f"P-{loan.disbursed_on.year}-{loan.number[-4:]}"
        assert (loan.closed_on is None) == (loan.status == DISBURSED)
        assert loan.applied_on <= loan.decided_on <= loan.disbursed_on
    written_off = {x.id for x in by_status[WRITTEN_OFF]}
    assert recovered and set(recovered) <= written_off
    assert any(memo.startswith("Pelunasan pinjaman") for memo in memos)  # early payoff
    assert any("denda dibebaskan" in memo for memo in memos)
    assert denda  # some paid their denda
    numbers = [loan.number for loan in all_loans]
    assert len(set(numbers)) == len(numbers)


def test_loans_only_to_active_members(demo: Book) -> None:
    with read_session(demo.sessions) as session:
        rows = session.execute(
            select(Loan.disbursed_on, Loan.closed_on, Member.joined_on, Member.status_date).join(
                Member, Member.id == Loan.member_id
            )
        ).all()
    for disbursed, closed, joined, left in rows:
        assert disbursed is not None and joined <= disbursed
        assert left is None or (disbursed < left and closed is not None and closed <= left)


def test_every_kolektibilitas_class_is_present_today(demo: Book, fixed_today: date) -> None:
    with read_session(demo.sessions) as session:
        rows = loan_queries.portfolio(session, fixed_today)
    assert {r.klass for r in rows if r.outstanding > 0} == set(CLASSES)


def test_loan_ledger_agrees_with_the_schedules(demo: Book, fixed_today: date) -> None:
    with read_session(demo.sessions) as session:
        disbursed = _lines_by_loan(session, PINJAMAN_ANGGOTA, ("PC",))
        repaid = _lines_by_loan(session, PINJAMAN_ANGGOTA, ("AN", "KL"))
        written = _lines_by_loan(session, PINJAMAN_ANGGOTA, ("HB",))
        fees = _lines_by_loan(session, loans.PROVISI_ADMIN, ("PC",))
        for loan in session.scalars(select(Loan)):
            left = loans.outstanding_principal(session, loan.id)
            assert disbursed[loan.id] == loan.principal
            assert -fees.get(loan.id, 0) == loan.provisi + loan.admin_fee
            assert left == loan.principal + repaid.get(loan.id, 0) + written.get(loan.id, 0)
            states = loans.installment_states(session, loan)
            if loan.status == DISBURSED:
                assert left == sum(s.unpaid_principal for s in states) > 0
                assert loan.id not in written
            elif loan.status == PAID_OFF:
                assert left == 0 and loan.id not in written
            else:
                assert left == 0 and written[loan.id] < 0
        summary = loan_queries.summarize(session, loan_queries.portfolio(session, fixed_today))
        balance = session.scalar(
            select(func.sum(JournalLine.amount))
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.code == PINJAMAN_ANGGOTA)
        )
    assert balance is not None and summary.outstanding == balance > 0
    assert summary.loans == sum(c.loans for c in summary.classes)


def test_the_default_demo_has_a_dozen_loans_in_every_class(
    tmp_path: Path, fixed_today: date
) -> None:
    path = tmp_path / "default.sqlite"
    create_demo_book(path)
    opened = open_book(path)
    try:
        with read_session(opened.sessions) as session:
            assert check_book(session) == []
            rows = loan_queries.portfolio(session, fixed_today)
            assert len(rows) >= 12
            assert {r.klass for r in rows if r.outstanding > 0} == set(CLASSES)
            assert {r.status for r in rows} == {DISBURSED, PAID_OFF, WRITTEN_OFF}
    finally:
        opened.close()


def test_finished_years_close_one_after_another(tmp_path: Path) -> None:
    """Issue 4: a demo book carries what tutup buku needs, so every finished year closes."""
    from app.db import unit_of_work
    from app.services import closing

    path = tmp_path / "demo-tutup.sqlite"
    create_demo_book(path, members=30, years=3, seed=7)
    book = open_book(path)
    try:
        today = dates.today()
        for year in range(today.year - 2, today.year):
            with unit_of_work(book.sessions) as s:
                result = closing.close_year(s, year, by="bendahara")
            assert result.year == year
            with unit_of_work(book.sessions) as s:
                assert closing.year_closed(s, year)
    finally:
        book.close()
