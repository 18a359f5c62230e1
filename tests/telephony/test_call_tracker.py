"""Calls built from telephony events: times, hold seconds, the record that gets saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callcenter.domain.calls import CallSource, Direction
from callcenter.services.active_call import CallPhase, call_uid
from callcenter.telephony.call_tracker import CallTracker
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallHeld,
    CallResumed,
    CallRinging,
    CallTransferred,
    Connected,
)

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def inbound(kind, seconds, **extra):
    return kind(
        call_id="c-1",
        direction=Direction.INBOUND,
        caller="(212) 555-0142",
        dialled="201",
        display_name="Ada",
        at=at(seconds),
        **extra,
    )


def test_ring_answer_two_holds_and_end_make_the_record():
    tracker = CallTracker(CallSource.SOFTPHONE, "US", agent_id=7)
    for event in (
        inbound(CallRinging, 0, queue="support"),
        inbound(CallAnswered, 5),
        inbound(CallHeld, 20),
        inbound(CallResumed, 30),
        inbound(CallHeld, 40),
        inbound(CallResumed, 45),
        inbound(CallEnded, 65, reason="Connection reset by peer"),
    ):
        call = tracker.handle(event)
    assert call is not None and call.phase is CallPhase.WRAP_UP
    assert call.queue == "support" and call.end_reason == "Connection reset by peer"
    record = tracker.finished_record("c-1")
    assert record.call_uid == call_uid(CallSource.SOFTPHONE, "c-1")
    assert (record.started_at, record.answered_at, record.ended_at) == (at(0), at(5), at(65))
    assert (record.hold_s, record.acw_s) == (15, 0)
    assert (record.caller_raw, record.caller_key, record.dialled_raw) == (
        "(212) 555-0142",
        "+12125550142",
        "201",
    )
    assert (record.direction, record.source, record.agent_id) == (
        Direction.INBOUND,
        CallSource.SOFTPHONE,
        7,
    )
    assert tracker.pop("c-1") is call and tracker.get("c-1") is None


def test_an_outbound_call_keys_the_number_dialled_and_an_unanswered_one_has_no_answer():
    tracker = CallTracker(CallSource.PBX, "GB", outside_prefix="9")
    ringing = CallRinging(
        call_id="o-1",
        direction=Direction.OUTBOUND,
        caller="201",
        dialled="9020 7183 8750",
        at=at(0),
    )
    tracker.handle(ringing)
    tracker.handle(CallEnded(call_id="o-1", direction=Direction.OUTBOUND, at=at(30)))
    record = tracker.finished_record("o-1", done_at=at(40))
    assert (record.caller_raw, record.dialled_raw, record.dialled_key) == (
        "201",
        "9020 7183 8750",
        "+442071838750",
    )
    assert record.answered_at is None and record.acw_s == 10


def test_a_call_first_seen_mid_way_is_opened_there_and_other_events_pass_by():
    tracker = CallTracker(CallSource.SOFTPHONE, "US")
    assert tracker.handle(Connected(address="127.0.0.1:4444")) is None
    call = tracker.handle(inbound(CallAnswered, 3))
    assert call is not None and call.started_at == at(3) and call.answered_at == at(3)


def test_a_transfer_ends_the_agents_part_and_the_end_after_it_changes_nothing():
    tracker = CallTracker(CallSource.PBX, "US")
    tracker.handle(inbound(CallRinging, 0))
    tracker.handle(inbound(CallAnswered, 2))
    tracker.handle(inbound(CallTransferred, 50, target="305"))
    tracker.handle(inbound(CallEnded, 51, reason="Normal Clearing"))
    call = tracker.get("c-1")
    assert call.ended_at == at(50) and call.end_reason == "transferred to 305"


def test_a_record_of_a_call_still_connected_is_refused():
    tracker = CallTracker(CallSource.SOFTPHONE, "US")
    tracker.handle(inbound(CallRinging, 0))
    with pytest.raises(ValueError, match="not ended"):
        tracker.finished_record("c-1")


def test_events_refuse_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        CallRinging(call_id="x", direction=Direction.INBOUND, at=datetime(2026, 1, 1))
