"""Cash book and general journal: vouchers, validation, reversal, chart of accounts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, UnbalancedEntry, ValidationError
from app.ledger.balances import balance
from app.models import AuditRecord, JournalEntry
from app.services import accounts, cashbook
from app.services.cashbook import JournalInput
from tests.services.helpers import USER

pytestmark = pytest.mark.usefixtures("fixed_today")


def _entries(book: Book) -> int:
    with read_session(book.sessions) as s:
        return s.scalar(select(func.count(JournalEntry.id))) or 0


def test_cash_in_and_out_are_numbered_vouchers(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        km = cashbook.cash_in(
            s, on=date(2025, 2, 1), account="3-301", amount=5_000_000, memo="Hibah desa", by=USER
        )
        kk = cashbook.cash_out(
            s, on=date(2025, 2, 3), account="5-304", amount=75_000, memo="ATK", by=USER
        )
    assert (km.number, kk.number) == ("KM-2025-000001", "KK-2025-000001")
    with read_session(book.sessions) as s:
        assert balance(s, "1-101") == 5_000_000 - 75_000
        assert balance(s, "3-301") == -5_000_000
        assert balance(s, "5-304") == 75_000


@pytest.mark.parametrize(
    ("incoming", "account", "error", "match"),
    [
        (False, "4-909", ValidationError, "tidak boleh dicatat ke akun pendapatan"),
        (True, "5-305", ValidationError, "tidak boleh dicatat ke akun beban"),
        (True, "3-102", NotAllowed, "menu Simpanan"),
        (False, "1-131", NotAllowed, "menu Pinjaman"),
        (True, "1-101", ValidationError, "Kas sendiri"),
        (True, "9-999", Exception, "tidak ada"),
    ],
)
def test_cash_book_refuses_the_wrong_account(
    book: Book, incoming: bool, account: str, error: type[Exception], match: str
) -> None:
    action = cashbook.cash_in if incoming else cashbook.cash_out
    with pytest.raises(error, match=match), unit_of_work(book.sessions) as s:
        action(s, on=date(2025, 2, 1), account=account, amount=10_000, memo="x", by=USER)
    assert _entries(book) == 0


def test_cash_book_needs_an_amount_and_a_memo(book: Book) -> None:
    for amount, memo in ((0, "x"), (-5, "x"), (1000, "  ")):
        with pytest.raises(ValidationError), unit_of_work(book.sessions) as s:
            cashbook.cash_out(
                s, on=date(2025, 2, 1), account="5-305", amount=amount, memo=memo, by=USER
            )
    assert _entries(book) == 0


def test_general_journal_of_many_lines(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 1, 2), account="2-201", amount=10_000_000, memo="Pinjaman", by=USER
        )
        posted = cashbook.journal(
            s,
            on=date(2025, 1, 3),
            memo="Setor ke bank dan biaya administrasi",
            lines=[
                JournalInput("1-111", debit=7_990_000),
                JournalInput("5-311", debit=10_000),
                JournalInput("1-101", credit=8_000_000),
            ],
            by=USER,
        )
    assert posted.number == "JU-2025-000001"
    with read_session(book.sessions) as s:
        assert balance(s, "1-111") == 7_990_000
        assert balance(s, "1-101") == 2_000_000


def test_unbalanced_journal_is_refused_and_nothing_written(book: Book) -> None:
    with pytest.raises(UnbalancedEntry, match="tidak seimbang"), unit_of_work(book.sessions) as s:
        cashbook.journal(
            s,
            on=date(2025, 1, 3),
            memo="Penyusutan",
            lines=[JournalInput("5-307", debit=100_000), JournalInput("1-3041", credit=90_000)],
            by=USER,
        )
    with pytest.raises(ValidationError, match="salah satu"), unit_of_work(book.sessions) as s:
        cashbook.journal(
            s,
            on=date(2025, 1, 3),
            memo="Penyusutan",
            lines=[JournalInput("5-307", debit=1, credit=1), JournalInput("1-3041", credit=1)],
            by=USER,
        )
    assert _entries(book) == 0


def test_reversal_with_reason_is_audited(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        kk = cashbook.cash_out(
            s, on=date(2025, 2, 3), account="5-304", amount=75_000, memo="ATK", by=USER
        )
    with pytest.raises(ValidationError, match="alasan"), unit_of_work(book.sessions) as s:
        cashbook.reverse_entry(s, kk.id, reason=" ", on=date(2025, 2, 4), by=USER)
    with unit_of_work(book.sessions) as s:
        rv = cashbook.reverse_entry(s, kk.id, reason="salah akun", on=date(2025, 2, 4), by=USER)
    assert rv.number == "RV-2025-000001"
    with read_session(book.sessions) as s:
        assert balance(s, "5-304") == 0
        record = s.scalar(select(AuditRecord).where(AuditRecord.action == "jurnal.balik"))
        assert record is not None and record.entity_id == kk.id
        assert "salah akun" in record.note and kk.number in record.note


# -- chart of accounts -----------------------------------------------------------------


def test_add_rename_deactivate_an_account(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        assert accounts.suggest_code(s, "5-311") == "5-312"
        added = accounts.add_account(s, group="beban", code="5-312", name="Beban Keamanan", by=USER)
        assert (added.normal, added.is_system) == ("D", False)
        accounts.rename_account(s, "5-312", "Beban Keamanan dan Kebersihan", by=USER)
    with unit_of_work(book.sessions) as s:
        cashbook.cash_out(
            s, on=date(2025, 3, 1), account="5-312", amount=50_000, memo="Satpam", by=USER
        )
    with pytest.raises(NotAllowed, match="masih bersaldo"), unit_of_work(book.sessions) as s:
        accounts.deactivate_account(s, "5-312", by=USER)
    with unit_of_work(book.sessions) as s:
        accounts.add_account(s, group="beban", code="5-313", name="Beban Sewa", by=USER)
        accounts.deactivate_account(s, "5-313", by=USER, reason="tidak dipakai")
    with pytest.raises(NotAllowed, match="dinonaktifkan"), unit_of_work(book.sessions) as s:
        cashbook.cash_out(
            s, on=date(2025, 3, 1), account="5-313", amount=50_000, memo="Sewa", by=USER
        )
    with read_session(book.sessions) as s:
        actions = set(s.scalars(select(AuditRecord.action).where(AuditRecord.entity == "account")))
    assert {"akun.tambah", "akun.ubah_nama", "akun.nonaktif"} <= actions


@pytest.mark.parametrize(
    ("group", "code", "match"),
    [
        ("beban", "5-305", "sudah dipakai"),
        ("beban", "4-950", "bukan kelompok"),
        ("beban", "5305", "pola"),
        ("modal", "3-999", "Kelompok"),
    ],
)
def test_bad_new_accounts_are_refused(book: Book, group: str, code: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match), unit_of_work(book.sessions) as s:
        accounts.add_account(s, group=group, code=code, name="Baru", by=USER)


def test_program_accounts_cannot_be_deactivated(book: Book) -> None:
    for code in ("1-101", "3-502", "4-101", "2-141"):
        with pytest.raises(NotAllowed, match="dipakai program"), unit_of_work(book.sessions) as s:
            accounts.deactivate_account(s, code, by=USER)
    with unit_of_work(book.sessions) as s:  # a default account the program never posts to
        assert not accounts.deactivate_account(s, "2-102", by=USER).active


def test_pickers_offer_only_fitting_accounts(book: Book) -> None:
    with read_session(book.sessions) as s:
        incoming = dict(cashbook.counter_accounts(s, incoming=True))
        outgoing = dict(cashbook.counter_accounts(s, incoming=False))
    assert "4-901" in incoming and "5-305" not in incoming
    assert "5-305" in outgoing and "4-901" not in outgoing
    assert not {"1-101", "3-101", "1-131", "4-101"} & (set(incoming) | set(outgoing))
    assert "1-111" in incoming and "1-111" in outgoing


def test_entries_that_move_a_status_are_not_reversed_here(book: Book) -> None:
    from decimal import Decimal

    from app.services import loans
    from tests.services.helpers import SITI, register

    member_id = register(book, SITI, on=date(2024, 6, 1))
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 1, 2), account="3-301", amount=5_000_000, memo="Hibah desa", by=USER
        )
        loan_id = loans.apply(
            s,
            loans.LoanApplication(member_id, 1_000_000, Decimal("0.01"), 10, "flat"),
            on=date(2025, 1, 3),
            by=USER,
        )
        loans.approve(s, loan_id, on=date(2025, 1, 3), by="ketua")
        disbursed = loans.disburse(s, loan_id, on=date(2025, 1, 3), by=USER)
    with pytest.raises(NotAllowed, match="pencairan pinjaman"), unit_of_work(book.sessions) as s:
        cashbook.reverse_entry(s, disbursed.id, reason="salah", on=date(2025, 1, 4), by=USER)
