"""Loans: application, approval, disbursement, repayment, payoff, write-off (DOMAIN.md 3).

What a member owes is never stored: outstanding principal is the SUM of the
loan's 1-131 lines; which installments are paid follows from the cumulative
amount repaid (``loan_state.fill``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, aliased

from app import dates, permissions
from app.errors import NotAllowed, NotFound, ValidationError
from app.ledger import Entry, Line, Posted, post
from app.ledger.balances import member_savings
from app.ledger.chart import KAS, PINJAMAN_ANGGOTA
from app.ledger.year_totals import flows
from app.models import (
    Account,
    JournalEntry,
    JournalLine,
    Loan,
    LoanInstallment,
    Member,
    NumberSequence,
)
from app.models.loan import APPLIED, APPROVED, DISBURSED, PAID_OFF, REJECTED, WRITTEN_OFF
from app.money import apply_rate, format_rupiah, require_amount
from app.services import audit, loan_products, settings
from app.services.loan_state import (
    CLASSES,
    MACET,
    Allocation,
    Classification,
    Due,
    InstallmentState,
    allocate_payment,
    arrears,
    days_past_due,
    fill,
    penalty,
)
from app.services.members import get_member, require_active
from app.services.schedule import METHOD_LABELS, build_schedule, validate_terms

JASA_PINJAMAN = "4-101"
PROVISI_ADMIN = "4-102"
DENDA = "4-103"
CKPN = "1-139"
RECOVERY = "4-902"
# A rate above this needs the treasurer to confirm it (DOMAIN.md / issue: absurd rates).
HIGH_RATE = Decimal("0.10")
REPAYMENT_KINDS = ("AN", "KL")
# Up to this many loans are read from their own lines (by id); more from the per-year
# totals, all at once (repayments here, the portfolio in app.queries.loans).
FEW_LOANS = 500


@dataclass(frozen=True)
class LoanSettings:
    provisi_rate: Decimal = Decimal("0.01")
    admin_fee: int = 0
    penalty_daily_rate: Decimal = Decimal("0.001")
    penalty_grace_days: int = 0
    ceiling_multiple: Decimal | None = None  # off by default
    round_to: int = 1
    waive_future_interest_on_payoff: bool = True
    classification: Classification = field(default_factory=Classification)


def _decimal(value: object, default: Decimal) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return default


def loan_settings(session: Session) -> LoanSettings:
    base = LoanSettings()
    stored = settings.get_option(session, "loans", {})
    if not isinstance(stored, dict):
        return base
    ceiling = stored.get("ceiling_multiple")
    limits = stored.get("dpd_limits")
    rates = stored.get("ppap_rates")
    classification = Classification(
        dpd_limits=tuple(int(x) for x in limits) if limits else base.classification.dpd_limits,  # type: ignore[arg-type]
        ppap_rates=tuple(_decimal(x, Decimal(0)) for x in rates)
        if rates
        else base.classification.ppap_rates,  # type: ignore[arg-type]
    )
    return LoanSettings(
        provisi_rate=_decimal(stored.get("provisi_rate", base.provisi_rate), base.provisi_rate),
        admin_fee=int(stored.get("admin_fee", base.admin_fee)),
        penalty_daily_rate=_decimal(
            stored.get("penalty_daily_rate", base.penalty_daily_rate), base.penalty_daily_rate
        ),
        penalty_grace_days=int(stored.get("penalty_grace_days", base.penalty_grace_days)),
        ceiling_multiple=_decimal(ceiling, Decimal(0)) if ceiling else None,
        round_to=int(stored.get("round_to", base.round_to)),
        waive_future_interest_on_payoff=bool(
            stored.get("waive_future_interest_on_payoff", base.waive_future_interest_on_payoff)
        ),
        classification=classification,
    )


@dataclass(frozen=True)
class LoanApplication:
    member_id: int
    principal: int
    monthly_rate: Decimal  # 0.015 for 1,5% a month
    months: int
    method: str
    purpose: str = ""
    collateral: str = ""
    collateral_value: int = 0
    guarantor_id: int | None = None
    product_id: int | None = None
    provisi: int | None = None  # None: the setting's percentage of the principal
    admin_fee: int | None = None
    round_to: int | None = None


@dataclass(frozen=True)
class CeilingCheck:
    savings: int
    multiple: Decimal | None
    limit: int | None
    outstanding: int  # principal still owed on the member's other loans

    @property
    def ok(self) -> bool:
        return self.limit is None or self.limit >= 0


@dataclass(frozen=True)
class Payoff:
    principal: int
    interest_due: int
    next_interest: int

    @property
    def total(self) -> int:
        return self.principal + self.interest_due + self.next_interest


# -- reading a loan -----------------------------------------------------------


def get_loan(session: Session, loan_id: int) -> Loan:
    loan = session.get(Loan, loan_id)
    if loan is None:
        raise NotFound("Pinjaman tidak ditemukan.")
    return loan


def schedule_of(session: Session, loan_id: int) -> list[Due]:
    rows = session.execute(
        select(
            LoanInstallment.k,
            LoanInstallment.due,
            LoanInstallment.principal,
            LoanInstallment.interest,
        )
        .where(LoanInstallment.loan_id == loan_id)
        .order_by(LoanInstallment.k)
    )
    return [Due(k, due, principal, interest) for k, due, principal, interest in rows]


def _repayment_filter() -> tuple[Any, ColumnElement[bool]]:
    """Lines that count as repaying installments: repayments, exits, and their reversals."""
    reversed_entry = aliased(JournalEntry)
    return reversed_entry, or_(
        JournalEntry.kind.in_(REPAYMENT_KINDS),
        (JournalEntry.kind == "RV") & reversed_entry.kind.in_(REPAYMENT_KINDS),
    )


def repaid_amounts(
    session: Session, loan_ids: list[int] | None = None, on: date | None = None
) -> dict[int, int]:
    """Interest + principal repaid per loan (through installments), up to ``on``."""
    if loan_ids is None or len(loan_ids) > FEW_LOANS:
        # Many loans: the per-year totals, which hold the kind of each line's entry.
        wanted = None if loan_ids is None else set(loan_ids)
        accounts = set(
            session.scalars(
                select(Account.id).where(Account.code.in_((PINJAMAN_ANGGOTA, JASA_PINJAMAN)))
            )
        )
        found = flows(session, None, on, ("loan", "kind"), account_ids=accounts)
        repaid: dict[int, int] = {}
        for (loan_id, kind), flow in found.items():
            counted = loan_id is not None and kind in REPAYMENT_KINDS
            if counted and (wanted is None or loan_id in wanted):
                repaid[loan_id] = repaid.get(loan_id, 0) - flow.net
        return repaid
    reversed_entry, counts = _repayment_filter()
    stmt = (
        select(JournalLine.loan_id, func.sum(JournalLine.amount))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(reversed_entry, reversed_entry.id == JournalEntry.reverses_id, isouter=True)
        # "+ 0": SQLite must walk the lines by loan (ix_journal_line_loan_amount), not
        # every 1-131 and 4-101 line of the book by account (seconds on a big book).
        .join(Account, Account.id == JournalLine.account_id + 0)
        .where(
            JournalLine.loan_id.in_(loan_ids),
            Account.code.in_((PINJAMAN_ANGGOTA, JASA_PINJAMAN)),
            counts,
        )
        .group_by(JournalLine.loan_id)
    )
    if on is not None:
        stmt = stmt.where(JournalEntry.date <= on)
    return {loan_id: -int(total) for loan_id, total in session.execute(stmt) if loan_id is not None}


def repaid_before(session: Session, loan_id: int, entry_date: date, entry_id: int) -> int:
    """Interest + principal repaid on a loan by the entries before this one (for its receipt)."""
    reversed_entry, counts = _repayment_filter()
    stmt = (
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(reversed_entry, reversed_entry.id == JournalEntry.reverses_id, isouter=True)
        .join(Account, Account.id == JournalLine.account_id + 0)  # by loan, see above
        .where(
            JournalLine.loan_id == loan_id,
            Account.code.in_((PINJAMAN_ANGGOTA, JASA_PINJAMAN)),
            counts,
            or_(
                JournalEntry.date < entry_date,
                (JournalEntry.date == entry_date) & (JournalEntry.id < entry_id),
            ),
        )
    )
    return -int(session.scalar(stmt) or 0)


def principal_after(session: Session, loan_id: int, entry_date: date, entry_id: int) -> int:
    """Principal still owed right after this entry (earlier dates, then this date by id)."""
    stmt = (
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(Account, Account.id == JournalLine.account_id + 0)  # by loan, see above
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.loan_id == loan_id,
            Account.code == PINJAMAN_ANGGOTA,
            or_(
                JournalEntry.date < entry_date,
                (JournalEntry.date == entry_date) & (JournalEntry.id <= entry_id),
            ),
        )
    )
    return int(session.scalar(stmt) or 0)


def outstanding_principal(session: Session, loan_id: int, on: date | None = None) -> int:
    stmt = (
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(Account, Account.id == JournalLine.account_id + 0)  # by loan, see above
        .where(JournalLine.loan_id == loan_id, Account.code == PINJAMAN_ANGGOTA)
    )
    if on is not None:
        stmt = stmt.join(JournalEntry, JournalEntry.id == JournalLine.entry_id).where(
            JournalEntry.date <= on
        )
    return int(session.scalar(stmt) or 0)


def _cutover_paid(loan: Loan, schedule: list[Due]) -> int:
    return sum(d.amount for d in schedule[: loan.paid_before_cutover])


def installment_states(
    session: Session, loan: Loan, on: date | None = None
) -> list[InstallmentState]:
    schedule = schedule_of(session, loan.id)
    repaid = repaid_amounts(session, [loan.id], on).get(loan.id, 0)
    return fill(schedule, repaid + _cutover_paid(loan, schedule))


def classify(loan: Loan, dpd: int, classification: Classification) -> str:
    return loan.class_override or classification.classify(dpd)


# -- application and decision ---------------------------------------------------


def _next_loan_number(session: Session, year: int) -> str:
    seq = session.scalar(
        select(NumberSequence).where(NumberSequence.series == "P", NumberSequence.year == year)
    )
    if seq is None:
        seq = NumberSequence(series="P", year=year, last=0)
        session.add(seq)
    seq.last += 1
    session.flush()
    return f"P-{year}-{seq.last:04d}"


def ceiling_check(
    session: Session, member_id: int, principal: int, *, product_id: int | None = None
) -> CeilingCheck:
    """The ceiling of the setting, or of the loan product when it sets its own multiple."""
    config = loan_settings(session)
    multiple = config.ceiling_multiple
    if product_id is not None:
        product = loan_products.get_product(session, product_id)
        if product.ceiling_multiple is not None:
            multiple = product.ceiling_multiple
    saved = sum(member_savings(session, member_id).values())
    others = session.scalars(
        select(Loan.id).where(Loan.member_id == member_id, Loan.status == DISBURSED)
    ).all()
    outstanding = sum(outstanding_principal(session, loan_id) for loan_id in others)
    if multiple is None:
        return CeilingCheck(saved, None, None, outstanding)
    limit = int(multiple * saved) - outstanding - principal
    return CeilingCheck(saved, multiple, limit, outstanding)


def apply(
    session: Session,
    application: LoanApplication,
    *,
    on: date,
    by: str,
    confirm_high_rate: bool = False,
) -> int:
    """Record an application (pengajuan); returns the loan id."""
    permissions.require(session, "pinjaman.ajukan")
    member = get_member(session, application.member_id)
    require_active(member, on)
    config = loan_settings(session)
    validate_terms(
        application.principal, application.monthly_rate, application.months, application.method
    )
    if application.monthly_rate > HIGH_RATE and not confirm_high_rate:
        raise ValidationError(
            f"Bunga {application.monthly_rate * 100:.2f}% per bulan sangat tinggi (di atas 10%). "
            "Periksa angkanya; kalau memang benar, simpan dengan konfirmasi.",
            field="rate",
        )
    if application.guarantor_id is not None:
        if application.guarantor_id == application.member_id:
            raise ValidationError("Penjamin harus anggota lain, bukan peminjam sendiri.")
        require_active(get_member(session, application.guarantor_id))
    if application.product_id is not None:
        loan_products.check_term(
            loan_products.get_product(session, application.product_id), application.months
        )
    check = ceiling_check(
        session, member.id, application.principal, product_id=application.product_id
    )
    if not check.ok:
        raise NotAllowed(
            f"Pinjaman {format_rupiah(application.principal)} melebihi plafon: paling banyak "
            f"{check.multiple} x simpanan ({format_rupiah(check.savings)}) dikurangi sisa "
            f"pinjaman lain ({format_rupiah(check.outstanding)})."
        )
    provisi = (
        application.provisi
        if application.provisi is not None
        else apply_rate(application.principal, config.provisi_rate)
    )
    admin = application.admin_fee if application.admin_fee is not None else config.admin_fee
    if provisi < 0 or admin < 0 or provisi + admin >= application.principal:
        raise ValidationError("Provisi dan biaya administrasi harus di bawah pokok pinjaman.")
    loan = Loan(
        number=_next_loan_number(session, on.year),
        member_id=member.id,
        product_id=application.product_id,
        principal=application.principal,
        monthly_rate=str(application.monthly_rate),
        months=application.months,
        method=application.method,
        round_to=application.round_to if application.round_to is not None else config.round_to,
        provisi=provisi,
        admin_fee=admin,
        purpose=application.purpose.strip(),
        collateral=application.collateral.strip(),
        collateral_value=application.collateral_value,
        guarantor_id=application.guarantor_id,
        status=APPLIED,
        applied_on=on,
    )
    session.add(loan)
    session.flush()
    audit.record(
        session,
        by=by,
        action="pinjaman.ajukan",
        entity="loan",
        entity_id=loan.id,
        after={
            "number": loan.number,
            "member": member.number,
            "principal": loan.principal,
            "rate": loan.monthly_rate,
            "months": loan.months,
            "method": loan.method,
        },
    )
    return loan.id


def _decide(session: Session, loan: Loan, status: str, on: date, by: str, note: str) -> None:
    if loan.status != APPLIED:
        raise NotAllowed(f"Pinjaman {loan.number} berstatus {loan.status}, bukan pengajuan.")
    if on < loan.applied_on:
        raise ValidationError("Tanggal keputusan tidak boleh sebelum tanggal pengajuan.")
    loan.status = status
    loan.decided_on = on
    loan.decided_by = by
    loan.decided_at = datetime.now().replace(microsecond=0)
    loan.decision_note = note
    audit.record(
        session,
        by=by,
        action=f"pinjaman.{'setujui' if status == APPROVED else 'tolak'}",
        entity="loan",
        entity_id=loan.id,
        before={"status": APPLIED},
        after={"status": status, "date": on},
        note=note,
    )
    session.flush()


def approve(session: Session, loan_id: int, *, on: date, by: str, note: str = "") -> None:
    permissions.require(session, "pinjaman.putuskan")
    _decide(session, get_loan(session, loan_id), APPROVED, on, by, note.strip())


def reject(session: Session, loan_id: int, *, on: date, reason: str, by: str) -> None:
    permissions.require(session, "pinjaman.putuskan")
    if not reason.strip():
        raise ValidationError("Tulis alasan penolakan pinjaman.", field="reason")
    _decide(session, get_loan(session, loan_id), REJECTED, on, by, reason.strip())


# -- money moving ------------------------------------------------------------------


def disburse(session: Session, loan_id: int, *, on: date, by: str) -> Posted:
    """Pay the loan out (DOMAIN.md 3.2) and fix its schedule from this date."""
    loan = get_loan(session, loan_id)
    if loan.status == DISBURSED or loan.disbursed_on is not None:
        raise NotAllowed(f"Pinjaman {loan.number} sudah dicairkan.")
    if loan.status != APPROVED:
        raise NotAllowed(
            f"Pinjaman {loan.number} belum disetujui; cairkan setelah disetujui ketua."
        )
    member = get_member(session, loan.member_id)
    require_active(member, on)
    if loan.decided_on is not None and on < loan.decided_on:
        raise ValidationError("Tanggal pencairan tidak boleh sebelum tanggal persetujuan.")
    _store_schedule(session, loan, on)
    fees = loan.provisi + loan.admin_fee
    lines = [
        Line(PINJAMAN_ANGGOTA, loan.principal, member_id=member.id, loan_id=loan.id),
        Line(KAS, -(loan.principal - fees)),
    ]
    if fees:
        lines.append(Line(PROVISI_ADMIN, -fees, member_id=member.id, loan_id=loan.id))
    posted = post(
        session,
        Entry(
            date=on,
            kind="PC",
            memo=(
                f"Pencairan pinjaman {loan.number} {member.number} {member.name} "
                f"({METHOD_LABELS[loan.method]}, {loan.months} bulan)"
            ),
            member_id=member.id,
            lines=lines,
        ),
        by=by,
    )
    loan.status = DISBURSED
    loan.disbursed_on = on
    audit.record(
        session,
        by=by,
        action="pinjaman.cairkan",
        entity="loan",
        entity_id=loan.id,
        after={"status": DISBURSED, "date": on},
        note=posted.number,
    )
    session.flush()
    return posted


def _store_schedule(session: Session, loan: Loan, disbursed: date) -> None:
    schedule = build_schedule(
        loan.principal,
        Decimal(loan.monthly_rate),
        loan.months,
        loan.method,
        disbursed,
        round_to=loan.round_to,
    )
    session.add_all(
        LoanInstallment(
            loan_id=loan.id, k=i.k, due=i.due, principal=i.principal, interest=i.interest
        )
        for i in schedule.installments
    )
    session.flush()


def _require_repayable(loan: Loan, on: date) -> None:
    if loan.status in (PAID_OFF,):
        raise NotAllowed(f"Pinjaman {loan.number} sudah lunas.")
    if loan.status == WRITTEN_OFF:
        raise NotAllowed(
            f"Pinjaman {loan.number} sudah dihapusbukukan; catat penerimaannya sebagai pemulihan."
        )
    if loan.status != DISBURSED or loan.disbursed_on is None:
        raise NotAllowed(f"Pinjaman {loan.number} belum dicairkan.")
    if on < loan.disbursed_on:
        raise ValidationError(
            f"Tanggal bayar {dates.format_date(on)} sebelum pinjaman dicairkan "
            f"({dates.format_date(loan.disbursed_on)})."
        )


def preview_repayment(
    session: Session, loan_id: int, amount: int, on: date
) -> tuple[list[Allocation], int]:
    """How ``amount`` would split, and the denda the screen should propose."""
    loan = get_loan(session, loan_id)
    states = installment_states(session, loan)
    parts = allocate_payment(states, amount)
    config = loan_settings(session)
    fine = penalty(
        parts,
        states,
        on,
        daily_rate=config.penalty_daily_rate,
        grace_days=config.penalty_grace_days,
    )
    return parts, fine


def repay(
    session: Session,
    loan_id: int,
    amount: int,
    *,
    on: date,
    by: str,
    penalty_paid: int = 0,
    penalty_waived_reason: str = "",
) -> Posted:
    """One repayment: installments oldest first, interest before principal; plus any denda."""
    loan = get_loan(session, loan_id)
    _require_repayable(loan, on)
    require_amount(amount, "Jumlah angsuran")
    states = installment_states(session, loan)
    owed = sum(s.unpaid for s in states)
    if amount > owed:
        raise NotAllowed(
            f"Pembayaran {format_rupiah(amount)} lebih besar dari seluruh sisa kewajiban "
            f"pinjaman {loan.number} ({format_rupiah(owed)}). Gunakan pelunasan."
        )
    if penalty_paid < 0:
        raise ValidationError("Denda tidak boleh minus.")
    parts = allocate_payment(states, amount)
    interest = sum(p.interest for p in parts)
    principal = sum(p.principal for p in parts)
    member = get_member(session, loan.member_id)
    lines = [Line(KAS, amount + penalty_paid)]
    if interest:
        lines.append(Line(JASA_PINJAMAN, -interest, member_id=member.id, loan_id=loan.id))
    if principal:
        lines.append(Line(PINJAMAN_ANGGOTA, -principal, member_id=member.id, loan_id=loan.id))
    if penalty_paid:
        lines.append(Line(DENDA, -penalty_paid, member_id=member.id, loan_id=loan.id))
    ks = ", ".join(str(p.k) for p in parts)
    memo = f"Angsuran {loan.number} {member.number} {member.name} (angsuran ke-{ks})"
    if penalty_waived_reason.strip():
        memo += f"; denda dibebaskan: {penalty_waived_reason.strip()}"
    posted = post(
        session,
        Entry(date=on, kind="AN", memo=memo, member_id=member.id, lines=lines),
        by=by,
    )
    if amount == owed or outstanding_principal(session, loan.id) == 0:
        loan.status = PAID_OFF
        loan.closed_on = on
    if penalty_waived_reason.strip():
        audit.record(
            session,
            by=by,
            action="pinjaman.denda_dibebaskan",
            entity="loan",
            entity_id=loan.id,
            note=f"{posted.number}: {penalty_waived_reason.strip()}",
        )
    session.flush()
    return posted


def payoff_amount(session: Session, loan_id: int, on: date) -> Payoff:
    """Remaining principal + unpaid interest already due + the next installment's interest."""
    loan = get_loan(session, loan_id)
    states = installment_states(session, loan)
    principal = sum(s.unpaid_principal for s in states)
    due_interest = sum(s.unpaid_interest for s in states if s.due <= on)
    later = [s for s in states if s.due > on and s.unpaid_interest]
    if loan_settings(session).waive_future_interest_on_payoff:
        next_interest = later[0].unpaid_interest if later else 0
    else:
        next_interest = sum(s.unpaid_interest for s in later)
    return Payoff(principal, due_interest, next_interest)


