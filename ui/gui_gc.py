"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection starts on whichever thread happens to allocate, a database worker
as often as not, and destroys there any Qt widget that sat in a reference cycle (pyqtgraph's
plot menus do). Qt's destructor then takes a lock the GUI thread needs while it waits for the
GIL the GUI thread holds: the desktop freezes for good. So automatic collection is off and a
timer collects on the GUI thread, generation by generation as the thresholds say, the way
pyqtgraph's own GarbageCollector does (without importing pyqtgraph at start-up).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)

    def collect(self) -> None:
        young, middle, old = gc.get_count()
        first, second, third = self._thresholds
        if old > third:
            gc.collect(2)
        elif middle > second:
            gc.collect(1)
        elif young > first:
            gc.collect(0)

    def stop(self) -> None:
        """Back to automatic collection (tests, when the GUI is done)."""
        self._timer.stop()
        gc.enable()
