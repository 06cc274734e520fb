"""Each role against each service (issue 6): allowed and refused exactly as the table.

Every case runs the real service in ``unit_of_work(sessions, actor=Actor(name, role))``
on its own copy of one prepared book (2025 closed with a positive SHU; in 2026 three
loans: applied, approved, disbursed). An allowed role must succeed; a refused role gets
``PermissionDenied`` and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import ANONYMOUS, SYSTEM, Actor, current_actor
from app.book import Book, create_book, open_book
from app.db import backup_copy, read_session, unit_of_work
from app.errors import DomainError
from app.ledger import Entry, Line, post
from app.ledger.posting import KINDS
from app.models import AuditRecord, JournalEntry, Loan, Member, User
from app.permissions import ACTIONS, POSTING, ROLES, PermissionDenied, allowed, may_post
from app.services import (
    accounts,
    auth,
    backup,
    cash_count,
    cashbook,
    closing,
    importer,
    loan_products,
    loans,
    members,
    savings,
    settings,
    shu,
)
from app.services.cashbook import JournalInput
from app.services.import_template import write_template
from app.services.settings import Profile
from tests.services.helpers import ASEP, DEDI, SITI, USER
from tests.services.yearend import count_cash_exactly

TODAY = date(2026, 3, 31)
DAILY = {"admin", "bendahara"}
EVERY_KIND_ROLES = {"admin", "bendahara"}


@dataclass(frozen=True)
class Ids:
    siti: int
    asep: int
    applied: int
    approved: int
    disbursed: int
    cash_in_2026: int


def _application(member_id: int) -> loans.LoanApplication:
    return loans.LoanApplication(
        member_id=member_id,
        principal=1_000_000,
        monthly_rate=Decimal("0.015"),
        months=10,
        method="flat",
    )


def _prepare(path: Path) -> Ids:
    """The shared book, written by SYSTEM (a book without users)."""
    profile = Profile(name="Koperasi Uji Peran", desa="Lambangsari", ketua="Ahmad")
    book = create_book(path, profile, by=USER)
    try:
        with unit_of_work(book.sessions) as s:
            siti = members.register(s, SITI, joined_on=date(2025, 1, 6), by=USER).member_id
            asep = members.register(s, ASEP, joined_on=date(2025, 1, 6), by=USER).member_id
            savings.deposit(s, siti, {"wajib": 240_000}, on=date(2025, 2, 1), by=USER)
            cashbook.cash_in(
                s, on=date(2025, 6, 30), account="4-901", amount=9_000_000, memo="Bunga", by=USER
            )
        count_cash_exactly(book, date(2025, 12, 31))
        with unit_of_work(book.sessions) as s:
            closing.close_year(s, 2025, by=USER)
        with unit_of_work(book.sessions) as s:
            savings.deposit(s, siti, {"sukarela": 500_000}, on=date(2026, 1, 5), by=USER)
            applied = loans.apply(s, _application(siti), on=date(2026, 1, 5), by=USER)
            approved = loans.apply(s, _application(siti), on=date(2026, 1, 5), by=USER)
            loans.approve(s, approved, on=date(2026, 1, 6), by="ketua")
            disbursed = loans.apply(s, _application(siti), on=date(2026, 1, 5), by=USER)
            loans.approve(s, disbursed, on=date(2026, 1, 6), by="ketua")
            loans.disburse(s, disbursed, on=date(2026, 1, 10), by=USER)
            cash_in = cashbook.cash_in(
                s, on=date(2026, 2, 1), account="4-901", amount=100_000, memo="Jasa", by=USER
            ).id
        return Ids(siti, asep, applied, approved, disbursed, cash_in)
    finally:
        book.close()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("app.dates.today", lambda: TODAY)
        path = tmp_path_factory.mktemp("peran") / "siap.sqlite"
        ids = _prepare(path)
    return path, ids


@pytest.fixture
def env(
    prepared: tuple[Path, Ids], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Book, Ids, Path]]:
    monkeypatch.setattr("app.dates.today", lambda: TODAY)
    source, ids = prepared
    copy = backup_copy(source, tmp_path / "buku.sqlite")
    book = open_book(copy)
    yield book, ids, tmp_path
    book.close()


# -- the cases: (name, roles allowed, setup as SYSTEM or None, the action) ---------------

Work = Callable[[Session, Ids, Path, Book], Any]
Setup = Callable[[Book, Ids, Path], None] | None


def _reopen_2025(book: Book, _ids: Ids, _tmp: Path) -> None:
    with unit_of_work(book.sessions) as s:
        closing.reopen_year(s, 2025, by="admin", reason="uji ulang tutup buku")


def _distribute(book: Book, _ids: Ids, _tmp: Path) -> None:
    with unit_of_work(book.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)


def _a_user(book: Book, _ids: Ids, _tmp: Path) -> None:
    with unit_of_work(book.sessions) as s:
        auth.create_user(s, "rina", role="kasir", password="rahasia-rina", by="admin")


def _a_backup(book: Book, _ids: Ids, tmp: Path) -> None:
    backup.make_backup(book.path, tmp / "cadangan", kind="manual")


def _restore(_s: Session, _ids: Ids, tmp: Path, book: Book, actor: Actor) -> Any:
    (src,) = sorted((tmp / "cadangan").glob("*.sqlite"))
    book.engine.dispose()
    return backup.restore(src, book.path, by=actor.username, actor=actor)


def _import(s: Session, _ids: Ids, tmp: Path, _book: Book) -> Any:
    parsed = importer.read_workbook(write_template(tmp / "impor.xlsx"))
    return importer.import_workbook(s, parsed, by="x")


CASES: list[tuple[str, set[str], Setup, Work]] = [
    (
        "anggota.daftar",
        DAILY,
        None,
        lambda s, i, t, b: members.register(s, DEDI, joined_on=date(2026, 3, 2), by="x"),
    ),
    (
        "anggota.ubah",
        DAILY,
        None,
        lambda s, i, t, b: members.update(s, i.siti, replace(SITI, dusun="Krajan"), by="x"),
    ),
    (
        "anggota.keluar",
        DAILY,
        None,
        lambda s, i, t, b: members.exit_member(
            s, i.asep, on=date(2026, 3, 2), reason="pindah", by="x"
        ),
    ),
    (
        "simpanan.setor",
        DAILY | {"kasir"},
        None,
        lambda s, i, t, b: savings.deposit(
            s, i.siti, {"sukarela": 100_000}, on=date(2026, 3, 2), by="x"
        ),
    ),
    (
        "simpanan.tarik",
        DAILY | {"kasir"},
        None,
        lambda s, i, t, b: savings.withdraw(s, i.siti, 50_000, on=date(2026, 3, 2), by="x"),
    ),
    (
        "simpanan.tagih_wajib",
        DAILY | {"kasir"},
        None,
        lambda s, i, t, b: savings.collect_wajib(
            s, [(i.siti, 20_000)], on=date(2026, 3, 2), by="x", month_label="Maret 2026"
        ),
    ),
    (
        "pinjaman.ajukan",
        DAILY,
        None,
        lambda s, i, t, b: loans.apply(s, _application(i.siti), on=date(2026, 3, 2), by="x"),
    ),
    (
        "pinjaman.setujui",
        {"admin", "ketua"},
        None,
        lambda s, i, t, b: loans.approve(s, i.applied, on=date(2026, 3, 2), by="x"),
    ),
    (
        "pinjaman.tolak",
        {"admin", "ketua"},
        None,
        lambda s, i, t, b: loans.reject(
            s, i.applied, on=date(2026, 3, 2), reason="agunan kurang", by="x"
        ),
    ),
    (
        "pinjaman.cairkan",
        DAILY,
        None,
        lambda s, i, t, b: loans.disburse(s, i.approved, on=date(2026, 3, 2), by="x"),
    ),
    (
        "pinjaman.angsur",
        DAILY | {"kasir"},
        None,
        lambda s, i, t, b: loans.repay(s, i.disbursed, 115_000, on=date(2026, 2, 10), by="x"),
    ),
    (
        "pinjaman.kolektibilitas",
        DAILY,
        None,
        lambda s, i, t, b: loans.override_class(
            s, i.disbursed, "Diragukan", reason="usaha tutup", by="x"
        ),
    ),
    (
        "produk.tambah",
        DAILY,
        None,
        lambda s, i, t, b: loan_products.create(
            s, loan_products.ProductInput(name="Pinjaman Musiman"), by="x"
        ),
    ),
    (
        "kas.masuk",
        DAILY,
        None,
        lambda s, i, t, b: cashbook.cash_in(
            s, on=date(2026, 3, 2), account="4-901", amount=10_000, memo="Bunga", by="x"
        ),
    ),
    (
        "kas.keluar",
        DAILY,
        None,
        lambda s, i, t, b: cashbook.cash_out(
            s, on=date(2026, 3, 2), account="5-305", amount=10_000, memo="Listrik", by="x"
        ),
    ),
    (
        "jurnal.umum",
        DAILY,
        None,
        lambda s, i, t, b: cashbook.journal(
            s,
            on=date(2026, 3, 2),
            memo="Koreksi",
            lines=[JournalInput("5-305", debit=5_000), JournalInput("1-101", credit=5_000)],
            by="x",
        ),
    ),
    (
        "jurnal.balik",
        DAILY,
        None,
        lambda s, i, t, b: cashbook.reverse_entry(
            s, i.cash_in_2026, reason="salah akun", on=date(2026, 3, 2), by="x"
        ),
    ),
    (
        "akun.tambah",
        DAILY,
        None,
        lambda s, i, t, b: accounts.add_account(
            s, group="beban", code="5-312", name="Beban Keamanan", by="x"
        ),
    ),
    (
        "akun.ganti_nama",
        DAILY,
        None,
        lambda s, i, t, b: accounts.rename_account(s, "5-305", "Beban Listrik dan Air", by="x"),
    ),
    (
        "kas.opname",
        DAILY,
        None,
        lambda s, i, t, b: cash_count.record_count(
            s, date(2026, 3, 2), {100_000: 1}, by="x", note="uji selisih"
        ),
    ),
    (
        "pengaturan.profil",
        DAILY,
        None,
        lambda s, i, t, b: settings.save_profile(
            s, replace(settings.get_profile(s), phone="0812"), by="x"
        ),
    ),
    (
        "pengaturan.opsi",
        DAILY,
        None,
        lambda s, i, t, b: settings.set_option(s, "contoh", 1, by="x"),
    ),
    (
        "pengaturan.simpanan",
        DAILY,
        None,
        lambda s, i, t, b: settings.set_rate(s, "wajib", 25_000, date(2026, 4, 1), by="x"),
    ),
    (
        "shu.persen",
        DAILY,
        None,
        lambda s, i, t, b: shu.set_percentages(
            s, 2025, {c.key: c.default_percent for c in shu.COMPONENTS}, by="x"
        ),
    ),
    (
        "tutup_buku.tutup",
        DAILY,
        _reopen_2025,
        lambda s, i, t, b: closing.close_year(s, 2025, by="x"),
    ),
    (
        "tutup_buku.buka_kembali",
        {"admin"},
        None,
        lambda s, i, t, b: closing.reopen_year(s, 2025, by="x", reason="koreksi"),
    ),
    (
        "shu.bagikan",
        DAILY | {"ketua"},
        None,
        lambda s, i, t, b: shu.post_distribution(s, 2025, date(2026, 3, 15), by="x"),
    ),
    (
        "shu.bayar",
        DAILY | {"ketua"},
        _distribute,
        lambda s, i, t, b: shu.pay_members(s, 2025, shu.TUNAI, on=date(2026, 3, 16), by="x"),
    ),
    ("impor", DAILY, None, _import),
    (
        "pengguna.tambah",
        {"admin"},
        None,
        lambda s, i, t, b: auth.create_user(
            s, "dewi", role="pengawas", password="rahasia-dewi", by="x"
        ),
    ),
    (
        "pengguna.atur_ulang",
        {"admin"},
        _a_user,
        lambda s, i, t, b: auth.reset_password(s, "rina", "sandi-baru-rina", by="x"),
    ),
    (
        "pengguna.nonaktif",
        {"admin"},
        _a_user,
        lambda s, i, t, b: auth.disable_user(s, "rina", by="x"),
    ),
]

# The import of an empty template into a book in use is refused for its content, not
# for the role: allowed roles get that far (a DomainError that is not PermissionDenied).
DOMAIN_REFUSAL_IS_FINE = {"impor"}


def _footprint(book: Book) -> tuple[int, ...]:
    with read_session(book.sessions) as s:
        return (
            s.scalar(select(func.count(JournalEntry.id))) or 0,
            s.scalar(select(func.count(Member.id))) or 0,
            s.scalar(select(func.count(Loan.id))) or 0,
            s.scalar(select(func.count(User.id))) or 0,
            s.scalar(select(func.count(AuditRecord.id))) or 0,
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "roles", "setup", "work"), CASES, ids=[case[0] for case in CASES])
def test_each_role_against_each_service(
    env: tuple[Book, Ids, Path],
    role: str,
    name: str,
    roles: set[str],
    setup: Setup,
    work: Work,
) -> None:
    book, ids, tmp = env
    if setup is not None:
        setup(book, ids, tmp)
    actor = Actor(f"uji-{role}", role)
    before = _footprint(book)
    if role in roles:
        try:
            with unit_of_work(book.sessions, actor=actor) as s:
                work(s, ids, tmp, book)
        except PermissionDenied:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{role} was refused {name}")
        except DomainError:
            if name not in DOMAIN_REFUSAL_IS_FINE:
                raise
    else:
        with (
            pytest.raises(PermissionDenied) as refused,
            unit_of_work(book.sessions, actor=actor) as s,
        ):
            work(s, ids, tmp, book)
        assert f"Peran {role}" in str(refused.value)
        if role == "pengawas":
            assert "hanya dapat melihat" in str(refused.value)
        assert _footprint(book) == before  # nothing written


@pytest.mark.parametrize("role", ROLES)
def test_restore_only_by_admin(env: tuple[Book, Ids, Path], role: str) -> None:
    book, ids, tmp = env
    _a_backup(book, ids, tmp)
    actor = Actor(f"uji-{role}", role)
    if role == "admin":
        assert _restore(None, ids, tmp, book, actor) is not None  # type: ignore[arg-type]
    else:
        before = book.path.read_bytes()
        with pytest.raises(PermissionDenied, match=f"Peran {role}"):
            _restore(None, ids, tmp, book, actor)  # type: ignore[arg-type]
        assert book.path.read_bytes() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_entry_kind_through_the_ledger(book: Book, role: str, kind: str) -> None:
    """ledger.post_many is the one door for money: each kind against each role."""
    entry = Entry(date(2025, 1, 2), kind, "uji", [Line("1-101", 1_000), Line("4-901", -1_000)])
    actor = Actor(f"uji-{role}", role)
    kinds = POSTING[role]
    expected = role in EVERY_KIND_ROLES or (kinds is not None and kind in kinds)
    assert may_post(role, kind) == expected
    if expected:
        with unit_of_work(book.sessions, actor=actor) as s:
            post(s, entry, by=actor.username)
    else:
        with pytest.raises(PermissionDenied), unit_of_work(book.sessions, actor=actor) as s:
            post(s, entry, by=actor.username)


def test_the_table_as_the_issue_says() -> None:
    """Spelled out once more, so that a change to the table is a change to this test too."""
    assert POSTING["pengawas"] == frozenset()
    assert POSTING["kasir"] == {"ST", "TR", "AN"}
    assert POSTING["ketua"] == {"SH", "PS"}
    assert POSTING["admin"] is None and POSTING["bendahara"] is None
    expected = {
        "anggota.ubah": DAILY,
        "pinjaman.ajukan": DAILY,
        "pinjaman.putuskan": {"admin", "ketua"},
        "pinjaman.kolektibilitas": DAILY,
        "produk.ubah": DAILY,
        "akun.ubah": DAILY,
        "kas.opname": DAILY,
        "tutup_buku": DAILY,
        "tutup_buku.buka_kembali": {"admin"},
        "pengaturan.ubah": DAILY,
        "impor": DAILY,
        "buku.pulihkan": {"admin"},
        "pengguna.kelola": {"admin"},
    }
    assert set(ACTIONS) == set(expected)
    for action, roles in expected.items():
        assert {role for role in ROLES if allowed(role, action)} == roles, action


def test_a_book_without_users_acts_as_system_and_with_users_needs_an_actor(
    book: Book,
) -> None:
    with unit_of_work(book.sessions) as s:
        assert current_actor(s) == SYSTEM
        auth.create_user(s, "ida", role="bendahara", password="rahasia-ida", by="admin")
    with unit_of_work(book.sessions) as s:
        assert current_actor(s) == ANONYMOUS
    # A forgotten actor fails closed: nothing is written without a login.
    with pytest.raises(PermissionDenied, match="memakai login"), unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 1, 2), account="4-901", amount=1_000, memo="Bunga", by=USER
        )
    with pytest.raises(PermissionDenied, match="memakai login"), unit_of_work(book.sessions) as s:
        settings.set_option(s, "contoh", 1, by=USER)
