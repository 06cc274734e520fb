"""Screens on a real book file; message boxes are captured instead of shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.book import Book
from app.db import unit_of_work
from app.services import members
from app.services.members import MemberInput
from app.ui.context import AppContext

USER = "bendahara"


@dataclass
class Boxes:
    """What would have been shown: refusals, questions (answered with ``answer``), receipts."""

    refusals: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    receipts: list[int] = field(default_factory=list)
    answer: bool = True


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    seen = Boxes()

    def refuse(_parent: object, error: Exception) -> None:
        seen.refusals.append(str(error))

    def confirm(_parent: object, _title: str, text: str, **_kwargs: object) -> bool:
        seen.questions.append(text)
        return seen.answer

    def show_receipt(_ctx: object, _parent: object, entry_id: int) -> None:
        seen.receipts.append(entry_id)

    monkeypatch.setattr("app.ui.actions.show_refusal", refuse)
    monkeypatch.setattr("app.ui.prompts.confirm", confirm)
    monkeypatch.setattr("app.ui.prompts.show_receipt", show_receipt)
    return seen


@pytest.fixture
def ctx(book: Book) -> AppContext:
    return AppContext(book=book, user=USER)


def nik_for(sex: str, born: date, seq: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"327305{day:02d}{born.month:02d}{born.year % 100:02d}{seq:04d}"


PEOPLE = (
    ("Asep Saepudin", "L", date(1980, 3, 12), "Krajan", "081200000001"),
    ("Siti Aminah", "P", date(1990, 10, 20), "Sukamaju", "081200000002"),
    ("Dedi Kurniawan", "L", date(1975, 11, 30), "Cibeureum", "081200000003"),
    ("Euis Rohaeti", "P", date(1992, 1, 20), "Krajan", "081200000004"),
    ("Ujang Sutisna", "L", date(1969, 9, 9), "Sukamaju", "081298765442"),
)


def register_people(
    ctx: AppContext, count: int = len(PEOPLE), joined: date | None = None
) -> list[int]:
    """Members made through the service, as the import or an earlier day would have."""
    ids = []
    with unit_of_work(ctx.sessions) as session:
        for number in range(count):
            name, sex, born, dusun, phone = PEOPLE[number % len(PEOPLE)]
            if number >= len(PEOPLE):
                name = f"{name} {number:03d}"
                phone = ""
            registered = members.register(
                session,
                MemberInput(
                    nik=nik_for(sex, born, number + 1),
                    name=name,
                    sex=sex,
                    birth_date=born,
                    dusun=dusun,
                    phone=phone,
                ),
                joined_on=joined or date(2025, 1, 6),
                by=USER,
            )
            ids.append(registered.member_id)
    return ids


# -- report files: saved in a temporary folder, "opened" into a list --------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the Laporan tabs save their files in this test."""
    from app.ui import report_files

    out = tmp_path / "laporan"
    monkeypatch.setattr(report_files, "reports_dir", lambda: out)
    return out


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files and folders the tabs asked the system to open, instead of opening them."""
    from app.ui import report_files

    seen: list[str] = []

    def record(url: QUrl) -> bool:
        seen.append(url.toLocalFile())
        return True

    monkeypatch.setattr(report_files, "open_url", record)
    return seen
