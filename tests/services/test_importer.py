"""Migration from Excel: the shared example reproduced exactly, every bad input refused whole."""

from __future__ import annotations

import io
import json
import shutil
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.book import Book, open_book
from app.db import read_session, unit_of_work
from app.errors import DomainError
from app.ledger.balances import account_totals, savings_by_member
from app.models import AuditRecord, JournalEntry, JournalLine, Loan, LoanInstallment, Member
from app.queries.loans import portfolio
from app.services import import_template, importer
from app.services.importer import ImportRefused, ImportSummary, ParsedWorkbook
from app.services.xlsx_rows import XlsxReader
from tests.conftest import SHARED
from tests.services.helpers import USER

pytestmark = pytest.mark.usefixtures("fixed_today")

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
EXPECTED: dict[str, Any] = json.loads(
    (SHARED / "examples" / "import_example_expected.json").read_text(encoding="utf-8")
)
YEAR_END = date(2025, 12, 31)
CUTOVER = date(2024, 12, 31)


# -- helpers -------------------------------------------------------------------------


def import_file(book: Book, path: Path) -> ImportSummary:
    parsed = importer.read_workbook(path)
    with unit_of_work(book.sessions) as session:
        return importer.import_workbook(session, parsed, by=USER)


def counts(book: Book) -> dict[str, int]:
    with read_session(book.sessions) as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Member, Loan, LoanInstallment, JournalEntry, JournalLine)
        }


EMPTY = {"member": 0, "loan": 0, "loan_installment": 0, "journal_entry": 0, "journal_line": 0}


def edited(tmp_path: Path, change: Callable[[Workbook], None], name: str = "ubah.xlsx") -> Path:
    wb = load_workbook(EXAMPLE)
    change(wb)
    target = tmp_path / name
    wb.save(target)
    return target


def refused(book: Book, path: Path) -> list[str]:
    """Import must be refused, every problem as Sheet!row, and nothing written."""
    with pytest.raises(ImportRefused) as caught:
        import_file(book, path)
    assert counts(book) == EMPTY
    lines = [str(p) for p in caught.value.problems]
    assert lines and all("!" in line.split(":")[0] for line in lines)
    return lines


def find_row(wb: Workbook, sheet: str, **match: object) -> int:
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        values = {h: ws.cell(row, i + 1).value for i, h in enumerate(headers)}
        if all(values.get(k.replace("_", " ")) == v for k, v in match.items()):
            return row
    raise AssertionError(f"no row {match} in {sheet}")


def column(wb: Workbook, sheet: str, header: str) -> int:
    return [c.value for c in wb[sheet][1]].index(header) + 1


# -- the shared example ------------------------------------------------------------------


@pytest.fixture
def imported(book: Book) -> Iterator[tuple[Book, ImportSummary]]:
    yield book, import_file(book, EXAMPLE)


def test_example_trial_balance_is_reproduced_exactly(imported: tuple[Book, ImportSummary]) -> None:
    book, _ = imported
    with read_session(book.sessions) as s:
        totals = {code: t for code, t in account_totals(s, on=YEAR_END).items() if t}
    assert totals == EXPECTED["trial_balance"]


def test_example_savings_per_member_are_reproduced(imported: tuple[Book, ImportSummary]) -> None:
    book, _ = imported
    with read_session(book.sessions) as s:
        numbers = dict(s.execute(select(Member.id, Member.number)).all())
        saved = savings_by_member(s, YEAR_END)
    got = {
        numbers[mid]: {
            "pokok": saved.get(mid, {}).get("3-101", 0),
            "wajib": saved.get(mid, {}).get("3-102", 0),
            "sukarela": saved.get(mid, {}).get("2-101", 0),
        }
        for mid in numbers
    }
    assert got == EXPECTED["rekap_simpanan"]


