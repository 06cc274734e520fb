"""The command line (CONTRACT.md "Command line"): argparse subcommands that call services.

Exit codes: 0 success; 2 the input or the books were refused (one Indonesian
line on stderr says why); 1 a bug (the traceback goes to the log file).
Long commands print their progress on stderr; results go to stdout.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.errors import DomainError

if TYPE_CHECKING:
    from app.actor import Actor

log = logging.getLogger(__name__)

# The name in journals and the audit trail for a book without logins.
CLI_USER = "bendahara"
# Commands that run before a book exists (or without one): no login.
_NO_LOGIN = {"init", "demo", "template"}


def build_parser() -> argparse.ArgumentParser:
    from app.book import default_book_path

    parser = argparse.ArgumentParser(
        prog="lumbung",
        description=(
            "Lumbung: pembukuan koperasi desa. Tanpa perintah, jendela program dibuka; "
            "dengan perintah, perintah itu dijalankan di sini."
        ),
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=default_book_path(),
        metavar="PATH",
        help="file buku (bawaan: LUMBUNG_DB, atau lumbung.sqlite di folder data pengguna)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="buka jendela dengan buku demo (data karangan)"
    )
    parser.add_argument(
        "--user",
        default="",
        metavar="NAMA",
        help="nama pengguna, bila buku memakai login (kata sandi dari LUMBUNG_PASSWORD, "
        "atau diketik di terminal)",
    )
    parser.add_argument("--version", action="version", version=f"Lumbung {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH")

    init = commands.add_parser(
        "init", help="buat buku baru (bagan akun dan pengaturan bawaan)", description=None
    )
    init.add_argument("--name", required=True, help="nama koperasi")
    init.add_argument("--desa", default="", help="desa/kelurahan")
    init.add_argument("--kecamatan", default="", help="kecamatan")
    init.add_argument("--kabupaten", default="", help="kabupaten/kota")
    init.add_argument("--provinsi", default="", help="provinsi")

    demo = commands.add_parser("demo", help="buat buku demo berisi data karangan yang wajar")
    demo.add_argument("--members", type=int, default=60, metavar="N", help="jumlah anggota")
    demo.add_argument("--years", type=int, default=3, metavar="Y", help="lama buku, tahun")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="benih acak")

    commands.add_parser(
        "check",
        help="periksa keutuhan buku (SQLite, keseimbangan jurnal, rantai hash, saldo)",
    )

    close_year = commands.add_parser(
        "close-year",
        help="tutup buku satu tahun (ditolak bila ada pemeriksaan yang belum lolos)",
    )
    close_year.add_argument("--year", type=int, required=True, metavar="Y", help="tahun buku")

    backup = commands.add_parser(
        "backup",
        help="cadangkan buku (SQLite online backup, diperiksa sebelum cadangan lama dirotasi)",
    )
    backup.add_argument(
        "dest",
        nargs="?",
        type=Path,
        default=None,
        metavar="DEST",
        help="folder tujuan (bawaan: folder cadangan/ di samping buku)",
    )
    restore = commands.add_parser(
        "restore",
        help="pulihkan buku dari file cadangan (diperiksa dulu; buku sekarang disalin dulu)",
    )
    restore.add_argument("src", type=Path, metavar="SRC", help="file cadangan")

    template = commands.add_parser(
        "template", help="tulis buku kerja Excel kosong untuk impor, dengan petunjuknya"
    )
    template.add_argument("out", type=Path, metavar="OUT.xlsx", help="file yang ditulis")

    import_ = commands.add_parser(
        "import", help="impor anggota, saldo awal, pinjaman dan transaksi dari Excel (utuh)"
    )
    import_.add_argument("file", type=Path, metavar="FILE.xlsx", help="buku kerja impor")
    import_.add_argument(
        "--dry-run", action="store_true", help="periksa dan tampilkan ringkasan tanpa menyimpan"
    )
    _add_report_parser(commands)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run one subcommand; returns the exit code (CONTRACT.md)."""
    handler = _COMMANDS[args.command]
    try:
        args.actor = None if args.command in _NO_LOGIN else _login(args)
        return handler(args)
    except DomainError as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`lumbung check | head`): not a bug, nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:
        from app.logs import setup_logging

        path = setup_logging()
        log.exception("Kesalahan program pada perintah %s", args.command)
        print(f"Kesalahan program; lihat log di {path}", file=sys.stderr)
        return 1


