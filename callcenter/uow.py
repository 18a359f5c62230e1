"""Units of work: a session per user action, and the screen pop's short reads beside them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from functools import cached_property
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.engine import begin_write
from callcenter.domain.errors import ConflictError, DatabaseUnavailable
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.calls import CallRepository
from callcenter.repositories.customers import CustomerRepository
from callcenter.repositories.reference import DispositionRepository, QueueRepository
from callcenter.repositories.screen_pop import CustomerLookups
from callcenter.repositories.states import AgentStateRepository
from callcenter.repositories.users import UserRepository

T = TypeVar("T")


class UnitOfWork:
    """`with uow: ...; uow.commit()`: anything not committed is rolled back on exit.

    Repositories are made on first use: a screen pop, which needs one, pays for one.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session], actor: Actor) -> None:
        self._session_factory = session_factory
        self.actor = actor

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Closing ends the transaction by rolling it back: what was not committed is gone.
        self.session.close()

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session, self.actor)

    @cached_property
    def customers(self) -> CustomerRepository:
        return CustomerRepository(self.session, self.actor, self.audit)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session, self.actor, self.audit)

    @cached_property
    def calls(self) -> CallRepository:
        return CallRepository(self.session, self.actor)

    @cached_property
    def queues(self) -> QueueRepository:
        return QueueRepository(self.session, self.actor)

    @cached_property
    def dispositions(self) -> DispositionRepository:
        return DispositionRepository(self.session, self.actor)

    @cached_property
    def agent_states(self) -> AgentStateRepository:
        return AgentStateRepository(self.session)

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise ConflictError(
                "Someone else changed this record since you opened it. "
                "Reload it to see their changes, then apply yours again."
            ) from None

    def rollback(self) -> None:
        self.session.rollback()

    def begin_write(self) -> None:
        """Call first in a unit of work that reads and then writes: on SQLite it takes the
        write lock at the start (see engine.begin_write)."""
        begin_write(self.session)


class Reads:
    """Read-only repositories on one held connection: what `Reader.run` hands its work."""

    def __init__(self, connection: Connection, generation: int) -> None:
        self.connection = connection
        self.generation = generation
        self.customers = CustomerLookups(connection)

    def close(self) -> None:
        try:
            self.customers.close()
        finally:
            self.connection.close()


class Reader:
    """Short reads, such as the screen pop, on connections kept open between them.

    A unit of work per screen pop would cost a session, a pool check-out and a rollback, several
    times the query itself; the screen pop needs none of them, as it reads one statement that
    needs no transaction of its own. So connections are checked out once and kept: each lookup
    is one statement run in autocommit, its own short transaction, which sees every commit made
    before it (on SQLite WAL, no read transaction is left open to pin an old snapshot).

    Thread-safe: a thread takes an idle connection, or opens one, and puts it back after, so
    threads never share a connection and a slow read never holds up another thread's. A
    connection that fails is thrown away and the read runs once more on a fresh one (a read
    can safely run twice), so a database that restarted answers the next lookup; when it does
    not answer, DatabaseUnavailable says so.
    """

    # Kept open for the next reads; more than the GUI's concurrent lookups would only idle.
    KEEP_IDLE = 2

    def __init__(self, engine: Engine, explain: Callable[[DBAPIError], Exception]) -> None:
        self._engine = engine
        self._explain = explain
        self._idle: list[Reads] = []
        self._lock = threading.Lock()
        # Bumped by close(): a connection checked out before it is closed when put back.
        self._generation = 0
        self._dbapi_error: type[Exception] = engine.dialect.loaded_dbapi.Error
        self._operational_error: type[Exception] = engine.dialect.loaded_dbapi.OperationalError

    def run(self, work: Callable[[Reads], T]) -> T:
        """`work(reads)` on a held connection; it must only read, as it may run twice."""
        for attempt in (1, 2):
            reads = self._take()
            try:
                result = work(reads)
            except self._dbapi_error as exc:
                # The connection dropped, or the database failed to answer: what a new
                # connection may cure. Anything else (a bad statement) is raised as it is.
                unavailable = self._is_disconnect(exc, reads) or isinstance(
                    exc, self._operational_error
                )
                self._discard(reads)
                if not unavailable:
                    raise
                if attempt == 1:
                    continue
                where = self._engine.url.render_as_string(hide_password=True)
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise DatabaseUnavailable(
                    f"Cannot read from the database {where}: {first_line}"
                ) from exc
            except BaseException:
                # Not the database's doing, but the connection's state is unknown now.
                self._discard(reads)
                raise
            self._give_back(reads)
            return result
        raise AssertionError("unreachable: the second attempt returns or raises")

    def close(self) -> None:
        """Close the idle connections; those in use are closed when their read ends."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for reads in idle:
            reads.close()

    def _take(self) -> Reads:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            generation = self._generation
        try:
            connection = self._engine.connect()
        except DBAPIError as exc:
            raise self._explain(exc) from None
        try:
            if connection.dialect.name != "sqlite":
                # Each statement its own transaction; the pool resets this on check-in. Not on
                # SQLite: the engine already runs its driver in autocommit, and SQLAlchemy's
                # reset would turn the driver's own transaction handling back on.
                connection.execution_options(isolation_level="AUTOCOMMIT")
            return Reads(connection, generation)
        except BaseException:
            connection.invalidate()
            connection.close()
            raise

    def _give_back(self, reads: Reads) -> None:
        with self._lock:
            if reads.generation == self._generation and len(self._idle) < self.KEEP_IDLE:
                self._idle.append(reads)
                return
        reads.close()

    def _discard(self, reads: Reads) -> None:
        # A broken connection may fail to close as well; invalidated, the pool forgets it.
        with suppress(Exception):
            reads.connection.invalidate()
            reads.close()

    def _is_disconnect(self, exc: Exception, reads: Reads) -> bool:
        try:
            dbapi_connection = reads.connection.connection.dbapi_connection
        except Exception:  # a connection that cannot even be reached is lost
            return True
        dialect = self._engine.dialect
        return bool(dialect.is_disconnect(exc, dbapi_connection, None))  # type: ignore[arg-type]
