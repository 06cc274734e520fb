"""Members: registration posts pokok, NIK rules, audited edits, exit settlement."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, ValidationError
from app.ledger.balances import balance, member_savings
from app.models import AuditRecord, JournalEntry, Member
from app.queries.members import count_members, member_history, search_members
from app.services import members, savings
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_register_posts_pokok_and_numbers_members(book: Book) -> None:
    first = register(book, SITI)
    second = register(book, ASEP)
    with read_session(book.sessions) as s:
        numbers = [m.number for m in s.scalars(select(Member).order_by(Member.id))]
        assert numbers == ["0001", "0002"]
        assert member_savings(s, first)["3-101"] == 50_000
        assert balance(s, "1-101") == 100_000
        entry = s.scalar(select(JournalEntry).where(JournalEntry.member_id == second))
        assert entry is not None and entry.number.startswith("ST-2025-")


def test_nik_rules_refuse_and_write_nothing(book: Book) -> None:
    register(book, SITI)
    cases = [
        (replace(ASEP, nik="320401120385"), "16 angka"),
        (replace(ASEP, nik="9904011203850001"), "provinsi"),
        (replace(ASEP, nik=SITI.nik, name="Orang Lain"), "sudah dipakai"),
        (replace(ASEP, name="  "), "Nama"),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError, match=message), unit_of_work(book.sessions) as s:
            members.register(s, data, joined_on=date(2025, 2, 1), by=USER)
    with read_session(book.sessions) as s:
        assert s.scalar(select(func.count(Member.id))) == 1
        assert s.scalar(select(func.count(JournalEntry.id))) == 1


def test_nik_disagreeing_with_form_is_only_a_warning(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        result = members.register(s, replace(SITI, sex="L"), joined_on=date(2025, 1, 6), by=USER)
    assert result.warnings and "perempuan" in result.warnings[0]


def test_edit_is_audited_with_before_and_after(book: Book) -> None:
    member_id = register(book, SITI)
    with unit_of_work(book.sessions) as s:
        members.update(s, member_id, replace(SITI, phone="0812 3456 7890", rt="3"), by=USER)
    with read_session(book.sessions) as s:
        record = s.scalar(select(AuditRecord).where(AuditRecord.action == "anggota.ubah"))
        member = s.get(Member, member_id)
        assert member is not None and member.phone == "+6281234567890" and member.rt == "003"
        assert record is not None
        assert json.loads(record.before) == {"phone": "", "rt": ""}
        assert json.loads(record.after) == {"phone": "+6281234567890", "rt": "003"}


def test_search_by_number_name_nik_and_phone(book: Book) -> None:
    register(book, SITI)
    asep = register(book, replace(ASEP, phone="081298765432"))
    register(book, DEDI)
    with read_session(book.sessions) as s:
        assert [r.name for r in search_members(s, "asep")] == ["Asep Saepudin"]
        assert [r.number for r in search_members(s, "2")] == ["0002"]
        assert [r.id for r in search_members(s, "32040112")] == [asep]
        assert [r.id for r in search_members(s, "98765")] == [asep]
        assert count_members(s, "") == 3
        assert search_members(s, "", order="name")[0].name == "Asep Saepudin"


def test_exit_settles_every_saving_in_one_entry(book: Book) -> None:
    member_id = register(book, SITI)
    with unit_of_work(book.sessions) as s:
        savings.deposit(
            s, member_id, {"wajib": 40_000, "sukarela": 25_000}, on=date(2025, 2, 1), by=USER
        )
    with read_session(book.sessions) as s:
        settlement = members.exit_settlement(s, member_id)
    assert settlement.refund == 115_000
    with unit_of_work(book.sessions) as s:
        posted = members.exit_member(s, member_id, on=date(2025, 6, 1), reason="pindah", by=USER)
    assert posted is not None and posted.number.startswith("KL-")
    with read_session(book.sessions) as s:
        assert member_savings(s, member_id) == {"3-101": 0, "3-102": 0, "2-101": 0}
        assert balance(s, "1-101") == 0
        exited = s.get(Member, member_id)
        assert exited is not None and exited.status == "keluar"
        assert len(member_history(s, member_id)) == 3  # history is kept
    with pytest.raises(NotAllowed, match="keluar"), unit_of_work(book.sessions) as s:
        savings.deposit(s, member_id, {"sukarela": 1000}, on=date(2025, 7, 1), by=USER)


def test_exit_as_payable_credits_2_171(book: Book) -> None:
    member_id = register(book, SITI)
    with unit_of_work(book.sessions) as s:
        members.exit_member(
            s,
            member_id,
            on=date(2025, 6, 1),
            reason="meninggal",
            status="meninggal",
            pay_now=False,
            by=USER,
        )
    with read_session(book.sessions) as s:
        assert balance(s, "2-171") == -50_000
        assert balance(s, "1-101") == 50_000


def test_short_digit_searches_do_not_flood(book: Book) -> None:
    register(book, replace(SITI, phone="081233334444"))
    register(book, ASEP)
    register(book, replace(DEDI, phone="085700030003"))
    with read_session(book.sessions) as s:
        assert [r.number for r in search_members(s, "0003")] == ["0003"]
        assert [r.number for r in search_members(s, "3")] == ["0003"]
        assert [r.number for r in search_members(s, "0812 3333")] == ["0001"]
        assert [r.number for r in search_members(s, "+6285700")] == ["0003"]
