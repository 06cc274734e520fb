"""Balance confirmation slips and the arrears list (the collection round), as of one date.

``build_confirmations``: one ``Confirmation`` per member active on the date, with
savings by type and each loan's outstanding principal and arrears, for the
"surat konfirmasi saldo" printed before the RAT. ``build_arrears``: members who
owe wajib or loan installments on the date, largest amount first, each with a
polite reminder text ready to send by WhatsApp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app import dates
from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models.member import ACTIVE
from app.money import format_rupiah
from app.queries import loans as loan_queries
from app.queries import statements as q
from app.services import settings
from app.services.savings import WajibCalendar
from app.services.settings import Profile


@dataclass(frozen=True)
class LoanBalance:
    number: str
    outstanding: int  # principal left on the date
    arrears: int  # unpaid amounts of installments due by the date
    overdue_installments: int
    dpd: int


@dataclass(frozen=True)
class Confirmation:
    member_id: int
    number: str
    name: str
    address: str
    phone: str
    on: date
    pokok: int
    wajib: int
    sukarela: int
    loans: tuple[LoanBalance, ...]

    @property
    def savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela

    @property
    def outstanding(self) -> int:
        return sum(loan.outstanding for loan in self.loans)

    @property
    def arrears(self) -> int:
        return sum(loan.arrears for loan in self.loans)


@dataclass(frozen=True)
class Arrears:
    """One member who owes something on the date."""

    member_id: int
    number: str
    name: str
    phone: str
    wajib_months: tuple[tuple[int, int], ...]
    wajib: int
    loans: tuple[LoanBalance, ...]  # only the loans with arrears
    reminder_text: str

    @property
    def loan_arrears(self) -> int:
        return sum(loan.arrears for loan in self.loans)

    @property
    def total(self) -> int:
        return self.wajib + self.loan_arrears


@dataclass(frozen=True)
class ArrearsList:
    on: date
    profile: Profile
    rows: tuple[Arrears, ...]

    @property
    def wajib(self) -> int:
        return sum(r.wajib for r in self.rows)

    @property
    def loan_arrears(self) -> int:
        return sum(r.loan_arrears for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def _address(m: q.MemberInfo) -> str:
    parts = [m.address.strip()] if m.address.strip() else []
    if m.rt or m.rw:
        parts.append(f"RT {m.rt or '-'}/RW {m.rw or '-'}")
    if m.dusun:
        parts.append(f"Dusun {m.dusun}")
    return ", ".join(parts)


def _active_on(session: Session, on: date) -> list[q.MemberInfo]:
    return [m for m in q.all_members(session) if m.member_on(on) and m.status_on(on) == ACTIVE]


def _savings_by_member(session: Session, on: date) -> dict[int, dict[str, int]]:
    """Pokok, wajib and sukarela of every member on ``on`` (positive amounts).

    Through ``statements.savings_on`` (the date-index path of ``sums_on``): the
    plain join of lines to entries by date takes seconds on a ten-year book.
    """
    result: dict[int, dict[str, int]] = {}
    for (member_id, code), amount in q.savings_on(session, on).items():
        result.setdefault(member_id, {})[code] = amount
    return result


def _loans_by_member(session: Session, on: date) -> dict[int, list[LoanBalance]]:
    result: dict[int, list[LoanBalance]] = {}
    for r in loan_queries.portfolio(session, on, outstanding_only=True):
        result.setdefault(r.member_id, []).append(
            LoanBalance(r.number, r.outstanding, r.arrears, r.overdue_installments, r.dpd)
        )
    return result


def build_confirmations(session: Session, on: date) -> tuple[Confirmation, ...]:
    """One slip per member active on ``on``, by member number."""
    balances = _savings_by_member(session, on)
    loans = _loans_by_member(session, on)
    result = []
    for m in _active_on(session, on):
        own = balances.get(m.id, {})
        result.append(
            Confirmation(
                member_id=m.id,
                number=m.number,
                name=m.name,
                address=_address(m),
                phone=m.phone,
                on=on,
                pokok=own.get(SIMPANAN_POKOK, 0),
                wajib=own.get(SIMPANAN_WAJIB, 0),
                sukarela=own.get(SIMPANAN_SUKARELA, 0),
                loans=tuple(loans.get(m.id, ())),
            )
        )
    return tuple(result)


def _months_text(months: tuple[tuple[int, int], ...]) -> str:
    if not months:
        return ""
    first, last = months[0], months[-1]
    if first == last:
        return dates.format_month(*first)
    return f"{dates.format_month(*first)} s.d. {dates.format_month(*last)}"


def reminder_text(
    profile: Profile,
    on: date,
    name: str,
    wajib_months: tuple[tuple[int, int], ...],
    wajib: int,
    loans: tuple[LoanBalance, ...],
) -> str:
    """A polite WhatsApp message: who, what is overdue (Rp1.234.567), where to pay, who asks."""
    coop = profile.name or "Koperasi"
    lines = [
        f"Yth. Bapak/Ibu {name},",
        "",
        f"Salam sejahtera. Dengan hormat, kami dari {coop} ingin mengingatkan bahwa menurut "
        f"catatan kami per {dates.format_date_long(on)} masih ada kewajiban yang belum dibayar:",
    ]
    if wajib:
        lines.append(
            f"- Simpanan wajib {len(wajib_months)} bulan ({_months_text(wajib_months)}): "
            f"{format_rupiah(wajib)}"
        )
    for loan in loans:
        lines.append(
            f"- Angsuran pinjaman {loan.number} ({loan.overdue_installments} angsuran, "
            f"terlambat {loan.dpd} hari): {format_rupiah(loan.arrears)}"
        )
    total = wajib + sum(loan.arrears for loan in loans)
    lines.append(f"Jumlah: {format_rupiah(total)}")
    lines.append("")
    place = f" ({profile.address})" if profile.address else ""
    lines.append(
        f"Pembayaran dapat dilakukan di kantor koperasi{place} pada jam pelayanan, atau "
        "langsung kepada bendahara saat kunjungan penagihan. Mohon bawa buku simpanan atau "
        "kartu angsuran agar dapat dicatat. Bila sudah membayar, mohon abaikan pesan ini "
        "dan terima kasih."
    )
    lines.append("")
    lines.append("Terima kasih atas perhatian dan kerja samanya.")
    lines.append("")
    lines.append("Hormat kami,")
    lines.append(profile.bendahara or "Bendahara")
    lines.append(f"Bendahara {coop}")
    if profile.phone:
        lines.append(f"Telp. {profile.phone}")
    return "\n".join(lines)


def build_arrears(session: Session, on: date) -> ArrearsList:
    """Members active on ``on`` who owe wajib (up to the month of ``on``) or installments."""
    profile = settings.get_profile(session)
    members = _active_on(session, on)
    balances = _savings_by_member(session, on)
    loans = _loans_by_member(session, on)
    calendar = None
    if members:
        rate_list = settings.rates(session, settings.WAJIB)
        first = min(m.joined_on for m in members)
        calendar = WajibCalendar(rate_list, first, on.year, on.month)
    rows = []
    for m in members:
        months: tuple[tuple[int, int], ...] = ()
        wajib = 0
        if calendar is not None:
            paid = balances.get(m.id, {}).get(SIMPANAN_WAJIB, 0)
            status = calendar.status(m.joined_on, paid)
            months, wajib = status.unpaid_months, status.arrears
        late = tuple(loan for loan in loans.get(m.id, ()) if loan.arrears > 0)
        if not wajib and not late:
            continue
        rows.append(
            Arrears(
                member_id=m.id,
                number=m.number,
                name=m.name,
                phone=m.phone,
                wajib_months=months,
                wajib=wajib,
                loans=late,
                reminder_text=reminder_text(profile, on, m.name, months, wajib, late),
            )
        )
    rows.sort(key=lambda r: (-r.total, r.number))
    return ArrearsList(on, profile, tuple(rows))
