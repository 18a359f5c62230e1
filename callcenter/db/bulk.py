"""Loading millions of rows: straight to the driver, with random-order indexes built last."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Index

from callcenter.db.tables import Base

BIG_CACHE_KIB = 1024 * 1024
# Indexes whose keys arrive in random order during a bulk load; cheaper to build afterwards.
DEFERRED_INDEX_COLUMNS = {
    "customer_phones": ("number_key", "national", "digits_rev"),
    "calls": ("customer_id", "caller_key"),
}


def _deferred_indexes() -> list[Index]:
    return [
        index
        for table in Base.metadata.sorted_tables
        for index in table.indexes
        if not index.unique
        and next(iter(index.columns)).name in DEFERRED_INDEX_COLUMNS.get(table.name, ())
    ]


def restore_indexes(engine: Engine) -> None:
    """Create any index a bulk load dropped and could not rebuild (it was killed, say)."""
    with engine.begin() as connection:
        tune_for_bulk(connection, BIG_CACHE_KIB)
        if connection.dialect.name == "sqlite":
            # Lets SQLite sort the index keys on two threads.
            connection.exec_driver_sql("PRAGMA threads = 2")
        for index in _deferred_indexes():
            index.create(connection, checkfirst=True)


@contextmanager
def indexes_deferred(engine: Engine, enabled: bool) -> Iterator[None]:
    """Drop the random-order indexes for the load and build them once, sorted, at the end.

    Kept up row by row, an index whose keys come in random order gets most of its pages
    rewritten by every commit; at millions of rows that is most of the load's time.
    """
    if not enabled:
        yield
        return
    with engine.begin() as connection:
        for index in _deferred_indexes():
            index.drop(connection, checkfirst=True)
    try:
        yield
    finally:
        restore_indexes(engine)


def tune_for_bulk(connection: Connection, cache_kib: int = BIG_CACHE_KIB) -> None:
    if connection.dialect.name == "sqlite":
        # A big page cache keeps the indexes in memory while many rows go in.
        connection.exec_driver_sql(f"PRAGMA cache_size = -{cache_kib}")


class BulkWriter:
    """Rows straight to the DB-API: executemany on SQLite, COPY on PostgreSQL.

    Timestamps come as text (see TimestampText); everything else as the columns hold it.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.postgres = connection.dialect.name == "postgresql"

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        # Table and column names are this module's constants, never user input.
        names = ", ".join(columns)
        dbapi = self._connection.connection.dbapi_connection
        assert dbapi is not None
        cursor: Any = dbapi.cursor()
        try:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()
