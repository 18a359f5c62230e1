"""A complaint's two clocks without a database: start, pause, resume, respond, re-target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callcenter.domain.complaint_sla import FAR_FUTURE, ClockCopy, SlaRules
from callcenter.domain.complaints import SlaState
from callcenter.domain.sla_clock import Calendar

MONDAY_NINE = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOUR = 3600


def _rules() -> SlaRules:
    rules = SlaRules(at_risk_share=0.75)
    rules.remember({1: Calendar.parse("UTC", {str(d): [["09:00", "17:00"]] for d in range(5)}, [])})
    return rules


def _new(response_h: int = 2, resolution_h: int = 16) -> ClockCopy:
    return ClockCopy(
        1, response_h * HOUR, resolution_h * HOUR, 0, 0, *([None] * 9), FAR_FUTURE, None
    )


def test_due_and_at_risk_times_follow_the_calendar() -> None:
    rules, clocks = _rules(), _new()
    rules.start(clocks, MONDAY_NINE)
    assert clocks.response_due_at == MONDAY_NINE + timedelta(hours=2)
    assert clocks.response_at_risk_at == MONDAY_NINE + timedelta(hours=1, minutes=30)
    # 16 business hours: Monday and Tuesday, 9 to 5.
    assert clocks.resolution_due_at == MONDAY_NINE + timedelta(days=1, hours=8)
    assert clocks.due_at == clocks.due_order == clocks.response_due_at
    assert clocks.sweep_due_at == clocks.at_risk_at == clocks.response_at_risk_at


def test_states_as_time_passes() -> None:
    rules, clocks = _rules(), _new()
    rules.start(clocks, MONDAY_NINE)
    states = [
        rules.clocks(clocks, MONDAY_NINE + timedelta(minutes=m))[0].state for m in (60, 95, 121)
    ]
    assert states == [SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED]
    late = rules.clocks(clocks, MONDAY_NINE + timedelta(hours=3))[0]
    assert late.remaining_s == -HOUR


def test_pause_keeps_what_was_used_and_resume_moves_the_due_time() -> None:
    rules, clocks = _rules(), _new()
    rules.start(clocks, MONDAY_NINE)
    rules.respond(clocks, MONDAY_NINE + timedelta(minutes=30))
    rules.pause(clocks, MONDAY_NINE + timedelta(hours=4))
    assert (clocks.response_used_s, clocks.resolution_used_s) == (1800, 4 * HOUR)
    assert clocks.due_at is None and clocks.due_order == FAR_FUTURE
    assert clocks.sweep_due_at is None
    paused = rules.clocks(clocks, MONDAY_NINE + timedelta(days=2))[1]
    assert (paused.state, paused.remaining_s, paused.running) == (SlaState.PAUSED, 12 * HOUR, False)
    response = rules.clocks(clocks, MONDAY_NINE + timedelta(days=2))[0]
    assert response.state is SlaState.MET and response.used_s == 1800
    # Resumed Wednesday at nine: 12 hours left, Wednesday and half of Thursday.
    wednesday = MONDAY_NINE + timedelta(days=2)
    rules.start(clocks, wednesday)
    assert clocks.resolution_due_at == wednesday + timedelta(days=1, hours=4)


def test_a_late_response_is_missed_and_retargeting_keeps_used_time() -> None:
    rules, clocks = _rules(), _new()
    rules.start(clocks, MONDAY_NINE)
    rules.respond(clocks, MONDAY_NINE + timedelta(hours=3))
    assert rules.clocks(clocks, MONDAY_NINE + timedelta(hours=3))[0].state is SlaState.MISSED
    rules.retarget(clocks, 2 * HOUR, 4 * HOUR, MONDAY_NINE + timedelta(hours=3))
    assert clocks.resolution_used_s == 3 * HOUR
    assert clocks.resolution_due_at == MONDAY_NINE + timedelta(hours=4)


def test_advance_moves_a_running_clock_without_a_database() -> None:
    rules, clocks = _rules(), _new()
    rules.start(clocks, MONDAY_NINE)
    response = rules.clocks(clocks, MONDAY_NINE)[0]
    moved = rules.advance(response, MONDAY_NINE + timedelta(minutes=100))
    assert (moved.used_s, moved.remaining_s, moved.state) == (6000, 1200, SlaState.AT_RISK)
    # Overnight time does not count.
    overnight = rules.advance(response, MONDAY_NINE + timedelta(hours=23))
    assert overnight.used_s == 8 * HOUR and overnight.state is SlaState.BREACHED


def test_the_share_must_be_a_fraction() -> None:
    with pytest.raises(ValueError):
        SlaRules(1.5)
