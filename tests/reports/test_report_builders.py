"""The report builders on a hand-built book: every statement to the rupiah, and the tie-outs.

The book (figures worked out by hand in the comments):

2024  ASEP (0001, L) joins 01/03 with pokok 50.000, pays wajib 200.000 and
      sukarela 500.000; bank interest 100.000; salary 60.000. SHU 2024 = 40.000.
      Cash counted, year closed.
2025  SITI (0002, P) and DEDI (0003, L) join 06/01 (pokok 50.000 each); SITI pays
      wajib 240.000 and sukarela 1.000.000, DEDI wajib 100.000 (10/01).
      31/01 SITI borrows 1.200.000 flat 1% x 12 (provisi 12.000; 112.000 a month).
      15/03 RAT: SHU 2024 distributed (cadangan 12.000 + jasa anggota pool 10.000
      without weights = 22.000; ASEP jasa modal 8.000; five funds 2.000 each);
      20/03 ASEP paid his 8.000 in cash. 15/05 SITI withdraws 300.000.
      01/06 ASEP borrows 600.000 flat 2% x 6 (provisi 6.000; 112.000 a month) and
      pays one installment on 01/07. 30/06 bank interest 150.000; 01/07 salary
      120.000; 02/07 electricity 30.000. 01/08 DEDI leaves (refund 150.000).
      31/10 SITI pays 9 installments (1.008.000). On 31/12 SITI is 31 days late
      (Lancar, PPAP 1.500), ASEP 152 days (Kurang Lancar, PPAP 50.000); the
      allowance 51.500 is booked. SHU 2025 = 138.000 + 150.000 - 150.000 - 51.500
      = 86.500.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.reports.build_dinas import dinas_report
from app.reports.build_rat import RatBook, build_rat_book
from app.reports.build_statements import (
    POKOK_WAJIB_AS_LIABILITY_OPTION,
    StatementLine,
    StatementSection,
)
from app.reports.checks import ReportCheckFailed
from app.reports.xlsx.dinas_workbook import render_dinas_workbook
from app.services import cashbook, closing, loans, members, savings, settings, shu
from tests.services.helpers import ASEP, DEDI, SITI, USER, register
from tests.services.yearend import count_cash_exactly

pytestmark = pytest.mark.usefixtures("fixed_today")


def _loan(book: Book, member_id: int, principal: int, rate: str, months: int, on: date) -> int:
    with unit_of_work(book.sessions) as s:
        loan_id = loans.apply(
            s,
            loans.LoanApplication(
                member_id=member_id,
                principal=principal,
                monthly_rate=Decimal(rate),
                months=months,
                method="flat",
            ),
            on=on,
            by=USER,
        )
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return loan_id


def build_small_book(book: Book) -> dict[str, int]:
    asep = register(book, ASEP, on=date(2024, 3, 1))
    with unit_of_work(book.sessions) as s:
        savings.deposit(
            s, asep, {"wajib": 200_000, "sukarela": 500_000}, on=date(2024, 3, 1), by=USER
        )
        cashbook.cash_in(
            s, on=date(2024, 6, 30), account="4-901", amount=100_000, memo="Bunga bank", by=USER
        )
        cashbook.cash_out(
            s, on=date(2024, 7, 1), account="5-301", amount=60_000, memo="Honor", by=USER
        )
    count_cash_exactly(book, date(2024, 12, 31))
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2024, by=USER)
    siti = register(book, SITI, on=date(2025, 1, 6))
    dedi = register(book, DEDI, on=date(2025, 1, 6))
    with unit_of_work(book.sessions) as s:
        savings.deposit(
            s, siti, {"wajib": 240_000, "sukarela": 1_000_000}, on=date(2025, 1, 10), by=USER
        )
        savings.deposit(s, dedi, {"wajib": 100_000}, on=date(2025, 1, 10), by=USER)
    siti_loan = _loan(book, siti, 1_200_000, "0.01", 12, date(2025, 1, 31))
    with unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2024, date(2025, 3, 15), by=USER)
    with unit_of_work(book.sessions) as s:
        shu.pay_members(s, 2024, shu.TUNAI, on=date(2025, 3, 20), by=USER)
        savings.withdraw(s, siti, 300_000, on=date(2025, 5, 15), by=USER)
    asep_loan = _loan(book, asep, 600_000, "0.02", 6, date(2025, 6, 1))
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 6, 30), account="4-901", amount=150_000, memo="Bunga bank", by=USER
        )
        loans.repay(s, asep_loan, 112_000, on=date(2025, 7, 1), by=USER)
        cashbook.cash_out(
            s, on=date(2025, 7, 1), account="5-301", amount=120_000, memo="Honor", by=USER
        )
        cashbook.cash_out(
            s, on=date(2025, 7, 2), account="5-305", amount=30_000, memo="Listrik", by=USER
        )
        members.exit_member(s, dedi, on=date(2025, 8, 1), reason="Pindah domisili", by=USER)
        loans.repay(s, siti_loan, 9 * 112_000, on=date(2025, 10, 31), by=USER)
    with unit_of_work(book.sessions) as s:
        closing.book_allowance(s, 2025, by=USER)
    return {"asep": asep, "siti": siti, "dedi": dedi}


@pytest.fixture
def small(book: Book) -> Iterator[Book]:
    build_small_book(book)
    yield book


def rat(book: Book, year: int = 2025) -> RatBook:
    with read_session(book.sessions) as s:
        return build_rat_book(s, year)


def close_2025(book: Book) -> None:
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)


def amounts(section: StatementSection) -> dict[str, tuple[int, int]]:
    return {line.caption: (line.current, line.previous) for line in section.lines}


def pair(line: StatementLine) -> tuple[int, int]:
    return (line.current, line.previous)


# -- the statements -------------------------------------------------------------------


@pytest.mark.parametrize("closed", [False, True])
def test_neraca_exact_and_balanced_open_or_closed(small: Book, closed: bool) -> None:
    if closed:
        close_2025(small)
    data = rat(small)
    assert data.closed is closed and data.statements.closed is closed
    bs = data.statements.balance_sheet
    assert amounts(bs.current_assets) == {
        "Kas": (1_110_000, 790_000),
        "Pinjaman Anggota": (800_000, 0),
        "Cadangan Kerugian Pinjaman (CKPN)": (-51_500, 0),
    }
    assert bs.noncurrent_assets.lines == ()
    assert amounts(bs.current_liabilities) == {
        "Simpanan Sukarela": (1_200_000, 500_000),
        "Dana Pengurus dan Pengawas": (2_000, 0),
        "Dana Karyawan": (2_000, 0),
        "Dana Pendidikan": (2_000, 0),
        "Dana Sosial": (2_000, 0),
        "Dana Pembangunan Daerah Kerja": (2_000, 0),
    }
    assert bs.noncurrent_liabilities.lines == ()
    assert amounts(bs.equity) == {
        "Simpanan Pokok": (100_000, 50_000),
        "Simpanan Wajib": (440_000, 200_000),
        "Cadangan": (22_000, 0),
        "Hibah dan Donasi": (0, 0),
        "SHU Belum Dibagi": (0, 0),
        "SHU Tahun Berjalan": (86_500, 40_000),
    }
    assert pair(bs.total_assets) == (1_858_500, 790_000)
    assert pair(bs.total_liabilities) == (1_210_000, 500_000)
    assert pair(bs.equity.total) == (648_500, 290_000)
    assert pair(bs.total_liabilities_and_equity) == pair(bs.total_assets)
    assert bs.balanced


def test_hasil_usaha_exact(small: Book) -> None:
    inc = rat(small).statements.income_statement
    assert amounts(inc.operating_income) == {
        "Pendapatan Jasa Pinjaman": (120_000, 0),
        "Pendapatan Provisi dan Administrasi": (18_000, 0),
        "Pendapatan Denda": (0, 0),
    }
    assert amounts(inc.direct_costs) == {"Beban Penyisihan Kerugian Pinjaman": (51_500, 0)}
    assert pair(inc.gross_result) == (86_500, 0)
    assert amounts(inc.operating_expenses) == {
        "Beban Gaji dan Honor Pengelola": (120_000, 60_000),
        "Beban Listrik, Air, Telepon": (30_000, 0),
    }
    assert pair(inc.operating_result) == (-63_500, -60_000)
    assert amounts(inc.other_income) == {"Pendapatan Bunga Bank": (150_000, 100_000)}
    assert inc.other_expenses.lines == () and inc.taxes.lines == ()
    assert pair(inc.before_tax) == pair(inc.shu) == (86_500, 40_000)
    assert pair(inc.total_income) == (288_000, 100_000)
    assert pair(inc.total_expenses) == (201_500, 60_000)


def test_the_same_statements_before_and_after_tutup_buku(small: Book) -> None:
    before = rat(small).statements
    close_2025(small)
    after = rat(small).statements
    assert not before.closed and after.closed
    for name in ("balance_sheet", "income_statement", "equity_statement", "cash_flow"):
        a = dataclasses.replace(getattr(before, name), closed=True)
        assert a == getattr(after, name), name


def test_perubahan_ekuitas_exact(small: Book) -> None:
    eq = rat(small).statements.equity_statement
    assert [c.caption for c in eq.columns] == [
        "Simpanan Pokok",
        "Simpanan Wajib",
        "Cadangan",
        "Hibah dan Donasi",
        "SHU Belum Dibagi",
        "SHU Tahun Berjalan",
    ]
    prev, cur = eq.previous, eq.current
    assert prev.opening.amounts == (0, 0, 0, 0, 0, 0)
    assert {r.caption: r.amounts for r in prev.movements} == {
        "Setoran simpanan pokok dan wajib": (50_000, 200_000, 0, 0, 0, 0),
        "Pengembalian simpanan anggota keluar": (0, 0, 0, 0, 0, 0),
        "Alokasi (pembagian) SHU": (0, 0, 0, 0, 0, 0),
        "Hibah dan donasi": (0, 0, 0, 0, 0, 0),
        "SHU tahun berjalan": (0, 0, 0, 0, 0, 40_000),
    }
    assert prev.closing.amounts == cur.opening.amounts == (50_000, 200_000, 0, 0, 0, 40_000)
    assert [(r.caption, r.amounts) for r in cur.movements] == [
        ("Setoran simpanan pokok dan wajib", (100_000, 340_000, 0, 0, 0, 0)),
        ("Pengembalian simpanan anggota keluar", (-50_000, -100_000, 0, 0, 0, 0)),
        ("SHU tahun lalu dipindahkan ke SHU belum dibagi", (0, 0, 0, 0, 40_000, -40_000)),
        ("Alokasi (pembagian) SHU", (0, 0, 22_000, 0, -40_000, 0)),
        ("Hibah dan donasi", (0, 0, 0, 0, 0, 0)),
        ("SHU tahun berjalan", (0, 0, 0, 0, 0, 86_500)),
    ]
    assert cur.closing.amounts == (100_000, 440_000, 22_000, 0, 0, 86_500)
    assert cur.closing.total == 648_500
    assert prev.adds_up and cur.adds_up


def test_arus_kas_exact_and_reconciles(small: Book) -> None:
    cf = rat(small).statements.cash_flow
    assert amounts(cf.operating) == {
        "Penerimaan angsuran pokok pinjaman anggota": (1_000_000, 0),
        "Penerimaan jasa pinjaman": (120_000, 0),
        "Penerimaan provisi dan administrasi pinjaman": (18_000, 0),
        "Penerimaan pendapatan lain": (150_000, 100_000),
        "Setoran simpanan sukarela": (1_000_000, 500_000),
        "Penarikan simpanan sukarela": (-300_000, 0),
        "Pinjaman yang disalurkan kepada anggota": (-1_800_000, 0),
        "Pembayaran beban usaha dan beban lain": (-150_000, -60_000),
    }
    assert pair(cf.operating.total) == (38_000, 540_000)
    assert cf.investing.lines == ()
    assert amounts(cf.financing) == {
        "Penerimaan simpanan pokok": (100_000, 50_000),
        "Penerimaan simpanan wajib": (340_000, 200_000),
        "Pengembalian simpanan pokok anggota keluar": (-50_000, 0),
        "Pengembalian simpanan wajib anggota keluar": (-100_000, 0),
        "Pembayaran SHU anggota": (-8_000, 0),
    }
    assert pair(cf.financing.total) == (282_000, 250_000)
    assert pair(cf.opening_balances) == (0, 0)
    assert pair(cf.net_change) == (320_000, 790_000)
    assert pair(cf.opening_cash) == (790_000, 0)
    assert pair(cf.closing_cash) == pair(cf.computed_closing) == (1_110_000, 790_000)
    assert cf.reconciles


def test_every_tie_out_holds(small: Book) -> None:
    data = rat(small)
    assert [c.name for c in data.checks() if not c.ok] == []
    assert len(data.checks()) == 5


def test_calk_names_the_policies_and_the_figures(small: Book) -> None:
    calk = rat(small).calk
    assert calk.profile.name == "Koperasi Desa Merah Putih Lambangsari"
    text = " ".join(calk.policies)
    assert "basis kas" in text and "Lancar (0-90 hari) 0,5%" in text
    assert "Macet (lebih dari 270 hari) 100%" in text and "sebagai ekuitas" in text
    assert "Cadangan 30%" in text
    loans_note = next(n for n in calk.notes if n.title == "Pinjaman anggota")
    assert {x.caption: x.current for x in loans_note.lines} == {
        "Pinjaman Lancar": 300_000,
        "Pinjaman Kurang Lancar": 500_000,
        "Pinjaman Diragukan": 0,
        "Pinjaman Macet": 0,
        "Cadangan Kerugian Pinjaman (CKPN)": -51_500,
    }
    assert loans_note.total is not None and loans_note.total.current == 748_500
    assert "NPL 62,5%" in loans_note.paragraphs[0]
    assert any("belum tutup buku" in b for b in calk.basis)


# -- members, savings, loans, SHU ----------------------------------------------------------


def test_membership_movement_with_l_and_p(small: Book) -> None:
    m = rat(small).membership
    assert (m.start.male, m.start.female) == (1, 0)
    assert (m.joined.male, m.joined.female) == (1, 1)
    assert (m.left.male, m.left.female) == (1, 0)
    assert (m.end.male, m.end.female, m.end.total) == (1, 1, 2)
    assert dict(m.left_by_status)["keluar"].total == 1
    assert m.adds_up


def test_member_list_has_everyone_of_the_year_with_the_status_on_31_december(
    small: Book,
) -> None:
    rows = rat(small).members.rows
    assert [(r.number, r.name, r.status, r.left_on) for r in rows] == [
        ("0001", "Asep Saepudin", "aktif", None),
        ("0002", "Siti Aminah", "aktif", None),
        ("0003", "Dedi Kurnia", "keluar", date(2025, 8, 1)),
    ]
    # For 2024 only ASEP was a member.
    assert [r.number for r in rat(small, 2024).members.rows] == ["0001"]


def test_savings_recap_opening_in_out_closing(small: Book) -> None:
    recap = rat(small).savings
    got = {
        r.number: {
            kind: (mv.opening, mv.deposits, mv.withdrawals, mv.closing)
            for kind, mv in (("pokok", r.pokok), ("wajib", r.wajib), ("sukarela", r.sukarela))
        }
        for r in recap.rows
    }
    assert got == {
        "0001": {
            "pokok": (50_000, 0, 0, 50_000),
            "wajib": (200_000, 0, 0, 200_000),
            "sukarela": (500_000, 0, 0, 500_000),
        },
        "0002": {
            "pokok": (0, 50_000, 0, 50_000),
            "wajib": (0, 240_000, 0, 240_000),
            "sukarela": (0, 1_000_000, 300_000, 700_000),
        },
        "0003": {
            "pokok": (0, 50_000, 50_000, 0),
            "wajib": (0, 100_000, 100_000, 0),
            "sukarela": (0, 0, 0, 0),
        },
    }
    assert (recap.pokok.closing, recap.wajib.closing, recap.sukarela.closing) == (
        100_000,
        440_000,
        1_200_000,
    )


def test_loans_recap_and_kolektibilitas_on_31_december(small: Book) -> None:
    data = rat(small)
    rows = {r.number: r for r in data.loans.rows}
    siti, asep = rows["P-2025-0001"], rows["P-2025-0002"]
    assert (siti.member_number, siti.principal, siti.months, siti.method) == (
        "0002",
        1_200_000,
        12,
        "flat",
    )
    assert (siti.opening, siti.lent, siti.repaid, siti.outstanding) == (
        0,
        1_200_000,
        900_000,
        300_000,
    )
    assert (siti.interest_paid, siti.arrears, siti.dpd, siti.klass, siti.allowance) == (
        108_000,
        112_000,
        31,
        "Lancar",
        1_500,
    )
    assert (asep.lent, asep.repaid, asep.outstanding, asep.interest_paid) == (
        600_000,
        100_000,
        500_000,
        12_000,
    )
    assert (asep.arrears, asep.dpd, asep.klass, asep.allowance) == (
        560_000,
        152,
        "Kurang Lancar",
        50_000,
    )
    assert all(r.adds_up for r in data.loans.rows)
    q = data.kolektibilitas.current
    assert [(c.klass, c.loans, c.outstanding, c.allowance) for c in q.classes] == [
        ("Lancar", 1, 300_000, 1_500),
        ("Kurang Lancar", 1, 500_000, 50_000),
        ("Diragukan", 0, 0, 0),
        ("Macet", 0, 0, 0),
    ]
    assert (q.outstanding, q.allowance_required, q.allowance_booked) == (800_000, 51_500, 51_500)
    assert q.npl_outstanding == 500_000 and q.npl_ratio == Decimal("0.625")
    assert q.health == "Tidak Sehat"
    assert data.kolektibilitas.previous.loans == 0


def test_shu_allocation_and_per_member(small: Book) -> None:
    report = rat(small).shu
    assert report.shu == 86_500 and report.distributable
    assert [(c.label, c.amount) for c in report.components] == [
        ("Cadangan", 25_950),
        ("Jasa Modal", 17_300),
        ("Jasa Anggota", 21_625),
        ("Dana Pengurus dan Pengawas", 4_325),
        ("Dana Karyawan", 4_325),
        ("Dana Pendidikan", 4_325),
        ("Dana Sosial", 4_325),
        ("Dana Pembangunan Daerah Kerja", 4_325),
    ]
    got = {
        m.number: (m.savings, m.interest, m.jasa_modal, m.jasa_anggota, m.total)
        for m in report.members
    }
    assert got == {
        "0001": (250_000, 12_000, 8_009, 2_163, 10_172),
        "0002": (290_000, 108_000, 9_291, 19_462, 28_753),
        "0003": (0, 0, 0, 0, 0),
    }
    assert report.members_total == report.jasa_modal_pool + report.jasa_anggota_pool
    # 2024: distributed at the RAT of 15/03/2025.
    before = rat(small, 2024)
    assert before.shu.distributed_on == date(2025, 3, 15) and before.rat_date == date(2025, 3, 15)
    assert before.shu.to_cadangan == 10_000 and before.shu.cadangan_total == 22_000


def test_trial_balance_is_before_the_closing_entry(small: Book) -> None:
    open_rows = {r.code: r.balance for r in rat(small).trial_balance.rows}
    close_2025(small)
    closed_rows = {r.code: r.balance for r in rat(small).trial_balance.rows}
    assert open_rows == closed_rows
    assert open_rows["4-101"] == -120_000 and open_rows["5-104"] == 51_500
    assert "3-502" not in open_rows  # SHU 2024 was distributed in 2025


# -- SAK EP presentation, Dinas figures --------------------------------------------------


def test_pokok_and_wajib_as_liabilities_under_the_sak_ep_setting(small: Book) -> None:
    with unit_of_work(small.sessions) as s:
        settings.set_option(s, POKOK_WAJIB_AS_LIABILITY_OPTION, True, by=USER)
    data = rat(small)
    bs = data.statements.balance_sheet
    assert bs.pokok_wajib_as_liability
    assert amounts(bs.noncurrent_liabilities) == {
        "Simpanan Pokok": (100_000, 50_000),
        "Simpanan Wajib": (440_000, 200_000),
    }
    assert "Simpanan Pokok" not in amounts(bs.equity)
    assert pair(bs.equity.total) == (108_500, 40_000) and bs.balanced
    eq = data.statements.equity_statement
    assert "Simpanan Wajib" not in [c.caption for c in eq.columns]
    assert eq.current.adds_up and eq.current.closing.total == 108_500
    assert all(c.ok for c in data.checks())
    dinas = dinas_report(data)
    assert dinas.value("modal_sendiri") == 648_500  # pokok and wajib stay in modal sendiri
    assert dinas.value("modal_luar") == 1_210_000
    assert "liabilitas jangka panjang" in " ".join(data.calk.policies)


def test_dinas_figures(small: Book) -> None:
    close_2025(small)
    dinas = dinas_report(rat(small))
    assert dinas.filename == "Laporan_Tahunan_Koperasi_Desa_Merah_Putih_Lambangsari_2025.xlsx"
    values = {f.key: f.value for f in dinas.fields}
    assert (
        values
        | {
            "anggota_l": 1,
            "anggota_p": 1,
            "anggota_total": 2,
            "modal_sendiri": 648_500,
            "modal_luar": 1_210_000,
            "total_aset": 1_858_500,
            "volume_usaha_pinjaman": 1_800_000,
            "volume_usaha_pendapatan": 288_000,
            "shu": 86_500,
            "pinjaman_disalurkan": 1_800_000,
            "jumlah_pinjaman_disalurkan": 2,
            "pinjaman_beredar": 800_000,
            "npl": Decimal("62.50"),
            "tahun_buku": 2025,
            "jumlah_pengurus": 3,
            "status_tutup_buku": "sudah tutup buku",
        }
        == values
    )
    assert values["modal_sendiri"] + values["modal_luar"] == values["total_aset"]
    assert values["pengurus"] == (
        "Ketua Ahmad Suryana; Sekretaris Rina Marlina; Bendahara Ida Farida"
    )
    assert values["tanggal_rat"] is None  # the RAT of 2025 has not distributed yet


def test_dinas_workbook_refused_when_a_check_fails(small: Book) -> None:
    data = rat(small)
    bs = data.statements.balance_sheet
    cash = bs.current_assets.lines[0]
    broken = dataclasses.replace(
        bs,
        current_assets=dataclasses.replace(
            bs.current_assets,
            lines=(
                dataclasses.replace(cash, current=cash.current + 1),
                *bs.current_assets.lines[1:],
            ),
        ),
    )
    membership = dataclasses.replace(
        data.membership, end=dataclasses.replace(data.membership.end, female=5)
    )
    bad = dataclasses.replace(
        data,
        statements=dataclasses.replace(data.statements, balance_sheet=broken),
        membership=membership,
    )
    with pytest.raises(ReportCheckFailed) as refused:
        render_dinas_workbook(dinas_report(bad))
    text = str(refused.value)
    assert "Total aset = total liabilitas + ekuitas" in text and "selisih Rp1" in text
    assert "Jumlah anggota" in text and "tidak disimpan" in text
    assert refused.value.failed[0].name == "Total aset = total liabilitas + ekuitas"


def test_an_empty_year_still_reports(book: Book) -> None:
    data = rat(book, 2025)
    assert not data.closed
    assert data.statements.balance_sheet.balanced and data.statements.cash_flow.reconciles
    assert data.membership.end.total == 0 and data.shu.shu == 0
    assert all(c.ok for c in data.checks())


def test_without_charts_the_book_is_the_same_but_for_the_trends(small: Book) -> None:
    """The workbooks build without the five-year trends (only the PDF draws them)."""
    with read_session(small.sessions) as s:
        whole = build_rat_book(s, 2025)
        plain = build_rat_book(s, 2025, charts=False)
    assert whole.trends and plain.trends == ()
    assert dataclasses.replace(whole, trends=()) == plain
