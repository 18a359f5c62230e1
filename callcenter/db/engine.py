"""Engines for the two supported backends, configured for many clients at once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
# A server connection handed back to the pool less than this long ago is taken as alive; one
# idle for longer is pinged before use. A ping on every checkout (pool_pre_ping) is a round
# trip as long as a claim's whole statement.
PING_AFTER_IDLE_S = 2.0


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            # WAL lets readers and one writer in several processes work at the same time.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        # Straight on the driver: the screen pop begins one transaction per lookup, and
        # SQLAlchemy's statement machinery would cost more than the lookup's own query.
        connection.connection.driver_connection.execute(f"BEGIN {mode}")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get their folder created, WAL, FKs and a busy timeout."""
    url = make_url(url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, **kwargs)
        _prepare_sqlite(engine)
        return engine
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_when_idle(engine)
        return engine
    raise ValueError(f"unsupported database backend {backend!r}")


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only if it sat idle; a dead one is replaced.

    A connection the server dropped while it was in use recently fails its statement once,
    as it would under a pre-ping between ping and statement; every caller already treats
    that as the database being unavailable for that action.
    """

    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and checks out another (or opens one).
            raise exc.DisconnectionError(str(error)) from error


def begin_write(session: Session) -> None:
    """Start the session's transaction with SQLite's write lock (BEGIN IMMEDIATE), before
    its first statement. A deferred transaction that reads and then writes can be refused
    "database is locked" if another writer committed in between, whatever the busy timeout:
    its snapshot is stale. Waiting for the lock at the start never is. Elsewhere a no-op."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
