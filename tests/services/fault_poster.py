"""Child process of the SIGKILL test: posts entries until it is killed.

Started through multiprocessing's *forkserver* (the server imports the app
once, so fifty children start in milliseconds, each a real process with its
own SQLite connection and nothing inherited from pytest). The child takes the
book's lock, opens it with the window's engine settings (WAL, synchronous
FULL, BEGIN IMMEDIATE), sends READY, then posts forever in small units of
work (1 to 4 entries each: deposits through the savings service, and cash
receipts straight through ``post_many``). After each COMMIT it sends the
numbers of the entries that unit committed, so the parent knows what must
survive the kill.
"""

from __future__ import annotations

import random
from multiprocessing.connection import Connection
from pathlib import Path

from app import dates
from app.booklock import BookLock
from app.db import make_engine, make_sessions, unit_of_work
from app.ledger.posting import Entry, Line, post_many
from app.services import savings

MAX_UNIT = 4


def post_until_killed(path: str, seed: int, members: list[int], out: Connection) -> None:
    rng = random.Random(seed)
    BookLock(Path(path)).acquire()
    sessions = make_sessions(make_engine(path))
    today = dates.today()
    out.send("READY")
    while True:
        numbers: list[str] = []
        with unit_of_work(sessions) as session:
            for _ in range(rng.randint(1, MAX_UNIT)):
                amount = rng.randint(1, 500) * 1000
                if rng.random() < 0.7:
                    posted = savings.deposit(
                        session, rng.choice(members), {"sukarela": amount}, on=today, by="kasir"
                    )
                    numbers.append(posted.number)
                else:
                    entry = Entry(
                        date=today,
                        kind="KM",
                        memo="Pendapatan administrasi",
                        lines=[Line("1-101", amount), Line("4-102", -amount)],
                    )
                    numbers += [p.number for p in post_many(session, [entry], by="kasir")]
        out.send(numbers)
