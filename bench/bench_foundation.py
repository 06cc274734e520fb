"""Foundation benchmark: prints figures, asserts nothing.

    python bench/bench_foundation.py                  # 5.000 members x 10 years
    python bench/bench_foundation.py --quick          # 500 members x 2 years
    python bench/bench_foundation.py --out big.sqlite --keep
    python bench/bench_foundation.py --out big.sqlite --skip-build

Each step runs in its own subprocess so that its peak RSS is its own:
(a) build the demo book, (b) start to a usable window (offscreen Qt),
(c) member search per keystroke, (d) one deposit with its commit,
(e) ``check_book`` over the whole book.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import RESULT, ROOT, emit, ms, run_child, thousands

_emit, _ms, _n = emit, ms, thousands


# -- steps (each runs in a child process) -------------------------------------------


def step_build(book: Path, members: int, years: int, seed: int) -> None:
    from app.services.demo import create_demo_book

    started = time.perf_counter()
    create_demo_book(book, members=members, years=years, seed=seed)
    elapsed = time.perf_counter() - started
    import sqlite3

    conn = sqlite3.connect(book)
    try:
        entries = conn.execute("SELECT count(*) FROM journal_entry").fetchone()[0]
        lines = conn.execute("SELECT count(*) FROM journal_line").fetchone()[0]
        counted = conn.execute("SELECT count(*) FROM member").fetchone()[0]
    finally:
        conn.close()
    _emit(
        seconds=round(elapsed, 2),
        entries=entries,
        lines=lines,
        members=counted,
        file_mb=round(book.stat().st_size / 1e6, 1),
    )


WINDOW_SNIPPET = r"""
import time
started = time.perf_counter()
import json, resource, sys
from pathlib import Path
from app.book import open_book
from app.ui.app import make_application
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
imported = time.perf_counter()
app = make_application()
book = open_book(Path(sys.argv[1]))
ctx = AppContext(book=book, user="bendahara")
window = MainWindow(ctx)
window.show()
for _ in range(5):
    app.processEvents()
shown = time.perf_counter()
print("BENCH-RESULT " + json.dumps({
    "imports_s": round(imported - started, 3),
    "open_and_show_s": round(shown - imported, 3),
    "in_process_s": round(shown - started, 3),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}), flush=True)
window.close()
book.close()
app.quit()
"""


def run_window(book: Path) -> dict[str, Any]:
    """Wall clock from spawning the interpreter to a shown window with its events processed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", WINDOW_SNIPPET, str(book)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    figures: dict[str, Any] = {}
    for line in proc.stdout:
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
            figures["wall_s"] = round(time.perf_counter() - started, 3)
            break
    _out, err = proc.communicate(timeout=120)
    if not figures:
        raise RuntimeError(f"window step failed:\n{err}")
    return figures


