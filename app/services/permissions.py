"""The permission table (defined in ``app.permissions`` so that the ledger can check postings)."""

from app.permissions import (
    ACTIONS,
    POSTING,
    ROLE_HELP,
    ROLE_LABELS,
    ROLES,
    PermissionDenied,
    allowed,
    check,
    may_post,
    require,
    require_posting,
)

__all__ = [
    "ACTIONS",
    "POSTING",
    "ROLES",
    "ROLE_HELP",
    "ROLE_LABELS",
    "PermissionDenied",
    "allowed",
    "check",
    "may_post",
    "require",
    "require_posting",
]
