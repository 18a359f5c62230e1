"""The wallboard's live queries: calls waiting, agents' open state spans, their current calls.

Each is one aggregate or indexed query whatever the size of the database: waiting and current
calls are looked for only among calls started in the last day (the started_at and
(agent_id, started_at) indexes), and each agent's latest span is found through the
(agent_id, started_at) index, one probe per user, instead of scanning every span ever
recorded for the few that are still open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from callcenter.db.tables import AgentStateChange, Call, Customer, Queue, Team, User

# A call still open after a day is an orphan (its end was never recorded), not a live call.
LIVE_WINDOW = timedelta(days=1)


class LiveRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def queues(self) -> list[tuple[int, str, int, int, int]]:
        """(id, name, SL threshold s, SL target %, short-abandon threshold s) by name."""
        q = Queue
        statement = select(
            q.id,
            q.name,
            q.service_level_threshold_s,
            q.service_level_target_pct,
            q.short_abandon_threshold_s,
        ).order_by(q.name)
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self._session.execute(statement)]

    def teams(self) -> list[tuple[int, str]]:
        return [(row[0], row[1]) for row in self._session.execute(select(Team.id, Team.name))]

    def people(self) -> list[tuple[int, str, str, str, int | None, bool]]:
        """(id, login, display name, role, team id, active) of every user, by display name."""
        u = User
        statement = select(u.id, u.login, u.display_name, u.role, u.team_id, u.active).order_by(
            u.display_name, u.id
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self._session.execute(statement)]

    def waiting(self, now: datetime) -> dict[int, tuple[int, datetime]]:
        """{queue id: (calls waiting now, the oldest one's queued_at)}."""
        c = Call
        # Grouped by an expression, not the column: grouping by queue_id (or asking for it to
        # be non-null) makes SQLite walk the (queue_id, queued_at) index over every call ever
        # queued instead of the started_at index over the last day (55 ms against 0.7 ms at
        # 50,000 calls).
        queue = (c.queue_id + 0).label("queue")
        statement = (
            select(queue, func.count(), func.min(c.queued_at))
            .where(
                c.started_at >= now - LIVE_WINDOW,
                c.direction == "inbound",
                c.queued_at.is_not(None),
                c.queued_at <= now,
                c.answered_at.is_(None),
                c.ended_at.is_(None),
            )
            .group_by(queue)
        )
        found: dict[int, tuple[int, datetime]] = {}
        for queue_id, count, oldest in self._session.execute(statement):
            if queue_id is not None and oldest is not None:
                found[int(queue_id)] = (int(count), oldest)
        return found

    def open_states(self) -> list[tuple[int, str, str | None, datetime]]:
        """(agent id, state, reason, since) of every active user whose latest span is open."""
        s, u = AgentStateChange, User
        latest = (
            select(s.id)
            .where(s.agent_id == u.id)
            .order_by(s.started_at.desc(), s.id.desc())
            .limit(1)
            .correlate(u)
            .scalar_subquery()
        )
        statement = (
            select(u.id, s.state, s.reason, s.started_at)
            .select_from(u)
            .join(s, s.id == latest)
            .where(u.active.is_(True), s.ended_at.is_(None), s.state != "logged_out")
        )
        return [(row[0], row[1], row[2], row[3]) for row in self._session.execute(statement)]

    def current_calls(
        self, agent_ids: Sequence[int], now: datetime
    ) -> dict[int, tuple[int, str, str | None, str | None, str | None, datetime]]:
        """{agent id: (call id, direction, queue, the other party's number, customer name,
        connected at)} of each agent's latest open call."""
        if not agent_ids:
            return {}
        c = Call
        statement = (
            select(
                c.agent_id,
                c.id,
                c.direction,
                Queue.name,
                # The normalised number where there is one: the wallboard formats it.
                func.coalesce(c.caller_key, c.caller_raw),
                func.coalesce(c.dialled_key, c.dialled_raw),
                Customer.name,
                c.answered_at,
                c.started_at,
            )
            .outerjoin(Queue, Queue.id == c.queue_id)
            .outerjoin(Customer, Customer.id == c.customer_id)
            .where(
                c.agent_id.in_(agent_ids),
                c.started_at >= now - LIVE_WINDOW,
                c.ended_at.is_(None),
                or_(c.direction == "outbound", c.answered_at.is_not(None)),
            )
            .order_by(c.started_at)
        )
        found: dict[int, tuple[int, str, str | None, str | None, str | None, datetime]] = {}
        for row in self._session.execute(statement):
            agent_id, call_id, direction, queue, caller, dialled, customer = row[:7]
            number = caller if direction == "inbound" else dialled
            connected: datetime = row[7] or row[8]
            # Ordered by start: the latest open call wins.
            found[agent_id or 0] = (call_id, direction, queue, number, customer, connected)
        return found
