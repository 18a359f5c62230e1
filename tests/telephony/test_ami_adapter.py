"""The AMI adapter against a scripted Asterisk: login, events, commands, failures, reconnects."""

from __future__ import annotations

import pytest

from callcenter.domain.calls import Direction
from callcenter.telephony.ami import AmiTelephony
from callcenter.telephony.events import (
    AgentCalled,
    CallAnswered,
    CallEnded,
    CallHeld,
    CallResumed,
    CallRinging,
    Connected,
    Connecting,
    Disconnected,
    QueueCallerJoined,
    QueueMemberPaused,
)
from callcenter.telephony.port import TelephonyError
from callcenter.telephony.runtime import Backoff
from tests.telephony import ami_script
from tests.telephony.ami_server import ScriptedAmi, event, response
from tests.telephony.support import WAIT, Recorder

AGENT_CALL = "1700000000.17"


@pytest.fixture
def ami():
    server = ScriptedAmi()
    yield server
    server.close()


@pytest.fixture
def connect(ami):
    adapters = []

    def make(secret="s3cret", **options):
        recorder = Recorder()
        adapter = AmiTelephony(
            "127.0.0.1",
            ami.port,
            recorder,
            username="desk",
            secret=secret,
            interface="PJSIP/201",
            backoff=Backoff(initial=0.05, cap=0.2, jitter=0),
            **options,
        )
        adapter.start()
        adapters.append(adapter)
        return adapter, recorder

    yield make
    for adapter in adapters:
        adapter.stop()


def connected(connect, **options):
    adapter, events = connect(**options)
    events.wait_type(Connected)
    return adapter, events


def test_login_then_events_cut_in_small_pieces_become_call_and_queue_events(ami, connect):
    _, events = connected(connect)
    login = ami.wait_action("Login")
    assert (login["Username"], login["Secret"], login["Events"]) == ("desk", "s3cret", "call,agent")
    ami.push(
        *ami_script.queue_call_rings(),
        *ami_script.bobs_call(),
        *ami_script.queue_call_answered(),
        *ami_script.queue_call_held_and_ended(),
        piece=61,  # cuts lines, keys and the blank lines between messages
    )
    events.wait_type(QueueMemberPaused)
    events.wait_type(CallEnded)
    calls = [type(e) for e in events.events if hasattr(e, "call_id") and hasattr(e, "direction")]
    assert calls == [CallRinging, CallAnswered, CallHeld, CallResumed, CallEnded]
    ringing = events.of_type(CallRinging)[0]
    assert (ringing.call_id, ringing.caller, ringing.queue) == (
        AGENT_CALL,
        "+12125550142",
        "support",
    )
    assert events.of_type(QueueCallerJoined)[0].caller == "+12125550142"
    assert {e.interface for e in events.of_type(AgentCalled)} == {"PJSIP/201"}
    assert not events.of_type(Disconnected)


def test_commands_become_actions_on_the_agents_channel(ami, connect):
    adapter, events = connected(connect)
    ami.push(*ami_script.queue_call_rings())
    events.wait_type(CallRinging)
    adapter.answer(AGENT_CALL).result(WAIT)
    adapter.hold(AGENT_CALL).result(WAIT)
    adapter.hang_up(AGENT_CALL).result(WAIT)
    sent = {a["Action"]: a for a in ami.actions if a["Action"] != "PJSIPNotify"}
    notifies = [a for a in ami.actions if a["Action"] == "PJSIPNotify"]
    assert [(n["Channel"], n["Variable"]) for n in notifies] == [
        ("PJSIP/201-00000011", "Event=talk"),
        ("PJSIP/201-00000011", "Event=hold"),
    ]
    assert sent["Hangup"]["Channel"] == "PJSIP/201-00000011"
    with pytest.raises(TelephonyError, match="no call"):
        adapter.hang_up("no-such-call").result(WAIT)