# -- login ---------------------------------------------------------------------------


def _login(args: argparse.Namespace) -> Actor | None:
    """The actor for a book with logins (``--user`` and its password); None without logins.

    Every command on such a book needs a valid login; the services then allow or
    refuse by its role (a pengawas may check, back up and print, never write).
    """
    import getpass

    from sqlalchemy.exc import DatabaseError

    from app.actor import book_has_users
    from app.book import is_book
    from app.db import make_engine, make_sessions, read_session
    from app.errors import NotAllowed
    from app.services import auth

    path = Path(args.db).expanduser().resolve()
    if not is_book(path):
        return None  # the command itself says that the book is missing
    engine = make_engine(path)
    try:
        sessions = make_sessions(engine)
        try:
            with read_session(sessions) as session:
                needed = book_has_users(session)
        except DatabaseError:
            return None  # not a Lumbung book: the command refuses it with its own message
        if not needed:
            return None
        if not args.user:
            raise NotAllowed(
                "Buku ini memakai login: jalankan dengan --user NAMA (kata sandi dari "
                "LUMBUNG_PASSWORD, atau diketik bila di terminal)."
            )
        password = os.environ.get("LUMBUNG_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise NotAllowed(
                    f"Kata sandi untuk {args.user} tidak diberikan: isi LUMBUNG_PASSWORD atau "
                    "jalankan perintah di terminal."
                )
            password = getpass.getpass(f"Kata sandi {args.user}: ")
        return auth.authenticate(sessions, args.user, password)
    finally:
        engine.dispose()


def _by(args: argparse.Namespace) -> str:
    actor: Actor | None = getattr(args, "actor", None)
    return actor.username if actor is not None else CLI_USER


# -- progress on stderr --------------------------------------------------------


def _progress(what: str) -> Callable[[int, int], None]:
    """Print "what: 40%" on stderr at most every half second (and at the end)."""
    last = [0.0, -1]

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        now = time.monotonic()
        if percent == last[1] or (now - last[0] < 0.5 and done < total):
            return
        last[0], last[1] = now, percent
        print(f"{what}: {percent}% ({done}/{total})", file=sys.stderr, flush=True)

    return report


# -- commands --------------------------------------------------------------------