def pay_off(
    session: Session,
    loan_id: int,
    *,
    on: date,
    by: str,
    penalty_paid: int = 0,
    penalty_waived_reason: str = "",
) -> Posted:
    """Pelunasan dipercepat: settle everything now; later interest is waived (setting)."""
    loan = get_loan(session, loan_id)
    _require_repayable(loan, on)
    if penalty_paid < 0:
        raise ValidationError("Denda tidak boleh minus.")
    amount = payoff_amount(session, loan_id, on)
    member = get_member(session, loan.member_id)
    interest = amount.interest_due + amount.next_interest
    lines = [Line(KAS, amount.total + penalty_paid)]
    if interest:
        lines.append(Line(JASA_PINJAMAN, -interest, member_id=member.id, loan_id=loan.id))
    if amount.principal:
        lines.append(
            Line(PINJAMAN_ANGGOTA, -amount.principal, member_id=member.id, loan_id=loan.id)
        )
    if penalty_paid:
        lines.append(Line(DENDA, -penalty_paid, member_id=member.id, loan_id=loan.id))
    posted = post(
        session,
        Entry(
            date=on,
            kind="AN",
            memo=f"Pelunasan pinjaman {loan.number} {member.number} {member.name}"
            + (
                f"; denda dibebaskan: {penalty_waived_reason.strip()}"
                if penalty_waived_reason.strip()
                else ""
            ),
            member_id=member.id,
            lines=lines,
        ),
        by=by,
    )
    loan.status = PAID_OFF
    loan.closed_on = on
    if penalty_waived_reason.strip():
        audit.record(
            session,
            by=by,
            action="pinjaman.denda_dibebaskan",
            entity="loan",
            entity_id=loan.id,
            note=f"{posted.number}: {penalty_waived_reason.strip()}",
        )
    audit.record(
        session,
        by=by,
        action="pinjaman.lunasi",
        entity="loan",
        entity_id=loan.id,
        after={"status": PAID_OFF, "total": amount.total},
        note=posted.number,
    )
    session.flush()
    return posted


