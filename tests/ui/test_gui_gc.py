"""Garbage is collected on the GUI thread by a timer, not on a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qt = QObject()


def test_cycles_are_collected_by_the_gui_threads_timer(qtbot):
    assert not gc.isenabled()  # the desktop's collector (tests/ui/conftest.py, ui/app.py)
    collected_on: list[str] = []
    cycle = _Cycle()
    ref = weakref.ref(cycle, lambda _ref: collected_on.append(threading.current_thread().name))
    del cycle

    kept: list[list[list[int]]] = []

    def allocate_on_a_worker() -> None:
        # Enough live new containers to pass the youngest generation's threshold, which would
        # start an automatic collection on this thread.
        kept.append([[n] for n in range(5 * gc.get_threshold()[0])])

    worker = threading.Thread(target=allocate_on_a_worker, name="worker")
    worker.start()
    worker.join()
    assert ref() is not None  # the worker's allocations did not start a collection
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)
    assert collected_on == [threading.main_thread().name]