def test_example_loan_recap_is_reproduced(imported: tuple[Book, ImportSummary]) -> None:
    book, _ = imported
    with read_session(book.sessions) as s:
        rows = portfolio(s, YEAR_END)
    got = {
        r.number: {
            "no_anggota": r.member_number,
            "sisa_pokok": r.outstanding,
            "tunggakan": r.arrears,
            "hari_tunggakan": r.dpd,
            "kolektibilitas": r.klass,
        }
        for r in rows
    }
    assert got == EXPECTED["rekap_pinjaman"]


def test_example_shu_bases_per_member(imported: tuple[Book, ImportSummary]) -> None:
    """What SHU per member rests on: pokok + wajib on 31/12 and loan interest paid in 2025."""
    book, _ = imported
    with read_session(book.sessions) as s:
        numbers = dict(s.execute(select(Member.id, Member.number)).all())
        saved = savings_by_member(s, YEAR_END)
        interest = dict(
            s.execute(
                select(JournalLine.member_id, -func.sum(JournalLine.amount))
                .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(
                    JournalLine.account_id.in_(
                        select(importer.Account.id).where(importer.Account.code == "4-101")
                    ),
                    JournalEntry.date >= date(2025, 1, 1),
                    JournalEntry.date <= YEAR_END,
                )
                .group_by(JournalLine.member_id)
            ).all()
        )
    for mid, number in numbers.items():
        expected = EXPECTED["shu_anggota"][number]
        parts = saved.get(mid, {"3-101": 0, "3-102": 0})
        assert parts["3-101"] + parts["3-102"] == expected["simpanan"], number
        assert interest.get(mid, 0) == expected["jasa_pinjaman"], number


COMPONENT_NAMES = {
    "cadangan": "Cadangan",
    "jasa_modal": "Jasa Modal",
    "jasa_anggota": "Jasa Anggota",
    "dana_pengurus": "Pengurus",
    "dana_karyawan": "Karyawan",
    "dana_pendidikan": "Pendidikan",
    "dana_sosial": "Sosial",
    "dana_pembangunan": "Pembangunan",
}


def test_example_shu_per_member(imported: tuple[Book, ImportSummary]) -> None:
    try:
        from app.services import shu
    except ImportError:
        pytest.xfail("app/services/shu.py (SHU per member) is not in this tree yet")
    if not hasattr(shu, "calculate"):
        pytest.xfail("app/services/shu.py has no calculate() yet")
    book, _ = imported
    with read_session(book.sessions) as s:
        plan = shu.calculate(s, 2025)
    assert plan.shu == EXPECTED["shu"]
    assert {COMPONENT_NAMES[c.key]: c.amount for c in plan.components} == EXPECTED["shu_components"]
    got = {
        m.number: {
            "simpanan": m.savings,
            "jasa_pinjaman": m.interest,
            "jasa_modal": m.jasa_modal,
            "jasa_anggota": m.jasa_anggota,
            "jumlah_shu": m.total,
        }
        for m in plan.members
    }
    zero = dict.fromkeys(
        ("simpanan", "jasa_pinjaman", "jasa_modal", "jasa_anggota", "jumlah_shu"), 0
    )
    expected = {k: v for k, v in EXPECTED["shu_anggota"].items() if v != zero}
    assert got == expected


def test_first_trial_balance_equals_the_saldo_awal(imported: tuple[Book, ImportSummary]) -> None:
    book, summary = imported
    ws = load_workbook(EXAMPLE)["Saldo Awal"]
    normal_credit = ("1-139", "2-", "3-", "4-")
    sheet: dict[str, int] = {}
    for on, code, _member, amount in ws.iter_rows(min_row=2, values_only=True):
        assert on.date() == CUTOVER
        signed = -amount if code.startswith(normal_credit) else amount
        sheet[code] = sheet.get(code, 0) + signed
    with read_session(book.sessions) as s:
        first = {code: t for code, t in account_totals(s, on=CUTOVER).items() if t}
        # The 1-131 row went in one line per migrated loan, each with its loan and member.
        lines = s.execute(
            select(JournalLine.loan_id, JournalLine.member_id, JournalLine.amount)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalEntry.kind == "SA", JournalLine.loan_id.is_not(None))
        ).all()
    assert first == sheet
    assert len(lines) == 8 and all(loan and member for loan, member, _ in lines)
    assert sum(amount for *_, amount in lines) == sheet["1-131"] == 38_969_887
    rec = summary.reconciliation
    assert rec.ok and rec.cutover == CUTOVER
    assert rec.opening_debit == rec.opening_credit == 93_200_000 + 38_969_887
    assert rec.loans_row == rec.loans_remaining == 38_969_887


