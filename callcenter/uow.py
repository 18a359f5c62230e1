"""The unit of work: one session per user action, committed or rolled back, then closed."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from callcenter.domain.errors import ConflictError
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.calls import CallRepository
from callcenter.repositories.customers import CustomerRepository
from callcenter.repositories.reference import DispositionRepository, QueueRepository
from callcenter.repositories.states import AgentStateRepository
from callcenter.repositories.users import UserRepository


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
