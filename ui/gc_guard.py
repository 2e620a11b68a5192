"""Run Python's cyclic garbage collector on the GUI thread only.

Automatic collection starts on whichever thread happens to allocate; when that is a worker and the
garbage holds Qt wrappers (a destroyed view, a finished model), their C++ objects are deleted off the
GUI thread and Qt can crash. So automatic collection is switched off and a GUI-thread timer collects
with the same generation thresholds (the pattern PyQt applications have long used).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(interval_ms)

    def collect_if_due(self) -> None:
        g0, g1, g2 = gc.get_count()
        if g0 <= self.threshold[0]:
            return
        generation = 2 if g2 > self.threshold[2] else 1 if g1 > self.threshold[1] else 0
        gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
