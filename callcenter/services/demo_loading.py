"""Demo rows into the database: customers a block at a time, then calls a day at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from sqlalchemy import Connection, DateTime, bindparam, text

from callcenter.bootstrap import Database
from callcenter.db.bulk import BulkWriter, attached, tune_for_bulk, tuned_for_import
from callcenter.db.tables import utcnow
from callcenter.domain.users import Actor
from callcenter.kpi.rollups import untracked
from callcenter.repositories.customer_rows import CREATED_AND_UPDATED, SCALAR_FIELDS
from callcenter.services.demo_customer_rows import STAGED_PHONE_COLUMNS, CustomerBlock
from callcenter.services.demo_rows import CALL_COLUMNS, CUSTOMER, STATE_COLUMNS, DayRows

# Staged blocks of customers and days (demo_customer_rows, demo_rows.stage) are attached
# under these names to be copied.
_CUSTOMERS = "demo_customers"
_DAY = "demo_day"
_CUSTOMER_IDS = "demo_customer_ids"


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """Progress nobody watches."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class KnownCustomers:
    """Customers calls can be from, by index: their ids and first numbers."""

    ids: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)


def existing_customers(database: Database) -> KnownCustomers:
    """Live customers and their first number, for calls added without new customers."""
    customers = KnownCustomers()
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.customer_id, p.number_key, p.raw FROM customer_phones p "
                "JOIN customers c ON c.id = p.customer_id "
                "WHERE p.position = 0 AND c.deleted_at IS NULL ORDER BY p.customer_id"
            )
        )
        for customer_id, key, raw in rows:
            customers.ids.append(customer_id)
            customers.keys.append(key)
            customers.raws.append(raw)
    return customers


@dataclass
class CustomersWritten:
    ids: list[int] = field(default_factory=list)
    phones: int = 0
    companies: int = 0
    shared_numbers: int = 0
    customers_on_shared_numbers: int = 0


def write_customers(
    database: Database,
    actor: Actor,
    blocks: Iterator[CustomerBlock],
    total: int,
    cache_kib: int,
    progress: Progress,
) -> CustomersWritten:
    """Customers block by block, a transaction each, their ids in order."""
    written = CustomersWritten()
    on_switchboard: Counter[str] = Counter()
    companies: set[str] = set()
    progress.start("customers", total)
    # As an import's writer: no foreign key checks (the rows refer to what this writes),
    # WAL checkpoints far apart (pages written by many transactions are copied back once).
    with database.engine.connect() as connection, tuned_for_import(connection):
        for block in blocks:
            written.phones += block.phones
            on_switchboard.update(block.switchboards)
            companies |= block.companies
            if block.staged is not None:
                written.ids += _copy_staged_customers(connection, block, actor.login, cache_kib)
            else:
                written.ids += _copy_customer_rows(connection, block, actor.login)
            progress.advance(block.count)
    progress.finish()
    written.companies = len(companies)
    shared = [n for n in on_switchboard.values() if n > 1]
    written.shared_numbers = len(shared)
    written.customers_on_shared_numbers = sum(shared)
    return written


def _copy_customer_rows(connection: Connection, block: CustomerBlock, login: str) -> list[int]:
    """PostgreSQL, one transaction: ids from the customers' own sequence (other sessions may
    add customers meanwhile), then a COPY each of the customers, numbers and search terms."""
    assert block.rows is not None
    rows = block.rows
    with connection.begin():
        ids = sorted(
            connection.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence('customers', 'id')) "
                    "FROM generate_series(1, :count)"
                ),
                {"count": block.count},
            ).scalars()
        )
        now = utcnow()
        writer = BulkWriter(connection)
        writer.insert(
            "customers",
            ("id", *SCALAR_FIELDS, "emails", "version", *CREATED_AND_UPDATED),
            [(ids[local], *rest, 1, now, now, login, login) for local, *rest in rows.customers],
        )
        writer.insert(
            "customer_phones",
            ("customer_id", *STAGED_PHONE_COLUMNS[1:]),
            [(ids[local], *rest) for local, *rest in rows.phones],
        )
        writer.insert(
            "customer_search_terms",
            ("term", "customer_id"),
            [(term, ids[local]) for local, term in rows.terms],
        )
    return ids


