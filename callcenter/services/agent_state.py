"""The agent's state (available, on call, after-call work, break, logged out), recorded."""

from __future__ import annotations

from datetime import datetime

from callcenter.bootstrap import Database
from callcenter.clock import Clock, utc_now
from callcenter.domain.calls import AgentState
from callcenter.domain.errors import ValidationError
from callcenter.domain.users import Actor


class AgentStateService:
    """Every change closes the agent's open span and opens the next: occupancy is built on it."""

    def __init__(self, database: Database, clock: Clock = utc_now) -> None:
        self._database = database
        self._clock = clock

    def change(
        self,
        actor: Actor,
        agent_id: int,
        state: AgentState,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> datetime:
        """Record the change; `at` is when it happened, for a change saved late after an outage."""
        if state is AgentState.BREAK and not (reason and reason.strip()):
            raise ValidationError("reason", "a break needs a reason code")
        if state is not AgentState.BREAK:
            reason = None
        at = at or self._clock()
        with self._database.uow(actor) as uow:
            uow.begin_write()  # the change reads the open span, then closes it
            uow.agent_states.change(agent_id, state, at, reason)
            uow.commit()
        return at

    def current(
        self, actor: Actor, agent_id: int
    ) -> tuple[AgentState, str | None, datetime | None]:
        with self._database.uow(actor) as uow:
            found = uow.agent_states.current(agent_id)
        return found if found else (AgentState.LOGGED_OUT, None, None)
