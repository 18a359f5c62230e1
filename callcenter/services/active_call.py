"""The call on the agent's desk, from ringing through wrap-up, and what ends its wrap-up.

Telephony events (or the agent's own buttons) move it along; when wrap-up is done it becomes
the `CallRecord` that is saved. Its `call_uid` is derived from the source's own call id, so a
save retried after a failure, or repeated by a second event, lands on the same row.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.errors import ValidationError

_UID_NAMESPACE = uuid.UUID("6f7d1d64-5d1b-4f0c-9a43-6a3f0f4f3c11")


class WrapUpMode(enum.StrEnum):
    OPTIONAL = "optional"
    MANDATORY = "mandatory"
    TIMED = "timed"


class CallPhase(enum.StrEnum):
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    WRAP_UP = "wrap_up"


def call_uid(source: CallSource, source_call_id: str) -> str:
    return str(uuid.uuid5(_UID_NAMESPACE, f"{source.value}:{source_call_id}"))


@dataclass
class ActiveCall:
    source: CallSource
    source_call_id: str
    direction: Direction
    started_at: datetime
    remote_raw: str | None = None
    remote_key: str | None = None
    local_raw: str | None = None
    queue: str | None = None
    agent_id: int | None = None
    customer_id: int | None = None
    customer_name: str | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    held_since: datetime | None = None
    held_seconds: float = 0.0
    disposition_code: str | None = None
    notes: str = ""
    phase: CallPhase = CallPhase.RINGING
    end_reason: str | None = field(default=None)

    @property
    def uid(self) -> str:
        return call_uid(self.source, self.source_call_id)

    # -- what happens on the line ----------------------------------------------------------

    def answered(self, at: datetime) -> None:
        if self.answered_at is None:
            self.answered_at = at
        self.phase = CallPhase.TALKING

    def held(self, at: datetime) -> None:
        if self.phase is CallPhase.TALKING:
            self.held_since = at
            self.phase = CallPhase.HELD

    def resumed(self, at: datetime) -> None:
        if self.phase is CallPhase.HELD:
            self._close_hold(at)
            self.phase = CallPhase.TALKING

    def ended(self, at: datetime, reason: str | None = None) -> None:
        if self.ended_at is not None:
            return
        self._close_hold(at)
        self.ended_at = at
        self.end_reason = reason
        self.phase = CallPhase.WRAP_UP

    def _close_hold(self, at: datetime) -> None:
        if self.held_since is not None:
            self.held_seconds += max(0.0, (at - self.held_since).total_seconds())
            self.held_since = None

    # -- what the agent sees ---------------------------------------------------------------

    def talk_seconds(self, now: datetime) -> float:
        """Seconds since answer (the call timer), up to the end once it has ended."""
        if self.answered_at is None:
            return 0.0
        return max(0.0, ((self.ended_at or now) - self.answered_at).total_seconds())

    def hold_seconds(self, now: datetime) -> float:
        running = (now - self.held_since).total_seconds() if self.held_since else 0.0
        return self.held_seconds + max(0.0, running)

    def wrap_up_seconds(self, now: datetime) -> float:
        return max(0.0, (now - self.ended_at).total_seconds()) if self.ended_at else 0.0

    # -- wrap-up ---------------------------------------------------------------------------

    def check_finish(self, mode: WrapUpMode) -> None:
        """Raise ValidationError when wrap-up may not end yet (mandatory needs a disposition)."""
        if self.phase is not CallPhase.WRAP_UP:
            raise ValidationError("call", "is still connected: hang up first")
        if mode is WrapUpMode.MANDATORY and not self.disposition_code:
            raise ValidationError("disposition", "choose how the call ended before wrapping up")

    def record(self, done_at: datetime) -> CallRecord:
        """The call as it is saved; after-call work counts from hang-up to `done_at`."""
        customer_number = (self.remote_raw, self.remote_key)
        agent_number = (self.local_raw, None)
        inbound = self.direction is Direction.INBOUND
        caller, dialled = (
            (customer_number, agent_number) if inbound else (agent_number, customer_number)
        )
        return CallRecord(
            call_uid=self.uid,
            direction=self.direction,
            started_at=self.started_at,
            source=self.source,
            source_call_id=self.source_call_id,
            customer_id=self.customer_id,
            agent_id=self.agent_id,
            caller_raw=caller[0],
            caller_key=caller[1],
            dialled_raw=dialled[0],
            dialled_key=dialled[1],
            answered_at=self.answered_at,
            ended_at=self.ended_at,
            hold_s=round(self.held_seconds),
            acw_s=round(self.wrap_up_seconds(done_at)),
            disposition_code=self.disposition_code,
            notes=self.notes.strip() or None,
        )
