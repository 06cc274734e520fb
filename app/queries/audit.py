"""Read side of the audit trail: filtered, newest first, a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from app.models import AuditRecord


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None  # inclusive
    user: str | None = None
    action: str | None = None  # exact, or a group like "pinjaman." (ends with a dot)
    entity: str | None = None


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    entity_id: int | None
    before: str  # JSON text as stored
    after: str
    note: str

    @property
    def changes(self) -> list[Change]:
        return changes(self.before, self.after)


@dataclass(frozen=True)
class AuditChoices:
    users: list[str]
    actions: list[str]
    entities: list[str]
    first: date | None
    last: date | None


def _load(raw: str) -> dict[str, object]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"": raw}
    return value if isinstance(value, dict) else {"": value}


def show_value(value: object) -> str:
    """A stored value as the treasurer reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    return str(value)


def changes(before: str, after: str) -> list[Change]:
    """Field by field, in the order the fields first appear; unchanged fields are left out."""
    old, new = _load(before), _load(after)
    keys = list(dict.fromkeys([*old, *new]))
    out = []
    for key in keys:
        if key in old and key in new and old[key] == new[key]:
            continue
        out.append(
            Change(
                key,
                show_value(old[key]) if key in old else "",
                show_value(new[key]) if key in new else "",
            )
        )
    return out


def _where(f: AuditFilter) -> ColumnElement[bool]:
    clause: ColumnElement[bool] = true()
    if f.start is not None:
        clause = clause & (AuditRecord.at >= datetime.combine(f.start, time.min))
    if f.end is not None:
        clause = clause & (AuditRecord.at < datetime.combine(f.end + timedelta(days=1), time.min))
    if f.user:
        clause = clause & (AuditRecord.username == f.user)
    if f.action:
        if f.action.endswith("."):
            clause = clause & AuditRecord.action.startswith(f.action, autoescape=True)
        else:
            clause = clause & (AuditRecord.action == f.action)
    if f.entity:
        clause = clause & (AuditRecord.entity == f.entity)
    return clause


def count_audit(session: Session, f: AuditFilter) -> int:
    return int(session.scalar(select(func.count(AuditRecord.id)).where(_where(f))) or 0)


def list_audit(
    session: Session, f: AuditFilter, *, limit: int = 200, offset: int = 0
) -> list[AuditRow]:
    rows = session.execute(
        select(
            AuditRecord.id,
            AuditRecord.at,
            AuditRecord.username,
            AuditRecord.action,
            AuditRecord.entity,
            AuditRecord.entity_id,
            AuditRecord.before,
            AuditRecord.after,
            AuditRecord.note,
        )
        .where(_where(f))
        .order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        AuditRow(rid, at, user, action, entity or "", eid, before or "", after or "", note or "")
        for rid, at, user, action, entity, eid, before, after, note in rows
    ]


def audit_choices(session: Session) -> AuditChoices:
    """What the filter lists offer: the users, actions and entities that occur."""

    def distinct(column: object) -> list[str]:
        return [
            str(v)
            for v in session.scalars(select(column).distinct().order_by(column))  # type: ignore[call-overload]
            if v
        ]

    first, last = session.execute(select(func.min(AuditRecord.at), func.max(AuditRecord.at))).one()
    return AuditChoices(
        users=distinct(AuditRecord.username),
        actions=distinct(AuditRecord.action),
        entities=distinct(AuditRecord.entity),
        first=first.date() if first else None,
        last=last.date() if last else None,
    )
