"""The screen pop's read: every live customer on one number, with what the card needs first.

It runs on every ringing phone, so it costs about what its SQL costs: the statement is
compiled once per dialect and run on the driver's cursor (see CustomerLookups), with counts of
the customer's open complaints and pending callbacks in the same statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, literal_column, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import InstrumentedAttribute

from callcenter.db.driver_statement import driver_connection
from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.db.tables_complaints import ComplaintRow
from callcenter.domain.callbacks import OPEN_STATUSES as OPEN_CALLBACKS
from callcenter.domain.complaints import ACTIVE_STATUSES as OPEN_COMPLAINTS
from callcenter.domain.customers import CustomerMatch


def _open_count(
    customer_id: InstrumentedAttribute[int],
    status: InstrumentedAttribute[str],
    statuses: Iterable[str],
) -> ColumnElement[int]:
    """How many of a customer's rows are in `statuses`: one probe of (customer_id, status).

    The statuses are written into the statement (not bound), so it stays one plain string the
    driver runs as it is.
    """
    return (
        select(func.count())
        .where(customer_id == CustomerRow.id)
        .where(status.in_([literal_column(f"'{value}'") for value in sorted(statuses)]))
        .scalar_subquery()
    )


SCREEN_POP = (
    select(
        CustomerRow.id,
        CustomerRow.external_id,
        CustomerRow.name,
        CustomerRow.company,
        CustomerRow.tier,
        CustomerPhone.raw,
        CustomerPhone.number_key,
        CustomerRow.last_contact_at,
        _open_count(ComplaintRow.customer_id, ComplaintRow.status, OPEN_COMPLAINTS),
        _open_count(CallbackRow.customer_id, CallbackRow.status, OPEN_CALLBACKS),
    )
    .join_from(CustomerPhone, CustomerRow, CustomerRow.id == CustomerPhone.customer_id)
    .where(CustomerPhone.number_key == bindparam("key"), CustomerRow.deleted_at.is_(None))
    .order_by(CustomerRow.last_contact_at.desc().nulls_last(), CustomerRow.id)
)
"""Every live customer on one number, most recently in contact first."""


@dataclass(frozen=True)
class _CompiledScreenPop:
    sql: str
    positional: bool
    last_contact_at: Callable[[Any], Any] | None


_SCREEN_POP_BY_DIALECT: dict[tuple[str, str], _CompiledScreenPop] = {}


def _screen_pop_for(dialect: Dialect) -> _CompiledScreenPop:
    """SCREEN_POP as the driver takes it, and what turns its timestamp into an aware UTC one."""
    found = _SCREEN_POP_BY_DIALECT.get((dialect.name, dialect.driver))
    if found is None:
        compiled = SCREEN_POP.compile(dialect=dialect)
        column_type = CustomerRow.__table__.c.last_contact_at.type
        found = _CompiledScreenPop(
            sql=str(compiled),
            positional=compiled.positional,
            last_contact_at=column_type.dialect_impl(dialect).result_processor(dialect, None),
        )
        _SCREEN_POP_BY_DIALECT[(dialect.name, dialect.driver)] = found
    return found


def _matches(cursor: Any, screen_pop: _CompiledScreenPop, key: str) -> list[CustomerMatch]:
    # This runs on every ringing phone, so it should cost about what the SQL costs: the
    # statement is compiled once per dialect and run on the driver's cursor, with no
    # per-call statement handling (it binds one string and reads plain columns).
    cursor.execute(screen_pop.sql, (key,) if screen_pop.positional else {"key": key})
    rows = cursor.fetchall()
    to_utc = screen_pop.last_contact_at
    return [
        CustomerMatch(
            id=row[0],
            external_id=row[1],
            name=row[2],
            company=row[3],
            tier=row[4],
            phone=row[5],
            phone_key=row[6],
            last_contact_at=to_utc(row[7]) if to_utc else row[7],
            open_complaints=row[8],
            due_callbacks=row[9],
        )
        for row in rows
    ]


class CustomerLookups:
    """The screen pop's read of customers, on a connection kept open across many lookups.

    Holds the driver's cursor, so it lives as long as the connection's check-out and no
    longer (see uow.Reader). It opens no transaction: each lookup is one statement, which
    the driver runs as its own (autocommit), so every lookup sees the latest commits.
    """

    def __init__(self, connection: Connection) -> None:
        self._screen_pop = _screen_pop_for(connection.dialect)
        self._cursor = driver_connection(connection).cursor()

    def find_by_phone(self, key: str) -> list[CustomerMatch]:
        """Customers on the number `key` (as `phone.normalize` gives it)."""
        if not key:
            return []
        return _matches(self._cursor, self._screen_pop, key)

    def close(self) -> None:
        self._cursor.close()


def matches_in(connection: Connection, key: str) -> list[CustomerMatch]:
    """Customers on the number `key`, on a connection already in use (a unit of work's)."""
    cursor = driver_connection(connection).cursor()
    try:
        return _matches(cursor, _screen_pop_for(connection.dialect), key)
    finally:
        cursor.close()
