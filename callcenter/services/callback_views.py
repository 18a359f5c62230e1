"""What the callback screens list besides callbacks: who a callback may belong to."""

from __future__ import annotations

from dataclasses import dataclass

from callcenter.bootstrap import Database
from callcenter.domain.calls import Queue
from callcenter.domain.users import Actor, User


@dataclass(frozen=True, slots=True)
class OwnerChoices:
    """The active agents (and supervisors) and the queues a callback may be given to."""

    agents: tuple[User, ...]
    queues: tuple[Queue, ...]


def owner_choices(database: Database, actor: Actor) -> OwnerChoices:
    """One short read for the schedule form's owner list: active users, then every queue."""
    with database.uow(actor) as uow:
        agents = tuple(uow.users.list(include_inactive=False))
        queues = tuple(uow.queues.list())
    return OwnerChoices(agents, queues)
