"""Year-end benchmark (issue 4): prints figures, asserts nothing.

On a demo book (default 5.000 members x 10 years): the trial balance on a date,
closing the first years one after another (the first close recomputes the whole
hash chain when the book has no checkpoint yet; later ones start from it), and
the SHU per member of a closed year.

    python bench/bench_yearend.py [--book PATH | --members N --years Y] [--closes K]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.book import open_book
from app.db import read_session, unit_of_work
from app.queries.ledger import trial_balance
from app.services import closing, shu
from app.services.demo import create_demo_book


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--closes", type=int, default=3)
    args = parser.parse_args()
    path = args.book
    if path is None:
        path = Path(tempfile.mkdtemp()) / "yearend.sqlite"
        started = time.perf_counter()
        create_demo_book(path, members=args.members, years=args.years, seed=1)
        print(f"built {args.members} x {args.years} demo in {time.perf_counter() - started:.1f} s")
    book = open_book(path)
    try:
        with read_session(book.sessions) as s:
            first = s.execute(
                __import__("sqlalchemy").text("SELECT MIN(date) FROM journal_entry")
            ).scalar()
        first_year = date.fromisoformat(str(first)).year
        started = time.perf_counter()
        with read_session(book.sessions) as s:
            rows = trial_balance(s, date(first_year + args.years - 2, 12, 31)).rows
        print(
            f"trial balance on 31/12/{first_year + args.years - 2}: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms, {len(rows)} accounts"
        )
        with read_session(book.sessions) as s:
            while closing.year_closed(s, first_year):
                first_year += 1  # a reused book: start at its first open year
        for year in range(first_year, first_year + args.closes):
            started = time.perf_counter()
            with unit_of_work(book.sessions) as s:
                result = closing.close_year(s, year, by="bendahara")
            print(f"close {year}: {time.perf_counter() - started:.1f} s, SHU {result.shu:,}")
            started = time.perf_counter()
            with read_session(book.sessions) as s:
                plan = shu.calculate(s, year)
            print(
                f"SHU per member {year}: {time.perf_counter() - started:.2f} s, "
                f"{len(plan.members)} members"
            )
        print(f"peak RSS {_rss_mb():.0f} MB")
    finally:
        book.close()


if __name__ == "__main__":
    main()
