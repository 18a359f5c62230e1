"""Keeps a wallboard snapshot fresh: the change feed says when, a background load fetches it.

The feed's thread only raises a flag; a short timer on the GUI thread looks at it, so that
thread never touches a Qt object. Changes arriving while a load runs are folded into one more
load after it, so a burst of writes costs at most two loads, and the GUI thread never waits
on the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from callcenter.kpi.live import WallboardSnapshot
from callcenter.live.feed import ChangeFeed, OnChange
from ui.workers import Background

FeedFactory = Callable[[OnChange], ChangeFeed]
# How often the GUI thread looks at the feed's flag: well inside the 1 s promise.
CHECK_MS = 100


class LiveBoard(QObject):
    """Signals: `loaded(snapshot)` after each load; `failed(message)` when one fails."""

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        load: Callable[[], WallboardSnapshot],
        background: Background,
        feed_factory: FeedFactory,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._background = background
        self._feed_factory = feed_factory
        self._feed: ChangeFeed | None = None
        self._loading = False
        self._again = False
        self.loads = 0  # loads finished so far (what a test watches for)
        self._changed = threading.Event()
        self._check = QTimer(self)
        self._check.setInterval(CHECK_MS)
        self._check.timeout.connect(self._look)

    @property
    def feed_kind(self) -> str | None:
        return self._feed.kind if self._feed else None

    def start(self) -> None:
        if self._feed is None:
            self._feed = self._feed_factory(lambda _what: self._changed.set())
            self._feed.start()
            self._check.start()
        self.reload()

    def stop(self) -> None:
        self._check.stop()
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._background.run(self._load, self._done, self._failed, owner=self)

    def _look(self) -> None:
        if self._changed.is_set():
            self._changed.clear()
            self.reload()

    def _done(self, snapshot: WallboardSnapshot) -> None:
        self._finish()
        self.loads += 1
        self.loaded.emit(snapshot)

    def _failed(self, exc: Exception) -> None:
        self._finish()
        self.failed.emit(str(exc))

    def _finish(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()
