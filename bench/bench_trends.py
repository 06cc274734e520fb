"""Beranda trends benchmark: prints figures, asserts nothing.

    python bench/bench_trends.py --book /tmp/trends_big.sqlite          # time 5 runs
    python bench/bench_trends.py --book /tmp/trends_big.sqlite --check  # and compare

Times ``queries.trends.monthly_trends`` (24 month ends up to today) in fresh read
sessions, wall clock and process CPU (the machine may be shared). ``--check``
also computes every month end the slow way (``sums_on``, ``MemberInfo.member_on``,
``summarize(portfolio(session, on))``: about a second per date on a big book)
and prints any difference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, required=True, help="a book file (opened read-only)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--check", action="store_true", help="compare with the one-date queries")
    args = parser.parse_args()

    from app import dates
    from app.book import open_book
    from app.db import read_session
    from app.queries.trends import monthly_trends

    book = open_book(args.book, lock=False)
    try:
        today = dates.today()
        walls, cpus = [], []
        figures = ()
        for _ in range(args.runs):
            with read_session(book.sessions) as session:
                wall, cpu = time.perf_counter(), time.process_time()
                figures = monthly_trends(session, today, args.months)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        print(
            f"monthly_trends({today}, {args.months}) on {args.book}: {len(figures)} points; "
            f"first {walls[0]:.2f} s, median {statistics.median(walls):.2f} s, "
            f"max {max(walls):.2f} s (CPU median {statistics.median(cpus):.2f} s)"
        )
        for f in figures:
            print(
                f"  {f.on}  anggota {f.members:>6}  pokok {f.pokok:>15,}  wajib {f.wajib:>15,}  "
                f"sukarela {f.sukarela:>15,}  pinjaman {f.loans_outstanding:>16,}  "
                f"NPL {f.npl_percent:6.2f}%"
            )
        if args.check:
            return _check(book, figures)
    finally:
        book.close()
    return 0


def _check(book: object, figures: tuple[object, ...]) -> int:
    from app.db import read_session
    from app.ledger.balances import sums_on
    from app.ledger.chart import (
        PINJAMAN_ANGGOTA,
        SIMPANAN_POKOK,
        SIMPANAN_SUKARELA,
        SIMPANAN_WAJIB,
        account_ids,
    )
    from app.queries.loans import portfolio, summarize
    from app.queries.statements import all_members

    codes = (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA, PINJAMAN_ANGGOTA)
    differences = 0
    started = time.perf_counter()
    with read_session(book.sessions) as session:  # type: ignore[attr-defined]
        ids = account_ids(session)
        people = all_members(session)
        for f in figures:
            on = f.on  # type: ignore[attr-defined]
            sums = sums_on(session, on, account_ids={ids[c] for c in codes})
            pokok, wajib, sukarela, loans = (sums.get((ids[c],), 0) for c in codes)
            expected = (
                sum(1 for m in people if m.member_on(on)),
                -pokok,
                -wajib,
                -sukarela,
                loans,
                summarize(session, portfolio(session, on)).npl_ratio,
            )
            got = (
                f.members,  # type: ignore[attr-defined]
                f.pokok,  # type: ignore[attr-defined]
                f.wajib,  # type: ignore[attr-defined]
                f.sukarela,  # type: ignore[attr-defined]
                f.loans_outstanding,  # type: ignore[attr-defined]
                f.npl_ratio,  # type: ignore[attr-defined]
            )
            if got != expected:
                differences += 1
                print(f"  DIFFERENT on {on}: expected {expected}, got {got}")
    print(
        f"check: {len(figures)} dates the slow way in {time.perf_counter() - started:.1f} s, "
        f"{differences} different"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
