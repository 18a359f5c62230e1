"""The queue_log parser on lines as Asterisk writes them: calls, member spans, bad lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callcenter.domain.calls import AgentState
from callcenter.telephony.queue_log import (
    MemberState,
    Outcome,
    agent_spans,
    enter_queue_caller,
    member_key,
    parse_queue_log,
)

T0 = 1700000000


def at(offset: int) -> datetime:
    return datetime.fromtimestamp(T0 + offset, UTC)


def lines(*rows: str) -> list[str]:
    """Rows written with a relative time: '+12|...' becomes 'T0+12|...'."""
    out = []
    for row in rows:
        if row.startswith("+"):
            offset, rest = row[1:].split("|", 1)
            row = f"{T0 + int(offset)}|{rest}"
        out.append(row + "\n")
    return out


def test_answered_call_with_url_field_asterisk_12_layout():
    log = parse_queue_log(
        lines(
            "+0|NONE|NONE|NONE|QUEUESTART|",
            "+10|1700000010.42|NONE|NONE|DID|+12125550100",
            "+10|1700000010.42|support|NONE|ENTERQUEUE||+12125550142|1",
            "+14|1700000010.42|support|PJSIP/201|RINGNOANSWER|4000",
            "+22|1700000010.42|support|PJSIP/202|CONNECT|12|1700000022.43|3",
            "+142|1700000010.42|support|PJSIP/202|COMPLETECALLER|12|120|1",
        )
    )
    assert log.skipped == [] and log.incomplete == []
    (call,) = log.calls
    assert call.call_id == "1700000010.42"
    assert call.queue == "support"
    assert call.caller == "+12125550142"
    assert (call.queued_at, call.answered_at, call.ended_at) == (at(10), at(22), at(142))
    assert call.outcome is Outcome.ANSWERED
    assert call.agent == "PJSIP/202"
    assert call.line == 3


@pytest.mark.parametrize(
    ("data", "caller"),
    [
        (["", "2125550142", "1"], "2125550142"),  # url|callerid|position (Asterisk 12+)
        (["", "2125550142"], "2125550142"),  # url|callerid (1.4 - 11)
        (["http://crm/x?id=1", "2125550142"], "2125550142"),
        (["2125550142", "1"], "2125550142"),  # callerid|position, no url field
        (["2125550142"], "2125550142"),  # callerid alone
        (["2125550142", ""], "2125550142"),
        (["", "anonymous", "3"], "anonymous"),
        (["", "", "1"], None),
        (["http://crm/x", ""], None),
        ([], None),
    ],
)
def test_enterqueue_caller_with_and_without_the_url_field(data, caller):
    assert enter_queue_caller(data) == caller


def test_enterqueue_without_url_field_in_a_file():
    log = parse_queue_log(
        lines(
            "+0|100.1|sales|NONE|ENTERQUEUE|07700900123",
            "+5|100.1|sales|SIP/alice|CONNECT|5|100.2",
            "+65|100.1|sales|SIP/alice|COMPLETEAGENT|5|60|1",
        )
    )
    (call,) = log.calls
    assert call.caller == "07700900123"
    assert call.agent == "SIP/alice"
    assert call.outcome is Outcome.ANSWERED


def test_abandon_timeout_empty_and_key_exits():
    log = parse_queue_log(
        lines(
            "+0|a.1|support|NONE|ENTERQUEUE||111|1",
            "+30|a.1|support|NONE|ABANDON|1|1|30",
            "+0|b.1|support|NONE|ENTERQUEUE||222|2",
            "+300|b.1|support|NONE|EXITWITHTIMEOUT|1|2|300",
            "+0|c.1|support|NONE|ENTERQUEUE||333|3",
            "+1|c.1|support|NONE|EXITEMPTY|1|3|1",
            "+0|d.1|support|NONE|ENTERQUEUE||444|4",
            "+8|d.1|support|NONE|EXITWITHKEY|1|1|4|8",
        )
    )
    outcomes = {c.call_id: (c.outcome, c.answered_at, c.ended_at) for c in log.calls}
    assert outcomes == {
        "a.1": (Outcome.ABANDONED, None, at(30)),
        "b.1": (Outcome.TIMEOUT, None, at(300)),
        "c.1": (Outcome.EMPTY, None, at(1)),
        "d.1": (Outcome.EXIT_KEY, None, at(8)),
    }


def test_transfers_end_the_answered_call():
    log = parse_queue_log(
        lines(
            "+0|t.1|support|NONE|ENTERQUEUE||111|1",
            "+5|t.1|support|PJSIP/201|CONNECT|5|t.2|2",
            "+50|t.1|support|PJSIP/201|BLINDTRANSFER|300|from-internal|5|45|1",
            "+0|t.3|support|NONE|ENTERQUEUE||222|1",
            "+5|t.3|support|PJSIP/201|CONNECT|5|t.4|2",
            "+70|t.3|support|PJSIP/201|ATTENDEDTRANSFER|BRIDGE|PJSIP/300-0001|5|65|1",
        )
    )
    targets = {c.call_id: (c.outcome, c.transfer_target, c.ended_at) for c in log.calls}
    assert targets == {
        "t.1": (Outcome.ANSWERED, "300@from-internal", at(50)),
        "t.3": (Outcome.ANSWERED, "PJSIP/300-0001", at(70)),
    }


def test_orphan_joins_restarts_and_exits_without_a_join_are_incomplete():
    log = parse_queue_log(
        lines(
            "+0|x.1|support|NONE|COMPLETECALLER|10|60|1",  # the file starts mid-call
            "+1|y.1|support|NONE|ENTERQUEUE||111|1",
            "+2|NONE|NONE|NONE|QUEUESTART|",  # Asterisk restarted: y.1 is lost
            "+3|z.1|support|NONE|ENTERQUEUE||222|1",  # the file ends with z.1 waiting
        )
    )
    assert log.calls == []
    reasons = [(i.call_id, i.line, i.reason) for i in log.incomplete]
    assert reasons == [
        ("x.1", 1, "COMPLETECALLER without its ENTERQUEUE"),
        ("y.1", 2, "Asterisk restarted"),
        ("z.1", 4, "no exit in the log"),
    ]


def test_a_second_queue_visit_of_the_same_call_is_its_own_record():
    log = parse_queue_log(
        lines(
            "+0|v.1|sales|NONE|ENTERQUEUE||111|1",
            "+60|v.1|sales|NONE|EXITWITHTIMEOUT|1|1|60",
            "+61|v.1|overflow|NONE|ENTERQUEUE||111|1",
            "+70|v.1|overflow|PJSIP/201|CONNECT|9|v.2|2",
            "+100|v.1|overflow|PJSIP/201|COMPLETEAGENT|9|30|1",
        )
    )
    assert [(c.call_id, c.queue, c.outcome) for c in log.calls] == [
        ("v.1", "sales", Outcome.TIMEOUT),
        ("v.1/2", "overflow", Outcome.ANSWERED),
    ]


def test_lines_that_are_not_records_are_reported_with_their_numbers():
    log = parse_queue_log(
        [
            "garbage\n",
            "\n",
            "notatime|a.1|q|NONE|ENTERQUEUE||1\n",
            f"{T0}|a.1|q|NONE|WHATEVER_NEW|x\n",
            f"{T0}|NONE|NONE|NONE|ENTERQUEUE||1\n",
            f"{T0}|NONE|support|NONE|CONFIGRELOAD|\n",
        ]
    )
    assert [(s.line, s.reason) for s in log.skipped] == [
        (1, "fewer than 5 fields"),
        (2, "empty line"),
        (3, "the first field is not a time"),
        (4, "unknown event WHATEVER_NEW"),
        (5, "ENTERQUEUE without a call id or queue"),
    ]
    assert log.lines == 6


def test_member_events_and_spans():
    log = parse_queue_log(
        lines(
            "+0|NONE|support|PJSIP/201|ADDMEMBER|",
            "+0|NONE|sales|PJSIP/201|ADDMEMBER|",
            "+100|NONE|support|PJSIP/201|PAUSE|Lunch",
            "+100|NONE|sales|PJSIP/201|PAUSE|Lunch",
            "+400|NONE|support|PJSIP/201|UNPAUSE|",
            "+400|NONE|sales|PJSIP/201|UNPAUSE|",
            "+900|NONE|support|PJSIP/201|REMOVEMEMBER|",
            "+900|NONE|sales|PJSIP/201|REMOVEMEMBER|",
            # A static member never logs in: its pause says it was there.
            "+50|NONE|support|Alice Martin|PAUSE|",
            "+80|NONE|NONE|Alice Martin|UNPAUSEALL|",
        )
    )
    assert [c.state for c in log.members][:3] == [
        MemberState.LOGGED_IN,
        MemberState.LOGGED_IN,
        MemberState.PAUSED,
    ]
    spans = agent_spans(log.members)
    assert [(s.state, s.reason, s.started_at, s.ended_at) for s in spans["PJSIP/201"]] == [
        (AgentState.AVAILABLE, None, at(0), at(100)),
        (AgentState.BREAK, "Lunch", at(100), at(400)),
        (AgentState.AVAILABLE, None, at(400), at(900)),
    ]
    assert [(s.state, s.started_at, s.ended_at) for s in spans["Alice Martin"]] == [
        (AgentState.BREAK, at(50), at(80)),
        (AgentState.AVAILABLE, at(80), None),
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("PJSIP/201", "201"),
        ("SIP/201", "201"),
        ("201", "201"),
        ("Local/201@agents/n", "201"),
        ("PJSIP/alice@pbx", "alice"),
    ],
)
def test_member_key(name, key):
    assert member_key(name) == key
