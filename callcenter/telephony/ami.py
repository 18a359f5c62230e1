"""The Asterisk Manager Interface adapter: one agent's calls, the queues, and click-to-dial.

Hang up and dial are Asterisk actions (Hangup, Originate). Asterisk cannot answer or hold a
SIP phone itself, so answer, hold and resume ask the phone to, with an in-dialog NOTIFY
(`Event: talk` / `Event: hold`) that most desk phones honour when configured to; the phone's
resulting Hold and Unhold are what report the change.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import uuid
from concurrent.futures import Future

from callcenter.telephony.ami_calls import AgentCalls
from callcenter.telephony.ami_protocol import AmiMessage, AmiParser, format_action
from callcenter.telephony.ami_queue import queue_event
from callcenter.telephony.events import TelephonyEvent
from callcenter.telephony.port import EventSink, TelephonyAuthError, TelephonyError
from callcenter.telephony.runtime import Backoff, ConnectionLost, ReconnectingAdapter

log = logging.getLogger(__name__)

DEFAULT_PORT = 5038
_DIALLABLE = re.compile(r"^\+?[0-9*#]{1,40}$")
_SEPARATORS = re.compile(r"[\s().\-/]")


class AmiTelephony(ReconnectingAdapter):
    """Follows `interface` (e.g. `PJSIP/201`) on an Asterisk server through AMI."""

    name = "ami"

    def __init__(
        self,
        host: str,
        port: int,
        on_event: EventSink,
        *,
        username: str,
        secret: str,
        interface: str,
        context: str = "from-internal",
        queue_events: bool = True,
        backoff: Backoff | None = None,
        command_timeout: float = 5.0,
        heartbeat: float = 20.0,
    ) -> None:
        super().__init__(host, port, on_event, backoff=backoff)
        if "/" not in interface:
            raise ValueError(f"interface {interface!r} must be TECH/NAME, e.g. PJSIP/201")
        self._username = username
        self._secret = secret
        self._context = context
        self._queue_events = queue_events
        self._command_timeout = command_timeout
        self._heartbeat = heartbeat
        self._calls = AgentCalls(interface)
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[AmiMessage]] = {}
        self._writer: asyncio.StreamWriter | None = None
        # Events that arrive with the login's answer wait for it, so none precedes Connected.
        self._early: list[AmiMessage] | None = None
        self.can_answer = interface.upper().startswith("PJSIP/")

    # -- commands --------------------------------------------------------------------------

    def answer(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._notify(call_id, "talk"))

    def hold(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._notify(call_id, "hold"))

    def resume(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._notify(call_id, "talk"))

    def hang_up(self, call_id: str) -> Future[None]:
        return self._submit(lambda: self._hang_up(call_id))

    def dial(self, number: str) -> Future[None]:
        return self._submit(lambda: self._originate(number))

    async def _hang_up(self, call_id: str) -> None:
        await self._action("Hangup", [("Channel", self._channel(call_id))])

    async def _notify(self, call_id: str, event: str) -> None:
        channel = self._channel(call_id)
        if not self.can_answer:
            raise TelephonyError(f"{self._calls.interface}: only a PJSIP phone can be asked to")
        await self._action("PJSIPNotify", [("Channel", channel), ("Variable", f"Event={event}")])

    async def _originate(self, number: str) -> None:
        dialled = _SEPARATORS.sub("", number)
        if not _DIALLABLE.match(dialled):
            raise TelephonyError(f"{number!r} is not a number that can be dialled")
        # Naming the channel ourselves (ChannelId) tells its events from any other call.
        channel_id = f"cc-{uuid.uuid4().hex}"
        self._calls.expect_originate(channel_id, dialled)
        try:
            await self._action(
                "Originate",
                [
                    ("Channel", self._calls.interface),
                    ("Context", self._context),
                    ("Exten", dialled),
                    ("Priority", "1"),
                    ("CallerID", f'"{dialled}" <{dialled}>'),
                    ("Timeout", "30000"),
                    ("Async", "true"),
                    ("ChannelId", channel_id),
                ],
            )
        except TelephonyError:
            self._calls.forget_originate(channel_id)
            raise

    def _channel(self, call_id: str) -> str:
        channel = self._calls.channel_of(call_id)
        if channel is None:
            raise TelephonyError(f"no call {call_id} on {self._calls.interface}")
        return channel

    async def _action(self, action: str, fields: list[tuple[str, str]]) -> AmiMessage:
        writer = self._writer
        if writer is None:
            raise TelephonyError(f"not connected to {self.address}")
        action_id = f"cc-{next(self._ids)}"
        answer: asyncio.Future[AmiMessage] = asyncio.get_running_loop().create_future()
        self._pending[action_id] = answer
        try:
            writer.write(format_action(action, [("ActionID", action_id), *fields]))
            await writer.drain()
            response = await asyncio.wait_for(answer, self._command_timeout)
        except TimeoutError:
            raise TelephonyError(f"Asterisk did not answer {action} in time") from None
        except OSError as exc:
            raise TelephonyError(f"{action}: {exc}") from None
        finally:
            self._pending.pop(action_id, None)
        if response.get("Response", "").lower() == "error":
            raise TelephonyError(f"{action}: {response.get('Message') or 'refused by Asterisk'}")
        return response

    # -- the connection --------------------------------------------------------------------

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._early = []
        reading = asyncio.create_task(self._read(reader, AmiParser()))
        heartbeat: asyncio.Task[None] | None = None
        try:
            await self._log_in(reading)
            self._mark_connected()
            early, self._early = self._early, None
            for message in early:
                self._dispatch(message)
            heartbeat = asyncio.create_task(self._keep_alive())
            done, _ = await asyncio.wait({reading, heartbeat}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()  # a heartbeat failure raises ConnectionLost
        finally:
            for task in (reading, heartbeat or reading):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def _log_in(self, reading: asyncio.Task[None]) -> None:
        login = asyncio.ensure_future(
            self._action(
                "Login",
                [
                    ("Username", self._username),
                    ("Secret", self._secret),
                    # Only call and queue (agent class) events: the rest is traffic for nothing.
                    ("Events", "call,agent"),
                ],
            )
        )
        done, _ = await asyncio.wait({login, reading}, return_when=asyncio.FIRST_COMPLETED)
        if login not in done:
            # Asterisk closes right after refusing a login: the refusal may have come in the
            # same read as the close, and the login needs a moment to see it.
            await asyncio.wait({login}, timeout=0.5)
        if not login.done():
            login.cancel()
            reading.result()
            raise ConnectionLost("Asterisk closed the connection before the login")
        try:
            login.result()
        except TelephonyError as exc:
            message = str(exc).removeprefix("Login: ")
            raise TelephonyAuthError(
                f"Asterisk refused the AMI login of {self._username!r}: {message}"
            ) from None

    async def _read(self, reader: asyncio.StreamReader, parser: AmiParser) -> None:
        while data := await reader.read(65536):
            for message in parser.feed(data):
                self._dispatch(message)

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat)
            try:
                await self._action("Ping", [])
            except TelephonyError as exc:
                raise ConnectionLost(f"Asterisk stopped answering ({exc})") from None

    def _dispatch(self, message: AmiMessage) -> None:
        if "Response" in message and "Event" not in message:
            waiting = self._pending.get(message.get("ActionID", ""))
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
            return
        if self._early is not None:
            self._early.append(message)
            return
        try:
            events: list[TelephonyEvent] = list(self._calls.translate(message))
            if self._queue_events and (queued := queue_event(message)) is not None:
                events.append(queued)
        except (KeyError, ValueError) as exc:
            log.warning("AMI %s event not understood (%s) and skipped", message.get("Event"), exc)
            return
        for event in events:
            self._emit(event)

    def _on_session_end(self) -> None:
        self._writer = None
        self._early = None
        for waiting in self._pending.values():
            if not waiting.done():
                waiting.set_exception(TelephonyError("the connection to Asterisk was lost"))
        self._pending.clear()
        # Calls' ends during the outage are lost; end them rather than keep them forever.
        for event in self._calls.end_all("the connection to the PBX was lost"):
            self._emit(event)
