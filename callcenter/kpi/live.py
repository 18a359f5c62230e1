"""The wallboard's snapshot: per queue what is waiting now and today's figures; agents by state.

Today is the calendar day in the report time zone, and its figures are KpiService's for that
day (KPIS.md), so the board and `callcenter report` agree. What ticks (longest wait, time in
state) is given as instants; the screen counts the seconds itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from callcenter.bootstrap import Database
from callcenter.clock import Clock, utc_now
from callcenter.domain.calls import Queue
from callcenter.domain.phone import format_for_display
from callcenter.domain.users import Actor, Role
from callcenter.kpi.figures import QueueFigures
from callcenter.kpi.intervals import Interval
from callcenter.kpi.live_repository import LiveRepository
from callcenter.kpi.service import KpiService

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def can_supervise(role: Role | str | None) -> bool:
    """Only supervisors and admins see the console; agents see their own figures only."""
    return role is not None and Role(role) in SUPERVISING_ROLES


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    login: str
    name: str
    role: str
    team_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class Directory:
    """What the console's pickers offer: queues, teams and people."""

    queues: tuple[Queue, ...]
    teams: tuple[tuple[int, str], ...]
    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class QueueLive:
    queue: Queue
    waiting: int
    oldest_queued_at: datetime | None
    today: QueueFigures

    def longest_wait_s(self, now: datetime) -> int | None:
        """Now - the oldest waiting call's queued_at, in whole seconds (None: nobody waits)."""
        if self.oldest_queued_at is None:
            return None
        return max(0, int((now - self.oldest_queued_at).total_seconds()))


@dataclass(frozen=True, slots=True)
class CurrentCall:
    call_id: int
    direction: str
    queue: str | None
    number: str | None
    customer: str | None
    connected_at: datetime


@dataclass(frozen=True, slots=True)
class AgentLive:
    agent_id: int
    login: str
    name: str
    team: str | None
    state: str
    reason: str | None
    since: datetime
    call: CurrentCall | None

    def seconds_in_state(self, now: datetime) -> int:
        return max(0, int((now - self.since).total_seconds()))


@dataclass(frozen=True, slots=True)
class WallboardSnapshot:
    taken_at: datetime
    day_start: datetime  # local midnight of "today" in the report time zone
    queues: tuple[QueueLive, ...]
    agents: tuple[AgentLive, ...]

    def agents_by_state(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for agent in self.agents:
            counts[agent.state] = counts.get(agent.state, 0) + 1
        return counts


class LiveService:
    """The wallboard's reads; each method is one read-only unit of work (plus KpiService's)."""

    def __init__(
        self,
        database: Database,
        actor: Actor,
        timezone: str,
        clock: Clock = utc_now,
        region: str = "US",
    ) -> None:
        self._database = database
        self._actor = actor
        self._region = region  # numbers of this region are shown in national format
        self._kpi = KpiService(database, actor, timezone)
        self._clock = clock

    def directory(self) -> Directory:
        with self._database.uow(self._actor) as uow:
            repository = LiveRepository(uow.session)
            queues = tuple(Queue(*row) for row in repository.queues())
            teams = tuple(sorted(repository.teams(), key=lambda team: (team[1], team[0])))
            people = tuple(Person(*row) for row in repository.people())
        return Directory(queues, teams, people)

    def snapshot(self) -> WallboardSnapshot:
        now = self._clock()
        today = now.astimezone(self._kpi.zone).date()
        buckets = self._kpi.plan(today, today + timedelta(days=1), Interval.RANGE)
        with self._database.uow(self._actor) as uow:
            repository = LiveRepository(uow.session)
            queues = [Queue(*row) for row in repository.queues()]
            waiting = repository.waiting(now)
            people = {row[0]: row for row in repository.people()}
            teams = dict(repository.teams())
            states = repository.open_states()
            calls = repository.current_calls([state[0] for state in states], now)
        figures = {f.queue_id: f for f in self._kpi.queues(buckets, by_queue=True)}
        queue_rows = tuple(
            QueueLive(
                queue,
                waiting.get(queue.id, (0, None))[0],
                waiting.get(queue.id, (0, None))[1],
                figures.get(queue.id) or QueueFigures(buckets.start, queue.id, queue.name),
            )
            for queue in queues
        )
        agents = []
        for agent_id, state, reason, since in states:
            _, login, name, _role, team_id, _active = people[agent_id]
            call = calls.get(agent_id)
            agents.append(
                AgentLive(
                    agent_id,
                    login,
                    name,
                    teams.get(team_id) if team_id is not None else None,
                    state,
                    reason,
                    since,
                    self._current_call(call) if call else None,
                )
            )
        agents.sort(key=lambda agent: (agent.name.casefold(), agent.agent_id))
        return WallboardSnapshot(now, buckets.start, queue_rows, tuple(agents))

    def _current_call(self, row: tuple[Any, ...]) -> CurrentCall:
        call_id, direction, queue, number, customer, connected = row
        shown = format_for_display(number, self._region) if number else None
        return CurrentCall(call_id, direction, queue, shown, customer, connected)
