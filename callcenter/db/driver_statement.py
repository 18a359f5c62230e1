"""A SQLAlchemy statement compiled once per dialect and run straight on the driver's cursor.

For the few statements on an agent's critical path (the screen pop, the callback claim) that
run thousands of times a shift: SQLAlchemy's per-execution handling (cache key, parameter
processing, result rows) costs several times what the database spends on them. The statement
is still written with SQLAlchemy, and its column types still convert parameters and results.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: bool
    # Parameter names in the order a positional driver takes them.
    names: tuple[str, ...]
    fixed: Mapping[str, Any]
    bind_processors: Mapping[str, Processor]
    result_processors: tuple[Processor | None, ...]
    # Makes a row (a named tuple of the result columns) from the processed values.
    make: Callable[[Iterable[Any]], Any]


class DriverStatement:
    """`statement` run on a connection's DBAPI cursor; rows are named tuples of its columns.

    Parameters are given by bindparam name, as to SQLAlchemy. The result columns must have
    distinct names that are valid identifiers (label them). Expanding parameters (IN lists
    bound at execution) are not supported: bind an array instead.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self._statement: Select[Any] = statement
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        compiled = self._compiled(connection.dialect)
        values = dict(compiled.fixed)
        values.update(params)
        for name, process in compiled.bind_processors.items():
            values[name] = process(values[name])
        cursor = driver_connection(connection).cursor()
        try:
            if compiled.positional:
                cursor.execute(compiled.sql, [values[name] for name in compiled.names])
            else:
                cursor.execute(compiled.sql, values)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        processors = compiled.result_processors
        make = compiled.make
        if not any(processors):
            return [make(row) for row in rows]
        return [
            make(
                value if process is None else process(value)
                for process, value in zip(processors, row, strict=True)
            )
            for row in rows
        ]

    def one_or_none(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        rows = self.all(connection, params)
        if len(rows) > 1:
            raise ValueError(f"expected at most one row, got {len(rows)}")
        return rows[0] if rows else None

    def _compiled(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        found = self._by_dialect.get(key)
        if found is None:
            found = self._by_dialect[key] = _compile(self._statement, dialect)
        return found


def _compile(statement: Select[Any], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ()) if compiled.positional else ()
    bind_processors: dict[str, Processor] = {}
    for bind, name in compiled.bind_names.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            bind_processors[name] = process
    column_list = list(statement.selected_columns)
    result_processors = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in column_list
    )
    row_type: Any = namedtuple("Row", [column.key for column in column_list])  # type: ignore[misc]
    return _Compiled(
        sql=str(compiled),
        positional=compiled.positional,
        names=names,
        # Values SQLAlchemy bound itself (literals in the statement), and None for the rest.
        fixed=dict(compiled.params),
        bind_processors=bind_processors,
        result_processors=result_processors,
        make=row_type._make,
    )


def driver_connection(connection: Connection) -> Any:
    """The DBAPI connection under a SQLAlchemy one."""
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None
    return dbapi_connection
