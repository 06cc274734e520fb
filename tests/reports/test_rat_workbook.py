"""The acceptance test of the RAT workbook and the Dinas workbook on the shared example.

`init`, `import ../shared/examples/import_example.xlsx`, then
`report rat --year 2025 --xlsx` (the command line in a subprocess, and the same
functions in-process): the workbook read back with openpyxl says every figure of
import_example_expected.json, by the CONTRACT.md sheet and column names.

The example year 2025 is open after the import; the closed year is the same book
after tutup buku (cash counted on 31/12 with its difference noted, the PPAP
proposal dismissed with a reason so that the SHU stays the expected one).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app import cli
from app.book import Book, open_book
from app.db import read_session, unit_of_work
from app.ledger.balances import balance
from app.reports import build_rat as build_rat_module
from app.reports.build_rat import RatBook, build_rat_book
from app.reports.xlsx.dinas_workbook import DATA_HEADERS, STATEMENT_SHEETS
from app.reports.xlsx.rat_workbook import CONTRACT_HEADERS, render_rat_workbook
from app.services import cash_count, closing
from tests.cli.test_cli import ROOT, lumbung
from tests.conftest import SHARED

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
EXPECTED: dict[str, Any] = json.loads(
    (SHARED / "examples" / "import_example_expected.json").read_text(encoding="utf-8")
)
NAME = "Koperasi Desa Merah Putih Lambangsari"
USER = "bendahara"
PRESENTATION = (
    "Neraca",
    "Hasil Usaha",
    "Perubahan Ekuitas",
    "Arus Kas",
    "Alokasi SHU",
    "Kolektibilitas",
)
COMPONENT_LABELS = {
    "Cadangan": "Cadangan",
    "Jasa Modal": "Jasa Modal",
    "Jasa Anggota": "Jasa Anggota",
    "Pengurus": "Dana Pengurus dan Pengawas",
    "Karyawan": "Dana Karyawan",
    "Pendidikan": "Dana Pendidikan",
    "Sosial": "Dana Sosial",
    "Pembangunan": "Dana Pembangunan Daerah Kerja",
}


# -- the book, imported through the command line once ---------------------------------------


@pytest.fixture(scope="module")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rat") / "buku.sqlite"
    result = lumbung("--db", path, "init", "--name", NAME, "--desa", "Lambangsari")
    assert result.returncode == 0, result.stderr
    result = lumbung("--db", path, "import", EXAMPLE)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def cli_workbook(example_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    out = tmp_path_factory.mktemp("out") / "rat_2025.xlsx"
    result = lumbung("--db", example_book, "report", "rat", "--year", "2025", "--xlsx", out)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "belum tutup buku" in result.stdout
    assert "Menyusun laporan 2025" in result.stderr  # progress on stderr
    return load_workbook(out)


def build(path: Path, year: int = 2025) -> RatBook:
    book = open_book(path)
    try:
        with read_session(book.sessions) as s:
            return build_rat_book(s, year)
    finally:
        book.close()


def read_back(data: RatBook) -> Workbook:
    return load_workbook(io.BytesIO(render_rat_workbook(data)))


@pytest.fixture(scope="module")
def function_workbook(example_book: Path) -> Workbook:
    return read_back(build(example_book))


@pytest.fixture(params=["cli", "functions"])
def workbook(request: pytest.FixtureRequest) -> Workbook:
    name = "cli_workbook" if request.param == "cli" else "function_workbook"
    wb: Workbook = request.getfixturevalue(name)
    return wb


def records(ws: Worksheet) -> list[dict[str, Any]]:
    headers = [c.value for c in ws[1]]
    return [
        dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


def by_caption(ws: Worksheet) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


# -- the CONTRACT.md sheets equal the expected figures -----------------------------------------


def test_sheets_and_headers_exactly_as_the_contract(workbook: Workbook) -> None:
    for name in PRESENTATION:
        assert name in workbook.sheetnames
    for name, headers in CONTRACT_HEADERS.items():
        ws = workbook[name]
        assert tuple(c.value for c in ws[1]) == headers, name
        assert ws.freeze_panes == "A2"
        assert int(ws.page_setup.paperSize) == 9  # A4
    assert CONTRACT_HEADERS["Neraca Saldo"] == ("Kode Akun", "Nama Akun", "Debit", "Kredit")
    assert CONTRACT_HEADERS["SHU Anggota"][-1] == "Jumlah SHU"


def test_neraca_saldo_equals_the_expected_trial_balance(workbook: Workbook) -> None:
    rows = records(workbook["Neraca Saldo"])
    got = {r["Kode Akun"]: r["Debit"] - r["Kredit"] for r in rows}
    assert len(got) == len(rows)  # one record per account, no totals row
    assert got == EXPECTED["trial_balance"]
    assert all(type(r["Debit"]) is int and type(r["Kredit"]) is int for r in rows)
    assert all(min(r["Debit"], r["Kredit"]) == 0 for r in rows)


def test_rekap_simpanan_equals_the_expected_savings(workbook: Workbook) -> None:
    rows = records(workbook["Rekap Simpanan"])
    got = {
        r["No. Anggota"]: {"pokok": r["Pokok"], "wajib": r["Wajib"], "sukarela": r["Sukarela"]}
        for r in rows
    }
    assert got == EXPECTED["rekap_simpanan"]
    assert all(r["Jumlah"] == r["Pokok"] + r["Wajib"] + r["Sukarela"] for r in rows)
    assert [r["No. Anggota"] for r in rows] == sorted(EXPECTED["rekap_simpanan"])


def test_rekap_pinjaman_equals_the_expected_loan_recap(workbook: Workbook) -> None:
    rows = records(workbook["Rekap Pinjaman"])
    got = {
        r["No. Pinjaman"]: {
            "no_anggota": r["No. Anggota"],
            "sisa_pokok": r["Sisa Pokok"],
            "tunggakan": r["Tunggakan"],
            "hari_tunggakan": r["Hari Tunggakan"],
            "kolektibilitas": r["Kolektibilitas"],
        }
        for r in rows
    }
    assert got == EXPECTED["rekap_pinjaman"]
    for r in rows:
        assert isinstance(r["Tanggal Cair"], datetime)
        assert r["Metode"] in ("flat", "menurun", "anuitas")
        assert type(r["Pokok"]) is int and r["Pokok"] >= r["Sisa Pokok"]
    ws = workbook["Rekap Pinjaman"]
    assert ws.cell(2, 4).number_format == "DD/MM/YYYY"
    assert ws.cell(2, 5).number_format == "#,##0"


def test_shu_anggota_equals_the_expected_shu_per_member(workbook: Workbook) -> None:
    rows = records(workbook["SHU Anggota"])
    got = {
        r["No. Anggota"]: {
            "simpanan": r["Simpanan"],
            "jasa_pinjaman": r["Jasa Pinjaman"],
            "jasa_modal": r["Jasa Modal"],
            "jasa_anggota": r["Jasa Anggota"],
            "jumlah_shu": r["Jumlah SHU"],
        }
        for r in rows
    }
    assert got == EXPECTED["shu_anggota"]
    pools = EXPECTED["shu_components"]
    assert sum(r["Jasa Modal"] for r in rows) == pools["Jasa Modal"]
    assert sum(r["Jasa Anggota"] for r in rows) == pools["Jasa Anggota"]


def test_alokasi_shu_equals_the_expected_components(workbook: Workbook) -> None:
    sheet = by_caption(workbook["Alokasi SHU"])
    assert sheet["SHU tahun berjalan"][2] == EXPECTED["shu"]
    for key, label in COMPONENT_LABELS.items():
        assert sheet[label][2] == EXPECTED["shu_components"][key], label
    assert sheet["Jumlah dibagi"][2] == EXPECTED["shu"]


def test_the_statements_tie_out_in_the_workbook(workbook: Workbook) -> None:
    neraca = by_caption(workbook["Neraca"])
    assert neraca["JUMLAH ASET"] == neraca["JUMLAH LIABILITAS DAN EKUITAS"]
    assert neraca["JUMLAH ASET"][0] == 94_908_249 + 137_338_755
    assert neraca["SHU Tahun Berjalan"][0] == EXPECTED["shu"]
    assert neraca["Kas"][0] == EXPECTED["trial_balance"]["1-101"]
    hasil = by_caption(workbook["Hasil Usaha"])
    assert hasil["SHU Tahun Berjalan"][0] == EXPECTED["shu"]
    assert hasil["Pendapatan Jasa Pinjaman"][0] == -EXPECTED["trial_balance"]["4-101"]
    arus = by_caption(workbook["Arus Kas"])
    assert arus["Kas dan setara kas akhir tahun"][0] == EXPECTED["trial_balance"]["1-101"]
    net = arus["Kenaikan (Penurunan) Bersih Kas dan Setara Kas"][0]
    assert arus["Kas dan setara kas awal tahun"][0] + net == EXPECTED["trial_balance"]["1-101"]
    ekuitas = workbook["Perubahan Ekuitas"]
    closing_row = by_caption(ekuitas)["Saldo 31 Desember 2025"]
    assert closing_row[-1] == neraca["Jumlah Ekuitas"][0]
    kolektibilitas = by_caption(workbook["Kolektibilitas"])
    assert kolektibilitas["Jumlah"][1] == EXPECTED["trial_balance"]["1-131"]
    assert "BELUM TUTUP BUKU" in workbook["Neraca"].cell(5, 1).value
    ws = workbook["Neraca"]
    assert ws.freeze_panes == "A8" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.oddFooter.center.text == "Halaman &P dari &N"


def test_the_builders_tie_out_on_the_example(example_book: Path) -> None:
    data = build(example_book)
    assert not data.closed
    assert data.statements.balance_sheet.balanced
    assert data.statements.cash_flow.reconciles
    assert [c.name for c in data.checks() if not c.ok] == []
    m = data.membership
    assert (m.start.total, m.joined.total, m.left.total, m.end.total) == (40, 15, 2, 53)
    assert len(data.savings.rows) == len(EXPECTED["rekap_simpanan"]) == 55


def test_the_workbook_equals_the_builders(example_book: Path, function_workbook: Workbook) -> None:
    data = build(example_book)
    bs = data.statements.balance_sheet
    neraca = by_caption(function_workbook["Neraca"])
    for section in bs.sections():
        for line in section.lines:
            assert neraca[line.caption] == (line.current, line.previous), line.caption
        assert neraca[section.total_caption] == (section.total.current, section.total.previous)
    hasil = by_caption(function_workbook["Hasil Usaha"])
    inc = data.statements.income_statement
    for line in (inc.gross_result, inc.operating_result, inc.before_tax, inc.shu):
        assert hasil[line.caption] == (line.current, line.previous)
    mutasi = records(function_workbook["Mutasi Simpanan"])
    assert [r["Sukarela Akhir"] for r in mutasi] == [r.sukarela.closing for r in data.savings.rows]


# -- closed and open year ---------------------------------------------------------------------


@pytest.fixture
def closed_copy(example_book: Path, tmp_path: Path, fixed_today: date) -> Iterator[Book]:
    target = tmp_path / "tutup.sqlite"
    shutil.copyfile(example_book, target)
    book = open_book(target)
    try:
        with unit_of_work(book.sessions) as s:
            cash = balance(s, "1-101", on=date(2025, 12, 31))
            counted = {100_000: cash // 100_000}
            cash_count.record_count(
                s, date(2025, 12, 31), counted, by=USER, note="Sisa receh disetor ke bank"
            )
            closing.dismiss_allowance(
                s, 2025, reason="PPAP dibukukan sesudah RAT (contoh impor)", by=USER
            )
        with unit_of_work(book.sessions) as s:
            closing.close_year(s, 2025, by=USER)
        yield book
    finally:
        book.close()


def test_a_closed_year_says_the_same(closed_copy: Book, example_book: Path) -> None:
    with read_session(closed_copy.sessions) as s:
        closed = build_rat_book(s, 2025)
    opened = build(example_book)
    assert closed.closed and not opened.closed and closed.status_mark == ""
    assert opened.status_mark == "belum tutup buku"
    for name in ("balance_sheet", "income_statement", "cash_flow", "equity_statement"):
        assert dataclasses.replace(getattr(opened.statements, name), closed=True) == getattr(
            closed.statements, name
        ), name
    assert closed.shu.closed and closed.shu.shu == EXPECTED["shu"]
    wb = read_back(closed)
    got = {r["Kode Akun"]: r["Debit"] - r["Kredit"] for r in records(wb["Neraca Saldo"])}
    assert got == EXPECTED["trial_balance"]  # before the closing entry
    shu_rows = {r["No. Anggota"]: r["Jumlah SHU"] for r in records(wb["SHU Anggota"])}
    assert shu_rows == {k: v["jumlah_shu"] for k, v in EXPECTED["shu_anggota"].items()}
    assert wb["Neraca"].cell(5, 1).value != "BELUM TUTUP BUKU: angka sementara, dapat berubah"
    assert not any(
        "BELUM TUTUP BUKU" in str(c.value) for row in wb["Neraca"].iter_rows() for c in row
    )


# -- the Dinas workbook ----------------------------------------------------------------------------


def test_report_dinas_writes_data_koperasi_and_the_statements(
    example_book: Path, tmp_path: Path
) -> None:
    result = lumbung("--db", example_book, "report", "dinas", "--year", "2025", "--xlsx", tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "Laporan_Tahunan_Koperasi_Desa_Merah_Putih_Lambangsari_2025.xlsx"
    assert str(out) in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Data_Koperasi", *STATEMENT_SHEETS]
    ws = wb["Data_Koperasi"]
    assert tuple(c.value for c in ws[1]) == DATA_HEADERS
    values = {r["Kode"]: r["Nilai"] for r in records(ws)}
    tb = EXPECTED["trial_balance"]
    assert values["nama"] == NAME and values["desa"] == "Lambangsari"
    assert values["tahun_buku"] == 2025
    assert (values["anggota_l"], values["anggota_p"], values["anggota_total"]) == (36, 17, 53)
    assert values["total_aset"] == tb["1-101"] + tb["1-131"]
    assert values["modal_luar"] == -tb["2-101"]
    assert values["modal_sendiri"] == -(tb["3-101"] + tb["3-102"] + tb["3-201"]) + EXPECTED["shu"]
    assert values["modal_sendiri"] + values["modal_luar"] == values["total_aset"]
    assert values["shu"] == EXPECTED["shu"]
    assert values["pinjaman_beredar"] == tb["1-131"]
    assert values["volume_usaha_pinjaman"] == values["pinjaman_disalurkan"] == 234_000_000
    income = -(tb["4-101"] + tb["4-102"] + tb["4-103"] + tb["4-901"])
    assert values["volume_usaha_pendapatan"] == income
    assert values["npl"] == 9.67
    for key in (
        "nomor_induk_koperasi",
        "badan_hukum_nomor",
        "nib",
        "npwp",
        "kecamatan",
        "kabupaten",
        "provinsi",
        "tanggal_rat",
        "pengurus",
        "pengawas",
        "manajer",
        "karyawan",
    ):
        assert key in values
    neraca = by_caption(wb["Neraca"])
    assert neraca["JUMLAH ASET"] == neraca["JUMLAH LIABILITAS DAN EKUITAS"]


def test_report_dinas_is_refused_when_a_check_fails(
    example_book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = build_rat_module.build_statements

    def unbalanced(*args: Any, **kwargs: Any) -> Any:
        st = real(*args, **kwargs)
        bs = st.balance_sheet
        cash = bs.current_assets.lines[0]
        lines = (
            dataclasses.replace(cash, current=cash.current + 1_000),
            *bs.current_assets.lines[1:],
        )
        bs = dataclasses.replace(
            bs, current_assets=dataclasses.replace(bs.current_assets, lines=lines)
        )
        return dataclasses.replace(st, balance_sheet=bs)

    monkeypatch.setattr(build_rat_module, "build_statements", unbalanced)
    out = tmp_path / "dinas.xlsx"
    args = cli.build_parser().parse_args(
        ["--db", str(example_book), "report", "dinas", "--year", "2025", "--xlsx", str(out)]
    )
    assert cli.run_command(args) == 2
    err = capsys.readouterr().err
    assert "Total aset = total liabilitas + ekuitas" in err and "selisih Rp1.000" in err
    assert "tidak disimpan" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


# -- the command line around it --------------------------------------------------------------------


def test_report_rat_pdf_refused_while_the_pdf_is_missing(
    example_book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Until reports/pdf/rat_book.py exists (simulated here), --pdf writes nothing, exit 2."""
    monkeypatch.setattr(cli, "_pdf_renderer", lambda: None)
    out, xlsx = tmp_path / "rat.pdf", tmp_path / "rat.xlsx"
    args = cli.build_parser().parse_args(
        [
            "--db",
            str(example_book),
            "report",
            "rat",
            "--year",
            "2025",
            "--pdf",
            str(out),
            "--xlsx",
            str(xlsx),
        ]
    )
    assert cli.run_command(args) == 2
    assert "belum tersedia" in capsys.readouterr().err
    assert not out.exists() and not xlsx.exists()


def test_report_rat_needs_an_output_and_a_past_year(example_book: Path) -> None:
    result = lumbung("--db", example_book, "report", "rat", "--year", "2025")
    assert result.returncode == 2 and "--xlsx" in result.stderr
    result = lumbung("--db", example_book, "report", "rat", "--year", "2999", "--xlsx", "x.xlsx")
    assert result.returncode == 2 and "Tahun buku 2999" in result.stderr
    assert not (ROOT / "x.xlsx").exists()


def test_report_subcommands_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["report", "rat", "--year", "2025", "--xlsx", "a.xlsx"])
    assert isinstance(args, argparse.Namespace)
    assert (args.command, args.report_kind, args.year, args.pdf) == ("report", "rat", 2025, None)
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["report", "dinas", "--year", "2025"])
    assert stopped.value.code == 2
