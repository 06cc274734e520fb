"""The double-entry core: post(), reverse(), balances, periods, hash chain."""

from app.ledger.posting import Entry, Line, Posted, post, post_many, reverse

__all__ = ["Entry", "Line", "Posted", "post", "post_many", "reverse"]
