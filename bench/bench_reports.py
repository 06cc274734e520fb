"""RAT book benchmark (PDF and workbook): prints figures, asserts nothing.

    python bench/bench_reports.py --book big.sqlite --year 2025
    python bench/bench_reports.py --members 5000 --years 10   # builds a demo book first

Each step runs in its own subprocess so that its peak RSS is its own:
(a) the builders (``reports.build_rat.build_rat_book``: every query),
(b) the RAT workbook (builders without the PDF's charts + ``render_rat_workbook``),
(c) the RAT book PDF (builders + ``render_rat_book``), with its page count,
(d) a bare openpyxl script that writes the same tables (same sheets, rows and
number formats) from ready-made lists, and
(e) a bare reportlab script that typesets the PDF's long tables (savings,
loans, SHU per member, member list, trial balance) from ready-made lists of
strings on A4 with repeated headers, in one pass.
``--repeat N`` runs (b) to (e) N times, interleaved, and prints the median ratio
and the ratio of the best times: on a busy machine one run's ratio can be off by
a few tenths. ``--gc on|off`` (default off) sets automatic garbage collection in
every step alike: the window and ``lumbung report`` run reports without it
(app/ui/gc_guard.py, app/gc_pause.py), which takes a quarter off both sides.
Lumbung's steps are timed from an open book with the program's
modules imported (as the window runs a report); the bare scripts are timed
from their lists, their library imported.
(d) and (e) are the yardstick of issue 5: Lumbung's whole time, queries
included, should stay within 1,5x of them.
"""

from __future__ import annotations

import argparse
import gc
import io
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from _common import emit as _emit  # noqa: E402 - beside this script
from _common import run_child  # noqa: E402


def _open(book_path: Path) -> Any:
    from app.book import open_book

    return open_book(book_path, lock=False)


def _build(book: Any, year: int, *, charts: bool = True) -> Any:
    """Every query of the RAT book, in one read session on an open book (as the
    window runs it: the book is open before anybody asks for a report)."""
    from app.db import read_session
    from app.reports.build_rat import build_rat_book

    with read_session(book.sessions) as session:
        return build_rat_book(session, year, charts=charts)


def step_builders(book_path: Path, year: int) -> None:
    _import_builders()
    book = _open(book_path)
    started = time.perf_counter()
    data = _build(book, year)
    _emit(
        step="builders",
        seconds=round(time.perf_counter() - started, 2),
        members=data.membership.end.total,
        loans=len(data.loans.rows),
    )


def _import_builders() -> None:
    """Import what ``_build`` uses before the clock starts: the window has it loaded,
    and the bare scripts import their library untimed too."""
    import app.book
    import app.db
    import app.reports.build_rat  # noqa: F401


def step_workbook(book_path: Path, year: int, dump: Path) -> None:
    from app.reports.xlsx.rat_workbook import render_rat_workbook

    _import_builders()
    book = _open(book_path)
    started = time.perf_counter()
    data = _build(book, year, charts=False)  # as the window and the CLI build it for Excel
    built = time.perf_counter()
    content = render_rat_workbook(data)
    done = time.perf_counter()
    dump.write_bytes(pickle.dumps(data))
    _emit(
        step="workbook",
        seconds=round(done - started, 2),
        render_seconds=round(done - built, 2),
        bytes=len(content),
        sheets=14,
    )


def _tables(data: Any) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The workbook's record sheets as plain lists (what a bare script would be handed)."""
    from app.reports.xlsx.rat_workbook import record_tables

    return [(t.name, list(t.headers), [list(r) for r in t.rows]) for t in record_tables(data)]


def step_bare(dump: Path) -> None:
    from datetime import date

    from openpyxl import Workbook

    tables = _tables(pickle.loads(dump.read_bytes()))
    started = time.perf_counter()
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in tables:
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    _emit(step="bare", seconds=round(time.perf_counter() - started, 2), bytes=len(out.getvalue()))


def step_pdf(book_path: Path, year: int) -> None:
    import pypdfium2 as pdfium

    from app.reports.pdf.rat_book import render_rat_book

    _import_builders()
    book = _open(book_path)
    started = time.perf_counter()
    data = _build(book, year)
    built = time.perf_counter()
    content = render_rat_book(data)
    done = time.perf_counter()
    document = pdfium.PdfDocument(content)
    pages = len(document)
    document.close()
    _emit(
        step="pdf",
        seconds=round(done - started, 2),
        render_seconds=round(done - built, 2),
        bytes=len(content),
        pages=pages,
    )


