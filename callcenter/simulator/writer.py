"""A simulation run written to the database: calls, queue waits and agent states, paced or not.

Paced (`speed` given): each instant is written when its time comes, `speed` times faster than
the wall clock (1 is real time, 60 an hour a minute), a call row from the moment the caller
joins the queue, so live views show callers waiting and agents busy. Unpaced (`speed` None):
as fast as possible, finished calls and closed state spans in batches (tests, load, backfill).

Times are stamped from `start` (now by default) plus the simulated seconds, so an accelerated
run stamps times ahead of the wall clock.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from callcenter.bootstrap import Database
from callcenter.db.tables import utcnow
from callcenter.domain.calls import AgentState, CallRecord, CallSource, Direction
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor, Role
from callcenter.kpi.erlang import staffing, traffic
from callcenter.simulator.callers import SAMPLE_SIZE, CallerPool
from callcenter.simulator.desk_ring import DeskRinger, DeskRings
from callcenter.simulator.engine import (
    Kind,
    SimCall,
    SimEvent,
    SimulationConfig,
    SimulationStats,
    simulate,
)
from callcenter.uow import UnitOfWork

log = logging.getLogger(__name__)

AGENT_LOGIN = "sim.agent{:02d}"
TEAM = "Simulator"
BATCH = 5000

_STATE_AFTER = {
    Kind.LOGGED_IN: AgentState.AVAILABLE,
    Kind.ANSWERED: AgentState.ON_CALL,
    Kind.TALK_ENDED: AgentState.AFTER_CALL_WORK,
    Kind.WRAPPED_UP: AgentState.AVAILABLE,
    Kind.LOGGED_OUT: AgentState.LOGGED_OUT,
}


@dataclass
class SimulationResult:
    run_id: str
    queue: str
    agents: list[str]
    started_at: datetime
    ended_at: datetime
    stats: SimulationStats
    traffic_erlangs: float
    erlang_c_service_level: float | None  # the prediction, with unlimited patience only
    erlang_c_asa_s: float | None
    calls_written: int = 0
    states_written: int = 0
    interrupted: bool = False
    desk: DeskRings | None = None  # callers offered to a trainee's desktop


@dataclass
class _Agent:
    user_id: int
    state: AgentState = AgentState.LOGGED_OUT
    since: datetime | None = None
    spans: list[tuple[AgentState, str | None, datetime, datetime | None]] = field(
        default_factory=list
    )


class SimulationWriter:
    def __init__(
        self,
        database: Database,
        actor: Actor,
        config: SimulationConfig,
        queue: str = "Simulator",
        threshold_s: float = 20.0,
        short_abandon_s: float = 5.0,
        region: str = "US",
        speed: float | None = None,
        start: datetime | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        customers_call: bool = True,
        desk: DeskRinger | None = None,
    ) -> None:
        if speed is not None and speed <= 0:
            raise ValueError("speed must be positive (or None: as fast as possible)")
        self._database = database
        self._actor = actor
        self._config = config
        self._queue = queue
        self._region = region
        self._speed = speed
        self._start = start or utcnow()
        self._sleep = sleep
        self._clock = clock
        self._rng = random.Random(None if config.seed is None else config.seed + 1)
        self._run_id = uuid.uuid4().hex[:10]
        self._callers: dict[int, str] = {}
        self._customers_call = customers_call
        self._pool = CallerPool([], self._rng)
        self._desk = desk
        self._agents: dict[int, _Agent] = {}
        self._active: dict[int, SimCall] = {}
        self._finished: list[CallRecord] = []
        self._queue_id: int | None = None
        self._logins: list[str] = []
        self._now = 0.0
        erlangs = traffic(config.calls_per_hour, 3600.0, config.aht_s)
        # Erlang C assumes nobody hangs up: a prediction only with unlimited patience.
        predicted = (
            staffing(config.agents, erlangs, config.aht_s, threshold_s)
            if config.patience_s is None
            else None
        )
        self.result = SimulationResult(
            run_id=self._run_id,
            queue=queue,
            agents=[],
            started_at=self._start,
            ended_at=self._start,
            stats=SimulationStats(threshold_s, short_abandon_s),
            traffic_erlangs=erlangs,
            erlang_c_service_level=None if predicted is None else predicted.service_level,
            erlang_c_asa_s=None if predicted is None else predicted.asa_s,
            desk=None if desk is None else desk.counts,
        )

    def run(self, events: Iterable[SimEvent] | None = None) -> SimulationResult:
        """Simulate (or replay `events`) and write it all; Ctrl+C ends the run cleanly."""
        self._prepare()
        wall_start = self._clock()
        try:
            for at, group in groupby(events or simulate(self._config), key=lambda e: e.at):
                batch = list(group)
                if self._speed is not None:
                    delay = wall_start + at / self._speed - self._clock()
                    if delay > 0:
                        self._sleep(delay)
                self._now = at
                self._apply(at, batch)
        except KeyboardInterrupt:
            self.result.interrupted = True
            self._stop(self._now)
        self._flush(final=True)
        self.result.ended_at = self._time(self._now)
        return self.result

    # -- set-up ---------------------------------------------------------------------------

    def _prepare(self) -> None:
        with self._database.uow(self._actor) as uow:
            self._queue_id = uow.queues.ensure(self._queue).id
            if self._customers_call:
                self._pool = CallerPool(uow.customers.sample_numbers(SAMPLE_SIZE), self._rng)
            for n in range(self._config.agents):
                login = AGENT_LOGIN.format(n + 1)
                user = uow.users.find(login) or uow.users.add(
                    login, f"Simulated agent {n + 1:02d}", Role.AGENT, team=TEAM
                )
                self._agents[n] = _Agent(user.id)
                self._logins.append(login)
            uow.commit()
        self.result.agents = list(self._logins)

    # -- events ---------------------------------------------------------------------------

    def _apply(self, at: float, events: list[SimEvent]) -> None:
        touched: dict[int, SimCall] = {}
        states: dict[int, AgentState] = {}
        for event in events:
            call = event.call
            if call is not None:
                touched[call.index] = call
                if event.kind is Kind.JOINED:
                    self._active[call.index] = call
                    if self._desk is not None:
                        self._desk.offer(self._caller(call.index), self._queue)
                elif event.kind in (Kind.WRAPPED_UP, Kind.ABANDONED):
                    self._active.pop(call.index, None)
                    self.result.stats.add(call)
            if event.agent is not None:
                states[event.agent] = _STATE_AFTER[event.kind]
        when = self._time(at)
        if self._speed is None:
            for index, call in touched.items():
                if index not in self._active:
                    self._finished.append(self._record(call, done=True))
            for agent, state in states.items():
                self._span(agent, state, when)
            if len(self._finished) >= BATCH:
                self._flush()
            return
        with self._database.uow(self._actor) as uow:
            for index, call in touched.items():
                uow.calls.save(self._record(call, done=index not in self._active))
                self.result.calls_written += index not in self._active
            for agent, state in states.items():
                self._change(uow, agent, state, when)
            uow.commit()

    def _stop(self, at: float) -> None:
        """Interrupted: callers still waiting hang up, calls end, agents log out, now."""
        when = self._time(at)
        with self._database.uow(self._actor) as uow:
            for call in self._active.values():
                if call.answered_at is None:
                    call.ended_at = at
                elif call.ended_at is None or call.ended_at > at:
                    call.ended_at = at
                    call.hold_s = min(call.hold_s, max(0.0, at - call.answered_at))
                call.acw_s = 0.0
                self.result.stats.add(call)
                record = self._record(call, done=True)
                if self._speed is None:
                    self._finished.append(record)
                else:
                    uow.calls.save(record)
                    self.result.calls_written += 1
            self._active.clear()
            for agent in self._agents:
                if self._speed is None:
                    self._span(agent, AgentState.LOGGED_OUT, when)
                else:
                    self._change(uow, agent, AgentState.LOGGED_OUT, when)
            uow.commit()

    def _change(self, uow: UnitOfWork, agent: int, state: AgentState, when: datetime) -> None:
        holder = self._agents[agent]
        if holder.state is not state:
            uow.agent_states.change(holder.user_id, state, when)
            holder.state = state
            self.result.states_written += state is not AgentState.LOGGED_OUT

    def _span(self, agent: int, state: AgentState, when: datetime) -> None:
        holder = self._agents[agent]
        if holder.state is state:
            return
        since = holder.since
        if holder.state is not AgentState.LOGGED_OUT and since is not None and when > since:
            holder.spans.append((holder.state, None, since, when))
        holder.state, holder.since = state, when

    def _flush(self, final: bool = False) -> None:
        if self._speed is not None and not final:
            return
        with self._database.uow(self._actor) as uow:
            uow.calls.add_many(self._finished)
            self.result.calls_written += len(self._finished)
            self._finished = []
            for holder in self._agents.values():
                if holder.spans:
                    self.result.states_written += uow.agent_states.add_history(
                        holder.user_id, holder.spans
                    )
                    holder.spans = []
            uow.commit()

    # -- rows -----------------------------------------------------------------------------

    def _time(self, seconds: float) -> datetime:
        return self._start + timedelta(seconds=seconds)

    def _caller(self, index: int) -> str:
        caller = self._callers.get(index)
        if caller is None:
            caller = self._callers[index] = self._pool.next_caller()
        return caller

    def _record(self, call: SimCall, done: bool) -> CallRecord:
        caller = self._caller(call.index)
        if done:
            self._callers.pop(call.index, None)
        queued = self._time(call.queued_at)
        answered = None if call.answered_at is None else self._time(call.answered_at)
        ended = None if call.ended_at is None else self._time(call.ended_at)
        return CallRecord(
            call_uid=f"sim-{self._run_id}-{call.index}",
            direction=Direction.INBOUND,
            started_at=queued,
            source=CallSource.SIMULATOR,
            source_call_id=f"{self._run_id}-{call.index}",
            queue_id=self._queue_id,
            agent_id=None if call.agent is None else self._agents[call.agent].user_id,
            caller_raw=caller,
            caller_key=normalize(caller, self._region).key or None,
            queued_at=queued,
            answered_at=answered,
            ended_at=ended,
            hold_s=int(call.hold_s) if ended is not None and answered is not None else 0,
            acw_s=round(call.acw_s) if done and answered is not None else 0,
        )
