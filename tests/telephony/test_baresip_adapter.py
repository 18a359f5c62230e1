"""The baresip adapter: its events, and its commands against a stand-in control port.

The stand-in answers the way baresip 1.0 does (recorded in ../shared/recipes/telephony.md and
against the real one): `callfind` says "call not found" with ok=true, hold and resume report
no event. The real softphone is driven in test_baresip_e2e.py.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading

import pytest

from callcenter.domain.calls import Direction
from callcenter.telephony.baresip import BaresipEvents, BaresipTelephony, sip_user
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
    Connected,
    Disconnected,
)
from callcenter.telephony.netstring import NetstringDecoder, encode
from callcenter.telephony.port import TelephonyError
from callcenter.telephony.runtime import Backoff
from tests.telephony.support import WAIT, Recorder

CALL_ID = "1-8653@127.0.0.1"


def call_event(kind: str, call_id: str = CALL_ID, direction: str = "incoming", **extra):
    return {
        "event": True,
        "type": kind,
        "class": "call",
        "accountaor": "sip:agent@127.0.0.1",
        "direction": direction,
        "peeruri": "sip:+15551234567@127.0.0.1:5090",
        "peerdisplayname": "ACME Caller",
        "id": call_id,
        "param": "sip:+15551234567@127.0.0.1:5090",
        **extra,
    }


def test_sip_user_is_the_number_part_of_a_uri():
    assert sip_user("sip:+15551234567@127.0.0.1:5090") == "+15551234567"
    assert sip_user("<sips:201@pbx.example;transport=tls>") == "201"
    assert sip_user("tel:+12125550142;ext=7") == "+12125550142"
    assert sip_user("") is None


def test_an_incoming_call_rings_answers_and_ends():
    events = BaresipEvents()
    out = []
    for message in (
        call_event("CALL_INCOMING"),
        {**call_event("CALL_REMOTE_SDP"), "class": "other", "param": "offer"},
        call_event("CALL_ESTABLISHED"),
        call_event("CALL_CLOSED", param="Connection reset by peer"),
    ):
        out += events.translate(message)
    assert [type(e) for e in out] == [CallRinging, CallAnswered, CallEnded]
    ringing = out[0]
    assert (ringing.direction, ringing.caller, ringing.dialled, ringing.display_name) == (
        Direction.INBOUND,
        "+15551234567",
        "agent",
        "ACME Caller",
    )
    assert out[-1].reason == "Connection reset by peer"
    assert not events.knows(CALL_ID)


def test_an_outgoing_call_rings_once_and_a_call_seen_first_at_its_end_still_starts():
    events = BaresipEvents()
    out = events.translate(call_event("CALL_RINGING", "out-1", "outgoing"))
    out += events.translate(call_event("CALL_PROGRESS", "out-1", "outgoing"))
    assert [(type(e), e.direction, e.dialled) for e in out] == [
        (CallRinging, Direction.OUTBOUND, "+15551234567")
    ]
    late = events.translate(call_event("CALL_CLOSED", "out-2", "outgoing"))
    assert [type(e) for e in late] == [CallRinging, CallEnded]


def test_a_transfer_names_its_target_and_events_without_an_id_are_ignored():
    events = BaresipEvents()
    events.translate(call_event("CALL_INCOMING"))
    moved = events.translate(call_event("CALL_TRANSFER", param="sip:305@pbx.example"))
    assert [(type(e), e.target) for e in moved] == [(CallTransferred, "305")]
    assert events.translate({**call_event("CALL_LOCAL_SDP"), "id": None}) == []
    assert events.translate({"event": True, "type": "REGISTER_OK", "class": "register"}) == []


class FakeBaresip:
    """One control client at a time, netstring JSON, answering commands like baresip 1.0."""

    def __init__(self) -> None:
        self.commands: list[dict] = []
        self.calls: set[str] = set()
        self.silent = False
        self._changed = threading.Condition()
        self._client: socket.socket | None = None
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._changed:
                self._client = client
                self.connections += 1
                self._changed.notify_all()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        decoder = NetstringDecoder()
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                for payload in decoder.feed(data):
                    command = json.loads(payload)
                    with self._changed:
                        self.commands.append(command)
                        self._changed.notify_all()
                    if not self.silent:
                        self.send(self._reply(command), client)

    def _reply(self, command: dict) -> dict:
        name, params = command["command"], command.get("params")
        ok, data = True, ""
        if name in ("callfind", "hold", "resume") and not self.calls:
            ok, data = False, f"command not found ({name})\n"
        elif name == "callfind" and params not in self.calls:
            data = f"call not found (id={params})\n"
        return {"response": True, "ok": ok, "data": data, "token": command["token"]}

    def send(self, message: dict | bytes, client: socket.socket | None = None) -> None:
        raw = message if isinstance(message, bytes) else encode(json.dumps(message).encode())
        (client or self._client).sendall(raw)

    def names(self) -> list[tuple[str, str | None]]:
        with self._changed:
            return [(c["command"], c.get("params")) for c in self.commands]

    def drop(self) -> None:
        if self._client is not None:
            self._client.shutdown(socket.SHUT_RDWR)
            self._client.close()

    def wait(self, predicate, timeout: float = WAIT) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: predicate(self), timeout)

    def close(self) -> None:
        self._server.close()
        with contextlib.suppress(OSError):
            self.drop()


@pytest.fixture
def phone():
    fake = FakeBaresip()
    yield fake
    fake.close()


@pytest.fixture
def adapter(phone):
    events = Recorder()
    telephony = BaresipTelephony(
        "127.0.0.1",
        phone.port,
        events,
        backoff=Backoff(initial=0.05, cap=0.2, jitter=0),
        command_timeout=0.5,
        heartbeat=0.2,
    )
    telephony.events = events
    telephony.start()
    events.wait_type(Connected)
    phone.wait(lambda p: p.connections == 1)
    yield telephony
    telephony.stop()


def ring(phone, adapter):
    phone.calls.add(CALL_ID)
    phone.send(call_event("CALL_INCOMING"))
    return adapter.events.wait_type(CallRinging)


def test_answer_chooses_the_call_first_then_accepts(phone, adapter):
    ring(phone, adapter)
    adapter.answer(CALL_ID).result(WAIT)
    assert phone.names()[-2:] == [("callfind", CALL_ID), ("accept", None)]


def test_hold_and_resume_report_their_own_events_as_baresip_sends_none(phone, adapter):
    ring(phone, adapter)
    adapter.hold(CALL_ID).result(WAIT)
    adapter.resume(CALL_ID).result(WAIT)
    assert [type(e) for e in adapter.events.events[-2:]] == [CallHeld, CallResumed]
    assert ("hold", None) in phone.names() and ("resume", None) in phone.names()


def test_commands_on_a_call_baresip_does_not_have_fail_without_acting(phone, adapter):
    with pytest.raises(TelephonyError, match="no call"):
        adapter.hang_up("gone").result(WAIT)  # no calls at all: callfind is not even there
    ring(phone, adapter)
    with pytest.raises(TelephonyError, match="no call"):
        adapter.hang_up("gone").result(WAIT)
    assert ("hangup", None) not in phone.names()


def test_dial_sends_the_number(phone, adapter):
    adapter.dial(" sip:201@pbx.example ").result(WAIT)
    assert phone.names()[-1] == ("dial", "sip:201@pbx.example")


def test_malformed_messages_are_logged_and_skipped(phone, adapter, caplog):
    phone.send(encode(b"not json"))
    phone.send(b"hello")  # no netstring: dropped up to the next frame
    phone.send(encode(b"[1, 2]"))
    phone.send({"neither": "event nor response"})
    ring(phone, adapter)
    assert not adapter.events.of_type(Disconnected)
    for problem in ("malformed netstring", "not JSON", "not an object", "neither an event"):
        assert problem in caplog.text


def test_a_softphone_that_stops_answering_is_left_and_reconnected(phone, adapter):
    phone.silent = True
    gone = adapter.events.wait_type(Disconnected)
    assert "stopped answering" in gone.reason
    phone.wait(lambda p: p.connections >= 2)


def test_a_lost_connection_ends_open_calls_and_reconnects(phone, adapter):
    ring(phone, adapter)
    before = len(adapter.events)
    phone.drop()
    ended = adapter.events.wait_type(CallEnded, after=before)
    assert ended.call_id == CALL_ID and "lost" in ended.reason
    adapter.events.wait_type(Connected, after=before)