def _copy_staged_customers(
    connection: Connection, block: CustomerBlock, login: str, cache_kib: int
) -> list[int]:
    """One transaction: the block's customers, numbers and search terms, new ids following
    the highest there (under the write lock the transaction takes as it begins)."""
    assert block.staged is not None
    with attached(connection, block.staged, _CUSTOMERS), connection.begin():
        tune_for_bulk(connection, cache_kib)
        first = connection.execute(text("SELECT coalesce(max(id), 0) + 1 FROM customers"))
        first_id = int(first.scalar_one())
        stamp = bindparam("stamp", utcnow(), type_=DateTime())
        values = {"first": first_id, "login": login}
        scalars = ", ".join(SCALAR_FIELDS)
        copies = (
            f"INSERT INTO main.customers (id, {scalars}, emails, version, created_at, "
            "updated_at, created_by, updated_by) "
            f"SELECT :first + local, {scalars}, emails, 1, :stamp, :stamp, :login, :login "
            f"FROM {_CUSTOMERS}.customers",
            "INSERT INTO main.customer_phones (customer_id, raw, number_key, national, "
            "digits_rev, extension, label, position) "
            "SELECT :first + local, raw, number_key, national, digits_rev, extension, label, "
            f"position FROM {_CUSTOMERS}.phones",
            "INSERT INTO main.customer_search_terms (term, customer_id) "
            f"SELECT term, :first + local FROM {_CUSTOMERS}.terms",
        )
        for sql in copies:
            statement = text(sql)
            if ":stamp" in sql:
                statement = statement.bindparams(stamp)
            connection.execute(statement, values)
    return list(range(first_id, first_id + block.count))


@dataclass
class CallsWritten:
    calls: int = 0
    states: int = 0
    inbound: int = 0
    abandoned: int = 0
    unknown: int = 0
    first_call: str | None = None
    last_call: str | None = None

    def add(self, day: DayRows) -> None:
        self.calls += day.call_count
        self.states += day.state_count
        self.inbound += day.inbound
        self.abandoned += day.abandoned
        self.unknown += day.unknown
        self.first_call = self.first_call or day.first_call
        self.last_call = day.last_call or self.last_call


def write_calls(
    database: Database,
    days: Iterator[DayRows],
    total: int,
    customer_ids: Sequence[int],
    cache_kib: int,
    progress: Progress,
) -> CallsWritten:
    """Each day's calls and agent states in one transaction, customer indexes made ids.

    The KPI triggers mark nothing meanwhile: the caller marks and refreshes the roll-ups once.
    """
    written = CallsWritten()
    with database.engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        progress.start("calls", total)
        if connection.dialect.name == "sqlite":
            with tuned_for_import(connection):
                _copy_staged_days(connection, days, customer_ids, cache_kib, written, progress)
        else:
            writer = BulkWriter(connection)
            for day in days:
                for row in day.calls:
                    if row[CUSTOMER] is not None:
                        row[CUSTOMER] = customer_ids[row[CUSTOMER]]
                with connection.begin(), untracked(connection):
                    writer.insert("calls", CALL_COLUMNS, day.calls)
                    writer.insert("agent_states", STATE_COLUMNS, day.states)
                written.add(day)
                progress.advance(day.call_count)
        progress.finish()
    return written


def _copy_staged_days(
    connection: Connection,
    days: Iterator[DayRows],
    customer_ids: Sequence[int],
    cache_kib: int,
    written: CallsWritten,
    progress: Progress,
) -> None:
    """Attach each staged day and copy it with an INSERT ... SELECT per table."""
    driver: Any = connection.connection.driver_connection
    first = customer_ids[0] if customer_ids else 0
    if all(b - a == 1 for a, b in pairwise(customer_ids)):
        # As a batch of customers is usually numbered: the index plus the first id.
        customer, join = f"d.customer_id + {int(first)}", ""
    else:
        customer = "m.id"
        join = f" LEFT JOIN temp.{_CUSTOMER_IDS} AS m ON m.idx = d.customer_id"
    picked = [customer if name == "customer_id" else f"d.{name}" for name in CALL_COLUMNS]
    copy_calls = (
        f"INSERT INTO main.calls ({', '.join(CALL_COLUMNS)}) "
        f"SELECT {', '.join(picked)} FROM {_DAY}.calls AS d{join}"
    )
    states = ", ".join(STATE_COLUMNS)
    copy_states = (
        f"INSERT INTO main.agent_states ({states}) SELECT {states} FROM {_DAY}.agent_states"
    )
    try:
        if join:
            # Customers by index, as the staged calls know them; dropped, as each day is
            # detached, before the connection goes back to the pool.
            driver.execute(
                f"CREATE TEMP TABLE {_CUSTOMER_IDS} (idx INTEGER PRIMARY KEY, id INTEGER)"
            )
            with connection.begin():
                driver.executemany(
                    f"INSERT INTO temp.{_CUSTOMER_IDS} VALUES (?, ?)", enumerate(customer_ids)
                )
        for day in days:
            assert day.staged is not None, "SQLite days come staged"
            # Attached afresh each day. Every day's database has the same schema version, so
            # SQLite would reuse the statements prepared for yesterday's pages on today's and
            # read wrong columns (tests/test_demo_loading.py); detaching expires them.
            driver.execute(f"ATTACH DATABASE ':memory:' AS {_DAY}")
            try:
                driver.deserialize(day.staged, name=_DAY)
                with connection.begin(), untracked(connection):
                    tune_for_bulk(connection, cache_kib)
                    driver.execute(copy_calls)
                    driver.execute(copy_states)
            finally:
                driver.execute(f"DETACH DATABASE {_DAY}")
            written.add(day)
            progress.advance(day.call_count)
    finally:
        driver.execute(f"DROP TABLE IF EXISTS temp.{_CUSTOMER_IDS}")