def test_summary_tells_the_treasurer_what_went_in(imported: tuple[Book, ImportSummary]) -> None:
    book, summary = imported
    assert summary.written
    assert summary.members == 55 and summary.exits == 2
    assert summary.headline().startswith(
        "55 anggota, saldo awal seimbang dengan neraca 31/12/2024: Rp132.169.887"
    )
    kinds = {k.kind: k.count for k in summary.transactions}
    assert kinds == {
        "SETOR_POKOK": 15,
        "SETOR_WAJIB": 511,
        "SETOR_SUKARELA": 202,
        "TARIK_SUKARELA": 72,
        "ANGSURAN": 150,
        "DENDA": 15,
        "PENDAPATAN": 12,
        "BEBAN": 18,
        "KELUAR": 2,
    }
    assert (summary.first_date, summary.last_date) == (CUTOVER, YEAR_END)
    migrated = {loan.number: loan for loan in summary.loans if loan.migrated}
    assert len(migrated) == 8 and len(summary.loans) == 29
    assert migrated["P-2024-0002"].remaining_at_cutover == 6_350_005
    assert migrated["P-2024-0002"].remaining == 705_565
    assert summary.reconciliation.savings_members == {
        "3-101": 2_650_000,
        "3-102": 39_600_000,
        "2-101": 106_875_000,
    }
    with read_session(book.sessions) as s:
        assert s.scalar(select(func.count(JournalEntry.id))) == summary.entries
        migrated_loan = s.scalar(select(Loan).where(Loan.number == "P-2024-0002"))
        assert migrated_loan is not None
        assert migrated_loan.paid_before_cutover == 9
        assert migrated_loan.disbursed_on == date(2024, 3, 20)
        # No disbursement posting for a migrated loan: its principal is in the SA entry.
        kinds_of_loan = set(
            s.scalars(
                select(JournalEntry.kind)
                .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
                .where(JournalLine.loan_id == migrated_loan.id)
            )
        )
        assert "PC" not in kinds_of_loan and "SA" in kinds_of_loan
        assert s.scalar(select(AuditRecord).where(AuditRecord.action == "impor.buku"))
    assert "\n".join(summary.lines())


def test_numbers_continue_after_the_imported_ones(imported: tuple[Book, ImportSummary]) -> None:
    from app.services import members
    from tests.services.helpers import ASEP

    book, _ = imported
    with unit_of_work(book.sessions) as s:
        registered = members.register(s, ASEP, joined_on=YEAR_END, by=USER)
    assert registered.number == "0056"


def test_dry_run_writes_nothing(book: Book) -> None:
    parsed = importer.read_workbook(EXAMPLE)
    with read_session(book.sessions) as s:
        preview = importer.preview(s, parsed)
    assert preview.problems == ()
    assert preview.summary.members == 55 and not preview.summary.written
    assert preview.summary.reconciliation.ok
    assert counts(book) == EMPTY


