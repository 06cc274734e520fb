"""Everything the RAT book and the RAT workbook print for one year, in one dataclass.

``build_rat_book`` runs the queries; the renderers (``reports/pdf``,
``reports/xlsx``) only read the ``RatBook`` it returns. A year still open is
reported too: ``closed`` is False and every page says "belum tutup buku".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.queries import statements as q
from app.queries.ledger import TrialBalance, trial_balance
from app.reports.build_calk import Calk, build_calk
from app.reports.build_loans import KolektibilitasSummary, LoansRecap, build_loans
from app.reports.build_members import (
    MemberList,
    MembershipMovement,
    member_list,
    membership_movement,
)
from app.reports.build_savings import SavingsRecap, savings_recap
from app.reports.build_shu import ShuReport, shu_report
from app.reports.build_statements import FinancialStatements, build_statements
from app.reports.build_trends import YearFigures, build_trends
from app.reports.checks import ReportCheck, statement_checks
from app.services import settings
from app.services.closing import year_closed
from app.services.settings import Profile

OPEN_YEAR_MARK = "belum tutup buku"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RatBook:
    year: int
    closed: bool  # False: print OPEN_YEAR_MARK on every page
    generated_on: date
    profile: Profile  # name, desa, officers (Ketua, Sekretaris, Bendahara, pengawas)
    rat_date: date | None  # the SHU distribution's date once the RAT has approved it
    membership: MembershipMovement
    statements: FinancialStatements
    calk: Calk
    trial_balance: TrialBalance  # Neraca Saldo on 31/12, before the closing entry
    savings: SavingsRecap
    loans: LoansRecap
    kolektibilitas: KolektibilitasSummary
    shu: ShuReport
    members: MemberList
    trends: tuple[YearFigures, ...] = ()  # the last five year ends, oldest first (charts)
    # The cooperative's logo as PNG bytes (Pengaturan), None when none is set.
    logo: bytes | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return (
            "Laporan Pertanggungjawaban Pengurus dan Pengawas, Rapat Anggota Tahunan "
            f"Tahun Buku {self.year}"
        )

    @property
    def status_mark(self) -> str:
        """What every page says about the year: "" when closed."""
        return "" if self.closed else OPEN_YEAR_MARK

    @property
    def signing_place_date(self) -> str:
        """ "<Desa>, <tanggal panjang>" above the signature blocks."""
        when = self.rat_date or self.generated_on
        return f"{self.profile.place()}, {dates.format_date_long(when)}"

    def checks(self) -> tuple[ReportCheck, ...]:
        return statement_checks(self.statements, self.membership)


def _check_year(year: int) -> None:
    if year < 1900 or year > dates.today().year:
        raise ValidationError(
            f"Tahun buku {year} tidak dapat dilaporkan: tulis tahun yang sudah berjalan, "
            f"paling lambat {dates.today().year}."
        )


def build_rat_book(
    session: Session, year: int, *, progress: Progress | None = None, charts: bool = True
) -> RatBook:
    """Every figure of the RAT book of ``year`` (statements with the year before).

    ``charts=False`` leaves out the five-year trends, which only the PDF draws: the
    workbooks do not need them, and on a big book they are a third of the reading.
    """
    _check_year(year)

    def step(what: str) -> None:
        if progress is not None:
            progress(what)

    closed = year_closed(session, year)
    profile = settings.get_profile(session)
    people = q.all_members(session)
    step("Laporan keuangan")
    statements = build_statements(session, year, closed=closed)
    membership = membership_movement(people, year)
    step("Neraca saldo")
    trial = trial_balance(session, date(year, 12, 31), before_closing=True)
    step("Rekap simpanan")
    savings = savings_recap(session, year, people)
    step("Rekap pinjaman dan kolektibilitas")
    loans, kolektibilitas = build_loans(session, year)
    step("Pembagian SHU")
    shu = shu_report(session, year, people)
    trends: tuple[YearFigures, ...] = ()
    if charts:
        step("Lima tahun terakhir")
        trends = build_trends(session, year, people)
    calk = build_calk(
        session, profile, statements, kolektibilitas, savings, shu, membership.end.total
    )
    return RatBook(
        year=year,
        closed=closed,
        generated_on=dates.today(),
        profile=profile,
        rat_date=shu.distributed_on,
        membership=membership,
        statements=statements,
        calk=calk,
        trial_balance=trial,
        savings=savings,
        loans=loans,
        kolektibilitas=kolektibilitas,
        shu=shu,
        members=member_list(people, year),
        trends=trends,
        logo=settings.get_logo(session),
    )
