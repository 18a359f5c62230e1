"""AMI events to call events for one agent's phone: only channels of the agent's interface.

A call is one channel of the interface (`PJSIP/201` owns `PJSIP/201-0000002a`); its id is that
channel's Uniqueid, which Asterisk keeps for the channel's life. Inbound: the channel is the
destination of a dial (a queue's or the dialplan's). Outbound: the agent's phone dials, or
`Originate` rings the phone first and then dials the number; the answer that counts is then
the called party's, not the agent picking up their own phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from callcenter.clock import utc_now
from callcenter.domain.calls import Direction
from callcenter.telephony.ami_protocol import AmiMessage
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
)

_NO_NUMBER = {"", "<unknown>", "unknown", "s"}


def event_time(message: AmiMessage) -> datetime:
    """The PBX's own time when it sends one (`timestampevents = yes`), else now."""
    stamp = message.get("Timestamp")
    if stamp:
        try:
            return datetime.fromtimestamp(float(stamp), UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return utc_now()


def number(value: str | None) -> str | None:
    if value is None or value.strip().lower() in _NO_NUMBER:
        return None
    return value.strip()


@dataclass
class _Call:
    channel: str
    direction: Direction
    caller: str | None
    dialled: str | None
    display_name: str | None
    queue: str | None = None
    answered: bool = False
    held: bool = False


@dataclass
class AgentCalls:
    """The state of the agent's calls, fed every AMI event in order."""

    interface: str
    _calls: dict[str, _Call] = field(default_factory=dict)
    # Calls we asked for with Originate, by the Uniqueid we gave them: the number dialled.
    _originated: dict[str, str] = field(default_factory=dict)
    # Queues that rang the agent's channel before its dial began, by channel Uniqueid.
    _queues: dict[str, str] = field(default_factory=dict)

    @property
    def extension(self) -> str:
        return self.interface.rsplit("/", 1)[-1]

    def owns(self, channel: str | None) -> bool:
        """Whether `channel` is one of the interface's (`PJSIP/201-0000002a` of `PJSIP/201`)."""
        return channel is not None and channel.lower().startswith(self.interface.lower() + "-")

    def channel_of(self, call_id: str) -> str | None:
        call = self._calls.get(call_id)
        return call.channel if call else None

    def expect_originate(self, unique_id: str, dialled: str) -> None:
        self._originated[unique_id] = dialled

    def forget_originate(self, unique_id: str) -> None:
        self._originated.pop(unique_id, None)

    def end_all(self, reason: str) -> list[CallEvent]:
        """End every call: after a lost connection their ends may never be reported."""
        ended: list[CallEvent] = [
            CallEnded(**self._fields(call_id, utc_now()), reason=reason) for call_id in self._calls
        ]
        self._calls.clear()
        self._originated.clear()
        self._queues.clear()
        return ended

    def translate(self, message: AmiMessage) -> list[CallEvent]:
        kind = message.get("Event", "")
        handler = getattr(self, f"_on_{kind.lower()}", None)
        if handler is None:
            return []
        events: list[CallEvent] = handler(message, event_time(message))
        return events

    # -- one handler per AMI event ---------------------------------------------------------

    def _on_newchannel(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        unique_id = m.get("Uniqueid", "")
        if self.owns(m.get("Channel")) and unique_id in self._originated:
            return self._ring_originated(unique_id, m["Channel"], at)
        return []

    def _on_agentcalled(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        if not self.owns(m.get("DestChannel")):
            return []
        unique_id = m.get("DestUniqueid", "")
        if unique_id in self._calls:
            self._calls[unique_id].queue = self._calls[unique_id].queue or m.get("Queue")
            return []
        self._queues[unique_id] = m.get("Queue", "")
        return self._ring_inbound(m, at)

    def _on_dialbegin(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        dest, source = m.get("DestChannel"), m.get("Channel")
        if self.owns(dest):
            unique_id = m.get("DestUniqueid", "")
            if unique_id in self._originated:
                return self._ring_originated(unique_id, dest or "", at)
            return [] if unique_id in self._calls else self._ring_inbound(m, at)
        if self.owns(source):
            unique_id = m.get("Uniqueid", "")
            if unique_id in self._calls:
                return []
            dialled = number(m.get("Exten")) or number(m.get("DestCallerIDNum"))
            call = _Call(source or "", Direction.OUTBOUND, self.extension, dialled, None)
            return [self._open(unique_id, call, at)]
        return []

    def _on_dialend(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        if m.get("DialStatus") != "ANSWER":
            return []
        if self.owns(m.get("DestChannel")):
            return self._answer(m.get("DestUniqueid", ""), Direction.INBOUND, at)
        if self.owns(m.get("Channel")):
            return self._answer(m.get("Uniqueid", ""), Direction.OUTBOUND, at)
        return []

    def _on_agentconnect(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        if self.owns(m.get("DestChannel")):
            return self._answer(m.get("DestUniqueid", ""), Direction.INBOUND, at)
        return []

    def _on_hold(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        return self._hold(m.get("Uniqueid", ""), True, at)

    def _on_unhold(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        return self._hold(m.get("Uniqueid", ""), False, at)

    def _on_hangup(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        unique_id = m.get("Uniqueid", "")
        self._queues.pop(unique_id, None)
        self._originated.pop(unique_id, None)
        if unique_id not in self._calls:
            return []
        ended = CallEnded(**self._fields(unique_id, at), reason=m.get("Cause-txt") or None)
        del self._calls[unique_id]
        return [ended]

    def _on_blindtransfer(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        unique_id = m.get("TransfererUniqueid", "")
        if m.get("Result") != "Success" or unique_id not in self._calls:
            return []
        target = number(m.get("Extension"))
        return [CallTransferred(**self._fields(unique_id, at), target=target)]

    def _on_attendedtransfer(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        unique_id = m.get("OrigTransfererUniqueid", "")
        if m.get("Result") != "Success" or unique_id not in self._calls:
            return []
        target = number(m.get("SecondTransfererConnectedLineNum")) or number(
            m.get("TransferTargetCallerIDNum")
        )
        return [CallTransferred(**self._fields(unique_id, at), target=target)]

    # -- helpers ---------------------------------------------------------------------------

    def _ring_inbound(self, m: AmiMessage, at: datetime) -> list[CallEvent]:
        unique_id = m.get("DestUniqueid", "")
        call = _Call(
            m.get("DestChannel", ""),
            Direction.INBOUND,
            caller=number(m.get("CallerIDNum")) or number(m.get("DestConnectedLineNum")),
            # The number the caller dialled (a DID) when the dialplan kept it.
            dialled=number(m.get("Exten")) or self.extension,
            display_name=number(m.get("CallerIDName")),
            queue=self._queues.pop(unique_id, None) or m.get("Queue") or None,
        )
        return [self._open(unique_id, call, at)]

    def _ring_originated(self, unique_id: str, channel: str, at: datetime) -> list[CallEvent]:
        if unique_id in self._calls:
            return []
        dialled = self._originated.pop(unique_id)
        call = _Call(channel, Direction.OUTBOUND, self.extension, dialled, None)
        return [self._open(unique_id, call, at)]

    def _open(self, unique_id: str, call: _Call, at: datetime) -> CallEvent:
        self._calls[unique_id] = call
        return CallRinging(**self._fields(unique_id, at))

    def _answer(self, unique_id: str, side: Direction, at: datetime) -> list[CallEvent]:
        call = self._calls.get(unique_id)
        # On an originated call the agent's phone answers first: that is not the call answered.
        if call is None or call.answered or call.direction is not side:
            return []
        call.answered = True
        return [CallAnswered(**self._fields(unique_id, at))]

    def _hold(self, unique_id: str, held: bool, at: datetime) -> list[CallEvent]:
        call = self._calls.get(unique_id)
        if call is None or call.held == held:
            return []
        call.held = held
        kind = CallHeld if held else CallResumed
        return [kind(**self._fields(unique_id, at))]

    def _fields(self, unique_id: str, at: datetime) -> dict[str, Any]:
        call = self._calls[unique_id]
        return {
            "call_id": unique_id,
            "direction": call.direction,
            "caller": call.caller,
            "dialled": call.dialled,
            "display_name": call.display_name,
            "queue": call.queue,
            "at": at,
        }