def test_progress_is_reported(book: Book) -> None:
    seen: list[tuple[int, int]] = []
    parsed = importer.read_workbook(EXAMPLE)
    with unit_of_work(book.sessions) as s:
        importer.import_workbook(s, parsed, by=USER, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_book_with_data_is_refused(imported: tuple[Book, ImportSummary]) -> None:
    book, _ = imported
    before = counts(book)
    with pytest.raises(ImportRefused) as caught:
        import_file(book, EXAMPLE)
    assert [str(p).split(":")[0] for p in caught.value.problems] == ["Anggota!1"]
    assert counts(book) == before


# -- tolerant reading ----------------------------------------------------------------------


def test_what_treasurers_actually_type_is_read(book: Book, tmp_path: Path) -> None:
    """Amounts as Rp text, dates as dd/mm/yyyy text, NIKs as numbers, spaces, case,
    empty rows and extra columns: the books come out exactly the same."""

    def messy(wb: Workbook) -> None:
        for name in ("Anggota", "Saldo Awal", "Pinjaman", "Transaksi"):
            ws = wb[name]
            ws.cell(1, ws.max_column + 1, "Catatan Bendahara")
            for row in range(2, ws.max_row + 1):
                ws.cell(row, ws.max_column, "abaikan saya")
        ws = wb["Anggota"]
        nik, sex = column(wb, "Anggota", "NIK"), column(wb, "Anggota", "Jenis Kelamin")
        for row in range(2, ws.max_row + 1):
            value = ws.cell(row, nik).value
            if not value.endswith("0"):
                ws.cell(row, nik).value = int(value)  # Excel's number, all 16 digits kept
            ws.cell(row, sex).value = f"  {ws.cell(row, sex).value.lower()} "
        ws = wb["Transaksi"]
        when, kind, amount = (column(wb, "Transaksi", h) for h in ("Tanggal", "Jenis", "Jumlah"))
        for row in range(2, ws.max_row + 1):
            day = ws.cell(row, when).value
            ws.cell(row, when).value = day.strftime("%d/%m/%Y")
            ws.cell(row, kind).value = ws.cell(row, kind).value.lower().replace("_", " ")
            money = ws.cell(row, amount).value
            if money is not None:
                ws.cell(row, amount).value = (
                    f"Rp{money:,}".replace(",", ".") if row % 2 else f"{money:,}".replace(",", ".")
                )
        ws = wb["Pinjaman"]
        method = column(wb, "Pinjaman", "Metode")
        for row in range(2, ws.max_row + 1):
            ws.cell(row, method).value = ws.cell(row, method).value.upper()
        ws.insert_rows(5, amount=3)  # empty rows in the middle

    import_file(book, edited(tmp_path, messy))
    with read_session(book.sessions) as s:
        totals = {code: t for code, t in account_totals(s, on=YEAR_END).items() if t}
    assert totals == EXPECTED["trial_balance"]


def test_percent_formatted_rate_cell_is_read_as_percent(book: Book, tmp_path: Path) -> None:
    def as_percent(wb: Workbook) -> None:
        ws = wb["Pinjaman"]
        rate = column(wb, "Pinjaman", "Bunga per Bulan (%)")
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row, rate)
            cell.value = cell.value / 100
            cell.number_format = "0.00%"

    import_file(book, edited(tmp_path, as_percent))
    with read_session(book.sessions) as s:
        assert {c: t for c, t in account_totals(s, on=YEAR_END).items() if t} == EXPECTED[
            "trial_balance"
        ]


# -- bad input: refused whole, every problem listed, nothing written ----------------------------


def test_missing_sheet(book: Book, tmp_path: Path) -> None:
    path = edited(tmp_path, lambda wb: wb.remove(wb["Pinjaman"]))
    lines = refused(book, path)
    assert lines[0].startswith('Pinjaman!1: lembar (sheet) "Pinjaman" tidak ada')


def test_missing_header(book: Book, tmp_path: Path) -> None:
    def rename(wb: Workbook) -> None:
        wb["Anggota"]["B1"] = "No KTP"

    lines = refused(book, edited(tmp_path, rename))
    assert any(line.startswith('Anggota!1: kolom "NIK" tidak ada') for line in lines)