def _init(args: argparse.Namespace) -> int:
    from app.book import create_book
    from app.services.settings import Profile

    profile = Profile(
        name=args.name,
        desa=args.desa,
        kecamatan=args.kecamatan,
        kabupaten=args.kabupaten,
        provinsi=args.provinsi,
    )
    book = create_book(args.db, profile, by=CLI_USER)
    path = book.path
    book.close()
    print(f"Buku baru dibuat: {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from app.services.demo import create_demo_book

    started = time.monotonic()
    create_demo_book(
        args.db,
        members=args.members,
        years=args.years,
        seed=args.seed,
        progress=_progress("Membuat buku demo"),
    )
    print(
        f"Buku demo dibuat: {Path(args.db).expanduser().resolve()} "
        f"({args.members} anggota, {args.years} tahun, seed {args.seed}; "
        f"{time.monotonic() - started:.0f} detik)"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from app.book import open_book
    from app.db import read_session
    from app.ledger.check import check_book

    book = open_book(args.db)
    try:
        with read_session(book.sessions) as session:
            problems = check_book(session, progress=_progress("Memeriksa rantai hash"))
    finally:
        book.close()
    for problem in problems:
        print(problem)
    if problems:
        print(f"Pemeriksaan selesai: {len(problems)} masalah ditemukan di {book.path}.")
        return 2
    print(f"Pemeriksaan selesai: buku {book.path} utuh, tidak ada masalah.")
    return 0


def _close_year(args: argparse.Namespace) -> int:
    from app.book import open_book
    from app.db import unit_of_work
    from app.money import format_rupiah
    from app.services.closing import ClosingRefused, close_year

    book = open_book(args.db)
    try:
        with unit_of_work(book.sessions, actor=args.actor) as session:
            result = close_year(
                session, args.year, by=_by(args), progress=_progress("Memeriksa rantai hash")
            )
    except ClosingRefused as refused:
        print(
            f"Tutup buku tahun {refused.year} ditolak; pemeriksaan yang belum lolos:",
            file=sys.stderr,
        )
        for check in refused.failed:
            print(f"- {check.name}: {check.detail}", file=sys.stderr)
        return 2
    finally:
        book.close()
    number = result.entry.number if result.entry is not None else "tanpa jurnal penutup"
    print(f"Tahun buku {result.year} ditutup ({number}).")
    print(f"SHU tahun {result.year}: {format_rupiah(result.shu)}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from app.services.backup import default_backup_dir, make_backup

    dest = args.dest if args.dest is not None else default_backup_dir(args.db)
    path = make_backup(args.db, dest, kind="manual", progress=_progress("Mencadangkan"))
    print(f"Cadangan dibuat dan diperiksa: {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app.booklock import BookLock
    from app.services.backup import restore

    target = Path(args.db).expanduser().resolve()
    lock = BookLock(target)
    lock.acquire()  # refuses while the book is open in another Lumbung
    try:
        kept = restore(args.src, target, by=_by(args), actor=args.actor)
    finally:
        lock.release()
    print(f"Buku {target} dipulihkan dari {Path(args.src).expanduser().resolve()}.")
    if kept is not None:
        print(f"Salinan buku sebelum dipulihkan: {kept}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from app.services.import_template import write_template

    print(f"Template impor ditulis: {write_template(args.out)}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.book import open_book
    from app.db import read_session, unit_of_work
    from app.services import importer

    parsed = importer.read_workbook(args.file, progress=_progress("Membaca file"))
    summary: importer.ImportSummary | None
    problems: tuple[importer.Problem, ...] = ()
    book = open_book(args.db)
    try:
        if args.dry_run:
            with read_session(book.sessions) as session:
                preview = importer.preview(session, parsed, progress=_progress("Memeriksa"))
            summary, problems = preview.summary, preview.problems
        else:
            with unit_of_work(book.sessions, actor=args.actor) as session:
                summary = importer.import_workbook(
                    session, parsed, by=_by(args), progress=_progress("Mengimpor")
                )
    except importer.ImportRefused as refused:
        summary, problems = None, refused.problems
    finally:
        book.close()
    if summary is not None:
        for line in summary.lines():
            print(line)
    if problems:
        print(
            f"Impor {parsed.source} ditolak: {len(problems)} masalah; tidak ada yang disimpan.",
            file=sys.stderr,
        )
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    return 0


# -- report (CONTRACT.md: `report rat`, `report dinas`) ------------------------------


def _add_report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="laporan tahunan: buku RAT (PDF/Excel) dan laporan untuk Dinas Koperasi"
    )
    kinds = report.add_subparsers(dest="report_kind", metavar="JENIS", required=True)
    rat = kinds.add_parser("rat", help="buku Rapat Anggota Tahunan (PDF dan/atau Excel)")
    rat.add_argument("--year", type=int, required=True, metavar="Y", help="tahun buku")
    rat.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="tulis buku RAT sebagai PDF")
    rat.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="tulis buku kerja RAT Excel")
    dinas = kinds.add_parser(
        "dinas", help="buku kerja laporan tahunan untuk Dinas Koperasi (Data_Koperasi dan laporan)"
    )
    dinas.add_argument("--year", type=int, required=True, metavar="Y", help="tahun buku")
    dinas.add_argument(
        "--xlsx",
        type=Path,
        required=True,
        metavar="OUT.xlsx",
        help="file yang ditulis (atau folder: Laporan_Tahunan_<Koperasi>_<Tahun>.xlsx di sana)",
    )


def _write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` whole or not at all (a temporary file beside it, then a rename)."""
    target = Path(path).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.sebagian")
    partial.write_bytes(data)
    os.replace(partial, target)
    return target


def _pdf_renderer() -> Callable[[Any], bytes] | None:
    """``reports.pdf.rat_book.render_rat_book`` once that module exists, else None."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("app.reports.pdf.rat_book") is None:
        return None
    module = importlib.import_module("app.reports.pdf.rat_book")
    renderer: Callable[[Any], bytes] | None = getattr(module, "render_rat_book", None)
    return renderer


def _report(args: argparse.Namespace) -> int:
    from app.errors import ValidationError
    from app.gc_pause import gc_paused

    render_pdf = None
    if args.report_kind == "rat":
        if args.pdf is None and args.xlsx is None:
            raise ValidationError("Sebutkan --pdf OUT.pdf dan/atau --xlsx OUT.xlsx.")
        if args.pdf is not None:
            render_pdf = _pdf_renderer()
            if render_pdf is None:
                print(
                    "Buku RAT dalam PDF belum tersedia di versi ini; tidak ada yang ditulis. "
                    "Buat buku kerja Excel dengan --xlsx OUT.xlsx.",
                    file=sys.stderr,
                )
                return 2

    def progress(what: str) -> None:
        print(f"Menyusun laporan {args.year}: {what}", file=sys.stderr, flush=True)

    with gc_paused():  # millions of short-lived rows and cells: see app.gc_pause
        return _report_written(args, render_pdf, progress)


def _report_written(
    args: argparse.Namespace,
    render_pdf: Callable[[Any], bytes] | None,
    progress: Callable[[str], None],
) -> int:
    from app.book import open_book
    from app.db import read_session

    book = open_book(args.db)
    try:
        with read_session(book.sessions) as session:
            from app.reports.build_rat import build_rat_book

            charts = args.report_kind == "rat" and args.pdf is not None
            data = build_rat_book(session, args.year, progress=progress, charts=charts)
    finally:
        book.close()
    if args.report_kind == "dinas":
        from app.reports.build_dinas import dinas_report
        from app.reports.xlsx.dinas_workbook import render_dinas_workbook

        report = dinas_report(data)
        progress("buku kerja Dinas Koperasi (diperiksa dulu)")
        content = render_dinas_workbook(report)  # refuses when a check fails
        out = Path(args.xlsx).expanduser()
        if out.is_dir():
            out = out / report.filename
        print(f"Laporan tahunan Dinas Koperasi {args.year} ditulis: {_write_file(out, content)}")
        return 0
    outputs: list[tuple[Path, bytes]] = []
    if args.xlsx is not None:
        from app.reports.xlsx.rat_workbook import render_rat_workbook

        progress("buku kerja Excel")
        outputs.append((args.xlsx, render_rat_workbook(data)))
    if render_pdf is not None:
        progress("PDF")
        outputs.append((args.pdf, render_pdf(data)))
    mark = "" if data.closed else " (belum tutup buku)"
    for path, content in outputs:
        print(f"Buku RAT tahun buku {args.year}{mark} ditulis: {_write_file(path, content)}")
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _init,
    "demo": _demo,
    "check": _check,
    "template": _template,
    "import": _import,
    "backup": _backup,
    "restore": _restore,
    "close-year": _close_year,
    "report": _report,
}
