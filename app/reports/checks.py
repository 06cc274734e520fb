"""Tie-outs of the statements: checked before a workbook leaves the program."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import DomainError
from app.money import format_rupiah
from app.reports.build_members import MembershipMovement
from app.reports.build_statements import FinancialStatements

CHECK_NERACA = "Total aset = total liabilitas + ekuitas"
CHECK_CASH = "Arus kas = perubahan kas (1-101 + 1-102 + 1-111)"
CHECK_MEMBERS = "Jumlah anggota: awal + masuk - keluar = akhir"
CHECK_SHU = "SHU di Laporan Hasil Usaha = SHU tahun berjalan di Neraca"
CHECK_EQUITY = "Perubahan ekuitas: saldo awal + mutasi = saldo akhir di Neraca"


@dataclass(frozen=True)
class ReportCheck:
    name: str
    ok: bool
    detail: str


class ReportCheckFailed(DomainError):
    """A report that does not tie out is refused, never written; ``failed`` says why."""

    def __init__(self, what: str, failed: Sequence[ReportCheck]) -> None:
        listed = "; ".join(f"{c.name}: {c.detail}" for c in failed)
        super().__init__(
            f"{what} tidak disimpan, {len(failed)} pemeriksaan tidak cocok: {listed}. "
            "Jalankan `lumbung check` dan periksa jurnal tahun itu."
        )
        self.failed = tuple(failed)


def _pair(a: int, b: int) -> str:
    return f"{format_rupiah(a)} lawan {format_rupiah(b)} (selisih {format_rupiah(a - b)})"


def statement_checks(
    statements: FinancialStatements, membership: MembershipMovement
) -> tuple[ReportCheck, ...]:
    year = statements.year
    checks = []
    bs = statements.balance_sheet
    assets, other = bs.total_assets, bs.total_liabilities_and_equity
    wrong = [
        f"{y}: {_pair(a, b)}"
        for y, a, b in (
            (year, assets.current, other.current),
            (year - 1, assets.previous, other.previous),
        )
        if a != b
    ]
    checks.append(
        ReportCheck(
            CHECK_NERACA,
            not wrong,
            "; ".join(wrong) or f"{format_rupiah(assets.current)} pada 31/12/{year}",
        )
    )
    cf = statements.cash_flow
    computed, ledger = cf.computed_closing, cf.closing_cash
    wrong = [
        f"{y}: kas awal + arus kas {_pair(a, b)} di buku besar"
        for y, a, b in (
            (year, computed.current, ledger.current),
            (year - 1, computed.previous, ledger.previous),
        )
        if a != b
    ]
    checks.append(
        ReportCheck(
            CHECK_CASH,
            not wrong,
            "; ".join(wrong)
            or f"kas {format_rupiah(cf.opening_cash.current)} + "
            f"{format_rupiah(cf.net_change.current)} = {format_rupiah(ledger.current)}",
        )
    )
    m = membership
    parts = (m.start, m.joined, m.left, m.end)
    ok = m.adds_up and all(p.total == p.male + p.female for p in parts)
    checks.append(
        ReportCheck(
            CHECK_MEMBERS,
            ok,
            f"{m.start.total} + {m.joined.total} - {m.left.total} = "
            f"{m.start.total + m.joined.total - m.left.total}, terhitung {m.end.total} "
            f"(L {m.end.male}, P {m.end.female})",
        )
    )
    phu = statements.income_statement.shu
    shu_line = bs.line("3-502")
    neraca_shu = (shu_line.current, shu_line.previous) if shu_line else (0, 0)
    checks.append(
        ReportCheck(
            CHECK_SHU,
            (phu.current, phu.previous) == neraca_shu,
            f"{format_rupiah(phu.current)} lawan {format_rupiah(neraca_shu[0])}",
        )
    )
    eq = statements.equity_statement
    closing_total = eq.current.closing.total
    equity_total = bs.equity.total.current
    ok = eq.current.adds_up and eq.previous.adds_up and closing_total == equity_total
    checks.append(
        ReportCheck(
            CHECK_EQUITY,
            ok,
            f"saldo akhir {format_rupiah(closing_total)}, ekuitas di Neraca "
            f"{format_rupiah(equity_total)}",
        )
    )
    return tuple(checks)


def require(what: str, checks: Sequence[ReportCheck]) -> None:
    """Raise ``ReportCheckFailed`` listing every check that failed."""
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ReportCheckFailed(what, failed)