def test_duplicate_member_number_and_nik(book: Book, tmp_path: Path) -> None:
    def duplicate(wb: Workbook) -> None:
        ws = wb["Anggota"]
        ws["A3"] = "0001"  # row 3 takes member 0001's number
        ws["B5"] = ws["B4"].value  # row 5 takes row 4's NIK

    lines = refused(book, edited(tmp_path, duplicate))
    assert "Anggota!3: No. Anggota 0001 dipakai dua kali (juga di baris 2)." in lines
    assert any(line.startswith("Anggota!5: NIK ") and "dua kali" in line for line in lines)


def test_invalid_nik(book: Book, tmp_path: Path) -> None:
    def invalid(wb: Workbook) -> None:
        wb["Anggota"]["B2"] = "9916131707816789"  # province 99 does not exist
        wb["Anggota"]["B3"] = "32161707"

    lines = refused(book, edited(tmp_path, invalid))
    assert any(line.startswith("Anggota!2:") and "provinsi" in line for line in lines)
    assert any(line.startswith("Anggota!3:") and "16 angka" in line for line in lines)


def test_nik_rounded_by_excel_is_refused_with_a_clear_message(book: Book, tmp_path: Path) -> None:
    def rounded(wb: Workbook) -> None:
        wb["Anggota"]["B2"] = 3.21613e15  # what Excel keeps of a NIK typed as a number
        wb["Anggota"]["B3"] = "3,21617E+15"  # the same, copied as displayed text
        wb["Anggota"]["B4"] = 3216065101898220  # 15 digits kept, the 16th zeroed by Excel

    lines = refused(book, edited(tmp_path, rounded))
    for row in (2, 3, 4):
        line = next(line for line in lines if line.startswith(f"Anggota!{row}:"))
        assert "15 angka" in line and "Teks" in line


def test_unknown_member_loan_and_account(book: Book, tmp_path: Path) -> None:
    def unknown(wb: Workbook) -> None:
        ws = wb["Transaksi"]
        ws["C2"] = "0099"
        row = find_row(wb, "Transaksi", Jenis="ANGSURAN")
        ws.cell(row, column(wb, "Transaksi", "No. Pinjaman"), "P-2099-0001")
        beban = find_row(wb, "Transaksi", Jenis="BEBAN")
        ws.cell(beban, column(wb, "Transaksi", "Kode Akun"), "5-999")
        wb["Pinjaman"]["B2"] = "0777"
        wb["Saldo Awal"]["B2"] = "9-999"

    lines = refused(book, edited(tmp_path, unknown))
    assert "Transaksi!2: No. Anggota 0099 tidak ada di lembar Anggota." in lines
    assert any("No. Pinjaman P-2099-0001 tidak ada di lembar Pinjaman." in line for line in lines)
    assert any("Kode Akun 5-999 tidak ada di bagan akun." in line for line in lines)
    assert "Pinjaman!2: No. Anggota 0777 tidak ada di lembar Anggota." in lines
    assert "Saldo Awal!2: Kode Akun 9-999 tidak ada di bagan akun." in lines


def test_transaction_before_the_member_joined(book: Book, tmp_path: Path) -> None:
    wb = load_workbook(EXAMPLE)
    row = find_row(wb, "Transaksi", Jenis="SETOR_POKOK")
    number = wb["Transaksi"].cell(row, 3).value

    def early(wb: Workbook) -> None:
        wb["Transaksi"].cell(row, 1).value = datetime(2025, 1, 1)

    lines = refused(book, edited(tmp_path, early))
    assert any(
        line.startswith(f"Transaksi!{row}: Tanggal 01/01/2025 sebelum")
        and f"({number})" in line
        and "menjadi anggota" in line
        for line in lines
    )


