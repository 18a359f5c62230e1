"""`callcenter collector`: queue changes from AMI into the shared database, surviving outages.

Changes are kept in order in memory and written a batch per unit of work; when the database is
away the batch stays and is retried with backoff, so nothing is lost while the collector runs.
Writing is idempotent (calls by their ``pbx:<uniqueid>`` key, states only when they change), so
a batch retried after a commit whose answer was lost changes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sqlalchemy.exc import DBAPIError

from callcenter.bootstrap import Database
from callcenter.domain.calls import AgentState, CallRecord, CallSource, Direction
from callcenter.domain.errors import DatabaseUnavailable
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor
from callcenter.services.queue_log_import import AgentDirectory
from callcenter.telephony.queue_collector import CallChange, Change
from callcenter.telephony.queue_log import MemberChange, MemberState
from callcenter.uow import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class CollectorStats:
    calls_written: int = 0
    calls_finished: int = 0
    states_written: int = 0
    unknown_agents: set[str] | None = None
    failures: int = 0


_FOLLOWS_THE_CALL = frozenset({AgentState.ON_CALL, AgentState.AFTER_CALL_WORK})


class CollectorWriter:
    """Thread-safe `submit`; `flush` writes what is kept (call it from one thread)."""

    def __init__(
        self,
        database: Database,
        actor: Actor,
        region: str = "US",
        outside_prefix: str = "",
        directory_ttl_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._actor = actor
        self._region = region
        self._outside_prefix = outside_prefix
        self._pending: deque[Change] = deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._directory: AgentDirectory | None = None
        self._directory_at = 0.0
        self._directory_ttl = directory_ttl_s
        self._queues: dict[str, int | None] = {}
        self.stats = CollectorStats(unknown_agents=set())
        self.finished: list[CallRecord] = []  # calls ended by the last flush, for the output

    @property
    def kept(self) -> int:
        with self._lock:
            return len(self._pending)

    def submit(self, changes: Iterable[Change]) -> None:
        with self._lock:
            self._pending.extend(changes)

    def flush(self) -> bool:
        """Write everything kept, a batch at a time; False if the database is unreachable."""
        self.finished = []
        while True:
            with self._lock:
                batch = [self._pending[i] for i in range(min(BATCH, len(self._pending)))]
            if not batch:
                return True
            try:
                with self._database.uow(self._actor) as uow:
                    finished = self._write(uow, batch)
                    uow.commit()
            except (DatabaseUnavailable, DBAPIError) as exc:
                self._queues = {}  # queues it added were rolled back with it
                self.stats.failures += 1
                log.warning("database unreachable, %d changes kept: %s", self.kept, exc)
                return False
            with self._lock:
                for _ in batch:
                    self._pending.popleft()
            self.finished.extend(finished)

    # -- writing --------------------------------------------------------------------------

    def _write(self, uow: UnitOfWork, batch: list[Change]) -> list[CallRecord]:
        directory = self._agents(uow)
        finished: list[CallRecord] = []
        for change in batch:
            if isinstance(change, CallChange):
                record = self._call(uow, directory, change)
                if record is not None:
                    uow.calls.save(record)
                    self.stats.calls_written += 1
                    if change.ended_at is not None:
                        finished.append(record)
                        self.stats.calls_finished += 1
            else:
                self._member(uow, directory, change)
        return finished

    def _agents(self, uow: UnitOfWork) -> AgentDirectory:
        now = self._clock()
        if self._directory is None or now - self._directory_at > self._directory_ttl:
            self._directory = AgentDirectory(uow.users.list())
            self._directory_at = now
        return self._directory

    def _queue_id(self, uow: UnitOfWork, name: str) -> int | None:
        if name not in self._queues:  # the PBX is the authority on its queues: added if new
            self._queues[name] = uow.queues.ensure(name[:100]).id
        return self._queues[name]

    def _call(
        self, uow: UnitOfWork, directory: AgentDirectory, change: CallChange
    ) -> CallRecord | None:
        uid = f"pbx:{change.call_id}"[:64]
        record = uow.calls.get(uid)
        notes: list[str] = []
        if record is None:
            start = change.queued_at or change.answered_at or change.ended_at
            if start is None:
                return None
            queue_id = self._queue_id(uow, change.queue)
            number = normalize(change.caller, self._region, self._outside_prefix)
            record = CallRecord(
                call_uid=uid,
                direction=Direction.INBOUND,
                started_at=start,
                source=CallSource.PBX,
                source_call_id=change.call_id,
                queue_id=queue_id,
                caller_raw=change.caller[:200] if change.caller else None,
                caller_key=number.key or None if change.caller else None,
                queued_at=change.queued_at,
            )
        elif change.create:
            return None  # seen before (a restart, or the log imported): keep what is there
        updates: dict[str, object] = {}
        if change.answered_at is not None and record.answered_at is None:
            updates["answered_at"] = change.answered_at
        if change.ended_at is not None and record.ended_at is None:
            updates["ended_at"] = change.ended_at
        if change.disposition is not None and record.disposition_code is None:
            updates["disposition_code"] = change.disposition
        if change.agent is not None and record.agent_id is None:
            user = directory.find(change.agent)
            if user is not None:
                updates["agent_id"] = user.id
            else:
                notes.append(f"agent {change.agent}")
                assert self.stats.unknown_agents is not None
                self.stats.unknown_agents.add(change.agent)
        if notes:
            text = "collector: " + "; ".join(notes)
            updates["notes"] = f"{record.notes}; {text}" if record.notes else text
        return replace(record, **updates)  # type: ignore[arg-type]

    def _member(self, uow: UnitOfWork, directory: AgentDirectory, change: MemberChange) -> None:
        user = directory.find(change.agent)
        if user is None:
            assert self.stats.unknown_agents is not None
            self.stats.unknown_agents.add(change.agent)
            return
        if change.state is MemberState.PAUSED:
            wanted = (AgentState.BREAK, change.reason)
        elif change.state in (MemberState.UNPAUSED, MemberState.LOGGED_IN):
            wanted = (AgentState.AVAILABLE, None)
        else:
            wanted = (AgentState.LOGGED_OUT, None)
        # What the database says now, not what this collector last wrote: the agent's desktop
        # writes states too, and is the one that follows their calls.
        current = uow.agent_states.current(user.id)
        if current is not None and (current[0], current[1]) == wanted:
            return  # the same pause, reported once per queue, or replayed after a restart
        if current is not None and current[0] in _FOLLOWS_THE_CALL:
            # A pause pressed during a call stops the next one; the desktop changes the state
            # after wrap-up. Overwriting "on call" here would hide the call from occupancy.
            log.info("agent %s paused during a call; their desktop keeps the state", change.agent)
            return
        uow.agent_states.change(user.id, wanted[0], change.at, wanted[1])
        self.stats.states_written += 1
