"""Asterisk's queue_log (epoch|callid|queue|agent|event|data...) read into calls and member spans.

Pure: lines in, plain objects out. The importer (services/queue_log_import.py) matches agents and
queues to the database and writes what is new.

What each event means here (app_queue's fields after the event name):

- ENTERQUEUE ``url|callerid|position`` (Asterisk 12+), ``url|callerid`` (older), or
  ``callerid[|position]`` from tools that drop the url: the caller joins a queue.
- CONNECT ``holdtime|bridged uniqueid|ringtime``: the member in the agent field answers.
- COMPLETEAGENT / COMPLETECALLER ``holdtime|calltime|origposition``: the answered call ends.
- BLINDTRANSFER ``extension|context|holdtime|calltime|origposition`` and ATTENDEDTRANSFER
  ``method|target|holdtime|calltime|origposition``: the member transferred the call out; it
  ends here for the queue.
- ABANDON ``position|origposition|waittime``: the caller hung up before an answer.
- EXITWITHTIMEOUT, EXITEMPTY ``position|origposition|waittime`` and EXITWITHKEY
  ``key|position|origposition|waittime``: left unanswered for another reason (offered, neither
  answered nor abandoned; ../shared/KPIS.md).
- RINGNOANSWER ``ringtime ms``: a member was rung and did not answer (no change to the call).
- ADDMEMBER / REMOVEMEMBER: the member logs in to / out of the queue.
- PAUSE / UNPAUSE ``reason``, PAUSEALL / UNPAUSEALL: the member goes on / comes back from a
  break.
- QUEUESTART: Asterisk (re)started: callers still waiting in the log were lost with it, so
  their joins are incomplete.

A join whose exit never appears (the file ends, or Asterisk restarted) is incomplete and left out,
as is an exit or answer whose join is not in the file (the file starts mid-call). A caller who
leaves one queue and joins another keeps the PBX's unique id: the second visit is the call
``callid/2``, and so on, so each visit is one record.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from callcenter.domain.calls import AgentState


class Outcome(enum.StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"
    TIMEOUT = "timeout"
    EMPTY = "empty"
    EXIT_KEY = "exit_key"


# The disposition code an unanswered, unabandoned exit is recorded with, so reports can tell
# it from an abandon (both have no answer time).
EXIT_DISPOSITIONS = {
    Outcome.TIMEOUT: "queue_timeout",
    Outcome.EMPTY: "queue_empty",
    Outcome.EXIT_KEY: "queue_exit_key",
}


class MemberState(enum.StrEnum):
    LOGGED_IN = "logged_in"
    LOGGED_OUT = "logged_out"
    PAUSED = "paused"
    UNPAUSED = "unpaused"


@dataclass(frozen=True, slots=True)
class QueueCall:
    """One visit of a caller to a queue, from join to exit."""

    call_id: str  # the PBX's unique id, with /2, /3 ... for later visits of the same call
    queue: str
    caller: str | None
    queued_at: datetime
    ended_at: datetime
    outcome: Outcome
    answered_at: datetime | None = None
    agent: str | None = None  # the member that answered, as the log names it
    transfer_target: str | None = None
    line: int = 0  # where the join is


@dataclass(frozen=True, slots=True)
class MemberChange:
    at: datetime
    agent: str
    queue: str | None
    state: MemberState
    reason: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class SkippedLine:
    line: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class IncompleteCall:
    call_id: str
    queue: str
    line: int
    reason: str


@dataclass
class QueueLog:
    calls: list[QueueCall] = field(default_factory=list)
    members: list[MemberChange] = field(default_factory=list)
    incomplete: list[IncompleteCall] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    lines: int = 0


CALL_EVENTS = frozenset(
    {
        "ENTERQUEUE",
        "CONNECT",
        "COMPLETEAGENT",
        "COMPLETECALLER",
        "ABANDON",
        "EXITWITHTIMEOUT",
        "EXITEMPTY",
        "EXITWITHKEY",
        "RINGNOANSWER",
        "BLINDTRANSFER",
        "ATTENDEDTRANSFER",
    }
)
MEMBER_EVENTS = frozenset(
    {"ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL"}
)
# Real events that carry nothing a call record or a state span needs.
OTHER_EVENTS = frozenset(
    {
        "QUEUESTART",
        "CONFIGRELOAD",
        "DID",
        "INFO",
        "RINGCANCELED",
        "SYSCOMPAT",
        "TRANSFER",
        "AGENTLOGIN",
        "AGENTLOGOFF",
        "AGENTCALLBACKLOGIN",
        "AGENTCALLBACKLOGOFF",
        "AGENTDUMP",
    }
)
_EVENT = re.compile(r"^[A-Z][A-Z_]*$")
_NUMBERISH = re.compile(r"^\+?[\d\s().\-*#]+$")
_EXITS = {
    "ABANDON": Outcome.ABANDONED,
    "EXITWITHTIMEOUT": Outcome.TIMEOUT,
    "EXITEMPTY": Outcome.EMPTY,
    "EXITWITHKEY": Outcome.EXIT_KEY,
}
_ANSWERED_ENDS = frozenset({"COMPLETEAGENT", "COMPLETECALLER", "BLINDTRANSFER", "ATTENDEDTRANSFER"})


def enter_queue_caller(data: list[str]) -> str | None:
    """The caller id of an ENTERQUEUE, whichever of its layouts the log has."""
    fields = list(data)
    while fields and fields[-1] == "":
        fields.pop()
    if len(fields) >= 3:
        caller = fields[1]
    elif len(fields) == 2:
        first, second = fields
        # url|callerid, or callerid|position from a log without the url field.
        if first and _NUMBERISH.match(first) and second.isdigit() and len(second) <= 3:
            caller = first
        else:
            caller = second
    elif len(fields) == 1:
        only = fields[0]
        # "url|" (a url and an empty caller id) or "callerid" / "callerid|".
        caller = "" if len(data) >= 2 and not _NUMBERISH.match(only) else only
    else:
        caller = ""
    caller = caller.strip()
    return caller or None


def member_key(name: str) -> str:
    """The last part of a member interface: ``PJSIP/201`` and ``Local/201@agents/n`` give 201."""
    text = name.strip()
    if "/" in text:
        tech, rest = text.split("/", 1)
        text = rest.split("/", 1)[0] if tech.lower() == "local" else rest
        text = text.split("@", 1)[0]
    return text


@dataclass
class _Open:
    call_id: str
    queue: str
    caller: str | None
    queued_at: datetime
    line: int
    answered_at: datetime | None = None
    agent: str | None = None


def _time(text: str) -> datetime:
    return datetime.fromtimestamp(float(text), UTC)


class QueueLogParser:
    """Feed lines in file order, then `finish()`: what the log says, line numbers kept."""

    def __init__(self) -> None:
        self.result = QueueLog()
        self._open: dict[str, _Open] = {}
        self._visits: dict[str, int] = {}

    def feed(self, lines: Iterable[str], first_line: int = 1) -> None:
        for number, text in enumerate(lines, start=first_line):
            self.line(number, text)

    def line(self, number: int, text: str) -> None:
        self.result.lines += 1
        text = text.rstrip("\r\n")
        if not text.strip():
            self._skip(number, "empty line", text)
            return
        parts = text.split("|")
        if len(parts) < 5:
            self._skip(number, "fewer than 5 fields", text)
            return
        epoch, call_id, queue, agent, event, *data = parts
        try:
            at = _time(epoch)
        except (ValueError, OverflowError, OSError):
            self._skip(number, "the first field is not a time", text)
            return
        event = event.strip().upper()
        if not _EVENT.match(event):
            self._skip(number, "no event name", text)
            return
        if event in CALL_EVENTS:
            if not call_id or call_id == "NONE" or not queue or queue == "NONE":
                self._skip(number, f"{event} without a call id or queue", text)
                return
            self._call_event(number, at, call_id, queue, agent, event, data)
        elif event in MEMBER_EVENTS:
            self._member_event(number, at, queue, agent, event, data)
        elif event == "QUEUESTART":
            self._restart()
        elif event not in OTHER_EVENTS:
            self._skip(number, f"unknown event {event}", text)

    def finish(self) -> QueueLog:
        for visit in self._open.values():
            self._incomplete(visit.call_id, visit.queue, visit.line, "no exit in the log")
        self._open.clear()
        return self.result

    # -- calls ---------------------------------------------------------------------------

    def _call_event(
        self,
        number: int,
        at: datetime,
        call_id: str,
        queue: str,
        agent: str,
        event: str,
        data: list[str],
    ) -> None:
        if event == "ENTERQUEUE":
            earlier = self._open.pop(call_id, None)
            if earlier is not None:
                self._incomplete(
                    earlier.call_id, earlier.queue, earlier.line, "joined again with no exit"
                )
            visit = self._visits.get(call_id, 0) + 1
            self._visits[call_id] = visit
            self._open[call_id] = _Open(
                call_id if visit == 1 else f"{call_id}/{visit}",
                queue,
                enter_queue_caller(data),
                at,
                number,
            )
            return
        if event == "RINGNOANSWER":
            return
        current = self._open.get(call_id)
        if current is None or current.queue != queue:
            self._incomplete(call_id, queue, number, f"{event} without its ENTERQUEUE")
            return
        if event == "CONNECT":
            current.answered_at = at
            current.agent = _agent(agent)
            return
        del self._open[call_id]
        if event in _ANSWERED_ENDS:
            if current.answered_at is None:
                # A COMPLETE with no CONNECT: the answer time is the exit less the talk time.
                answered = _answer_from_end(at, event, data) or at
                current.answered_at = max(answered, current.queued_at)
                current.agent = current.agent or _agent(agent)
            target = None
            if event == "BLINDTRANSFER":
                target = "@".join(p for p in data[:2] if p) or None
            elif event == "ATTENDEDTRANSFER":
                target = (data[1] if len(data) > 1 else "") or None
            self._close(current, at, Outcome.ANSWERED, target)
        else:
            self._close(current, at, _EXITS[event], None)

    def _close(self, visit: _Open, at: datetime, outcome: Outcome, target: str | None) -> None:
        self.result.calls.append(
            QueueCall(
                call_id=visit.call_id,
                queue=visit.queue,
                caller=visit.caller,
                queued_at=visit.queued_at,
                ended_at=max(at, visit.queued_at),
                outcome=outcome,
                answered_at=visit.answered_at if outcome is Outcome.ANSWERED else None,
                agent=visit.agent if outcome is Outcome.ANSWERED else None,
                transfer_target=target,
                line=visit.line,
            )
        )

    def _restart(self) -> None:
        for visit in self._open.values():
            self._incomplete(visit.call_id, visit.queue, visit.line, "Asterisk restarted")
        self._open.clear()

    def _incomplete(self, call_id: str, queue: str, line: int, reason: str) -> None:
        self.result.incomplete.append(IncompleteCall(call_id, queue, line, reason))

    # -- members -------------------------------------------------------------------------

    def _member_event(
        self, number: int, at: datetime, queue: str, agent: str, event: str, data: list[str]
    ) -> None:
        name = _agent(agent)
        if name is None:
            self._skip(number, f"{event} without a member", "|".join([queue, agent, event]))
            return
        state = {
            "ADDMEMBER": MemberState.LOGGED_IN,
            "REMOVEMEMBER": MemberState.LOGGED_OUT,
            "PAUSE": MemberState.PAUSED,
            "PAUSEALL": MemberState.PAUSED,
            "UNPAUSE": MemberState.UNPAUSED,
            "UNPAUSEALL": MemberState.UNPAUSED,
        }[event]
        reason = (data[0].strip() or None) if data and state is MemberState.PAUSED else None
        on_queue = None if event.endswith("ALL") or queue in ("", "NONE") else queue
        self.result.members.append(MemberChange(at, name, on_queue, state, reason, number))

    def _skip(self, number: int, reason: str, text: str) -> None:
        self.result.skipped.append(SkippedLine(number, reason, text[:200]))


def _agent(field_: str) -> str | None:
    name = field_.strip()
    return None if name in ("", "NONE") else name


def _answer_from_end(at: datetime, event: str, data: list[str]) -> datetime | None:
    index = 1 if event.startswith("COMPLETE") else 3
    try:
        talk = int(data[index])
    except (IndexError, ValueError):
        return None
    return datetime.fromtimestamp(at.timestamp() - talk, UTC)


def parse_queue_log(lines: Iterable[str]) -> QueueLog:
    parser = QueueLogParser()
    parser.feed(lines)
    return parser.finish()


@dataclass(frozen=True, slots=True)
class AgentSpan:
    state: AgentState
    reason: str | None
    started_at: datetime
    ended_at: datetime | None  # None: still so when the log ends


def agent_spans(changes: Iterable[MemberChange]) -> dict[str, list[AgentSpan]]:
    """Each member's state over time from its queue logins and pauses.

    A member is logged in while in at least one queue, on a break while paused, else
    available. A pause or unpause in a queue the log never showed it join means it was a
    (static) member already. Changes at one instant (a PAUSE per queue) are taken together.
    """
    by_agent: dict[str, list[MemberChange]] = {}
    for change in changes:
        by_agent.setdefault(change.agent, []).append(change)
    spans: dict[str, list[AgentSpan]] = {}
    for agent, items in by_agent.items():
        items.sort(key=lambda c: c.at)
        queues: set[str | None] = set()
        paused = False
        reason: str | None = None
        current: tuple[AgentState, str | None, datetime] | None = None
        out: list[AgentSpan] = []
        for index, change in enumerate(items):
            queue = change.queue
            if change.state is MemberState.LOGGED_IN:
                queues.add(queue)
            elif change.state is MemberState.LOGGED_OUT:
                queues.discard(queue)
                if queue is None or not queues - {None}:
                    queues.clear()
                if not queues:
                    paused = False
            else:
                if not queues or queue not in queues:
                    queues.add(queue)
                paused = change.state is MemberState.PAUSED
                reason = change.reason if paused else None
            if index + 1 < len(items) and items[index + 1].at == change.at:
                continue
            if not queues:
                state = AgentState.LOGGED_OUT
            elif paused:
                state = AgentState.BREAK
            else:
                state = AgentState.AVAILABLE
            now = (state, reason if state is AgentState.BREAK else None)
            if current is not None and (current[0], current[1]) == now:
                continue
            if current is not None and current[0] is not AgentState.LOGGED_OUT:
                out.append(AgentSpan(current[0], current[1], current[2], change.at))
            current = (*now, change.at)
        if current is not None and current[0] is not AgentState.LOGGED_OUT:
            out.append(AgentSpan(current[0], current[1], current[2], None))
        spans[agent] = out
    return spans