def _text(value: Any) -> str:
    from datetime import date

    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def step_bare_pdf(dump: Path) -> None:
    import pypdfium2 as pdfium
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    tables = {
        name: (headers, rows) for name, headers, rows in _tables(pickle.loads(dump.read_bytes()))
    }
    wanted = ["Mutasi Simpanan", "Mutasi Pinjaman", "SHU Anggota", "Daftar Anggota", "Neraca Saldo"]
    # Plain strings, as a script would hand them to reportlab (the member list without NIK,
    # birth and phone columns, as the book prints it).
    started = time.perf_counter()
    text_tables = []
    for name in wanted:
        headers, rows = tables[name]
        if name == "Daftar Anggota":
            keep = (0, 2, 3, 6, 10, 12, 13, 16)
            headers = [headers[i] for i in keep]
            rows = [[r[i] for i in keep] for r in rows]
        text_tables.append([headers, *([_text(v) for v in row] for row in rows)])
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 6.5),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        ]
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    story: list[Any] = []
    for rows in text_tables:
        width = (doc.width) / len(rows[0])
        story += [
            Table(
                rows,
                colWidths=[width] * len(rows[0]),
                repeatRows=1,
                style=style,
            ),
            PageBreak(),
        ]
    doc.build(story)
    seconds = time.perf_counter() - started
    document = pdfium.PdfDocument(out.getvalue())
    pages = len(document)
    document.close()
    _emit(step="bare_pdf", seconds=round(seconds, 2), bytes=len(out.getvalue()), pages=pages)


_GC = {"mode": "off"}  # the parent's --gc, handed to every step


def _run(*args: str) -> dict[str, Any]:
    return run_child(__file__, *args, "--gc", _GC["mode"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--book", type=Path)
    parser.add_argument("--year", type=int)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--step", choices=("builders", "workbook", "pdf", "bare", "bare_pdf"))
    parser.add_argument("--dump", type=Path)
    parser.add_argument(
        "--gc",
        choices=("off", "on"),
        default="off",
        help="automatic garbage collection in every step, Lumbung's and the bare scripts' "
        "alike: off as in the window (app/ui/gc_guard.py) and `report` (app/gc_pause.py), "
        "or on as in a plain Python script",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each rendering and its bare script this many times, interleaved "
        "(the ratios of a busy machine vary; the median is printed)",
    )
    args = parser.parse_args()
    _GC["mode"] = args.gc
    if args.step is not None and args.gc == "off":
        gc.disable()  # before the clock, on both sides alike
    if args.step == "builders":
        return step_builders(args.book, args.year)
    if args.step == "workbook":
        return step_workbook(args.book, args.year, args.dump)
    if args.step == "pdf":
        return step_pdf(args.book, args.year)
    if args.step == "bare":
        return step_bare(args.dump)
    if args.step == "bare_pdf":
        return step_bare_pdf(args.dump)
    with tempfile.TemporaryDirectory() as tmp:
        book = args.book
        if book is None:
            book = Path(tmp) / "demo.sqlite"
            subprocess.run(
                [
                    sys.executable,
                    "main.py",
                    "--db",
                    str(book),
                    "demo",
                    "--members",
                    str(args.members),
                    "--years",
                    str(args.years),
                ],
                cwd=ROOT,
                check=True,
            )
        year = args.year or time.localtime().tm_year - 1
        dump = Path(tmp) / "rat.pickle"
        builders = _run("--step", "builders", "--book", str(book), "--year", str(year))
        print(builders)
        runs: list[tuple[dict[str, Any], ...]] = []
        for _ in range(max(args.repeat, 1)):
            run = (
                _run(
                    "--step",
                    "workbook",
                    "--book",
                    str(book),
                    "--year",
                    str(year),
                    "--dump",
                    str(dump),
                ),
                _run("--step", "bare", "--dump", str(dump)),
                _run("--step", "pdf", "--book", str(book), "--year", str(year)),
                _run("--step", "bare_pdf", "--dump", str(dump)),
            )
            for figure in run:
                print(figure)
            runs.append(run)
    print(
        f"RAT book {year}: builders (every query) {builders['seconds']} s; "
        f"automatic garbage collection {args.gc} in every step"
    )
    for workbook, bare, pdf, bare_pdf in runs:
        print(
            f"  workbook: {workbook['seconds']} s in all "
            f"(rendering {workbook['render_seconds']} s), peak {workbook['peak_rss_mb']} MB; "
            f"bare openpyxl {bare['seconds']} s: "
            f"ratio {workbook['seconds'] / bare['seconds']:.2f}"
        )
        print(
            f"  PDF: {pdf['seconds']} s in all (rendering {pdf['render_seconds']} s), "
            f"{pdf['pages']} pages, peak {pdf['peak_rss_mb']} MB; bare reportlab "
            f"{bare_pdf['seconds']} s ({bare_pdf['pages']} pages): "
            f"ratio {pdf['seconds'] / bare_pdf['seconds']:.2f}"
        )
    if len(runs) > 1:
        workbook_ratios = [w["seconds"] / b["seconds"] for w, b, _, _ in runs]
        pdf_ratios = [p["seconds"] / b["seconds"] for _, _, p, b in runs]
        workbook_median = statistics.median(workbook_ratios)
        pdf_median = statistics.median(pdf_ratios)
        print(
            f"  median of {len(runs)} runs: workbook ratio {workbook_median:.2f}, "
            f"PDF ratio {pdf_median:.2f}"
        )

        def best(column: int) -> float:
            return float(min(run[column]["seconds"] for run in runs))

        print(
            f"  best of {len(runs)} runs: workbook {best(0)} s / bare {best(1)} s = "
            f"{best(0) / best(1):.2f}, PDF {best(2)} s / bare {best(3)} s = "
            f"{best(2) / best(3):.2f}"
        )


if __name__ == "__main__":
    main()
