"""The call on the desk: timer, hold accumulation, wrap-up rules, and the record it saves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callcenter.domain.calls import CallSource, Direction
from callcenter.domain.errors import ValidationError
from callcenter.services.active_call import ActiveCall, CallPhase, WrapUpMode, call_uid
from callcenter.services.call_log import CallLogService

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def a_call(
    direction: Direction = Direction.INBOUND, customer_id: int | None = 3, agent_id: int | None = 7
) -> ActiveCall:
    return ActiveCall(
        CallSource.SOFTPHONE,
        "abc-1",
        direction,
        started_at=T0,
        remote_raw="(212) 555-0142",
        remote_key="+12125550142",
        local_raw="201",
        queue="Support",
        agent_id=agent_id,
        customer_id=customer_id,
    )


def test_hold_time_accumulates_over_several_holds_and_an_end_while_held():
    call = a_call()
    call.answered(at(5))
    call.held(at(20))
    assert call.hold_seconds(at(25)) == 5
    call.resumed(at(30))
    call.held(at(40))
    call.ended(at(50), "caller hung up")
    assert call.phase is CallPhase.WRAP_UP
    assert call.hold_seconds(at(99)) == 20
    assert call.talk_seconds(at(99)) == 45


def test_the_timer_runs_from_answer_and_stops_at_hang_up():
    call = a_call()
    assert call.talk_seconds(at(3)) == 0
    call.answered(at(4))
    assert call.talk_seconds(at(10)) == 6
    call.ended(at(64))
    assert call.talk_seconds(at(500)) == 60


def test_mandatory_wrap_up_needs_a_disposition_and_optional_does_not():
    call = a_call()
    call.answered(at(1))
    with pytest.raises(ValidationError, match="hang up first"):
        call.check_finish(WrapUpMode.OPTIONAL)
    call.ended(at(10))
    call.check_finish(WrapUpMode.OPTIONAL)
    with pytest.raises(ValidationError, match="disposition"):
        call.check_finish(WrapUpMode.MANDATORY)
    call.disposition_code = "resolved"
    call.check_finish(WrapUpMode.MANDATORY)


def test_the_record_puts_the_customer_on_the_right_side_and_counts_after_call_work():
    inbound = a_call()
    inbound.answered(at(2))
    inbound.ended(at(62))
    inbound.notes = "  wants a callback  "
    record = inbound.record(done_at=at(92))
    assert (record.caller_key, record.dialled_raw) == ("+12125550142", "201")
    assert (record.acw_s, record.hold_s, record.notes) == (30, 0, "wants a callback")
    assert record.call_uid == call_uid(CallSource.SOFTPHONE, "abc-1")

    outbound = a_call(Direction.OUTBOUND)
    outbound.ended(at(20), "no answer")
    record = outbound.record(done_at=at(20))
    assert (record.caller_raw, record.dialled_key, record.answered_at) == (
        "201",
        "+12125550142",
        None,
    )


def test_saving_twice_keeps_one_row_and_finds_the_queue_by_name(database, actor):
    with database.uow(actor) as uow:
        queue = uow.queues.ensure("Support")
        uow.commit()
    call = a_call(customer_id=None, agent_id=None)
    call.answered(at(2))
    call.ended(at(30))
    service = CallLogService(database)
    first = service.save(actor, call.record(at(40)), queue_name="Support")
    call.disposition_code = "resolved"
    second = service.save(actor, call.record(at(45)), queue_name="Support")
    assert first == second
    with database.uow(actor) as uow:
        saved = uow.calls.get(call.uid)
    assert saved is not None
    assert (saved.queue_id, saved.disposition_code, saved.acw_s) == (queue.id, "resolved", 15)
    lost = a_call(customer_id=None, agent_id=None)
    lost.source_call_id = "abc-2"
    service.save(actor, lost.record(at(1)), queue_name="Nowhere")
    with database.uow(actor) as uow:
        saved = uow.calls.get(lost.uid)
    assert saved is not None and saved.queue_id is None
