"""Figures for Beranda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.ledger.balances import account_totals
from app.ledger.chart import KAS, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import JournalEntry, Member


@dataclass(frozen=True)
class Summary:
    active_members: int
    active_men: int
    active_women: int
    left_members: int
    pokok: int
    wajib: int
    sukarela: int
    cash: int
    entries_today: int
    deposits_today: int

    @property
    def savings_total(self) -> int:
        return self.pokok + self.wajib + self.sukarela


def summary(session: Session, today: date) -> Summary:
    counts: dict[str, int] = {
        f"{status}:{sex}": n
        for status, sex, n in session.execute(
            select(Member.status, Member.sex, func.count(Member.id)).group_by(
                Member.status, Member.sex
            )
        )
    }
    totals = account_totals(session)
    today_rows = dict(
        session.execute(
            select(JournalEntry.kind, func.count(JournalEntry.id))
            .where(JournalEntry.date == today)
            .group_by(JournalEntry.kind)
        ).all()
    )
    men = counts.get("aktif:L", 0)
    women = counts.get("aktif:P", 0)
    return Summary(
        active_members=men + women,
        active_men=men,
        active_women=women,
        left_members=sum(n for key, n in counts.items() if not key.startswith("aktif:")),
        pokok=-totals.get(SIMPANAN_POKOK, 0),
        wajib=-totals.get(SIMPANAN_WAJIB, 0),
        sukarela=-totals.get(SIMPANAN_SUKARELA, 0),
        cash=totals.get(KAS, 0),
        entries_today=sum(today_rows.values()),
        deposits_today=today_rows.get("ST", 0),
    )
