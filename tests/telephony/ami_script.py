"""AMI exchanges as Asterisk 18/20 sends them (fields as in its AMI event documentation).

A caller on a SIP trunk queues in `support`; the queue rings Alice on PJSIP/201, she answers,
holds and resumes, and the caller hangs up. Bob's phone (PJSIP/202) has a call at the same
time, which Alice's desktop must never see.
"""

from __future__ import annotations

from tests.telephony.ami_server import event

CALLER = {
    "Channel": "PJSIP/trunk-00000010",
    "ChannelState": "6",
    "ChannelStateDesc": "Up",
    "CallerIDNum": "+12125550142",
    "CallerIDName": "ADA LOVELACE",
    "ConnectedLineNum": "<unknown>",
    "ConnectedLineName": "<unknown>",
    "Language": "en",
    "AccountCode": "",
    "Context": "from-trunk",
    "Exten": "5551000",
    "Priority": "4",
    "Uniqueid": "1700000000.16",
    "Linkedid": "1700000000.16",
}
AGENT = {
    "DestChannel": "PJSIP/201-00000011",
    "DestChannelState": "5",
    "DestChannelStateDesc": "Ringing",
    "DestCallerIDNum": "201",
    "DestCallerIDName": "Alice",
    "DestConnectedLineNum": "+12125550142",
    "DestConnectedLineName": "ADA LOVELACE",
    "DestLanguage": "en",
    "DestAccountCode": "",
    "DestContext": "from-internal",
    "DestExten": "201",
    "DestPriority": "1",
    "DestUniqueid": "1700000000.17",
    "DestLinkedid": "1700000000.16",
}
MEMBER = {"Queue": "support", "MemberName": "Alice", "Interface": "PJSIP/201"}
AGENT_CHANNEL = {
    "Channel": "PJSIP/201-00000011",
    "ChannelState": "6",
    "ChannelStateDesc": "Up",
    "CallerIDNum": "201",
    "CallerIDName": "Alice",
    "ConnectedLineNum": "+12125550142",
    "ConnectedLineName": "ADA LOVELACE",
    "Language": "en",
    "AccountCode": "",
    "Context": "from-internal",
    "Exten": "201",
    "Priority": "1",
    "Uniqueid": "1700000000.17",
    "Linkedid": "1700000000.16",
}


def stamp(seconds: float) -> dict[str, str]:
    return {"Privilege": "call,all", "Timestamp": f"{1700000000 + seconds:.6f}"}


def queue_call_rings() -> list[str]:
    return [
        event(
            "QueueCallerJoin",
            {**stamp(0), **CALLER, "Queue": "support", "Position": "1", "Count": "1"},
        ),
        event("AgentCalled", {**stamp(1), **CALLER, **AGENT, **MEMBER}),
        event("DialBegin", {**stamp(1), **CALLER, **AGENT, "DialString": "201"}),
        event("Newstate", {**stamp(1), **AGENT_CHANNEL, "ChannelState": "5"}),
    ]


def queue_call_answered() -> list[str]:
    answered = {**AGENT, "DestChannelState": "6", "DestChannelStateDesc": "Up"}
    return [
        event("DialEnd", {**stamp(4), **CALLER, **answered, "DialStatus": "ANSWER"}),
        event(
            "AgentConnect",
            {**stamp(4), **CALLER, **answered, **MEMBER, "HoldTime": "4", "RingTime": "3"},
        ),
        event(
            "QueueCallerLeave",
            {**stamp(4), **CALLER, "Queue": "support", "Position": "1", "Count": "0"},
        ),
        event("BridgeEnter", {**stamp(4), **AGENT_CHANNEL, "BridgeUniqueid": "b-1"}),
    ]


def queue_call_held_and_ended() -> list[str]:
    return [
        event("Hold", {**stamp(20), **AGENT_CHANNEL, "MusicClass": "default"}),
        event("Unhold", {**stamp(50), **AGENT_CHANNEL}),
        event(
            "Hangup",
            {**stamp(94), **AGENT_CHANNEL, "Cause": "16", "Cause-txt": "Normal Clearing"},
        ),
        event(
            "AgentComplete",
            {
                **stamp(94),
                **CALLER,
                **AGENT,
                **MEMBER,
                "HoldTime": "4",
                "TalkTime": "90",
                "Reason": "caller",
            },
        ),
    ]


def bobs_call() -> list[str]:
    """Another agent's call: the same shape on PJSIP/202, plus a pause of Bob in the queue."""
    bob = {
        **AGENT,
        "DestChannel": "PJSIP/202-00000013",
        "DestUniqueid": "1700000000.19",
        "DestCallerIDNum": "202",
    }
    caller = {
        **CALLER,
        "Channel": "PJSIP/trunk-00000012",
        "Uniqueid": "1700000000.18",
        "CallerIDNum": "+13105550199",
    }
    return [
        event("DialBegin", {**stamp(2), **caller, **bob, "DialString": "202"}),
        event("DialEnd", {**stamp(3), **caller, **bob, "DialStatus": "ANSWER"}),
        event(
            "Hangup",
            {
                **stamp(9),
                "Channel": "PJSIP/202-00000013",
                "Uniqueid": "1700000000.19",
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
            },
        ),
        event(
            "QueueMemberPause",
            {
                **stamp(10),
                "Queue": "support",
                "MemberName": "Bob",
                "Interface": "PJSIP/202",
                "StateInterface": "PJSIP/202",
                "Membership": "dynamic",
                "Penalty": "0",
                "CallsTaken": "1",
                "LastCall": "1700000009",
                "LastPause": "1700000010",
                "LoginTime": "1699990000",
                "InCall": "0",
                "Status": "1",
                "Paused": "1",
                "PausedReason": "Lunch",
                "Ringinuse": "0",
                "Wrapuptime": "0",
            },
        ),
    ]


def abandoned_caller() -> list[str]:
    caller = {**CALLER, "Channel": "PJSIP/trunk-00000020", "Uniqueid": "1700000000.32"}
    return [
        event(
            "QueueCallerJoin",
            {**stamp(30), **caller, "Queue": "sales", "Position": "2", "Count": "2"},
        ),
        event(
            "QueueCallerAbandon",
            {
                **stamp(75),
                **caller,
                "Queue": "sales",
                "Position": "1",
                "OriginalPosition": "2",
                "HoldTime": "45",
            },
        ),
    ]
