"""Pausing Python's cyclic garbage collector while a bulk of acyclic objects is built.

A full collection walks every tracked object. Work that makes tens of thousands of tuples or
records at once (an import's batches, a month of figures by agent and by day) sets off one
or more of them. All of that work is wasted, because those objects hold no cycles and
reference counting frees them anyway. Measured, it was a third of an import's time and
half of the figures'.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Collection off for the block, then back to what it was.

    Nests and is safe across threads: it comes back on when the last pause ends, and only if
    it was on when the first one began (the desktop turns automatic collection off for good;
    see ui/gui_gc.py).
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
