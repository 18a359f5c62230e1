"""Statements the bulk customer paths share: plain-tuple inserts, big IN lists, batch loads."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import ARRAY, ColumnElement, Table, any_, bindparam, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from callcenter.db.tables import Base, CustomerPhone
from callcenter.db.tables import Customer as CustomerRow
from callcenter.domain.customers import Customer, PhoneEntry
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.customer_rows import SCALAR_FIELDS, chunks, same_value_once


class CustomerSql:
    """The low-level half of the customer repository's bulk methods."""

    _session: Session
    _actor: Actor
    _audit: AuditRepository

    def _new_sqlite_ids(self, count: int) -> list[int]:
        """Ids for `count` customers about to be inserted on SQLite, in order.

        SQLite cannot return a multi-row INSERT's ids in parameter order, so SQLAlchemy would
        insert row by row. A new row gets max(id) + 1 anyway, and naming the ids is as safe: if
        another writer commits after the max() is read, this transaction's INSERT fails (a
        stale snapshot cannot take the write lock) instead of colliding.
        """
        first = (self._session.connection().scalar(select(func.max(CustomerRow.id))) or 0) + 1
        return list(range(first, first + count))

    def _insert_rows(
        self,
        model: type[Base],
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        ready: Collection[str] = (),
    ) -> None:
        """One executemany of plain tuples, in `columns` order.

        Skips SQLAlchemy's per-row parameter handling, which costs more than the database's
        own work on bulk inserts; each column's type still converts its values, except the
        columns named in `ready`, whose values are already what the driver takes.
        """
        table = cast(Table, model.__table__)
        connection = self._session.connection()
        dialect = connection.dialect
        processors = [
            same_value_once(processor)
            if name not in ready
            and (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            else None
            for name in columns
        ]
        converting = [(i, p) for i, p in enumerate(processors) if p is not None]
        if converting:
            converted = []
            for row in rows:
                values = list(row)
                for i, process in converting:
                    values[i] = process(values[i])
                converted.append(tuple(values))
            rows = converted
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}[dialect.paramstyle]
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(name) for name in columns)}) "
            f"VALUES ({', '.join(placeholder for _ in columns)})"
        )
        connection.exec_driver_sql(sql, list(rows))

    def _driver_value(self, model: type[Base], column: str, value: Any) -> Any:
        """`value` as the column's type hands it to the driver (for `_insert_rows`' `ready`)."""
        table = cast(Table, model.__table__)
        dialect = self._session.connection().dialect
        processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        return processor(value) if processor else value

    def _among(
        self, column: InstrumentedAttribute[Any], values: Sequence[Any]
    ) -> ColumnElement[bool]:
        """`column IN values`, the values passed as one parameter.

        A plain IN renders a placeholder per value, which costs SQLAlchemy more than the
        database spends on the lookups when an import asks for thousands at a time.
        """
        backend = self._session.connection().dialect.name
        if backend == "sqlite":
            listed = func.json_each(json.dumps(list(values))).table_valued("value")
            return column.in_(select(listed.c.value))
        if backend == "postgresql":
            return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return column.in_(values)

    def _load_many(self, *conditions: ColumnElement[bool]) -> list[Customer]:
        """Customers matching `conditions`, with their phones, in two queries."""
        connection = self._session.connection()
        columns = [
            CustomerRow.id,
            CustomerRow.emails,
            CustomerRow.last_contact_at,
            CustomerRow.version,
            CustomerRow.created_at,
            CustomerRow.created_by,
            CustomerRow.updated_at,
            CustomerRow.updated_by,
            *(getattr(CustomerRow, name) for name in SCALAR_FIELDS),
        ]
        rows = connection.execute(select(*columns).where(*conditions)).all()
        if not rows:
            return []
        phones: dict[int, list[PhoneEntry]] = {}
        for chunk in chunks([row[0] for row in rows]):
            for customer_id, raw, key, extension, label in connection.execute(
                select(
                    CustomerPhone.customer_id,
                    CustomerPhone.raw,
                    CustomerPhone.number_key,
                    CustomerPhone.extension,
                    CustomerPhone.label,
                )
                .where(self._among(CustomerPhone.customer_id, chunk))
                .order_by(CustomerPhone.customer_id, CustomerPhone.position)
            ):
                phones.setdefault(customer_id, []).append(PhoneEntry(raw, key, extension, label))
        scalars = len(columns) - len(SCALAR_FIELDS)
        return [
            Customer(
                id=row[0],
                phones=tuple(phones.get(row[0], ())),
                emails=tuple(row[1] or ()),
                last_contact_at=row[2],
                version=row[3],
                created_at=row[4],
                created_by=row[5],
                updated_at=row[6],
                updated_by=row[7],
                **dict(zip(SCALAR_FIELDS, row[scalars:], strict=True)),
            )
            for row in rows
        ]
