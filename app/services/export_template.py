"""A book written out in the import workbook's format (issue 7's round trip).

``export_book(session)`` returns the bytes of an .xlsx that ``importer`` reads
back into an empty book so that the trial balance, every member's savings and
every loan's outstanding principal come out identical.

The Transaksi sheet of CONTRACT.md can say savings deposits and withdrawals,
installments allocated oldest first, denda, cash income and expenses, and a
member's exit paid in cash. Some events of a real book cannot be said there:

- a loan write-off (hapus buku, Dr 1-139 / Cr 1-131) and the allowance entries
  (PPAP, Dr 5-104 / Cr 1-139);
- an early payoff whose later interest was waived (its split is not "oldest
  installment first");
- an exit whose refund is owed (2-171) or that is recorded as died/dismissed;
- reversals, general journal entries, SHU postings, closing entries, and any
  other kind of entry.

So the workbook starts from a **cut-over date**: the Saldo Awal sheet holds
every account's balance at the end of the day of the last such event, the loans
disbursed by then are migrated loans, and only the events after it are
Transaksi rows. When nothing like that happened, there is no Saldo Awal and the
whole history is exported as transactions.

What the format cannot carry at all, and is therefore not round-tripped: loans
written off or never disbursed (their balances are in the Saldo Awal), members
who left before the cut-over (nothing of theirs is in the opening neraca),
a migrated loan's real payoff date (it is closed on the cut-over date), purpose,
collateral and guarantor of loans, heirs, roles and positions of members, memos,
entry numbers, and settings (savings rates, loan settings, products, users).

A loan that is part way through an installment at the cut-over (a partial
payment) is carried as a migrated loan with its whole installments paid plus
one ANGSURAN row on the cut-over date for the part paid; the Saldo Awal's Kas
and 4-101 are lowered by that part, so every balance still agrees to the rupiah.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.ledger.chart import (
    KAS,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
)
from app.models import Account, JournalEntry, JournalLine, Loan, LoanInstallment, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.services import loans as loan_service
from app.services.import_template import (
    ANGGOTA,
    DATE_FORMAT,
    HEADERS,
    MONEY_FORMAT,
    PINJAMAN,
    SALDO_AWAL,
    TRANSAKSI,
    build_template,
)
from app.services.loan_state import Due, allocate_payment, fill
from app.services.schedule import build_schedule

JASA_PINJAMAN = loan_service.JASA_PINJAMAN
DENDA = loan_service.DENDA
PROVISI_ADMIN = loan_service.PROVISI_ADMIN
SAVINGS = (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)
DEPOSIT_KIND = {
    SIMPANAN_POKOK: "SETOR_POKOK",
    SIMPANAN_WAJIB: "SETOR_WAJIB",
    SIMPANAN_SUKARELA: "SETOR_SUKARELA",
}
KIND_NAMES = {
    "AN": "pelunasan dipercepat",
    "KL": "anggota keluar tanpa pembayaran tunai",
    "KM": "kas masuk lain",
    "KK": "kas keluar lain",
    "HB": "hapus buku pinjaman",
    "JU": "jurnal umum (misalnya penyisihan PPAP)",
    "RV": "pembatalan jurnal",
    "SA": "saldo awal",
}


@dataclass(frozen=True)
class _Line:
    code: str
    amount: int
    member_id: int | None
    loan_id: int | None


@dataclass(frozen=True)
class _Entry:
    id: int
    on: date
    kind: str
    lines: tuple[_Line, ...]


@dataclass
class _LoanInfo:
    id: int
    number: str
    member_id: int
    principal: int
    rate: Decimal
    months: int
    method: str
    provisi: int
    admin_fee: int
    status: str
    disbursed_on: date | None
    schedule: list[Due]
    cutover_paid: int  # paid before an earlier cut-over (a book that was itself imported)
    rebuilt: bool  # the importer would rebuild exactly this schedule


# One Transaksi row: date, Jenis, member, loan, account, amount, note.
Row = tuple[date, str, str | None, str | None, str | None, int | None, str]


@dataclass(frozen=True)
class BookExport:
    """What ``export_plan`` decided; ``data`` is the workbook."""

    data: bytes
    cutover: date | None
    members: int
    loans: int
    transactions: int
    # Why the cut-over is where it is, and what the workbook leaves out.
    notes: tuple[str, ...] = field(default=())


def export_book(session: Session) -> bytes:
    """The book as an import workbook (see the module's docstring for the cut-over)."""
    return export_plan(session).data


def export_plan(session: Session) -> BookExport:
    return _Exporter(session).run()


class _Exporter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.today = dates.today()
        self.round_to = loan_service.loan_settings(session).round_to
        self.accounts = {
            acc_id: (code, normal, name)
            for acc_id, code, normal, name in session.execute(
                select(Account.id, Account.code, Account.normal, Account.name)
            )
        }
        self.members = {m.id: m for m in session.scalars(select(Member).order_by(Member.number))}
        self.entries = self._entries()
        self.loans = self._loans()
        self.notes: list[str] = []

    # -- reading the book ---------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        lines: dict[int, list[_Line]] = defaultdict(list)
        for entry_id, account_id, amount, member_id, loan_id in self.session.execute(
            select(
                JournalLine.entry_id,
                JournalLine.account_id,
                JournalLine.amount,
                JournalLine.member_id,
                JournalLine.loan_id,
            ).order_by(JournalLine.entry_id, JournalLine.line_no)
        ):
            code = self.accounts[account_id][0]
            lines[entry_id].append(_Line(code, int(amount), member_id, loan_id))
        return [
            _Entry(entry_id, on, kind, tuple(lines[entry_id]))
            for entry_id, on, kind in self.session.execute(
                select(JournalEntry.id, JournalEntry.date, JournalEntry.kind).order_by(
                    JournalEntry.date, JournalEntry.id
                )
            )
        ]

    def _loans(self) -> dict[int, _LoanInfo]:
        schedules: dict[int, list[Due]] = defaultdict(list)
        for loan_id, k, due, principal, interest in self.session.execute(
            select(
                LoanInstallment.loan_id,
                LoanInstallment.k,
                LoanInstallment.due,
                LoanInstallment.principal,
                LoanInstallment.interest,
            ).order_by(LoanInstallment.loan_id, LoanInstallment.k)
        ):
            schedules[loan_id].append(Due(k, due, principal, interest))
        result = {}
        for loan in self.session.scalars(select(Loan).order_by(Loan.id)):
            schedule = schedules.get(loan.id, [])
            rate = Decimal(loan.monthly_rate)
            rebuilt = False
            if loan.disbursed_on is not None and schedule:
                again = build_schedule(
                    loan.principal,
                    rate,
                    loan.months,
                    loan.method,
                    loan.disbursed_on,
                    round_to=self.round_to,
                )
                rebuilt = [
                    Due(i.k, i.due, i.principal, i.interest) for i in again.installments
                ] == schedule
            result[loan.id] = _LoanInfo(
                id=loan.id,
                number=loan.number,
                member_id=loan.member_id,
                principal=loan.principal,
                rate=rate,
                months=loan.months,
                method=loan.method,
                provisi=loan.provisi,
                admin_fee=loan.admin_fee,
                status=loan.status,
                disbursed_on=loan.disbursed_on,
                schedule=schedule,
                cutover_paid=sum(d.amount for d in schedule[: loan.paid_before_cutover]),
                rebuilt=rebuilt,
            )
        return result

    # -- what each entry says in the Transaksi sheet -----------------------------------

    def _rows(self, entry: _Entry, repaid: dict[int, int]) -> list[Row] | None:
        """The Transaksi rows that post exactly ``entry``, or None when there are none."""
        on, lines = entry.on, entry.lines
        cash = sum(line.amount for line in lines if line.code == KAS)
        others = [line for line in lines if line.code != KAS]
        if entry.kind == "ST":
            if cash <= 0 or any(
                line.code not in SAVINGS or line.member_id is None or line.amount >= 0
                for line in others
            ):
                return None
            return [
                (
                    on,
                    DEPOSIT_KIND[line.code],
                    self._member_no(line.member_id),
                    None,
                    None,
                    -line.amount,
                    "",
                )
                for line in others
            ]
        if entry.kind == "TR":
            if len(others) != 1 or others[0].code != SIMPANAN_SUKARELA or cash >= 0:
                return None
            return [
                (on, "TARIK_SUKARELA", self._member_no(others[0].member_id), None, None, -cash, "")
            ]
        if entry.kind == "AN":
            return self._repayment(entry, repaid)
        if entry.kind in ("KM", "KK") and len(others) == 1 and others[0].amount == -cash:
            line = others[0]
            if line.code == DENDA and line.loan_id in self.loans and cash > 0:
                loan = self.loans[line.loan_id]
                return [(on, "DENDA", None, loan.number, None, cash, "")]
            if line.code.startswith("4-") and line.code != JASA_PINJAMAN and cash > 0:
                # A recovery of a written-off loan (4-902) names the loan; the sheet need not.
                return [(on, "PENDAPATAN", None, None, line.code, cash, "")]
            if line.code.startswith("5-") and cash < 0 and line.loan_id is None:
                return [(on, "BEBAN", None, None, line.code, -cash, "")]
            return None
        if entry.kind == "KL":
            return self._exit(entry, repaid)
        return None

    def _repayment(self, entry: _Entry, repaid: dict[int, int]) -> list[Row] | None:
        loan_ids = {line.loan_id for line in entry.lines if line.code != KAS}
        if len(loan_ids) != 1:
            return None
        loan = self.loans.get(next(iter(loan_ids)) or 0)
        if loan is None or not loan.rebuilt:
            return None
        interest = -sum(line.amount for line in entry.lines if line.code == JASA_PINJAMAN)
        principal = -sum(line.amount for line in entry.lines if line.code == PINJAMAN_ANGGOTA)
        penalty = -sum(line.amount for line in entry.lines if line.code == DENDA)
        known = {KAS, JASA_PINJAMAN, PINJAMAN_ANGGOTA, DENDA}
        if any(line.code not in known for line in entry.lines) or interest + principal <= 0:
            return None
        states = fill(loan.schedule, loan.cutover_paid + repaid.get(loan.id, 0))
        parts = allocate_payment(states, interest + principal)
        if (sum(p.interest for p in parts), sum(p.principal for p in parts)) != (
            interest,
            principal,
        ):
            return None  # a payoff with later interest waived: not "oldest first"
        rows: list[Row] = [
            (entry.on, "ANGSURAN", None, loan.number, None, interest + principal, "")
        ]
        if penalty:
            rows.append((entry.on, "DENDA", None, loan.number, None, penalty, ""))
        return rows

    def _exit(self, entry: _Entry, repaid: dict[int, int]) -> list[Row] | None:
        members = {line.member_id for line in entry.lines if line.member_id is not None}
        if len(members) != 1:
            return None
        member = self.members[next(iter(members))]
        if member.status != "keluar" or member.status_date != entry.on:
            return None
        allowed = {KAS, *SAVINGS, JASA_PINJAMAN, PINJAMAN_ANGGOTA}
        if any(line.code not in allowed for line in entry.lines):
            return None
        # The importer settles loans as loans.settle_from_savings: every principal, and
        # the interest of installments already due.
        for loan_id in {line.loan_id for line in entry.lines if line.loan_id is not None}:
            loan = self.loans.get(loan_id)
            if loan is None or not loan.rebuilt:
                return None
            states = fill(loan.schedule, loan.cutover_paid + repaid.get(loan_id, 0))
            principal = sum(s.unpaid_principal for s in states)
            interest = sum(s.unpaid_interest for s in states if s.due <= entry.on)
            lines = [line for line in entry.lines if line.loan_id == loan_id]
            got_principal = -sum(x.amount for x in lines if x.code == PINJAMAN_ANGGOTA)
            got_interest = -sum(x.amount for x in lines if x.code == JASA_PINJAMAN)
            if (got_principal, got_interest) != (principal, interest):
                return None
        refund = -sum(line.amount for line in entry.lines if line.code == KAS)
        return [(entry.on, "KELUAR", member.number, None, None, refund or None, "")]

    def _member_no(self, member_id: int | None) -> str:
        assert member_id is not None
        return self.members[member_id].number

    # -- the cut-over -------------------------------------------------------------------

    def run(self) -> BookExport:
        repaid: dict[int, int] = defaultdict(int)
        said: dict[int, list[Row]] = {}
        unsaid: list[tuple[date, str]] = []
        for entry in self.entries:
            pc = entry.kind == "PC"
            rows = self._disbursement_ok(entry) if pc else self._rows(entry, repaid)
            if rows is None:
                unsaid.append((entry.on, entry.kind))
            else:
                said[entry.id] = rows
            if entry.kind in ("AN", "KL"):
                for line in entry.lines:
                    if line.loan_id is not None and line.code in (
                        JASA_PINJAMAN,
                        PINJAMAN_ANGGOTA,
                    ):
                        repaid[line.loan_id] -= line.amount
        cutover: date | None = None
        if unsaid:
            last = max(on for on, _ in unsaid)
            kinds = sorted({kind for _, kind in unsaid})
            cutover = last
            disbursed_on = {e.on for e in self.entries if e.kind == "PC"}
            # A loan disbursed on the cut-over day would be read as a new loan.
            while cutover in disbursed_on:
                cutover += timedelta(days=1)
            if cutover > self.today:
                raise ValidationError(
                    f"Buku ini tidak dapat diekspor: pencairan pinjaman pada "
                    f"{dates.format_date(last)} sesudah kejadian yang tidak dapat ditulis di "
                    "lembar Transaksi. Coba lagi besok."
                )
            self.notes.append(
                f"Saldo awal per {dates.format_date(cutover)}: sampai tanggal itu buku memuat "
                f"{len(unsaid)} jurnal yang tidak dapat ditulis di lembar Transaksi ("
                + ", ".join(KIND_NAMES.get(k, k) for k in kinds)
                + ")."
            )
        return self._write(cutover, said)

    def _disbursement_ok(self, entry: _Entry) -> list[Row] | None:
        loan_ids = {line.loan_id for line in entry.lines if line.code == PINJAMAN_ANGGOTA}
        if len(loan_ids) != 1:
            return None
        loan = self.loans.get(next(iter(loan_ids)) or 0)
        if loan is None or not loan.rebuilt or loan.disbursed_on != entry.on:
            return None
        fees = loan.provisi + loan.admin_fee
        expected = {
            (PINJAMAN_ANGGOTA, loan.principal),
            (KAS, -(loan.principal - fees)),
        }
        if fees:
            expected.add((PROVISI_ADMIN, -fees))
        if {(line.code, line.amount) for line in entry.lines} != expected or len(
            entry.lines
        ) != len(expected):
            return None
        return []  # said by the Pinjaman sheet

    # -- writing --------------------------------------------------------------------

    def _write(self, cutover: date | None, said: dict[int, list[Row]]) -> BookExport:
        before = [e for e in self.entries if cutover is not None and e.on <= cutover]
        after = [e for e in self.entries if cutover is None or e.on > cutover]
        left_before = {
            m.id
            for m in self.members.values()
            if m.status != "aktif" and cutover is not None and (m.status_date or cutover) <= cutover
        }
        members = [m for m in self.members.values() if m.id not in left_before]
        if left_before:
            self.notes.append(
                f"{len(left_before)} anggota yang keluar sebelum tanggal saldo awal tidak ditulis "
                "(tidak ada saldonya di neraca)."
            )

        repaid: dict[int, int] = defaultdict(int)
        balances: dict[str, int] = defaultdict(int)
        savings: dict[tuple[int, str], int] = defaultdict(int)
        outstanding: dict[int, int] = defaultdict(int)
        for entry in before:
            for line in entry.lines:
                balances[line.code] += line.amount
                if line.code in SAVINGS and line.member_id is not None:
                    savings[(line.member_id, line.code)] += line.amount
                if line.loan_id is not None and line.code == PINJAMAN_ANGGOTA:
                    outstanding[line.loan_id] += line.amount
                if (
                    entry.kind in ("AN", "KL")
                    and line.loan_id is not None
                    and line.code in (JASA_PINJAMAN, PINJAMAN_ANGGOTA)
                ):
                    repaid[line.loan_id] -= line.amount

        loan_rows: list[tuple[object, ...]] = []
        tx_rows: list[Row] = []
        opening_1131 = 0
        partial_cash = partial_interest = 0
        skipped: defaultdict[str, int] = defaultdict(int)
        for loan in self.loans.values():
            if loan.disbursed_on is None or loan.status not in (DISBURSED, PAID_OFF, WRITTEN_OFF):
                skipped["belum dicairkan"] += 1
                continue
            member = self.members[loan.member_id]
            if cutover is None or loan.disbursed_on > cutover:
                loan_rows.append(self._loan_row(loan, member.number, 0))
                continue
            if loan.status == WRITTEN_OFF or loan.member_id in left_before:
                if outstanding.get(loan.id, 0):
                    raise ValidationError(
                        f"Pinjaman {loan.number} masih bersisa pokok pada tanggal saldo awal, "
                        "padahal anggotanya sudah keluar atau pinjamannya sudah dihapusbukukan."
                    )
                skipped[
                    "dihapusbukukan" if loan.status == WRITTEN_OFF else "milik anggota keluar"
                ] += 1
                continue
            left = outstanding.get(loan.id, 0)
            if left == 0:
                loan_rows.append(self._loan_row(loan, member.number, loan.months))
                continue
            if not loan.rebuilt:
                raise ValidationError(
                    f"Jadwal angsuran pinjaman {loan.number} tidak sama dengan jadwal yang "
                    "dibuat ulang oleh impor (pembulatan angsuran berbeda); buku ini tidak "
                    "dapat diekspor."
                )
            states = fill(loan.schedule, loan.cutover_paid + repaid.get(loan.id, 0))
            whole = 0
            for state in states:
                if state.unpaid:
                    break
                whole += 1
            partial = states[whole] if whole < len(states) else None
            part_interest = partial.paid_interest if partial else 0
            part_principal = partial.paid_principal if partial else 0
            remaining = loan.principal - sum(d.principal for d in loan.schedule[:whole])
            if remaining - part_principal != left:
                raise ValidationError(
                    f"Sisa pokok pinjaman {loan.number} di buku ({left}) tidak sama dengan "
                    "sisa menurut jadwalnya; buku ini tidak dapat diekspor."
                )
            opening_1131 += remaining
            loan_rows.append(self._loan_row(loan, member.number, whole))
            if part_interest + part_principal:
                partial_cash += part_interest + part_principal
                partial_interest += part_interest
                tx_rows.append(
                    (
                        cutover,
                        "ANGSURAN",
                        None,
                        loan.number,
                        None,
                        part_interest + part_principal,
                        "Bagian angsuran yang sudah dibayar sebelum tanggal saldo awal",
                    )
                )
        for reason, count in skipped.items():
            self.notes.append(f"{count} pinjaman {reason} tidak ditulis di lembar Pinjaman.")

        opening_rows: list[tuple[object, ...]] = []
        if cutover is not None:
            balances[KAS] -= partial_cash
            balances[JASA_PINJAMAN] += partial_interest
            by_code = {code: (normal, name) for code, normal, name in self.accounts.values()}
            for code in sorted(balances):
                if code in SAVINGS:
                    continue
                signed = opening_1131 if code == PINJAMAN_ANGGOTA else balances[code]
                if signed:
                    normal = by_code[code][0]
                    opening_rows.append((cutover, code, None, signed if normal == "D" else -signed))
            for member in members:
                for code in SAVINGS:
                    amount = -savings.get((member.id, code), 0)
                    if amount:
                        opening_rows.append((cutover, code, member.number, amount))
            if PINJAMAN_ANGGOTA not in balances and opening_1131:
                opening_rows.append((cutover, PINJAMAN_ANGGOTA, None, opening_1131))

        for entry in after:
            rows = said.get(entry.id)
            if rows is None:  # only possible before the cut-over
                raise AssertionError(f"entry {entry.id} cannot be exported")
            tx_rows.extend(rows)

        data = _workbook(members, opening_rows, loan_rows, tx_rows)
        return BookExport(
            data=data,
            cutover=cutover,
            members=len(members),
            loans=len(loan_rows),
            transactions=len(tx_rows),
            notes=tuple(self.notes),
        )

    def _loan_row(self, loan: _LoanInfo, member_no: str, paid: int) -> tuple[object, ...]:
        assert loan.disbursed_on is not None
        return (
            loan.number,
            member_no,
            loan.disbursed_on,
            loan.principal,
            loan.rate * 100,  # Decimal: openpyxl writes it as the number it is
            loan.method,
            loan.months,
            loan.provisi,
            loan.admin_fee,
            paid,
        )


def _workbook(
    members: list[Member],
    opening: list[tuple[object, ...]],
    loans: list[tuple[object, ...]],
    transactions: list[Row],
) -> bytes:
    wb = build_template()
    sheets: dict[str, Sequence[tuple[object, ...]]] = {
        ANGGOTA: [
            (
                m.number,
                m.nik,
                m.name,
                m.sex,
                m.birth_place,
                m.birth_date,
                m.address,
                m.rt,
                m.rw,
                m.dusun,
                m.occupation,
                m.phone,
                m.joined_on,
            )
            for m in members
        ],
        SALDO_AWAL: opening,
        PINJAMAN: loans,
        TRANSAKSI: transactions,
    }
    for name, rows in sheets.items():
        ws = wb[name]
        ws.delete_rows(2)  # the example row
        headers = HEADERS[name]
        for number, row in enumerate(rows, start=2):  # (ws.max_row walks every cell)
            ws.append(list(row))
            for col, header in enumerate(headers, start=1):
                cell = ws.cell(number, col)
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a memo or name, not a formula
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(cell.value, int) and header in (
                    "Jumlah",
                    "Pokok",
                    "Provisi",
                    "Administrasi",
                ):
                    cell.number_format = MONEY_FORMAT
                elif header in ("No. Anggota", "NIK", "No. HP", "RT", "RW", "No. Pinjaman"):
                    cell.number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
