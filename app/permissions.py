"""Who may do what: one table of actions and roles, and the checks the services run.

Roles (issue 6): admin does everything; bendahara all daily work; ketua
approves or rejects loans and posts the SHU; pengawas reads everything and
changes nothing; kasir takes deposits, withdrawals and loan repayments only.

Two checks cover every change:

* money: ``ledger.post_many`` calls ``require_posting`` for each entry kind, so
  every path that writes a journal (window, CLI, import, any service) is
  covered in one place (``POSTING``);
* everything else that changes data calls ``require(session, action)`` first
  thing (``ACTIONS``).

Reading needs no permission: every role reads everything.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.actor import ANONYMOUS, Actor, current_actor
from app.errors import NotAllowed

ADMIN, BENDAHARA, KETUA, PENGAWAS, KASIR = "admin", "bendahara", "ketua", "pengawas", "kasir"
ROLES = (ADMIN, BENDAHARA, KETUA, PENGAWAS, KASIR)
ROLE_LABELS = {
    ADMIN: "Admin",
    BENDAHARA: "Bendahara",
    KETUA: "Ketua",
    PENGAWAS: "Pengawas",
    KASIR: "Kasir",
}
ROLE_HELP = {
    ADMIN: "semua pekerjaan, termasuk pengguna, membuka kembali tahun buku dan pemulihan",
    BENDAHARA: "semua pekerjaan harian, tutup buku dan pengaturan (kecuali pengguna)",
    KETUA: "menyetujui atau menolak pinjaman dan memposting SHU; melihat semuanya",
    PENGAWAS: "melihat semuanya, tidak mengubah apa pun",
    KASIR: "setoran, penarikan dan angsuran pinjaman saja",
}


class PermissionDenied(NotAllowed):
    """The role of the person logged in may not do this (a NotAllowed like any other)."""


_DAILY = frozenset({ADMIN, BENDAHARA})

# action -> (what it is, as it reads after "tidak diizinkan"; roles allowed)
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "anggota.ubah": ("mendaftarkan, mengubah atau mengeluarkan anggota", _DAILY),
    "pinjaman.ajukan": ("mencatat pengajuan pinjaman", _DAILY),
    "pinjaman.putuskan": ("menyetujui atau menolak pinjaman", frozenset({ADMIN, KETUA})),
    "pinjaman.kolektibilitas": ("mengubah kolektibilitas pinjaman", _DAILY),
    "produk.ubah": ("mengubah produk pinjaman", _DAILY),
    "akun.ubah": ("mengubah bagan akun", _DAILY),
    "kas.opname": ("mencatat kas opname atau menutup hari kas", _DAILY),
    "tutup_buku": ("mengerjakan tutup buku tahunan", _DAILY),
    "tutup_buku.buka_kembali": (
        "membuka kembali tahun buku yang sudah ditutup",
        frozenset({ADMIN}),
    ),
    "pengaturan.ubah": ("mengubah pengaturan", _DAILY),
    "impor": ("mengimpor data dari Excel", _DAILY),
    "buku.pulihkan": ("memulihkan buku dari cadangan", frozenset({ADMIN})),
    "pengguna.kelola": (
        "mengelola pengguna (menambah, mengatur ulang kata sandi, menonaktifkan)",
        frozenset({ADMIN}),
    ),
}

ALL_KINDS = None  # every entry kind
# role -> the journal kinds it may post (ledger.posting.KINDS); None = all of them.
POSTING: dict[str, frozenset[str] | None] = {
    ADMIN: ALL_KINDS,
    BENDAHARA: ALL_KINDS,
    KETUA: frozenset({"SH", "PS"}),  # pembagian dan pembayaran SHU
    KASIR: frozenset({"ST", "TR", "AN"}),  # setoran, penarikan, angsuran
    PENGAWAS: frozenset(),
}


def allowed(role: str, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return role in ACTIONS[action][1]


def may_post(role: str, kind: str) -> bool:
    if role not in POSTING:
        return False
    kinds = POSTING[role]
    return kinds is None or kind in kinds


def _who(roles: frozenset[str] | set[str]) -> str:
    names = [r for r in ROLES if r in roles]
    return ", ".join(names) if names else "tidak ada"


def refusal(actor: Actor, what: str, roles: frozenset[str] | set[str]) -> PermissionDenied:
    if actor == ANONYMOUS or not actor.role:
        return PermissionDenied(
            f"Buku ini memakai login: masuk dulu dengan nama pengguna dan kata sandi; {what} "
            "tanpa login tidak diizinkan."
        )
    if actor.role == PENGAWAS:
        return PermissionDenied(f"Peran pengawas hanya dapat melihat; {what} tidak diizinkan.")
    return PermissionDenied(
        f"Peran {actor.role} ({actor.username}) tidak diizinkan {what}; yang boleh: {_who(roles)}."
    )


def check(actor: Actor, action: str) -> Actor:
    """Raise NotAllowed unless ``actor`` may do ``action``; for work without a session."""
    what, roles = ACTIONS[action]
    if actor.role not in roles:
        raise refusal(actor, what, roles)
    return actor


def require(session: Session, action: str) -> Actor:
    """The first line of every service that changes data; returns the actor."""
    return check(current_actor(session), action)


def require_posting(session: Session, kind: str, label: str) -> Actor:
    """``ledger.post_many``: may the actor post a journal of this kind?"""
    actor = current_actor(session)
    if not may_post(actor.role, kind):
        roles = {role for role in ROLES if may_post(role, kind)}
        raise refusal(actor, f"membuat jurnal {label} ({kind})", roles)
    return actor
