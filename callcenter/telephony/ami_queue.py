"""AMI queue events (app_queue) to the port's queue events, for every queue the PBX reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callcenter.telephony.ami_calls import event_time, number
from callcenter.telephony.ami_protocol import AmiMessage
from callcenter.telephony.events import (
    AgentCalled,
    AgentCompleted,
    AgentConnected,
    AgentQueueEvent,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
    QueueEvent,
    QueueMemberPaused,
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _joined(m: AmiMessage) -> QueueEvent:
    return QueueCallerJoined(
        queue=m["Queue"],
        at=event_time(m),
        unique_id=m["Uniqueid"],
        caller=number(m.get("CallerIDNum")),
        display_name=number(m.get("CallerIDName")),
        position=_int(m.get("Position")),
        count=_int(m.get("Count")),
    )


def _left(m: AmiMessage) -> QueueEvent:
    return QueueCallerLeft(
        queue=m["Queue"],
        at=event_time(m),
        unique_id=m["Uniqueid"],
        caller=number(m.get("CallerIDNum")),
        position=_int(m.get("Position")),
        count=_int(m.get("Count")),
    )


def _abandoned(m: AmiMessage) -> QueueEvent:
    return QueueCallerAbandoned(
        queue=m["Queue"],
        at=event_time(m),
        unique_id=m["Uniqueid"],
        caller=number(m.get("CallerIDNum")),
        position=_int(m.get("Position")),
        original_position=_int(m.get("OriginalPosition")),
        # Asterisk's documentation calls HoldTime an epoch time; app_queue sends the seconds
        # the caller waited.
        wait_s=_int(m.get("HoldTime")),
    )


def _member(m: AmiMessage, kind: type[AgentQueueEvent], **details: Any) -> QueueEvent:
    """An Agent* event: the caller's channel, the member and the member's channel."""
    return kind(
        queue=m["Queue"],
        at=event_time(m),
        interface=m["Interface"],
        member_name=m.get("MemberName") or None,
        unique_id=m.get("Uniqueid") or None,
        caller=number(m.get("CallerIDNum")),
        call_id=m.get("DestUniqueid") or None,
        **details,
    )


def _called(m: AmiMessage) -> QueueEvent:
    return _member(m, AgentCalled)


def _connected(m: AmiMessage) -> QueueEvent:
    return _member(
        m, AgentConnected, wait_s=_int(m.get("HoldTime")), ring_s=_int(m.get("RingTime"))
    )


def _completed(m: AmiMessage) -> QueueEvent:
    return _member(
        m,
        AgentCompleted,
        wait_s=_int(m.get("HoldTime")),
        talk_s=_int(m.get("TalkTime")),
        reason=m.get("Reason") or None,
    )


def _paused(m: AmiMessage) -> QueueEvent:
    return QueueMemberPaused(
        queue=m["Queue"],
        at=event_time(m),
        interface=m["Interface"],
        paused=m["Paused"].strip().lower() in ("1", "true", "yes"),
        member_name=m.get("MemberName") or None,
        # Asterisk 13+ says PausedReason; older versions Reason.
        reason=m.get("PausedReason") or m.get("Reason") or None,
    )


_TRANSLATORS: dict[str, Callable[[AmiMessage], QueueEvent]] = {
    "QueueCallerJoin": _joined,
    "QueueCallerLeave": _left,
    "QueueCallerAbandon": _abandoned,
    "AgentCalled": _called,
    "AgentConnect": _connected,
    "AgentComplete": _completed,
    "QueueMemberPause": _paused,
    # Asterisk 12 and 13.0 named it QueueMemberPaused.
    "QueueMemberPaused": _paused,
}


def queue_event(message: AmiMessage) -> QueueEvent | None:
    """The queue event for `message`, None for other events.

    Raises KeyError when a field every such event has is missing: the caller logs and skips.
    """
    translate = _TRANSLATORS.get(message.get("Event", ""))
    return translate(message) if translate else None
