"""AMI framing and translation, without a network: messages, the agent's calls, queue events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callcenter.domain.calls import Direction
from callcenter.telephony.ami_calls import AgentCalls
from callcenter.telephony.ami_protocol import AmiParser, format_action
from callcenter.telephony.ami_queue import queue_event
from callcenter.telephony.events import (
    AgentCalled,
    AgentCompleted,
    AgentConnected,
    CallAnswered,
    CallEnded,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
    QueueMemberPaused,
)
from tests.telephony import ami_script
from tests.telephony.ami_server import BANNER, event

TWO = "Event: A\r\nX: 1\r\n\r\nResponse: Success\r\nActionID: 7\r\nMessage: ok\r\n\r\n"


def parse_all(*chunks: bytes) -> list[dict[str, str]]:
    parser = AmiParser()
    messages = []
    for chunk in chunks:
        messages += parser.feed(chunk)
    return messages


def test_the_banner_is_kept_apart_and_several_messages_in_one_read_all_come_out():
    parser = AmiParser()
    messages = parser.feed((BANNER + TWO).encode())
    assert parser.banner == "Asterisk Call Manager/5.0.1"
    assert messages == [
        {"Event": "A", "X": "1"},
        {"Response": "Success", "ActionID": "7", "Message": "ok"},
    ]


def test_a_message_split_across_reads_comes_out_once_whole():
    data = (BANNER + TWO).encode()
    byte_by_byte = parse_all(*(data[i : i + 1] for i in range(len(data))))
    assert byte_by_byte == parse_all(data)
    # Cut in the middle of the CRLF CRLF that ends the first message.
    cut = data.index(b"\r\n\r\n") + 2
    assert parse_all(data[:cut], data[cut:]) == parse_all(data)


def test_bare_newlines_values_with_colons_and_utf8_are_read():
    messages = parse_all(
        b"banner\nEvent: Newchannel\nCallerIDName: Ren\xc3\xa9e: VIP\n\n",
    )
    assert messages == [{"Event": "Newchannel", "CallerIDName": "Renée: VIP"}]


def test_malformed_messages_are_skipped_and_the_stream_goes_on(caplog):
    parser = AmiParser()
    messages = parser.feed(
        (
            BANNER
            + "this line has no colon\r\nEvent: Kept\r\n\r\n"  # the bad line goes, the rest stays
            + "Foo: bar\r\n\r\n"  # neither Event nor Response
            + "\r\n\r\n"  # stray blank lines
            + "Event: After\r\n\r\n"
        ).encode()
    )
    assert [m["Event"] for m in messages] == ["Kept", "After"]
    assert parser.skipped == 1
    assert "no colon" in caplog.text or "without a key" in caplog.text


def test_an_endless_message_is_dropped_not_kept_in_memory():
    parser = AmiParser(max_message=100)
    parser.feed(b"banner\r\n" + b"Key: " + b"x" * 500 + b"\r\n")
    assert parser.feed(b"\r\nEvent: Next\r\n\r\n") == [{"Event": "Next"}]
    assert parser.skipped >= 1


def test_actions_are_formatted_with_crlf_and_no_smuggled_lines():
    text = format_action("Hangup", [("ActionID", "cc-1"), ("Channel", "PJSIP/201\r\nX: y")])
    assert text == b"Action: Hangup\r\nActionID: cc-1\r\nChannel: PJSIP/201  X: y\r\n\r\n"


def replay(calls: AgentCalls, texts: list[str]):
    parser = AmiParser()
    parser.banner = ""
    return [e for m in parser.feed("".join(texts).encode()) for e in calls.translate(m)]


def test_a_queue_call_to_the_agent_rings_answers_holds_and_ends_with_the_pbx_times():
    calls = AgentCalls("PJSIP/201")
    events = replay(
        calls,
        ami_script.queue_call_rings()
        + ami_script.bobs_call()
        + ami_script.queue_call_answered()
        + ami_script.queue_call_held_and_ended(),
    )
    assert [type(e) for e in events] == [
        CallRinging,
        CallAnswered,
        CallHeld,
        CallResumed,
        CallEnded,
    ]
    ringing = events[0]
    assert ringing.call_id == "1700000000.17"
    assert ringing.direction is Direction.INBOUND
    assert (ringing.caller, ringing.display_name, ringing.dialled) == (
        "+12125550142",
        "ADA LOVELACE",
        "5551000",
    )
    assert ringing.queue == "support"
    assert ringing.at == datetime.fromtimestamp(1700000001, UTC)
    assert events[-1].reason == "Normal Clearing"
    assert all(e.call_id == "1700000000.17" for e in events)
    assert calls.channel_of("1700000000.17") is None  # forgotten once ended


def test_other_agents_calls_never_show():
    assert replay(AgentCalls("PJSIP/201"), ami_script.bobs_call()) == []
    # A longer interface name that starts the same is someone else too.
    assert replay(AgentCalls("PJSIP/20"), ami_script.bobs_call()) == []


def outbound(source_channel: str, unique_id: str, status: str | None = None) -> list[str]:
    fields = {
        "Channel": source_channel,
        "Uniqueid": unique_id,
        "CallerIDNum": "201",
        "Exten": "0442071838750",
        "DestChannel": "PJSIP/trunk-00000030",
        "DestUniqueid": "1700000000.48",
        "DestCallerIDNum": "0442071838750",
        "DialString": "trunk/0442071838750",
    }
    texts = [event("DialBegin", fields)]
    if status:
        texts.append(event("DialEnd", {**fields, "DialStatus": status}))
    return texts


def test_a_call_dialled_on_the_phone_is_outbound_to_the_number_dialled():
    calls = AgentCalls("PJSIP/201")
    events = replay(calls, outbound("PJSIP/201-00000031", "1700000000.47", "ANSWER"))
    assert [type(e) for e in events] == [CallRinging, CallAnswered]
    assert events[0].direction is Direction.OUTBOUND
    assert (events[0].caller, events[0].dialled) == ("201", "0442071838750")
    assert events[0].remote_number == "0442071838750"


def test_an_originated_call_is_answered_when_the_called_party_answers_not_the_agent():
    calls = AgentCalls("PJSIP/201")
    calls.expect_originate("cc-abc", "+442071838750")
    phone = {
        "Channel": "",
        "DestChannel": "PJSIP/201-00000040",
        "DestUniqueid": "cc-abc",
        "DialString": "201",
    }
    events = replay(
        calls,
        [
            event("Newchannel", {"Channel": "PJSIP/201-00000040", "Uniqueid": "cc-abc"}),
            event("DialBegin", phone),
            event("DialEnd", {**phone, "DialStatus": "ANSWER"}),  # the agent picked up
        ],
    )
    assert [type(e) for e in events] == [CallRinging]
    assert events[0].direction is Direction.OUTBOUND and events[0].dialled == "+442071838750"
    events = replay(calls, outbound("PJSIP/201-00000040", "cc-abc", "ANSWER"))
    assert [type(e) for e in events] == [CallAnswered]


def test_a_blind_transfer_by_the_agent_is_reported_with_its_target():
    calls = AgentCalls("PJSIP/201")
    replay(calls, ami_script.queue_call_rings() + ami_script.queue_call_answered())
    events = replay(
        calls,
        [
            event(
                "BlindTransfer",
                {
                    "Result": "Success",
                    "TransfererChannel": "PJSIP/201-00000011",
                    "TransfererUniqueid": "1700000000.17",
                    "TransfereeChannel": "PJSIP/trunk-00000010",
                    "IsExternal": "No",
                    "Context": "from-internal",
                    "Extension": "305",
                },
            )
        ],
    )
    assert [(type(e), e.target) for e in events] == [(CallTransferred, "305")]


def test_a_lost_connection_ends_the_open_calls():
    calls = AgentCalls("PJSIP/201")
    replay(calls, ami_script.queue_call_rings())
    ended = calls.end_all("lost")
    assert [(type(e), e.call_id, e.reason) for e in ended] == [(CallEnded, "1700000000.17", "lost")]
    assert calls.end_all("again") == []


def queue_events(texts: list[str]):
    parser = AmiParser()
    parser.banner = ""
    found = [queue_event(m) for m in parser.feed("".join(texts).encode())]
    return [e for e in found if e is not None]


def test_queue_events_carry_their_own_fields():
    events = queue_events(
        ami_script.queue_call_rings()
        + ami_script.queue_call_answered()
        + ami_script.queue_call_held_and_ended()
        + ami_script.bobs_call()
        + ami_script.abandoned_caller()
    )
    assert [type(e) for e in events] == [
        QueueCallerJoined,
        AgentCalled,
        AgentConnected,
        QueueCallerLeft,
        AgentCompleted,
        QueueMemberPaused,
        QueueCallerJoined,
        QueueCallerAbandoned,
    ]
    joined, called, connected, left, completed, paused, _, abandoned = events
    assert (joined.queue, joined.unique_id, joined.caller, joined.position, joined.count) == (
        "support",
        "1700000000.16",
        "+12125550142",
        1,
        1,
    )
    assert (called.interface, called.member_name, called.call_id) == (
        "PJSIP/201",
        "Alice",
        "1700000000.17",
    )
    assert (connected.wait_s, connected.ring_s) == (4, 3)
    assert (left.count, left.position) == (0, 1)
    assert (completed.talk_s, completed.wait_s, completed.reason) == (90, 4, "caller")
    assert (paused.interface, paused.paused, paused.reason) == ("PJSIP/202", True, "Lunch")
    assert (abandoned.queue, abandoned.original_position, abandoned.wait_s) == ("sales", 2, 45)
    assert abandoned.at == datetime.fromtimestamp(1700000075, UTC)


def test_a_queue_event_missing_a_field_it_must_have_raises_for_the_caller_to_skip():
    with pytest.raises(KeyError):
        queue_event({"Event": "QueueCallerJoin", "Position": "1"})
    assert queue_event({"Event": "Newexten"}) is None
