"""The baresip softphone adapter: its ctrl_tcp control port (JSON in netstrings).

baresip serves one control client at a time (a second connection cuts the first off), so the
adapter never probes the port while connected; it notices a dead softphone by the socket
closing, or by a periodic `reginfo` going unanswered.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from callcenter.domain.calls import Direction
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
)
from callcenter.telephony.netstring import NetstringDecoder, encode
from callcenter.telephony.port import EventSink, TelephonyError
from callcenter.telephony.runtime import Backoff, ConnectionLost, ReconnectingAdapter

log = logging.getLogger(__name__)

DEFAULT_PORT = 4444
# Event types that carry a call's progress; the rest (SDP, RTCP, registration...) are noise here.
_PROGRESS = {"CALL_RINGING", "CALL_PROGRESS", "CALL_OUTGOING"}


def sip_user(uri: str | None) -> str | None:
    """The user part of a SIP URI: `sip:+15551234567@10.0.0.1:5090;x=y` -> `+15551234567`."""
    if not uri:
        return None
    text = uri.strip().strip("<>")
    for scheme in ("sips:", "sip:", "tel:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
            break
    text = text.split("@", 1)[0] if "@" in text else text
    return text.split(";", 1)[0] or None


@dataclass(frozen=True, slots=True)
class _Call:
    """What the adapter remembers of a call, to fill in events baresip does not send."""

    template: CallEvent
    answered: bool = False


class BaresipEvents:
    """Turns baresip's JSON events into call events; keeps each open call's identity."""

    def __init__(self) -> None:
        self._calls: dict[str, _Call] = {}

    def translate(self, message: dict[str, Any]) -> list[CallEvent]:
        kind = message.get("type")
        call_id = message.get("id")
        if message.get("class") != "call" or not isinstance(call_id, str) or not call_id:
            return []
        if kind == "CALL_INCOMING":
            return self._ring(call_id, message)
        if kind in _PROGRESS:
            return self._ring(call_id, message) if call_id not in self._calls else []
        if kind == "CALL_ESTABLISHED":
            events = self._ring(call_id, message) if call_id not in self._calls else []
            call = self._calls[call_id]
            if call.answered:
                return events
            self._calls[call_id] = replace(call, answered=True)
            return [*events, self.derive(call_id, CallAnswered)]
        if kind == "CALL_CLOSED":
            events = self._ring(call_id, message) if call_id not in self._calls else []
            ended = CallEnded(**self._fields(call_id), reason=_text(message.get("param")))
            del self._calls[call_id]
            return [*events, ended]
        if kind == "CALL_TRANSFER" and call_id in self._calls:
            target = sip_user(_text(message.get("param"))) or _text(message.get("param"))
            return [CallTransferred(**self._fields(call_id), target=target)]
        return []

    def derive(self, call_id: str, kind: type[CallEvent]) -> CallEvent:
        """A new event of `kind` for a known call, stamped now."""
        return kind(**self._fields(call_id))

    def knows(self, call_id: str) -> bool:
        return call_id in self._calls

    def end_all(self, reason: str) -> list[CallEvent]:
        """End every open call: the softphone went away, and a restarted one has no calls."""
        ended: list[CallEvent] = [
            CallEnded(**self._fields(call_id), reason=reason) for call_id in self._calls
        ]
        self._calls.clear()
        return ended

    def _fields(self, call_id: str) -> dict[str, Any]:
        template = self._calls[call_id].template
        return {
            "call_id": call_id,
            "direction": template.direction,
            "caller": template.caller,
            "dialled": template.dialled,
            "display_name": template.display_name,
        }

    def _ring(self, call_id: str, message: dict[str, Any]) -> list[CallEvent]:
        if call_id in self._calls:
            return []
        outgoing = message.get("direction") == "outgoing"
        peer = sip_user(_text(message.get("peeruri")))
        own = sip_user(_text(message.get("accountaor")))
        ringing = CallRinging(
            call_id=call_id,
            direction=Direction.OUTBOUND if outgoing else Direction.INBOUND,
            caller=own if outgoing else peer,
            dialled=peer if outgoing else own,
            display_name=_text(message.get("peerdisplayname")),
        )
        self._calls[call_id] = _Call(ringing)
        return [ringing]


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class BaresipTelephony(ReconnectingAdapter):
    """The agent's baresip, driven through ctrl_tcp (`module_app ctrl_tcp.so` and `menu.so`)."""

    name = "baresip"

    def __init__(
        self,
        host: str,
        port: int,
        on_event: EventSink,
        *,
        backoff: Backoff | None = None,
        command_timeout: float = 5.0,
        heartbeat: float = 15.0,
    ) -> None:
        super().__init__(host, port, on_event, backoff=backoff)
        self._command_timeout = command_timeout
        self._heartbeat = heartbeat
        self._events = BaresipEvents()
        self._tokens = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._writer: asyncio.StreamWriter | None = None
        # baresip's call commands act on its "current call": choosing it (callfind) and acting
        # on it must not interleave with another command doing the same.
        self._lock: asyncio.Lock | None = None

    def answer(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._on_call(call_id, "accept"))

    def hang_up(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._on_call(call_id, "hangup"))

    def hold(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._on_call(call_id, "hold", CallHeld))

    def resume(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._on_call(call_id, "resume", CallResumed))

    def dial(self, number: str) -> Future[None]:
        return self._submit(lambda: self._dial(number))

    async def _dial(self, number: str) -> None:
        if not number.strip():
            raise TelephonyError("nothing to dial")
        await self._checked("dial", number.strip())

    async def _on_call(
        self, call_id: str, command: str, reports: type[CallEvent] | None = None
    ) -> None:
        assert self._lock is not None
        async with self._lock:
            found = await self._request("callfind", call_id)
            data = str(found.get("data") or "")
            if not found.get("ok") or "not found" in data:
                raise TelephonyError(f"baresip has no call {call_id}")
            await self._checked(command)
        # baresip 1.0 sends no event for hold and resume: the command's success is the news.
        if reports is not None and self._events.knows(call_id):
            self._emit(self._events.derive(call_id, reports))

    async def _checked(self, command: str, params: str | None = None) -> dict[str, Any]:
        response = await self._request(command, params)
        if not response.get("ok"):
            detail = str(response.get("data") or "refused").strip()
            raise TelephonyError(f"baresip {command}: {detail}")
        return response

    async def _request(self, command: str, params: str | None = None) -> dict[str, Any]:
        writer = self._writer
        if writer is None:
            raise TelephonyError(f"not connected to {self.address}")
        token = f"cc{next(self._tokens)}"
        body: dict[str, str] = {"command": command, "token": token}
        if params is not None:
            body["params"] = params
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[token] = answer
        try:
            writer.write(encode(json.dumps(body).encode()))
            await writer.drain()
            return await asyncio.wait_for(answer, self._command_timeout)
        except TimeoutError:
            raise TelephonyError(f"baresip did not answer {command!r} in time") from None
        except OSError as exc:
            raise TelephonyError(f"baresip {command}: {exc}") from None
        finally:
            self._pending.pop(token, None)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._lock = asyncio.Lock()
        decoder = NetstringDecoder()
        self._mark_connected()
        heartbeat = asyncio.create_task(self._keep_alive())
        try:
            while True:
                reading = asyncio.ensure_future(reader.read(65536))
                done, _ = await asyncio.wait(
                    {reading, heartbeat}, return_when=asyncio.FIRST_COMPLETED
                )
                if heartbeat in done:
                    reading.cancel()
                    heartbeat.result()  # raises ConnectionLost
                data = reading.result()
                if not data:
                    return
                for payload in decoder.feed(data):
                    self._handle(payload)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionLost):
                await heartbeat

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat)
            try:
                await self._request("reginfo")
            except TelephonyError as exc:
                raise ConnectionLost(f"baresip stopped answering ({exc})") from None

    def _handle(self, payload: bytes) -> None:
        try:
            message = json.loads(payload)
        except ValueError as exc:
            log.warning("baresip sent something that is not JSON (%s): %.200r", exc, payload)
            return
        if not isinstance(message, dict):
            log.warning("baresip sent JSON that is not an object: %.200r", payload)
            return
        if message.get("response") is True:
            waiting = self._pending.get(str(message.get("token")))
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
            return
        if message.get("event") is not True:
            log.warning("baresip sent neither an event nor a response: %.200r", payload)
            return
        try:
            events = self._events.translate(message)
        except (TypeError, ValueError, KeyError) as exc:
            log.warning("baresip event not understood (%s): %.200r", exc, payload)
            return
        for event in events:
            self._emit(event)

    def _on_session_end(self) -> None:
        self._writer = None
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(TelephonyError("the connection to baresip was lost"))
        self._pending.clear()
        # Whatever ended the connection (most often a restart) leaves no way to follow these
        # calls: end them, so no record waits forever for an end that will never be reported.
        for event in self._events.end_all("the connection to the softphone was lost"):
            self._emit(event)
