"""Time arithmetic that SQLite and PostgreSQL spell differently, as SQLAlchemy constructs.

SQLite keeps timestamps as naive UTC text ('YYYY-MM-DD HH:MM:SS.ffffff'); PostgreSQL as
timestamptz. Durations are whole milliseconds, so a wait of exactly 20 s compares equal to
20 000 on both (no floating-point seconds near a threshold).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class epoch_s(FunctionElement[int]):
    """Whole seconds since 1970 (floored) of a timestamp."""

    type = BigInteger()
    inherit_cache = True


class ms_between(FunctionElement[int]):
    """`later - earlier` in whole milliseconds."""

    type = BigInteger()
    inherit_cache = True


class epoch_ms(FunctionElement[int]):
    """Milliseconds since 1970 (rounded) of a timestamp."""

    type = BigInteger()
    inherit_cache = True


class smaller(FunctionElement[int]):
    """The smaller of two numbers."""

    type = BigInteger()
    inherit_cache = True


class larger(FunctionElement[int]):
    """The larger of two numbers."""

    type = BigInteger()
    inherit_cache = True


class earliest(FunctionElement[Any]):
    """The smaller of two timestamps."""

    type = DateTime(timezone=True)
    inherit_cache = True


class latest(FunctionElement[Any]):
    """The larger of two timestamps."""

    type = DateTime(timezone=True)
    inherit_cache = True


class minus_seconds(FunctionElement[Any]):
    """A timestamp moved back by a constant number of seconds, as a lower bound for an index.

    On SQLite the result drops the fraction of a second: use it only where a bound a second
    loose is harmless.
    """

    type = DateTime(timezone=True)
    inherit_cache = True


class plus_seconds(FunctionElement[Any]):
    """A timestamp moved on by a constant number of seconds, as an upper bound for an index.

    On SQLite the result drops the fraction of a second: add a second to stay on the safe side.
    """

    type = DateTime(timezone=True)
    inherit_cache = True


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(epoch_s, "sqlite")
def _epoch_s_sqlite(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"CAST(strftime('%s', {value}) AS INTEGER)"


@compiles(epoch_s, "postgresql")
def _epoch_s_pg(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"CAST(floor(extract(epoch FROM {value})) AS BIGINT)"


@compiles(ms_between, "sqlite")
def _ms_between_sqlite(element: ms_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"CAST(round((julianday({later}) - julianday({earlier})) * 86400000.0) AS INTEGER)"


@compiles(ms_between, "postgresql")
def _ms_between_pg(element: ms_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"CAST(round(extract(epoch FROM ({later} - {earlier})) * 1000) AS BIGINT)"


@compiles(epoch_ms, "sqlite")
def _epoch_ms_sqlite(element: epoch_ms, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"CAST(round((julianday({value}) - 2440587.5) * 86400000.0) AS INTEGER)"


@compiles(epoch_ms, "postgresql")
def _epoch_ms_pg(element: epoch_ms, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"CAST(round(extract(epoch FROM {value}) * 1000) AS BIGINT)"


@compiles(smaller, "sqlite")
@compiles(earliest, "sqlite")
def _earliest_sqlite(element: earliest, compiler: SQLCompiler, **kw: Any) -> str:
    return "min({}, {})".format(*_args(element, compiler, **kw))


@compiles(smaller, "postgresql")
@compiles(earliest, "postgresql")
def _earliest_pg(element: earliest, compiler: SQLCompiler, **kw: Any) -> str:
    return "least({}, {})".format(*_args(element, compiler, **kw))


@compiles(larger, "sqlite")
@compiles(latest, "sqlite")
def _latest_sqlite(element: latest, compiler: SQLCompiler, **kw: Any) -> str:
    return "max({}, {})".format(*_args(element, compiler, **kw))


@compiles(larger, "postgresql")
@compiles(latest, "postgresql")
def _latest_pg(element: latest, compiler: SQLCompiler, **kw: Any) -> str:
    return "greatest({}, {})".format(*_args(element, compiler, **kw))


@compiles(minus_seconds, "sqlite")
def _minus_seconds_sqlite(element: minus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    value, seconds = _args(element, compiler, **kw)
    return f"datetime({value}, '-' || {seconds} || ' seconds')"


@compiles(minus_seconds, "postgresql")
def _minus_seconds_pg(element: minus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    value, seconds = _args(element, compiler, **kw)
    return f"({value} - make_interval(secs => {seconds}))"


@compiles(plus_seconds, "sqlite")
def _plus_seconds_sqlite(element: plus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    value, seconds = _args(element, compiler, **kw)
    return f"datetime({value}, '+' || {seconds} || ' seconds')"


@compiles(plus_seconds, "postgresql")
def _plus_seconds_pg(element: plus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    value, seconds = _args(element, compiler, **kw)
    return f"({value} + make_interval(secs => {seconds}))"