def write_off(session: Session, loan_id: int, *, on: date, reason: str, by: str) -> Posted:
    """Hapus buku a Macet loan by decision: Dr 1-139 CKPN, Cr 1-131."""
    loan = get_loan(session, loan_id)
    _require_repayable(loan, on)
    if not reason.strip():
        raise ValidationError("Tulis dasar keputusan hapus buku.", field="reason")
    states = installment_states(session, loan, on)
    klass = classify(loan, days_past_due(states, on), loan_settings(session).classification)
    if klass != MACET:
        raise NotAllowed(
            f"Pinjaman {loan.number} berkolektibilitas {klass}; hanya pinjaman Macet yang dapat "
            "dihapusbukukan."
        )
    left = outstanding_principal(session, loan.id)
    member = get_member(session, loan.member_id)
    posted = post(
        session,
        Entry(
            date=on,
            kind="HB",
            memo=(
                f"Hapus buku pinjaman {loan.number} {member.number} {member.name}: {reason.strip()}"
            ),
            member_id=member.id,
            lines=[
                Line(CKPN, left, member_id=member.id, loan_id=loan.id),
                Line(PINJAMAN_ANGGOTA, -left, member_id=member.id, loan_id=loan.id),
            ],
        ),
        by=by,
    )
    loan.status = WRITTEN_OFF
    loan.closed_on = on
    audit.record(
        session,
        by=by,
        action="pinjaman.hapus_buku",
        entity="loan",
        entity_id=loan.id,
        after={"status": WRITTEN_OFF, "principal": left},
        note=f"{posted.number}: {reason.strip()}",
    )
    session.flush()
    return posted


