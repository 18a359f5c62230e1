"""PostgreSQL's change feed: LISTEN on a connection of its own, in its own thread.

The connection is made from the engine's own connect arguments (same host, user and
password as the app) outside the pool, since a LISTENing connection must not be handed to
other work. When it drops, it is made again with growing pauses, and the first callback
after a reconnect says `reconnected`: notifications sent meanwhile are lost, so the
receiver reloads everything.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg
from psycopg import sql

from callcenter.bootstrap import Database
from callcenter.live.feed import CHANNEL, OnChange

log = logging.getLogger(__name__)

# How often the thread looks up from waiting to see whether it was stopped.
_TICK_S = 0.2
# A server that does not answer: give up the attempt (and try again later) after this long.
CONNECT_TIMEOUT_S = 5
# stop() waits this long for the thread; one stuck in a connection attempt finishes alone.
STOP_WAIT_S = 1.0
BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 30.0


class PostgresListener:
    kind = "notify"

    def __init__(
        self,
        database: Database,
        on_change: OnChange,
        backoff_first_s: float = BACKOFF_FIRST_S,
        backoff_max_s: float = BACKOFF_MAX_S,
    ) -> None:
        engine = database.engine
        arguments, options = engine.dialect.create_connect_args(engine.url)
        self._arguments: list[Any] = list(arguments)
        self._options: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, **options}
        self._on_change = on_change
        self._backoff_first_s = backoff_first_s
        self._backoff_max_s = backoff_max_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Set while LISTENing; cleared while (re)connecting. For tests and the status line.
        self.listening = threading.Event()
        self._backend_pid: int | None = None

    @property
    def backend_pid(self) -> int | None:
        """The server process of the LISTENing connection, while there is one."""
        return self._backend_pid

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pg-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening; closing the console never waits long on an unreachable server."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)
            self._thread = None

    def _run(self) -> None:
        pause = self._backoff_first_s
        connected_before = False
        while not self._stop.is_set():
            try:
                with psycopg.connect(*self._arguments, **self._options, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                    self._backend_pid = conn.info.backend_pid
                    self.listening.set()
                    pause = self._backoff_first_s
                    # What the receiver loads after this is up to date.
                    self._tell("reconnected" if connected_before else "ready")
                    connected_before = True
                    self._listen(conn)
            except psycopg.Error as exc:
                log.warning("live updates: %s; reconnecting in %.1f s", exc, pause)
            finally:
                self.listening.clear()
                self._backend_pid = None
            if self._stop.wait(pause):
                break
            pause = min(pause * 2, self._backoff_max_s)

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        while not self._stop.is_set():
            for notification in conn.notifies(timeout=_TICK_S):
                self._tell(notification.payload or "changed")

    def _tell(self, what: str) -> None:
        # A thread left running by stop() (stuck connecting) says nothing any more.
        if not self._stop.is_set():
            self._on_change(what)
