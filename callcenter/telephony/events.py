"""What the telephony port reports: call, connection and queue events, as frozen dataclasses.

Every event carries `at`, a timezone-aware UTC time: when the adapter saw it, or the PBX's own
timestamp when it sends one. Keyword-only fields keep constructions readable and let subclasses
add fields after the defaults of their base.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from callcenter.clock import utc_now
from callcenter.domain.calls import Direction


def _check_aware(at: datetime) -> None:
    # A naive time would be read as local time by one consumer and UTC by another.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("event times must be timezone-aware (UTC)")


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEvent:
    """Something happened to one call on this agent's line.

    `caller` and `dialled` are numbers as the softphone or PBX gave them (not normalised); on an
    inbound call `caller` is the customer, on an outbound call `dialled` is.
    """

    call_id: str
    direction: Direction
    caller: str | None = None
    dialled: str | None = None
    display_name: str | None = None
    queue: str | None = None
    at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        _check_aware(self.at)

    @property
    def remote_number(self) -> str | None:
        """The other party's number: the one to look up for a screen pop."""
        return self.caller if self.direction is Direction.INBOUND else self.dialled


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRinging(CallEvent):
    """A new call: ringing on the agent's phone (inbound) or being placed (outbound)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallAnswered(CallEvent):
    """The call is connected: the agent (inbound) or the called party (outbound) answered."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallHeld(CallEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallResumed(CallEvent):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEnded(CallEvent):
    """The call is over, answered or not; `reason` is the softphone's or PBX's wording."""

    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallTransferred(CallEvent):
    """The call was handed on; `target` is where to (a number or URI) when known."""

    target: str | None = None


class ConnectionState(enum.StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectionEvent:
    """The link to the softphone or PBX changed; `address` is `host:port`."""

    address: str
    at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        _check_aware(self.at)

    @property
    def state(self) -> ConnectionState:
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True)
class Connecting(ConnectionEvent):
    attempt: int = 1

    @property
    def state(self) -> ConnectionState:
        return ConnectionState.CONNECTING


@dataclass(frozen=True, slots=True, kw_only=True)
class Connected(ConnectionEvent):
    @property
    def state(self) -> ConnectionState:
        return ConnectionState.CONNECTED


@dataclass(frozen=True, slots=True, kw_only=True)
class Disconnected(ConnectionEvent):
    """Not connected; `retry_in` seconds until the next attempt, None when giving up.

    The adapter gives up only when stopped or when the PBX refused its credentials (retrying
    those would only lock the account).
    """

    reason: str
    retry_in: float | None = None

    @property
    def state(self) -> ConnectionState:
        return ConnectionState.DISCONNECTED


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueEvent:
    """A PBX queue event, for every queue the PBX reports (not only this agent's calls).

    `unique_id` is the caller's channel id in the PBX, stable while the caller is queued.
    """

    queue: str
    at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        _check_aware(self.at)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerJoined(QueueEvent):
    unique_id: str
    caller: str | None = None
    display_name: str | None = None
    position: int | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerLeft(QueueEvent):
    """The caller left the queue to an agent (or any way other than hanging up)."""

    unique_id: str
    caller: str | None = None
    position: int | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerAbandoned(QueueEvent):
    unique_id: str
    caller: str | None = None
    position: int | None = None
    original_position: int | None = None
    wait_s: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentQueueEvent(QueueEvent):
    """A queue event about one member; `call_id` is the member's channel id when there is one."""

    interface: str
    member_name: str | None = None
    unique_id: str | None = None
    caller: str | None = None
    call_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentCalled(AgentQueueEvent):
    """The queue is ringing a member for a waiting caller."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentConnected(AgentQueueEvent):
    wait_s: int | None = None
    ring_s: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentCompleted(AgentQueueEvent):
    """The member finished with the caller; `reason` is who hung up (caller, agent, transfer)."""

    wait_s: int | None = None
    talk_s: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberPaused(QueueEvent):
    """A member was paused (`paused` True) or unpaused in `queue`."""

    interface: str
    paused: bool
    member_name: str | None = None
    reason: str | None = None


TelephonyEvent = CallEvent | ConnectionEvent | QueueEvent
