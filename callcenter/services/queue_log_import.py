"""`import queue-log`: Asterisk's queue_log into call records and agent state spans, once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from callcenter.bootstrap import Database
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor, User
from callcenter.telephony.queue_log import (
    EXIT_DISPOSITIONS,
    IncompleteCall,
    QueueCall,
    QueueLogParser,
    SkippedLine,
    agent_spans,
    member_key,
)

BATCH = 2000


@dataclass
class AgentMatch:
    """A member name from the log and the user it is (None: no user has that interface)."""

    name: str
    login: str | None = None
    user_id: int | None = None
    calls: int = 0
    states: int = 0


@dataclass
class QueueLogSummary:
    calls: int = 0  # new call records written
    unchanged: int = 0  # calls already imported before
    states: int = 0  # agent state spans written
    lines: int = 0
    incomplete: list[IncompleteCall] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    agents: list[AgentMatch] = field(default_factory=list)
    new_queues: list[str] = field(default_factory=list)  # queues the log named, added


class AgentDirectory:
    """Member names to users by the interface in `users.extension`.

    The full interface first (``PJSIP/201``), then its last part (``201`` matches a user whose
    extension is ``201`` or ``SIP/201``, unless two users share it), then the login or the
    display name (members given a name with ``membername``).
    """

    def __init__(self, users: Iterable[User]) -> None:
        self._exact: dict[str, User] = {}
        self._short: dict[str, User | None] = {}
        self._names: dict[str, User] = {}
        for user in users:
            if user.extension:
                extension = user.extension.strip()
                self._exact.setdefault(extension.lower(), user)
                short = member_key(extension).lower()
                self._short[short] = None if short in self._short else user
            self._names.setdefault(user.login.lower(), user)
            self._names.setdefault(user.display_name.strip().lower(), user)

    def find(self, member: str) -> User | None:
        name = member.strip().lower()
        return (
            self._exact.get(name)
            or self._short.get(member_key(member).lower())
            or self._names.get(name)
        )


def import_queue_log(
    database: Database,
    actor: Actor,
    lines: Iterable[str],
    region: str = "US",
    outside_prefix: str = "",
) -> QueueLogSummary:
    """Parse the log, then write the calls and state spans the database does not have yet."""
    parser = QueueLogParser()
    parser.feed(lines)
    log = parser.finish()
    summary = QueueLogSummary(lines=log.lines, incomplete=log.incomplete, skipped=log.skipped)
    spans = agent_spans(log.members)
    with database.uow(actor) as uow:
        directory = AgentDirectory(uow.users.list())
        queue_ids = {queue.name: queue.id for queue in uow.queues.list()}
        # The PBX is the authority on its queues: one it names is added (default thresholds).
        for name in sorted({call.queue for call in log.calls} - set(queue_ids)):
            queue_ids[name] = uow.queues.ensure(name[:100]).id
            summary.new_queues.append(name)
        uow.commit()
    agents: dict[str, AgentMatch] = {}

    def match(name: str) -> AgentMatch:
        found = agents.get(name)
        if found is None:
            user = directory.find(name)
            found = AgentMatch(name, user.login if user else None, user.id if user else None)
            agents[name] = found
        return found

    records: list[CallRecord] = []
    for call in log.calls:
        agent = match(call.agent) if call.agent else None
        if agent:
            agent.calls += 1
        records.append(_record(call, agent, queue_ids.get(call.queue), region, outside_prefix))
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        with database.uow(actor) as uow:
            known = uow.calls.existing_source_ids(
                CallSource.PBX, [r.source_call_id for r in batch if r.source_call_id]
            )
            new = [r for r in batch if r.source_call_id not in known]
            uow.calls.add_many(new)
            uow.commit()
        summary.calls += len(new)
        summary.unchanged += len(batch) - len(new)
    with database.uow(actor) as uow:
        for name, agent_history in spans.items():
            agent = match(name)
            if agent.user_id is None or not agent_history:
                continue
            added = uow.agent_states.add_history(
                agent.user_id,
                [(s.state, s.reason, s.started_at, s.ended_at) for s in agent_history],
            )
            agent.states += added
            summary.states += added
        uow.commit()
    summary.agents = sorted(agents.values(), key=lambda a: a.name)
    return summary


def import_queue_log_file(
    database: Database,
    actor: Actor,
    path: Path,
    region: str = "US",
    outside_prefix: str = "",
) -> QueueLogSummary:
    # Bytes that are not UTF-8 (a caller name in Latin-1) must not stop a history import.
    with path.open(encoding="utf-8", errors="replace", newline="") as file:
        return import_queue_log(database, actor, file, region, outside_prefix)


def _record(
    call: QueueCall,
    agent: AgentMatch | None,
    queue_id: int | None,
    region: str,
    outside_prefix: str,
) -> CallRecord:
    notes: list[str] = []
    if agent is not None and agent.user_id is None:
        notes.append(f"agent {agent.name}")
    if call.transfer_target:
        notes.append(f"transferred to {call.transfer_target}")
    number = normalize(call.caller, region, outside_prefix) if call.caller else None
    return CallRecord(
        call_uid=f"pbx:{call.call_id}"[:64],
        direction=Direction.INBOUND,
        started_at=call.queued_at,
        source=CallSource.PBX,
        source_call_id=call.call_id,
        queue_id=queue_id,
        agent_id=agent.user_id if agent else None,
        caller_raw=call.caller[:200] if call.caller else None,
        caller_key=(number.key or None) if number else None,
        queued_at=call.queued_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        disposition_code=EXIT_DISPOSITIONS.get(call.outcome),
        notes=("queue_log: " + "; ".join(notes)) if notes else None,
    )


def summary_json(summary: QueueLogSummary) -> dict[str, object]:
    return {
        "calls": summary.calls,
        "unchanged": summary.unchanged,
        "states": summary.states,
        "lines": summary.lines,
        "incomplete": len(summary.incomplete),
        "incomplete_calls": [
            {"call_id": i.call_id, "queue": i.queue, "line": i.line, "reason": i.reason}
            for i in summary.incomplete
        ],
        "skipped_lines": [
            {"line": s.line, "reason": s.reason, "text": s.text} for s in summary.skipped
        ],
        "agents": [
            {"name": a.name, "user": a.login, "calls": a.calls, "states": a.states}
            for a in summary.agents
        ],
        "new_queues": summary.new_queues,
    }
