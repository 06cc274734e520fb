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

from app import __version__
from app.errors import DomainError

log = logging.getLogger(__name__)

# Logins come later; until then the command line acts as the treasurer.
CLI_USER = "bendahara"


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
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run one subcommand; returns the exit code (CONTRACT.md)."""
    handler = _COMMANDS[args.command]
    try:
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
        with unit_of_work(book.sessions) as session:
            result = close_year(
                session, args.year, by=CLI_USER, progress=_progress("Memeriksa rantai hash")
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
        kept = restore(args.src, target, by=CLI_USER)
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
            with unit_of_work(book.sessions) as session:
                summary = importer.import_workbook(
                    session, parsed, by=CLI_USER, progress=_progress("Mengimpor")
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


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _init,
    "demo": _demo,
    "check": _check,
    "template": _template,
    "import": _import,
    "backup": _backup,
    "restore": _restore,
    "close-year": _close_year,
}
