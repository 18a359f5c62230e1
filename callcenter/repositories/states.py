"""Agent state spans: each change closes the open span and opens the next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, update
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

    def add_history(
        self,
        agent_id: int,
        spans: Sequence[tuple[AgentState, str | None, datetime, datetime | None]],
    ) -> int:
        """Add past spans (state, reason, start, end or None for open) in time order.

        For imports: a span already there (same agent, state and start) is left alone, so a
        re-import adds nothing. An open span is closed at the agent's next recorded start, and
        the agent's open span from before the first new one is closed where that one starts.
        Returns how many spans were added.
        """
        if not spans:
            return 0
        first, last = spans[0][2], spans[-1][2]
        present = {
            (state, started)
            for state, started in self._session.execute(
                select(AgentStateChange.state, AgentStateChange.started_at).where(
                    AgentStateChange.agent_id == agent_id,
                    AgentStateChange.started_at >= first,
                    AgentStateChange.started_at <= last,
                )
            )
        }
        new = [span for span in spans if (span[0].value, span[2]) not in present]
        if not new:
            return 0
        self._session.execute(
            update(AgentStateChange)
            .where(
                AgentStateChange.agent_id == agent_id,
                AgentStateChange.ended_at.is_(None),
                AgentStateChange.started_at < new[0][2],
            )
            .values(ended_at=new[0][2])
        )
        rows = []
        for state, reason, started, ended in new:
            if ended is None:
                ended = self._session.scalar(
                    select(func.min(AgentStateChange.started_at)).where(
                        AgentStateChange.agent_id == agent_id,
                        AgentStateChange.started_at > started,
                    )
                )
            rows.append(
                {
                    "agent_id": agent_id,
                    "state": state.value,
                    "reason": reason,
                    "started_at": started,
                    "ended_at": ended,
                }
            )
        self._session.execute(insert(AgentStateChange), rows)
        return len(rows)
