"""Loans benchmark: prints figures, asserts nothing.

    python bench/bench_loans.py                       # 5.000 members x 10 years
    python bench/bench_loans.py --quick               # 500 members x 2 years
    python bench/bench_loans.py --out big.sqlite --keep
    python bench/bench_loans.py --book big.sqlite     # reuse a demo book, no build

Each step runs in its own subprocess so that its peak RSS is its own. Wall clock
and, where the machine may be shared, the process CPU time are both shown:
(a) the list of every loan with outstanding principal and kolektibilitas on a
date (``queries.loans.portfolio`` + ``summarize``), today and on the last
31 December, (b) opening a loan's detail (``queries.loans.loan_detail``),
(c) one repayment posted with its commit (``services.loans.repay`` in a unit of
work), (d) building the demo book with its loans.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from _common import ROOT, emit, ms, run_child, thousands

_emit, _ms, _n = emit, ms, thousands


# -- steps (each runs in a child process) -------------------------------------------


def step_build(book: Path, members: int, years: int, seed: int) -> None:
    from app.services.demo import create_demo_book

    started, cpu = time.perf_counter(), time.process_time()
    create_demo_book(book, members=members, years=years, seed=seed)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    import sqlite3

    conn = sqlite3.connect(book)
    try:
        entries = conn.execute("SELECT count(*) FROM journal_entry").fetchone()[0]
        loans = conn.execute("SELECT count(*) FROM loan").fetchone()[0]
        installments = conn.execute("SELECT count(*) FROM loan_installment").fetchone()[0]
        by_status = dict(conn.execute("SELECT status, count(*) FROM loan GROUP BY status"))
        by_method = dict(conn.execute("SELECT method, count(*) FROM loan GROUP BY method"))
        counted = conn.execute("SELECT count(*) FROM member").fetchone()[0]
    finally:
        conn.close()
    _emit(
        seconds=round(elapsed, 2),
        cpu_seconds=round(cpu, 2),
        entries=entries,
        loans=loans,
        installments=installments,
        by_status=by_status,
        by_method=by_method,
        members=counted,
        file_mb=round(book.stat().st_size / 1e6, 1),
    )


def _portfolio_on(book: Path, on: date, runs: int = 5) -> dict[str, Any]:
    from app.book import open_book
    from app.db import read_session
    from app.queries import loans as loan_queries

    opened = open_book(book)
    try:
        timings, cpu = [], []
        for _ in range(runs):
            with read_session(opened.sessions) as session:
                t0, c0 = time.perf_counter(), time.process_time()
                rows = loan_queries.portfolio(session, on)
                summary = loan_queries.summarize(session, rows)
                timings.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
    finally:
        opened.close()
    return {
        "on": on.isoformat(),
        "loans": len(rows),
        "running": summary.loans,
        "classes": {c.klass: c.loans for c in summary.classes},
        "npl_pct": round(float(summary.npl_ratio) * 100, 2),
        "first_ms": _ms(timings[0]),
        "median_ms": _ms(statistics.median(timings)),
        "max_ms": _ms(max(timings)),
        "cpu_median_ms": _ms(statistics.median(cpu)),
    }


def step_portfolio(book: Path) -> None:
    from app import dates

    today = dates.today()
    _emit(
        today=_portfolio_on(book, today),
        year_end=_portfolio_on(book, date(today.year - 1, 12, 31)),
    )


def _sample_loans(book: Path, count: int, statuses: tuple[str, ...]) -> list[int]:
    import random

    from sqlalchemy import select

    from app.book import open_book
    from app.db import read_session
    from app.models import Loan

    opened = open_book(book)
    try:
        with read_session(opened.sessions) as session:
            ids = list(session.scalars(select(Loan.id).where(Loan.status.in_(statuses))))
    finally:
        opened.close()
    return random.Random(7).sample(ids, min(count, len(ids)))


def step_detail(book: Path, count: int = 40) -> None:
    from app import dates
    from app.book import open_book
    from app.db import read_session
    from app.queries import loans as loan_queries

    picks = _sample_loans(book, count, ("dicairkan", "lunas", "dihapusbukukan"))
    today = dates.today()
    opened = open_book(book)
    try:
        timings = []
        for loan_id in picks:
            with read_session(opened.sessions) as session:
                t0 = time.perf_counter()
                loan_queries.loan_detail(session, loan_id, today)
                timings.append(time.perf_counter() - t0)
    finally:
        opened.close()
    _emit(
        opened=len(timings),
        first_ms=_ms(timings[0]),
        median_ms=_ms(statistics.median(timings)),
        max_ms=_ms(max(timings)),
    )


def step_repay(book: Path, count: int = 40) -> None:
    from app import dates
    from app.book import open_book
    from app.db import read_session, unit_of_work
    from app.services import loans

    picks = _sample_loans(book, count, ("dicairkan",))
    today = dates.today()
    opened = open_book(book)
    try:
        timings = []
        for loan_id in picks:
            with read_session(opened.sessions) as session:
                states = loans.installment_states(session, loans.get_loan(session, loan_id))
                amount = next(s.unpaid for s in states if not s.is_paid)
            t0 = time.perf_counter()
            with unit_of_work(opened.sessions) as session:
                loans.repay(session, loan_id, amount, on=today, by="bendahara")
            timings.append(time.perf_counter() - t0)
    finally:
        opened.close()
    _emit(
        repayments=len(timings),
        first_ms=_ms(timings[0]),
        median_ms=_ms(statistics.median(timings)),
        max_ms=_ms(max(timings)),
    )


# -- the parent ----------------------------------------------------------------------------


def run_step(name: str, book: Path, *extra: str) -> dict[str, Any]:
    return run_child(__file__, "--step", name, "--out", str(book), *extra)


def _portfolio_line(label: str, f: dict[str, Any]) -> str:
    classes = ", ".join(f"{k} {_n(v)}" for k, v in f["classes"].items())
    return (
        f"    {label} {f['on']}: first {f['first_ms']} ms, median {f['median_ms']} ms, "
        f"max {f['max_ms']} ms (CPU median {f['cpu_median_ms']} ms); "
        f"{_n(f['loans'])} loans listed, {_n(f['running'])} with "
        f"principal left ({classes}; NPL {f['npl_pct']}%)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="500 members x 2 years")
    parser.add_argument("--out", type=Path, help="book file to build (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the built book afterwards")
    parser.add_argument("--book", type=Path, help="reuse this demo book: no build")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.members, args.years = 500, 2

    if args.step:
        sys.path.insert(0, str(ROOT))
        book = args.out
        if args.step == "build":
            step_build(book, args.members, args.years, args.seed)
        elif args.step == "portfolio":
            step_portfolio(book)
        elif args.step == "detail":
            step_detail(book)
        elif args.step == "repay":
            step_repay(book)
        else:
            parser.error(f"unknown step {args.step}")
        return 0

    temp: Path | None = None
    if args.book is not None:
        book = args.book.expanduser().resolve()
        if not book.exists():
            parser.error(f"{book} does not exist")
    elif args.out is None:
        temp = Path(tempfile.mkdtemp(prefix="lumbung-bench-"))
        book = temp / "bench.sqlite"
    else:
        book = args.out.expanduser().resolve()
        if book.exists():
            parser.error(f"{book} exists; remove it or pass it as --book")
    print(
        f"Lumbung loans benchmark: {_n(args.members)} members x {args.years} years "
        f"(seed {args.seed}); Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"book {book}",
        flush=True,
    )
    build: dict[str, Any] | None = None
    try:
        if args.book is None:
            build = run_step(
                "build",
                book,
                *("--members", str(args.members), "--years", str(args.years)),
                *("--seed", str(args.seed)),
            )
        p = run_step("portfolio", book)
        print(f"(a) every loan with outstanding + kolektibilitas (peak RSS {p['peak_rss_mb']} MB):")
        print(_portfolio_line("today", p["today"]))
        print(_portfolio_line("year end", p["year_end"]), flush=True)
        d = run_step("detail", book)
        print(
            f"(b) loan detail open: median {d['median_ms']} ms, max {d['max_ms']} ms over "
            f"{d['opened']} loans (first {d['first_ms']} ms); peak RSS {d['peak_rss_mb']} MB",
            flush=True,
        )
        r = run_step("repay", book)
        print(
            f"(c) one repayment incl. commit: median {r['median_ms']} ms, max {r['max_ms']} ms "
            f"over {r['repayments']} (first {r['first_ms']} ms); peak RSS {r['peak_rss_mb']} MB",
            flush=True,
        )
        if build is not None:
            print(
                f"(d) build demo book with loans: {build['seconds']} s "
                f"(CPU {build['cpu_seconds']} s), peak RSS "
                f"{build['peak_rss_mb']} MB; {_n(build['members'])} members, "
                f"{_n(build['loans'])} loans ({build['by_method']}; {build['by_status']}), "
                f"{_n(build['installments'])} installments, {_n(build['entries'])} entries, "
                f"file {build['file_mb']} MB",
                flush=True,
            )
        else:
            print("(d) build: skipped (--book)")
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            print(f"book kept at {book}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