def test_withdrawal_beyond_the_balance_on_that_date(book: Book, tmp_path: Path) -> None:
    wb = load_workbook(EXAMPLE)
    row = find_row(wb, "Transaksi", Jenis="TARIK_SUKARELA")

    def greedy(wb: Workbook) -> None:
        wb["Transaksi"].cell(row, 6).value = 900_000_000

    lines = refused(book, edited(tmp_path, greedy))
    assert any(
        line.startswith(f"Transaksi!{row}: Saldo simpanan sukarela")
        and "penarikan Rp900.000.000 ditolak" in line
        for line in lines
    )


def test_unbalanced_saldo_awal(book: Book, tmp_path: Path) -> None:
    def off_by_one(wb: Workbook) -> None:
        ws = wb["Saldo Awal"]
        row = find_row(wb, "Saldo Awal", Kode_Akun="1-101")
        ws.cell(row, 4).value += 1

    lines = refused(book, edited(tmp_path, off_by_one))
    assert lines == [
        "Saldo Awal!1: saldo awal tidak seimbang: jumlah debit Rp132.169.888, jumlah kredit "
        "Rp132.169.887, selisih Rp1. Saldo awal harus sama dengan neraca terakhir yang disahkan."
    ]


def test_loans_not_equal_to_the_1131_row(book: Book, tmp_path: Path) -> None:
    def more_loans(wb: Workbook) -> None:  # still balanced: Cadangan grows with it
        ws = wb["Saldo Awal"]
        for code in ("1-131", "3-201"):
            row = find_row(wb, "Saldo Awal", Kode_Akun=code)
            ws.cell(row, 4).value += 1_000

    wb = load_workbook(EXAMPLE)
    row = find_row(wb, "Saldo Awal", Kode_Akun="1-131")
    lines = refused(book, edited(tmp_path, more_loans))
    assert lines == [
        f"Saldo Awal!{row}: 1-131 Pinjaman Anggota Rp38.970.887 tidak sama dengan sisa pokok 8 "
        "pinjaman yang cair sebelum 31/12/2024 (lembar Pinjaman): Rp38.969.887, selisih "
        "Rp1.000."
    ]


def test_every_problem_is_listed_at_once(book: Book, tmp_path: Path) -> None:
    def several(wb: Workbook) -> None:
        wb["Anggota"]["M2"] = "31/02/2020"  # no such date
        wb["Pinjaman"]["F3"] = "bulanan"
        wb["Transaksi"]["B4"] = "SETOR_APA"
        wb["Transaksi"]["F5"] = "Rp1.250.000,50"

    lines = refused(book, edited(tmp_path, several))
    heads = {line.split(":")[0] for line in lines}
    assert {"Anggota!2", "Pinjaman!3", "Transaksi!4", "Transaksi!5"} <= heads


def test_payment_beyond_what_is_owed(book: Book, tmp_path: Path) -> None:
    wb = load_workbook(EXAMPLE)
    row = find_row(wb, "Transaksi", Jenis="ANGSURAN")

    def too_much(wb: Workbook) -> None:
        wb["Transaksi"].cell(row, 6).value = 99_000_000

    lines = refused(book, edited(tmp_path, too_much))
    assert any(line.startswith(f"Transaksi!{row}: Pembayaran Rp99.000.000") for line in lines)


def test_a_file_that_is_not_xlsx(book: Book, tmp_path: Path) -> None:
    text = tmp_path / "anggota.xlsx"
    text.write_text("No. Anggota;NIK;Nama\n0001;3273056010900009;Siti\n", encoding="utf-8")
    with pytest.raises(DomainError, match="tidak dapat dibaca sebagai buku kerja Excel"):
        importer.read_workbook(text)
    with pytest.raises(DomainError, match="tidak ditemukan"):
        importer.read_workbook(tmp_path / "tidak-ada.xlsx")
    assert counts(book) == EMPTY


def test_ten_megabytes_of_garbage(tmp_path: Path) -> None:
    garbage = tmp_path / "sampah.xlsx"
    garbage.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(10 * 1024 * 1024)))
    with pytest.raises(DomainError) as caught:
        importer.read_workbook(garbage)
    assert "\n" not in str(caught.value)


