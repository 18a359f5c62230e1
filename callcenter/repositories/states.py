"""Agent state spans: each change closes the open span and opens the next."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from callcenter.db.tables import AgentStateChange
from callcenter.domain.calls import AgentState


class AgentStateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def change(
        self, agent_id: int, state: AgentState, at: datetime, reason: str | None = None
    ) -> None:
        self._session.execute(
            update(AgentStateChange)
            .where(AgentStateChange.agent_id == agent_id, AgentStateChange.ended_at.is_(None))
            .values(ended_at=at)
        )
        if state is not AgentState.LOGGED_OUT:
            self._session.execute(
                insert(AgentStateChange).values(
                    agent_id=agent_id, state=state.value, reason=reason, started_at=at
                )
            )

    def current(self, agent_id: int) -> tuple[AgentState, str | None, datetime] | None:
        row = self._session.execute(
            select(AgentStateChange.state, AgentStateChange.reason, AgentStateChange.started_at)
            .where(AgentStateChange.agent_id == agent_id, AgentStateChange.ended_at.is_(None))
            .order_by(AgentStateChange.started_at.desc())
            .limit(1)
        ).first()
        return (AgentState(row[0]), row[1], row[2]) if row else None
