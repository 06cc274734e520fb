"""Garbage collection in the main thread only.

Python collects cycles in whichever thread happens to allocate when a
threshold is crossed. When that is a worker thread (a report, Beranda's
figures), Qt objects owned by the main thread can be freed there, and PySide
crashes. So automatic collection is switched off and a timer in the main
thread collects instead: the young generation every second, older ones less
often, like Python's own thresholds would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

_state: dict[str, object] = {}


def install(app: QCoreApplication) -> None:
    if "timer" in _state:
        return
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(1000)
    ticks = [0]

    def collect() -> None:
        ticks[0] += 1
        generation = 2 if ticks[0] % 60 == 0 else 1 if ticks[0] % 10 == 0 else 0
        gc.collect(generation)

    timer.timeout.connect(collect)
    timer.start()
    _state["timer"] = timer
