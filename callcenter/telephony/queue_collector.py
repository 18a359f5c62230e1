"""AMI queue events to call-record changes and agent pauses, for `callcenter collector`.

Pure: events in, `CallChange`s and `MemberChange`s out, in order. Each caller's visit to a queue
is one call keyed like the queue_log importer's (``pbx:<uniqueid>``, ``/2`` for a second visit),
so the two never write the same call twice:

- QueueCallerJoin: a new call, waiting (written at once, so supervisors see it wait).
- AgentConnect: answered by the member (Asterisk sends it just before or after the caller's
  QueueCallerLeave).
- AgentComplete: the answered call ends.
- QueueCallerAbandon: the caller hung up while waiting (a QueueCallerLeave follows it).
- QueueCallerLeave with neither: the caller left unanswered for another reason (timeout, a key,
  an empty queue: AMI does not say which; recorded as a timeout). Decided `grace_s` later, as
  AgentConnect may follow.
- QueueMemberPause: the member goes on a break, or comes back.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from callcenter.telephony.events import (
    AgentCompleted,
    AgentConnected,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
    QueueEvent,
    QueueMemberPaused,
)
from callcenter.telephony.queue_log import MemberChange, MemberState, Outcome

# Left unanswered, not abandoned. AMI does not say why; a queue timeout is the usual reason,
# and its code is one reports count as offered, neither answered nor abandoned (KPIS.md).
LEFT_DISPOSITION = "queue_timeout"


@dataclass(frozen=True, slots=True)
class CallChange:
    """What is now known of a call; fields left None are unchanged (`create` has them all)."""

    call_id: str  # the PBX's unique id, /2 ... for later visits
    queue: str
    create: bool = False
    caller: str | None = None
    queued_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    agent: str | None = None
    disposition: str | None = None
    outcome: Outcome | None = None


@dataclass
class _Visit:
    call_id: str
    queue: str
    left_at: datetime | None = None
    answered: bool = False


Change = CallChange | MemberChange


class QueueCollector:
    """Feed queue events in arrival order; `due(now)` settles callers who left unanswered."""

    def __init__(self, grace_s: float = 3.0, remember: int = 100_000) -> None:
        self._grace = timedelta(seconds=grace_s)
        self._open: dict[str, _Visit] = {}
        self._visits: OrderedDict[str, int] = OrderedDict()
        self._remember = remember

    @property
    def waiting(self) -> int:
        return len(self._open)

    def feed(self, event: QueueEvent) -> list[Change]:
        if isinstance(event, QueueCallerJoined):
            return self._joined(event)
        if isinstance(event, AgentConnected):
            return self._connected(event)
        if isinstance(event, AgentCompleted):
            return self._completed(event)
        if isinstance(event, QueueCallerAbandoned):
            return self._abandoned(event)
        if isinstance(event, QueueCallerLeft):
            visit = self._open.get(event.unique_id)
            if visit is not None and not visit.answered:
                visit.left_at = event.at
            return []
        if isinstance(event, QueueMemberPaused):
            state = MemberState.PAUSED if event.paused else MemberState.UNPAUSED
            name = event.interface or event.member_name or ""
            return [MemberChange(event.at, name, event.queue, state, event.reason)]
        return []

    def due(self, now: datetime) -> list[Change]:
        """Callers who left the queue more than `grace_s` ago with no answer: closed."""
        changes: list[Change] = []
        for unique_id, visit in list(self._open.items()):
            left = visit.left_at
            if left is not None and not visit.answered and left + self._grace <= now:
                del self._open[unique_id]
                changes.append(
                    CallChange(
                        visit.call_id,
                        visit.queue,
                        ended_at=left,
                        disposition=LEFT_DISPOSITION,
                        outcome=Outcome.TIMEOUT,
                    )
                )
        return changes

    # -- events -------------------------------------------------------------------------

    def _joined(self, event: QueueCallerJoined) -> list[Change]:
        uid = event.unique_id
        visit_no = self._visits.pop(uid, 0) + 1
        self._visits[uid] = visit_no
        while len(self._visits) > self._remember:
            self._visits.popitem(last=False)
        call_id = uid if visit_no == 1 else f"{uid}/{visit_no}"
        self._open[uid] = _Visit(call_id, event.queue)
        return [
            CallChange(
                call_id,
                event.queue,
                create=True,
                caller=event.caller,
                queued_at=event.at,
            )
        ]

    def _visit(self, unique_id: str | None, queue: str) -> _Visit:
        """The open visit, or one the collector did not see join (it restarted meanwhile)."""
        uid = unique_id or ""
        visit = self._open.get(uid)
        if visit is None:
            visit_no = self._visits.get(uid, 1)
            visit = _Visit(uid if visit_no == 1 else f"{uid}/{visit_no}", queue)
            self._open[uid] = visit
        return visit

    def _connected(self, event: AgentConnected) -> list[Change]:
        visit = self._visit(event.unique_id, event.queue)
        visit.answered = True
        return [
            CallChange(
                visit.call_id,
                visit.queue,
                answered_at=event.at,
                agent=event.interface or event.member_name,
                outcome=Outcome.ANSWERED,
            )
        ]

    def _completed(self, event: AgentCompleted) -> list[Change]:
        visit = self._visit(event.unique_id, event.queue)
        self._open.pop(event.unique_id or "", None)
        fields: dict[str, Any] = {}
        if not visit.answered and event.talk_s is not None:
            fields["answered_at"] = event.at - timedelta(seconds=event.talk_s)
        return [
            CallChange(
                visit.call_id,
                visit.queue,
                ended_at=event.at,
                agent=event.interface or event.member_name,
                outcome=Outcome.ANSWERED,
                **fields,
            )
        ]

    def _abandoned(self, event: QueueCallerAbandoned) -> list[Change]:
        visit = self._visit(event.unique_id, event.queue)
        self._open.pop(event.unique_id, None)
        return [
            CallChange(visit.call_id, visit.queue, ended_at=event.at, outcome=Outcome.ABANDONED)
        ]
