"""Loading millions of rows: straight to the driver, with random-order indexes built last."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Connection, Engine, Index, inspect
from sqlalchemy.exc import SQLAlchemyError

from callcenter.db.tables import Base

BIG_CACHE_KIB = 1024 * 1024
# Indexes whose keys arrive in random order during a bulk load; cheaper to build afterwards.
DEFERRED_INDEX_COLUMNS = {
    "customer_phones": ("number_key", "national", "digits_rev"),
    # Kept up, a million customers' terms rewrote most of this index's pages every batch.
    "customer_search_terms": ("term",),
    "calls": ("customer_id", "caller_key"),
}
# What a big import into a small database defers: the number search's indexes. The screen
# pop's number_key stays, for agents answering calls meanwhile and for the import's own
# matching; so does the search terms' index, which costs as much to build afterwards as to
# keep up (measured), and keeps the search box working during the import.
IMPORT_DEFERRED_INDEX_COLUMNS = {"customer_phones": ("national", "digits_rev")}
# WAL pages between checkpoints during an import: index pages touched by many batches are
# copied back to the database file once, not after every batch.
IMPORT_CHECKPOINT_PAGES = 50_000

Columns = Mapping[str, Sequence[str]]


def _deferred_indexes(columns: Columns) -> list[Index]:
    return [
        index
        for table in Base.metadata.sorted_tables
        for index in table.indexes
        if not index.unique and next(iter(index.columns)).name in columns.get(table.name, ())
    ]


def restore_indexes(engine: Engine, columns: Columns = DEFERRED_INDEX_COLUMNS) -> None:
    """Create any index a bulk load dropped and could not rebuild (it was killed, say)."""
    with engine.begin() as connection:
        inspector = inspect(connection)
        missing = [
            index
            for index in _deferred_indexes(columns)
            if index.table is not None
            and index.name not in {i["name"] for i in inspector.get_indexes(index.table.name)}
        ]
        if not missing:
            return
        sqlite = connection.dialect.name == "sqlite"
        cache = connection.exec_driver_sql("PRAGMA cache_size").scalar() if sqlite else None
        tune_for_bulk(connection, BIG_CACHE_KIB)
        if sqlite:
            # Lets SQLite sort the index keys on two threads.
            connection.exec_driver_sql("PRAGMA threads = 2")
        else:
            # Sorts millions of keys in memory rather than in temporary files.
            connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
        for index in missing:
            index.create(connection)
        if sqlite:
            # The connection goes back to the pool: without the big cache it was lent for.
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
            connection.exec_driver_sql("PRAGMA threads = 0")


@contextmanager
def indexes_deferred(
    engine: Engine, enabled: bool, columns: Columns = DEFERRED_INDEX_COLUMNS
) -> Iterator[None]:
    """Drop the random-order indexes for the load and build them once, sorted, at the end.

    Kept up row by row, an index whose keys come in random order gets most of its pages
    rewritten by every commit; at millions of rows that is most of the load's time.
    """
    if not enabled:
        yield
        return
    with engine.begin() as connection:
        for index in _deferred_indexes(columns):
            index.drop(connection, checkfirst=True)
    try:
        yield
    finally:
        restore_indexes(engine, columns)


def tune_for_bulk(connection: Connection, cache_kib: int = BIG_CACHE_KIB) -> None:
    if connection.dialect.name == "sqlite":
        # A big page cache keeps the indexes in memory while many rows go in.
        connection.exec_driver_sql(f"PRAGMA cache_size = -{cache_kib}")


@contextmanager
def tuned_for_import(connection: Connection) -> Iterator[None]:
    """SQLite settings for one connection writing batch after batch; restored at the end."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    checkpoint = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    tune_for_bulk(connection)
    connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")
    connection.commit()
    # The importer writes a customer's numbers and terms in the transaction that inserts or
    # reads the customer, so the checks could never fail; they cost a lookup per row.
    _outside_transaction(connection, "PRAGMA foreign_keys = OFF")
    # Take the write lock when a batch begins: reading first and then writing could fail on
    # a snapshot another writer made stale, instead of waiting for it.
    connection.execution_options(sqlite_begin="IMMEDIATE")
    try:
        yield
    finally:
        # After a lost connection there is nothing to restore, and the first error matters.
        with suppress(SQLAlchemyError):
            connection.rollback()
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
            connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {int(checkpoint or 1000)}")
            connection.commit()
            _outside_transaction(connection, f"PRAGMA foreign_keys = {int(foreign_keys or 0)}")


def serialized_tables(
    tables: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """(name, columns, rows) of each table as a serialized SQLite database, for `attached`.

    Untyped columns keep each value as it was bound; the real table's column types apply when
    the rows are copied there, as they would to the values bound directly.
    """
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for table, columns, rows in tables:
            connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
            marks = ", ".join("?" for _ in columns)
            connection.execute("BEGIN")
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            connection.execute("COMMIT")
        return connection.serialize()
    finally:
        connection.close()


@contextmanager
def attached(connection: Connection, data: bytes, name: str) -> Iterator[None]:
    """The serialized SQLite database `data` attached to `connection` as `name` meanwhile.

    Attached afresh each time: databases serialized alike have the same schema version, so
    SQLite would reuse statements prepared for the last one on the next and read wrong
    pages; detaching expires them. Both happen outside a transaction, as SQLite requires.
    """
    _outside_transaction(connection, f"ATTACH DATABASE ':memory:' AS {name}")
    try:
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.deserialize(data, name=name)
        yield
    finally:
        _outside_transaction(connection, f"DETACH DATABASE {name}")


def _outside_transaction(connection: Connection, pragma: str) -> None:
    """Run a statement SQLite refuses or ignores in a transaction (SQLAlchemy would begin one)."""
    driver = connection.connection.driver_connection
    assert driver is not None and not connection.in_transaction()
    driver.execute(pragma)


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
