"""The unit of work: one session per user action, committed or rolled back, then closed."""

from __future__ import annotations

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
    """`with uow: ...; uow.commit()`: anything not committed is rolled back on exit."""

    session: Session
    customers: CustomerRepository
    users: UserRepository
    calls: CallRepository
    queues: QueueRepository
    dispositions: DispositionRepository
    agent_states: AgentStateRepository
    audit: AuditRepository

    def __init__(self, session_factory: sessionmaker[Session], actor: Actor) -> None:
        self._session_factory = session_factory
        self.actor = actor

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.audit = AuditRepository(self.session, self.actor)
        self.customers = CustomerRepository(self.session, self.actor, self.audit)
        self.users = UserRepository(self.session, self.actor, self.audit)
        self.calls = CallRepository(self.session, self.actor)
        self.queues = QueueRepository(self.session, self.actor)
        self.dispositions = DispositionRepository(self.session, self.actor)
        self.agent_states = AgentStateRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

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
