"""Background work for the GUI: run a function off the GUI thread, get the answer by signal.

`Background.run(function, on_success, on_failure)` is the one way the GUI touches the database:
the function runs on a pool thread, and exactly one of the callbacks runs on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; a signal emitted from the worker reaches its slots queued."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        done: Callable[[_Relay], None],
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self._owner = owner
        self._on_success = on_success
        self._on_failure = on_failure
        self._done = done
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        self._done(self)
        if not self._owner_gone():
            self._on_success(result)

    @Slot(object)
    def _deliver_failure(self, exc: Exception) -> None:
        self._done(self)
        if not self._owner_gone():
            self._on_failure(exc)


class Task(QRunnable):
    def __init__(self, function: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._function = function
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as exc:  # handed to the GUI, which shows it; nothing is swallowed
            log.debug("background task failed", exc_info=True)
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Background(QObject):
    """Runs functions on a thread pool; their callbacks run on the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._pending: set[_Relay] = set()

    def run(
        self,
        function: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
        owner: QObject | None = None,
    ) -> None:
        """`owner`: the object the callbacks belong to; once it is deleted they are dropped."""
        relay = _Relay(on_success, on_failure, self._pending.discard, owner)
        self._pending.add(relay)
        self._pool.start(Task(function, relay))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait_for_done(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)


class Latest(QObject):
    """Keeps only the newest answer: an older search finishing late never overwrites a newer one."""

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background
        self._generation = 0

    def run(
        self,
        function: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        self._generation += 1
        generation = self._generation

        def success(result: Any) -> None:
            if generation == self._generation:
                on_success(result)

        def failure(exc: Exception) -> None:
            if generation == self._generation:
                on_failure(exc)

        self._background.run(function, success, failure, owner=self)
