"""Writes the agent must not lose: saved in order, off the GUI thread, retried until they land.

A database that goes away mid-shift must not cost a call record or a state change. Each write
is a function that is safe to run again (call saves are idempotent by call id; state changes
carry the time they happened), so the outbox keeps the failed one at the head of the line and
tries again every few seconds, while the agent carries on working.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from callcenter.domain.errors import CallCenterError, ValidationError
from ui.workers import Background

log = logging.getLogger(__name__)

RETRY_MS = 5000


@dataclass
class Write:
    description: str
    function: Callable[[], Any]
    on_done: Callable[[Any], None] | None = None


class Outbox(QObject):
    #: How many writes wait (including the one in flight); 0 once everything is saved.
    pending_changed = Signal(int)
    #: A write failed for a reason retrying cannot fix (bad data): it is dropped, and said.
    rejected = Signal(str)
    #: A write failed and will be retried: the reason, for the status bar.
    failing = Signal(str)
    #: Everything queued so far has been written.
    drained = Signal()

    def __init__(
        self, background: Background, parent: QObject | None = None, retry_ms: int = RETRY_MS
    ) -> None:
        super().__init__(parent)
        self._background = background
        self._queue: deque[Write] = deque()
        self._in_flight = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._next)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def submit(
        self,
        description: str,
        function: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self._queue.append(Write(description, function, on_done))
        self.pending_changed.emit(len(self._queue))
        if not self._in_flight and not self._retry.isActive():
            self._next()

    def retry_now(self) -> None:
        if not self._in_flight and self._queue:
            self._retry.stop()
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self.drained.emit()
            return
        self._in_flight = True
        write = self._queue[0]
        self._background.run(write.function, self._written, self._failed, owner=self)

    def _written(self, result: Any) -> None:
        self._in_flight = False
        write = self._queue.popleft()
        self.pending_changed.emit(len(self._queue))
        if write.on_done is not None:
            write.on_done(result)
        self._next()

    def _failed(self, exc: Exception) -> None:
        self._in_flight = False
        write = self._queue[0]
        if isinstance(exc, ValidationError):
            self._queue.popleft()
            self.pending_changed.emit(len(self._queue))
            self.rejected.emit(f"{write.description}: {exc}")
            self._next()
            return
        reason = str(exc) if isinstance(exc, CallCenterError) else f"{type(exc).__name__}: {exc}"
        log.warning("could not save %s, will retry: %s", write.description, reason)
        self.failing.emit(reason)
        self._retry.start()
