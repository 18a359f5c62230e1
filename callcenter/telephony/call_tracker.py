"""Telephony events to calls: each call's ring, answer, holds and end, kept as an `ActiveCall`.

The desk and headless tools share this, so a call is timed the same way wherever it is
recorded; `ActiveCall.record()` turns a finished call into the `CallRecord` that is saved.
"""

from __future__ import annotations

from datetime import datetime

from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.phone import normalize
from callcenter.services.active_call import ActiveCall, CallPhase
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallHeld,
    CallResumed,
    CallTransferred,
    TelephonyEvent,
)


class CallTracker:
    """Applies call events to the calls they belong to; other events pass by.

    A call first seen by any event (the adapter started mid-call) is opened at that event.
    Ended calls stay until `pop` (the desk keeps them through wrap-up).
    """

    def __init__(
        self,
        source: CallSource,
        region: str,
        outside_prefix: str = "",
        agent_id: int | None = None,
    ) -> None:
        self._source = source
        self._region = region
        self._outside_prefix = outside_prefix
        self._agent_id = agent_id
        self._calls: dict[str, ActiveCall] = {}

    @property
    def calls(self) -> list[ActiveCall]:
        return list(self._calls.values())

    def get(self, call_id: str) -> ActiveCall | None:
        return self._calls.get(call_id)

    def pop(self, call_id: str) -> ActiveCall | None:
        return self._calls.pop(call_id, None)

    def handle(self, event: TelephonyEvent) -> ActiveCall | None:
        """Apply `event`; returns the call it concerned, or None for non-call events."""
        if not isinstance(event, CallEvent):
            return None
        call = self._calls.get(event.call_id)
        if call is None:
            call = self._open(event)
            self._calls[event.call_id] = call
        if event.queue and not call.queue:
            call.queue = event.queue
        if isinstance(event, CallAnswered):
            call.answered(event.at)
        elif isinstance(event, CallHeld):
            call.held(event.at)
        elif isinstance(event, CallResumed):
            call.resumed(event.at)
        elif isinstance(event, CallTransferred):
            # The agent's part ends here; the end event that usually follows changes nothing.
            target = f" to {event.target}" if event.target else ""
            call.ended(event.at, f"transferred{target}")
        elif isinstance(event, CallEnded):
            call.ended(event.at, event.reason)
        return call

    def finished_record(self, call_id: str, done_at: datetime | None = None) -> CallRecord:
        """The ended call's record, with after-call work up to `done_at` (none by default)."""
        call = self._calls[call_id]
        if call.phase is not CallPhase.WRAP_UP or call.ended_at is None:
            raise ValueError(f"call {call_id} has not ended")
        return call.record(done_at or call.ended_at)

    def _open(self, event: CallEvent) -> ActiveCall:
        inbound = event.direction is Direction.INBOUND
        remote = event.remote_number
        local = event.dialled if inbound else event.caller
        key = normalize(remote, self._region, self._outside_prefix).key if remote else ""
        return ActiveCall(
            self._source,
            event.call_id,
            event.direction,
            started_at=event.at,
            remote_raw=remote,
            remote_key=key or None,
            local_raw=local,
            queue=event.queue,
            agent_id=self._agent_id,
        )
