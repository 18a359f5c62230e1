"""SQLite's change feed: `PRAGMA data_version` on a connection of its own, polled.

The counter changes whenever another connection (in this process or another) commits to the
file, and reading it costs no I/O beyond the file header, so polling it every two seconds is
free on any size of database; the wallboard reloads only when it moved.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from callcenter.bootstrap import Database
from callcenter.live.feed import OnChange

log = logging.getLogger(__name__)


class SqlitePoller:
    kind = "poll"

    def __init__(self, database: Database, on_change: OnChange, interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError("the poll interval must be positive")
        path = database.url.database
        if not path or path == ":memory:":
            raise ValueError("only a SQLite file can be watched for changes")
        self._path = path
        self._on_change = on_change
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sqlite-change-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        connection = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        try:
            seen: int | None = None
            while True:
                try:
                    version = _data_version(connection)
                except sqlite3.Error as exc:  # a locked or vanished file: try again next tick
                    log.warning("cannot poll the database for changes: %s", exc)
                else:
                    if seen is None:
                        # The baseline: what the receiver loads after this is up to date.
                        self._on_change("ready")
                    elif version != seen:
                        self._on_change("changed")
                    seen = version
                if self._stop.wait(self._interval_s):
                    break
        finally:
            connection.close()


def _data_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA data_version").fetchone()
    return int(row[0])