def test_garbage_inside_a_real_zip(tmp_path: Path) -> None:
    import zipfile

    broken = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "<Types>bukan xml yang benar")
        z.writestr("xl/workbook.xml", b"\x00\x01\x02" * 1000)
    with pytest.raises(DomainError):
        importer.read_workbook(broken)


# -- the lean reader ---------------------------------------------------------------------------


def _values_by_openpyxl(path: Path) -> dict[str, dict[int, tuple[object, ...]]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        result = {}
        for ws in wb:
            rows = {}
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                values = list(row)
                while values and values[-1] is None:
                    values.pop()
                if values:
                    rows[number] = tuple(values)
            result[ws.title] = rows
        return result
    finally:
        wb.close()


def _values_by_reader(path: Path) -> dict[str, dict[int, tuple[object, ...]]]:
    with XlsxReader(path) as reader:
        result = {}
        for name in reader.sheetnames:
            rows = {}
            for number, values, _formats in reader.rows(name):
                while values and values[-1] is None:
                    values.pop()
                if values:
                    rows[number] = tuple(values)
            result[name] = rows
        return result


def test_the_lean_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    template = import_template.write_template(tmp_path / "template.xlsx")
    for path in (EXAMPLE, template):
        assert _values_by_reader(path) == _values_by_openpyxl(path)
    with XlsxReader(EXAMPLE) as reader:
        formats = {n: f for n, _v, f in reader.rows("Pinjaman", formats=True)}
    assert formats[2][2] == "DD/MM/YYYY"


# -- the template --------------------------------------------------------------------------------


def test_template_has_the_contract_layout(tmp_path: Path) -> None:
    path = import_template.write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Petunjuk"
    assert "Petunjuk pengisian" in str(wb["Petunjuk"]["A1"].value)
    contract = {
        "Anggota": "No. Anggota, NIK, Nama, Jenis Kelamin, Tempat Lahir, Tanggal Lahir, Alamat, "
        "RT, RW, Dusun, Pekerjaan, No. HP, Tanggal Masuk",
        "Saldo Awal": "Tanggal, Kode Akun, No. Anggota, Jumlah",
        "Pinjaman": "No. Pinjaman, No. Anggota, Tanggal Cair, Pokok, Bunga per Bulan (%), Metode, "
        "Tenor (Bulan), Provisi, Administrasi, Angsuran Terbayar",
        "Transaksi": "Tanggal, Jenis, No. Anggota, No. Pinjaman, Kode Akun, Jumlah, Keterangan",
    }
    for sheet, headers in contract.items():
        assert ", ".join(c.value for c in wb[sheet][1]) == headers
    lists = {
        (sheet, dv.formula1)
        for sheet in contract
        for dv in wb[sheet].data_validations.dataValidation
        if dv.type == "list"
    }
    assert ("Anggota", '"L,P"') in lists
    assert ("Pinjaman", '"flat,menurun,anuitas"') in lists
    assert ("Transaksi", '"' + ",".join(import_template.KINDS) + '"') in lists
    assert wb["Anggota"]["F2"].number_format == "DD/MM/YYYY"
    assert wb["Saldo Awal"]["D2"].number_format == "#,##0"
    assert wb["Anggota"]["B2"].number_format == "@"  # NIK as text: all 16 digits stay


def test_untouched_template_imports_nothing_and_an_edited_example_is_flagged(
    book: Book, tmp_path: Path
) -> None:
    path = import_template.write_template(tmp_path / "template.xlsx")
    parsed = importer.read_workbook(path)
    assert parsed.problems == () and parsed.members == () and parsed.transactions == ()
    wb = load_workbook(path)
    wb["Anggota"]["C2"] = "Nama Asli"
    wb.save(path)
    parsed = importer.read_workbook(path)
    assert [str(p).split(":")[0] for p in parsed.problems] == ["Anggota!2"]
    assert "baris contoh" in parsed.problems[0].message


def test_a_filled_template_imports(book: Book, tmp_path: Path) -> None:
    path = import_template.write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    wb["Anggota"].append(
        ["1", "3273056010900009", "Siti Aminah", "P", "Bandung", "20/10/1990", "Jl. Merdeka",
         "3", "7", "Sukamaju", "Pedagang", "0812-3456-7890", "02/01/2024"]
    )  # fmt: skip
    wb["Saldo Awal"].append(["31/12/2024", "3-101", "0001", "Rp50.000"])
    wb["Saldo Awal"].append(["31/12/2024", "1-101", None, 50_000])
    wb["Transaksi"].append(["06/01/2025", "SETOR_WAJIB", "0001", None, None, "20.000", None])
    wb.save(path)
    summary = import_file(book, path)
    assert summary.members == 1 and summary.reconciliation.ok
    with read_session(book.sessions) as s:
        member = s.scalar(select(Member))
        assert member is not None
        assert (member.number, member.rt, member.phone) == ("0001", "003", "+6281234567890")
        assert account_totals(s) == {"1-101": 70_000, "3-101": -50_000, "3-102": -20_000}


# -- property: never a crash, never a partial import --------------------------------------------

_CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(
        ["", "  ", "Rp1.250.000", "31/02/2025", "3,21613E+15", "KELUAR", "ANGSURAN", "0001",
         "P-2025-0001", "1-131", "menurun", "CONTOH", "-5", "1,5"]
    ),
)  # fmt: skip
_SHEETS = {"Anggota": (56, 13), "Saldo Awal": (114, 4), "Pinjaman": (30, 10), "Transaksi": (998, 7)}


