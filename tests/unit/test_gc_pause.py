"""gc_paused: no automatic collection inside, the state it found restored after."""

from __future__ import annotations

import gc

import pytest

from app.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def _restore_gc() -> object:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_enabled_again_after() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_cycles_made_inside_are_collected_at_the_end() -> None:
    gc.enable()

    class Node:
        pass

    def pair() -> None:
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]

    with gc_paused():
        for _ in range(1000):
            pair()  # unreachable once it returns, but a cycle: only the collector frees it
        alive = sum(isinstance(o, Node) for o in gc.get_objects())
        assert alive >= 2000  # no collection ran inside
    assert sum(isinstance(o, Node) for o in gc.get_objects()) == 0


def test_a_window_that_collects_itself_stays_so() -> None:
    gc.disable()  # as app.ui.gc_guard leaves it
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_error_inside_still_restores() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