def recover(session: Session, loan_id: int, amount: int, *, on: date, by: str) -> Posted:
    """Money received later on a written-off loan: Dr Kas, Cr 4-902."""
    loan = get_loan(session, loan_id)
    if loan.status != WRITTEN_OFF:
        raise NotAllowed(f"Pinjaman {loan.number} tidak dihapusbukukan.")
    require_amount(amount, "Jumlah pemulihan")
    member = session.get(Member, loan.member_id)
    assert member is not None
    return post(
        session,
        Entry(
            date=on,
            kind="KM",
            memo=f"Penerimaan pinjaman dihapusbukukan {loan.number} {member.number} {member.name}",
            member_id=member.id,
            lines=[
                Line(KAS, amount),
                Line(RECOVERY, -amount, member_id=member.id, loan_id=loan.id),
            ],
        ),
        by=by,
    )


def override_class(session: Session, loan_id: int, klass: str, *, reason: str, by: str) -> None:
    """A judged kolektibilitas (the regulation's D/M classes), or "" to go back to DPD."""
    permissions.require(session, "pinjaman.kolektibilitas")
    loan = get_loan(session, loan_id)
    if klass and klass not in CLASSES:
        raise ValidationError("Kolektibilitas harus Lancar, Kurang Lancar, Diragukan atau Macet.")
    if klass and not reason.strip():
        raise ValidationError("Tulis alasan penetapan kolektibilitas manual.", field="reason")
    before = {"class": loan.class_override, "reason": loan.class_override_reason}
    loan.class_override = klass
    loan.class_override_reason = reason.strip() if klass else ""
    audit.record(
        session,
        by=by,
        action="pinjaman.kolektibilitas",
        entity="loan",
        entity_id=loan.id,
        before=before,
        after={"class": klass, "reason": loan.class_override_reason},
    )
    session.flush()