def step_search(book: Path) -> None:
    from sqlalchemy import func, select

    from app.book import open_book
    from app.db import read_session
    from app.models import Member
    from app.queries.members import count_members, search_members

    opened = open_book(book)
    try:
        with read_session(opened.sessions) as session:
            count = session.scalar(select(func.count(Member.id))) or 0
            name, number, nik = session.execute(
                select(Member.name, Member.number, Member.nik).where(Member.id == count * 2 // 3)
            ).one()
        targets = {"name": name, "number": number, "nik": nik}
        figures: dict[str, Any] = {}
        for kind, target in targets.items():
            searches: list[float] = []
            counts: list[float] = []
            for end in range(1, len(target) + 1):
                typed = target[:end]
                with read_session(opened.sessions) as session:
                    t0 = time.perf_counter()
                    search_members(session, typed)
                    t1 = time.perf_counter()
                    count_members(session, typed)
                    t2 = time.perf_counter()
                searches.append(t1 - t0)
                counts.append(t2 - t1)
            figures[kind] = {
                "typed": target,
                "keystrokes": len(searches),
                "search_median_ms": _ms(statistics.median(searches)),
                "search_max_ms": _ms(max(searches)),
                "count_median_ms": _ms(statistics.median(counts)),
                "count_max_ms": _ms(max(counts)),
            }
    finally:
        opened.close()
    _emit(**figures)


def step_deposit(book: Path, count: int = 50) -> None:
    import random

    from sqlalchemy import select

    from app import dates
    from app.book import open_book
    from app.db import read_session, unit_of_work
    from app.models import Member
    from app.services import savings

    opened = open_book(book)
    try:
        with read_session(opened.sessions) as session:
            active = list(session.scalars(select(Member.id).where(Member.status == "aktif")))
        picks = random.Random(7).sample(active, min(count, len(active)))
        today = dates.today()
        timings = []
        for member_id in picks:
            t0 = time.perf_counter()
            with unit_of_work(opened.sessions) as session:
                savings.deposit(
                    session, member_id, {savings.SUKARELA: 25_000}, on=today, by="bendahara"
                )
            timings.append(time.perf_counter() - t0)
    finally:
        opened.close()
    _emit(
        deposits=len(timings),
        median_ms=_ms(statistics.median(timings)),
        max_ms=_ms(max(timings)),
        first_ms=_ms(timings[0]),
    )


def step_check(book: Path) -> None:
    from app.book import open_book
    from app.db import read_session
    from app.ledger.check import check_book

    opened = open_book(book)
    try:
        t0 = time.perf_counter()
        with read_session(opened.sessions) as session:
            problems = check_book(session)
        elapsed = time.perf_counter() - t0
    finally:
        opened.close()
    _emit(seconds=round(elapsed, 2), problems=len(problems))


# -- the parent ----------------------------------------------------------------------------


def run_step(name: str, book: Path, *extra: str) -> dict[str, Any]:
    return run_child(__file__, "--step", name, "--out", str(book), *extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="500 members x 2 years")
    parser.add_argument("--out", type=Path, help="book file (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the book afterwards")
    parser.add_argument("--skip-build", action="store_true", help="use the existing --out book")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.members, args.years = 500, 2

    if args.step:
        sys.path.insert(0, str(ROOT))
        book = args.out
        if args.step == "build":
            step_build(book, args.members, args.years, args.seed)
        elif args.step == "search":
            step_search(book)
        elif args.step == "deposit":
            step_deposit(book)
        elif args.step == "check":
            step_check(book)
        else:
            parser.error(f"unknown step {args.step}")
        return 0

    temp: Path | None = None
    if args.out is None:
        temp = Path(tempfile.mkdtemp(prefix="lumbung-bench-"))
        book = temp / "bench.sqlite"
    else:
        book = args.out.expanduser().resolve()
        if book.exists() and not args.skip_build:
            parser.error(f"{book} exists; remove it or pass --skip-build")
    print(
        f"Lumbung foundation benchmark: {_n(args.members)} members x {args.years} years "
        f"(seed {args.seed}); Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"book {book}",
        flush=True,
    )
    try:
        if not args.skip_build:
            b = run_step(
                "build",
                book,
                *("--members", str(args.members), "--years", str(args.years)),
                *("--seed", str(args.seed)),
            )
            print(
                f"(a) build demo book: {b['seconds']} s, peak RSS {b['peak_rss_mb']} MB; "
                f"{_n(b['members'])} members, {_n(b['entries'])} entries, "
                f"{_n(b['lines'])} lines, file {b['file_mb']} MB "
                f"({_n(int(b['entries'] / b['seconds']))} entries/s)",
                flush=True,
            )
        w = run_window(book)
        print(
            f"(b) start to usable window: {w['wall_s']} s wall clock from spawning Python "
            f"(imports {w['imports_s']} s, open book + build + show {w['open_and_show_s']} s); "
            f"peak RSS {w['peak_rss_mb']} MB",
            flush=True,
        )
        s = run_step("search", book)
        print(f"(c) member search per keystroke (peak RSS {s['peak_rss_mb']} MB):", flush=True)
        for kind in ("name", "number", "nik"):
            f = s[kind]
            print(
                f"    {kind:6} {f['typed']!r:22} {f['keystrokes']:2} keystrokes: search_members "
                f"median {f['search_median_ms']} ms, max {f['search_max_ms']} ms; "
                f"count_members median {f['count_median_ms']} ms, max {f['count_max_ms']} ms",
                flush=True,
            )
        d = run_step("deposit", book)
        print(
            f"(d) one deposit incl. commit: median {d['median_ms']} ms, max {d['max_ms']} ms "
            f"over {d['deposits']} (first {d['first_ms']} ms); peak RSS {d['peak_rss_mb']} MB",
            flush=True,
        )
        c = run_step("check", book)
        print(
            f"(e) check_book: {c['seconds']} s, {c['problems']} problems; "
            f"peak RSS {c['peak_rss_mb']} MB",
            flush=True,
        )
        print("(f) peak RSS per step is shown on each line (separate processes).")
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            print(f"book kept at {book}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