def test_click_to_dial_originates_and_follows_the_call_it_named(ami, connect):
    adapter, events = connected(connect, context="agents")
    adapter.dial("+44 (20) 7183-8750").result(WAIT)
    originate = ami.wait_action("Originate")
    assert (originate["Channel"], originate["Exten"], originate["Context"]) == (
        "PJSIP/201",
        "+442071838750",
        "agents",
    )
    channel_id = originate["ChannelId"]
    ami.push(event("Newchannel", {"Channel": "PJSIP/201-00000040", "Uniqueid": channel_id}))
    ringing = events.wait_type(CallRinging)
    assert (ringing.call_id, ringing.direction, ringing.dialled) == (
        channel_id,
        Direction.OUTBOUND,
        "+442071838750",
    )
    with pytest.raises(TelephonyError, match="not a number that can be dialled"):
        adapter.dial("12; DROP").result(WAIT)


def test_an_action_asterisk_refuses_fails_its_future_with_asterisks_message(ami, connect):
    ami.responders["Hangup"] = lambda a: response(a["ActionID"], "Error", Message="No such channel")
    adapter, events = connected(connect)
    ami.push(*ami_script.queue_call_rings())
    events.wait_type(CallRinging)
    with pytest.raises(TelephonyError, match="No such channel"):
        adapter.hang_up(AGENT_CALL).result(WAIT)


def test_refused_credentials_are_a_clear_error_and_no_retry(ami, connect):
    adapter, events = connect(secret="wrong")
    gone = events.wait_type(Disconnected)
    assert gone.retry_in is None
    assert "Authentication failed" in gone.reason and "'desk'" in gone.reason
    adapter._thread.join(WAIT)  # the adapter gave up: its thread ends by itself
    assert not adapter._thread.is_alive()
    assert ami.connections == 1 and ami.logins == 0
    with pytest.raises(TelephonyError, match="not connected"):
        adapter.dial("201").result(WAIT)


def test_a_dropped_connection_ends_open_calls_and_reconnects(ami, connect):
    _, events = connected(connect)
    ami.push(*ami_script.queue_call_rings())
    events.wait_type(CallRinging)
    before = len(events)
    ami.drop()
    ended = events.wait_type(CallEnded, after=before)
    assert ended.call_id == AGENT_CALL and "lost" in (ended.reason or "")
    gone = events.wait_type(Disconnected, after=before)
    assert gone.retry_in is not None
    assert events.wait_type(Connecting, after=before).attempt == 2
    events.wait_type(Connected, after=before)
    ami.wait(lambda s: s.logins == 2)
    again = len(events)
    ami.push(*ami_script.queue_call_rings())
    assert events.wait_type(CallRinging, after=again).call_id == AGENT_CALL


def test_an_asterisk_that_stops_answering_is_left_and_reconnected(ami, connect):
    ami.responders["Ping"] = lambda action: ""  # hung: the socket is open, nothing answers
    _, events = connected(connect, heartbeat=0.05, command_timeout=0.2)
    gone = events.wait_type(Disconnected)
    assert "stopped answering" in gone.reason
    ami.wait(lambda s: s.logins >= 2)


def test_garbage_between_messages_is_skipped_and_the_session_goes_on(ami, connect):
    _, events = connected(connect)
    ami.push(
        "no colon here\r\nEvent: QueueCallerJoin\r\nPosition: x\r\n\r\n",  # no Queue: skipped
        "\xff\xfe binary: yes\r\n\r\n",
        *ami_script.queue_call_rings(),
    )
    assert events.wait_type(CallRinging).call_id == AGENT_CALL
    assert [e.unique_id for e in events.of_type(QueueCallerJoined)] == ["1700000000.16"]
    assert not events.of_type(Disconnected)


def test_stopping_says_so_and_later_commands_fail(connect):
    adapter, events = connected(connect)
    adapter.stop()
    assert events.events[-1] == Disconnected(
        address=adapter.address, reason="stopped", retry_in=None, at=events.events[-1].at
    )
    with pytest.raises(TelephonyError):
        adapter.answer(AGENT_CALL).result(WAIT)
