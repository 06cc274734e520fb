"""SHU (DOMAIN.md 5.2-5.6): percentages, the largest-remainder splits, posting, paying."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, ValidationError
from app.ledger import Entry, Line, post
from app.ledger.balances import balance, member_savings
from app.models import AuditRecord
from app.reports.build_shu import build_shu
from app.services import cashbook, closing, savings, shu
from app.services.members import MemberInput
from tests.services.helpers import ASEP, DEDI, SITI, USER, register
from tests.services.yearend import count_cash_exactly

pytestmark = pytest.mark.usefixtures("fixed_today")

DEFAULT = [c.default_percent for c in shu.COMPONENTS]
UJANG = MemberInput(
    nik="3204011506880003", name="Ujang Suherman", sex="L", birth_date=date(1988, 6, 15)
)


# -- the pure split ----------------------------------------------------------------------


def test_the_domain_example_exactly() -> None:
    """DOMAIN.md 5.5: A, B, C among members whose S total 100.000.000 and T 75.000.000."""
    split = shu.split_shu(
        60_000_000,
        DEFAULT,
        [2_000_000, 1_200_000, 800_000, 96_000_000],
        [1_500_000, 0, 500_000, 73_000_000],
    )
    assert split.components == (
        18_000_000,
        12_000_000,
        15_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
    )
    assert split.jasa_modal[:3] == (240_000, 144_000, 96_000)
    assert split.jasa_anggota[:3] == (300_000, 0, 100_000)
    assert split.to_cadangan == 0


def test_leftover_rupiahs_go_to_the_lower_member_number() -> None:
    split = shu.split_shu(500, DEFAULT, [1, 1, 1], [0, 0, 0])
    assert split.components[1] == 100
    assert split.jasa_modal == (34, 33, 33)
    assert split.jasa_anggota == (0, 0, 0)
    assert split.to_cadangan == 125  # nobody paid interest: Jasa Anggota goes to Cadangan
    assert split.cadangan == 150 + 125


def test_a_negative_shu_is_not_split() -> None:
    split = shu.split_shu(-1_000_000, DEFAULT, [5, 5], [1, 0])
    assert split.components == (0,) * 8 and split.jasa_modal == (0, 0) and split.cadangan == 0


percents = st.lists(st.integers(0, 10_000), min_size=8, max_size=8).filter(lambda p: sum(p) > 0)


@given(
    total=st.integers(0, 10**12),
    raw_percents=percents,
    weights=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**8)), max_size=40),
)
def test_every_split_adds_up_to_its_total(
    total: int, raw_percents: list[int], weights: list[tuple[int, int]]
) -> None:
    scale = Decimal(sum(raw_percents))
    pct = [Decimal(p) * 100 / scale for p in raw_percents]
    s = [w[0] for w in weights]
    t = [w[1] for w in weights]
    split = shu.split_shu(total, pct, s, t)
    assert sum(split.components) == total
    assert sum(split.jasa_modal) == (split.components[1] if sum(s) else 0)
    assert sum(split.jasa_anggota) == (split.components[2] if sum(t) else 0)
    assert (
        split.cadangan + sum(split.jasa_modal) + sum(split.jasa_anggota) + sum(split.components[3:])
        == total
    )
    assert all(part >= 0 for part in split.jasa_modal + split.jasa_anggota)


# -- percentages ---------------------------------------------------------------------------


def test_percentages_must_total_exactly_100(book: Book) -> None:
    values = {c.key: c.default_percent for c in shu.COMPONENTS}
    values["cadangan"] = Decimal(25)
    with (
        pytest.raises(ValidationError, match="tepat 100%, sekarang 95%"),
        unit_of_work(book.sessions) as s,
    ):
        shu.set_percentages(s, 2025, values, by=USER)
    values["dana_sosial"] = "10"
    with unit_of_work(book.sessions) as s:
        shu.set_percentages(s, 2025, values, by=USER)
    with read_session(book.sessions) as s:
        assert shu.percentages(s, 2025)["dana_sosial"] == 10
        assert shu.percentages(s, 2026)["dana_sosial"] == 5  # other years keep the default
    with (
        pytest.raises(ValidationError, match="tepat 100%, sekarang 100,5%"),
        unit_of_work(book.sessions) as s,
    ):
        shu.set_percentages(s, 2025, {**values, "dana_sosial": "10,5"}, by=USER)


# -- the example in a real book ------------------------------------------------------------


def _example_book(book: Book) -> dict[str, int]:
    """Four members whose S and T are those of DOMAIN.md 5.5; SHU Rp60.000.000."""
    people = {"A": SITI, "B": ASEP, "C": DEDI, "D": UJANG}
    s_of = {"A": 2_000_000, "B": 1_200_000, "C": 800_000, "D": 96_000_000}
    t_of = {"A": 1_500_000, "B": 0, "C": 500_000, "D": 73_000_000}
    ids = {key: register(book, data, on=date(2025, 1, 6)) for key, data in people.items()}
    with unit_of_work(book.sessions) as s:
        for key, member_id in ids.items():
            savings.deposit(
                s, member_id, {"wajib": s_of[key] - 50_000}, on=date(2025, 2, 1), by=USER
            )
            if t_of[key]:
                post(
                    s,
                    Entry(
                        date(2025, 5, 1),
                        "AN",
                        "Jasa pinjaman",
                        [Line("1-101", t_of[key]), Line("4-101", -t_of[key], member_id=member_id)],
                        member_id=member_id,
                    ),
                    by=USER,
                )
        cashbook.cash_out(
            s, on=date(2025, 12, 1), account="5-301", amount=15_000_000, memo="Gaji", by=USER
        )
    return ids


def test_the_domain_example_in_a_book(book: Book) -> None:
    ids = _example_book(book)
    with read_session(book.sessions) as s:
        plan = shu.calculate(s, 2025)
    assert (plan.shu, plan.closed) == (60_000_000, False)
    assert (plan.savings_base, plan.interest_base) == (100_000_000, 75_000_000)
    got = {m.member_id: (m.jasa_modal, m.jasa_anggota) for m in plan.members}
    assert got[ids["A"]] == (240_000, 300_000)
    assert got[ids["B"]] == (144_000, 0)
    assert got[ids["C"]] == (96_000, 100_000)
    assert [c.amount for c in plan.components][:3] == [18_000_000, 12_000_000, 15_000_000]


def _closed_example(book: Book, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    ids = _example_book(book)
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        assert closing.close_year(s, 2025, by=USER).shu == 60_000_000
    monkeypatch.setattr("app.dates.today", lambda: date(2026, 3, 31))
    return ids


def test_distribution_after_the_rat_once_per_year(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _closed_example(book, monkeypatch)
    with pytest.raises(ValidationError, match="sesudah"), unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2025, 12, 31), by=USER)
    with unit_of_work(book.sessions) as s:
        posted = shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)
    assert posted.number == "SH-2026-000001" and posted.date == date(2026, 3, 15)
    with read_session(book.sessions) as s:
        assert balance(s, "3-502") == 0
        assert balance(s, "3-201") == -18_000_000
        assert balance(s, "2-141") == -27_000_000
        assert balance(s, "2-141", member_id=ids["A"]) == -540_000
        for code in ("2-142", "2-143", "2-144", "2-145", "2-146"):
            assert balance(s, code) == -3_000_000
        assert shu.calculate(s, 2025).distributed == posted.number
    with pytest.raises(NotAllowed, match="sudah dibagikan"), unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 20), by=USER)
    with pytest.raises(NotAllowed, match="sudah dibagikan"), unit_of_work(book.sessions) as s:
        shu.set_percentages(s, 2025, {c.key: c.default_percent for c in shu.COMPONENTS}, by=USER)
    with pytest.raises(NotAllowed, match="dibagikan"), unit_of_work(book.sessions) as s:
        closing.reopen_year(s, 2025, by="admin", reason="x", role="admin")


def test_distribution_needs_a_closed_year_and_a_positive_shu(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(book, SITI, on=date(2025, 1, 6))
    with unit_of_work(book.sessions) as s:
        cashbook.cash_out(
            s, on=date(2025, 3, 1), account="5-304", amount=30_000, memo="ATK", by=USER
        )
    monkeypatch.setattr("app.dates.today", lambda: date(2026, 3, 31))
    with pytest.raises(NotAllowed, match="belum tutup buku"), unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)
    count_cash_exactly(book, date(2025, 12, 31))
    with unit_of_work(book.sessions) as s:
        assert closing.close_year(s, 2025, by=USER).shu == -30_000
    with read_session(book.sessions) as s:
        plan = shu.calculate(s, 2025)
        assert plan.closed and plan.shu == -30_000 and not plan.distributable
        assert all(m.total == 0 for m in plan.members)
    with pytest.raises(NotAllowed, match="tidak dibagikan"), unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)


def test_paying_members_in_one_batch(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _closed_example(book, monkeypatch)
    with unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)
    with unit_of_work(book.sessions) as s:
        cash = shu.pay_members(
            s, 2025, shu.TUNAI, on=date(2026, 3, 16), by=USER, member_ids=[ids["B"]]
        )
    assert [p.number for p in cash] == ["PS-2026-000001"]
    with read_session(book.sessions) as s:
        before = {k: member_savings(s, mid)["2-101"] for k, mid in ids.items()}
    with unit_of_work(book.sessions) as s:
        paid = shu.pay_members(s, 2025, shu.SUKARELA, on=date(2026, 3, 16), by=USER)
    assert len(paid) == 3  # A, C, D; B was paid in cash
    with read_session(book.sessions) as s:
        assert balance(s, "2-141") == 0
        assert member_savings(s, ids["A"])["2-101"] - before["A"] == 540_000
        assert member_savings(s, ids["B"])["2-101"] == before["B"]
        assert s.scalar(select(AuditRecord).where(AuditRecord.action == "shu.bayar"))
    with pytest.raises(NotAllowed, match="sudah dibayar"), unit_of_work(book.sessions) as s:
        shu.pay_members(s, 2025, shu.TUNAI, on=date(2026, 3, 17), by=USER)


def test_a_distributed_year_keeps_the_jasa_modal_basis_it_was_paid_on(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paid on pokok + wajib; ticking "termasuk sukarela" afterwards (for next year)
    # must not change the shares already paid, nor the RAT book that shows them.
    ids = _example_book(book)
    with unit_of_work(book.sessions) as s:
        savings.deposit(s, ids["B"], {"sukarela": 3_000_000}, on=date(2025, 12, 20), by=USER)
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    monkeypatch.setattr("app.dates.today", lambda: date(2026, 3, 31))
    with read_session(book.sessions) as s:
        paid_on = {m.member_id: m.jasa_modal for m in shu.calculate(s, 2025).members}
    with unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)
        shu.set_jasa_modal_includes_sukarela(s, True, by=USER)
    with read_session(book.sessions) as s:
        after = {m.member_id: m.jasa_modal for m in shu.calculate(s, 2025).members}
        report = build_shu(s, 2025)
        assert shu.jasa_modal_includes_sukarela(s) is True  # the option, for years to come
        assert shu.jasa_modal_includes_sukarela(s, 2025) is False  # as 2025 was paid
        assert shu.jasa_modal_includes_sukarela(s, 2026) is True
    assert after == paid_on
    assert report.includes_sukarela is False
    assert {r.member_id: r.jasa_modal for r in report.members if r.jasa_modal} == {
        k: v for k, v in paid_on.items() if v
    }