def loan_due_summary(session: Session, loan_id: int, on: date) -> tuple[int, int, int]:
    """(arrears, DPD, installments overdue) of one loan on a date, for dialogs."""
    loan = get_loan(session, loan_id)
    states = installment_states(session, loan, on)
    return (
        arrears(states, on),
        days_past_due(states, on),
        sum(1 for s in states if s.due < on and not s.is_paid),
    )


# -- member exit ---------------------------------------------------------------


@dataclass(frozen=True)
class LoanDebt:
    loan_id: int
    number: str
    principal: int
    interest_due: int

    @property
    def total(self) -> int:
        return self.principal + self.interest_due


def member_debts(session: Session, member_id: int, on: date) -> list[LoanDebt]:
    """What a member still owes on each running loan: principal + interest already due."""
    debts = []
    for loan in session.scalars(
        select(Loan)
        .where(Loan.member_id == member_id, Loan.status == DISBURSED)
        .order_by(Loan.disbursed_on, Loan.id)
    ):
        states = installment_states(session, loan)
        principal = sum(s.unpaid_principal for s in states)
        interest = sum(s.unpaid_interest for s in states if s.due <= on)
        debts.append(LoanDebt(loan.id, loan.number, principal, interest))
    return debts


def settle_from_savings(
    session: Session, member_id: int, available: int, on: date
) -> tuple[list[Line], int]:
    """Lines that pay the member's loans out of his savings on exit, and the amount used.

    Enough savings clear every loan (interest not yet due is waived, as on a
    payoff) and mark them lunas; too little pays the oldest loan first in the
    usual order, and the rest stays owed.
    """
    lines: list[Line] = []
    used = 0
    for debt in member_debts(session, member_id, on):
        loan = get_loan(session, debt.loan_id)
        if available - used >= debt.total:
            interest, principal = debt.interest_due, debt.principal
            loan.status = PAID_OFF
            loan.closed_on = on
        else:
            parts = allocate_payment(installment_states(session, loan), available - used)
            interest = sum(p.interest for p in parts)
            principal = sum(p.principal for p in parts)
        if interest:
            lines.append(Line(JASA_PINJAMAN, -interest, member_id=member_id, loan_id=loan.id))
        if principal:
            lines.append(Line(PINJAMAN_ANGGOTA, -principal, member_id=member_id, loan_id=loan.id))
        used += interest + principal
        if used >= available:
            break
    return lines, used