@st.composite
def corruptions(draw: st.DrawFn) -> list[tuple[str, int, int, object]]:
    changes = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        sheet = draw(st.sampled_from(sorted(_SHEETS)))
        rows, cols = _SHEETS[sheet]
        row = draw(st.integers(min_value=1, max_value=rows + 2))
        col = draw(st.integers(min_value=1, max_value=cols + 1))
        changes.append((sheet, row, col, draw(_CELL_VALUES)))
    return changes


@pytest.fixture(scope="module")
def example_bytes() -> bytes:
    return EXAMPLE.read_bytes()


@pytest.fixture
def empty_book_file(book: Book, tmp_path: Path) -> Path:
    """A fresh book, closed, to be copied for every example."""
    path = book.path
    book.close()
    master = tmp_path / "kosong.sqlite"
    shutil.copyfile(path, master)
    return master


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=corruptions())
def test_broken_workbooks_never_crash_and_never_half_import(
    changes: list[tuple[str, int, int, object]],
    example_bytes: bytes,
    empty_book_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    work = tmp_path_factory.mktemp("prop")
    wb = load_workbook(io.BytesIO(example_bytes))
    for sheet, row, col, value in changes:
        wb[sheet].cell(row, col).value = value
    xlsx = work / "rusak.xlsx"
    wb.save(xlsx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl on a date serial out of range
        assert _values_by_reader(xlsx) == _values_by_openpyxl(xlsx)
    db = work / "buku.sqlite"
    shutil.copyfile(empty_book_file, db)
    book = open_book(db)
    try:
        parsed: ParsedWorkbook | None = None
        try:
            parsed = importer.read_workbook(xlsx)
            with unit_of_work(book.sessions) as s:
                summary = importer.import_workbook(s, parsed, by=USER)
        except DomainError as error:
            assert str(error)
            assert counts(book) == EMPTY
            if isinstance(error, ImportRefused):
                assert error.problems and all(str(p).count("!") >= 1 for p in error.problems)
        else:
            got = counts(book)
            assert got["member"] == summary.members
            assert got["journal_entry"] == summary.entries
            assert got["loan"] == len(summary.loans)
    finally:
        book.close()
