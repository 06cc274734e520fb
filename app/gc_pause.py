"""Cyclic garbage collection paused for a burst of allocation (a report).

A RAT book allocates millions of small objects (rows, cells) that live until it
is written. Python's collector walks them again at each threshold: a quarter of
the time of a big book. Reference counting still frees what is dropped; the
cycles left are collected once at the end. The window already collects in its
own main-thread rhythm (app/ui/gc_guard.py), so a pause leaves that state as it
found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()
