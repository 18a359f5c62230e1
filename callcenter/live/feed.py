"""One change feed per backend: NOTIFY on PostgreSQL, a polled change counter on SQLite.

The callback runs on the feed's own thread with a short word saying what changed: a table
name, or `changed` when the backend cannot say; `ready` once the feed watches (changes from
then on are reported, so a load started after it is never stale for long) and `reconnected`
after a lost connection (changes in between were missed). Whoever receives it decides what
to reload, and may get several callbacks for one change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from callcenter.bootstrap import Database

# The channel the 0006 migration's triggers notify; the migration spells it out itself.
CHANNEL = "callcenter_live"
# SQLite is polled no more often than this by default (the product's promise: <= 2 s).
DEFAULT_POLL_S = 2.0

OnChange = Callable[[str], None]


class ChangeFeed(Protocol):
    @property
    def kind(self) -> str:
        """`notify` (pushed by the server) or `poll`."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None:
        """Stop the thread, waiting at most a moment for it; callbacks stop with it."""
        ...


def open_feed(
    database: Database, on_change: OnChange, poll_interval_s: float = DEFAULT_POLL_S
) -> ChangeFeed:
    """A feed for `database` (not started)."""
    if database.backend == "postgresql":
        from callcenter.live.pg_listener import PostgresListener

        return PostgresListener(database, on_change)
    from callcenter.live.sqlite_poller import SqlitePoller

    return SqlitePoller(database, on_change, poll_interval_s)
