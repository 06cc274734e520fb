"""Small builders shared by the service tests."""

from __future__ import annotations

from datetime import date

from app.book import Book
from app.db import unit_of_work
from app.services import members
from app.services.members import MemberInput

USER = "bendahara"

# Valid NIKs (DOMAIN.md 1): a woman born 20-10-1990 and men born in the 1980s.
SITI = MemberInput(
    nik="3273056010900009", name="Siti Aminah", sex="P", birth_date=date(1990, 10, 20)
)
ASEP = MemberInput(
    nik="3204011203850001", name="Asep Saepudin", sex="L", birth_date=date(1985, 3, 12)
)
DEDI = MemberInput(nik="3204010507800002", name="Dedi Kurnia", sex="L", birth_date=date(1980, 7, 5))


def register(book: Book, data: MemberInput = SITI, on: date = date(2025, 1, 6)) -> int:
    with unit_of_work(book.sessions) as session:
        return members.register(session, data, joined_on=on, by=USER).member_id
