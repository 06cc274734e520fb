"""The audit trail: every change with who, when, and the values before and after."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditRecord


def _default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _dump(values: Mapping[str, Any] | None) -> str:
    if not values:
        return ""
    return json.dumps(dict(values), default=_default, ensure_ascii=False, sort_keys=True)


def record(
    session: Session,
    *,
    by: str,
    action: str,
    entity: str = "",
    entity_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> None:
    session.add(
        AuditRecord(
            at=datetime.now().replace(microsecond=0),
            username=by,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=_dump(before),
            after=_dump(after),
            note=note,
        )
    )
