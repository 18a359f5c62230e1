"""How SLA clocks and durations read: words and a symbol beside the colour, never colour alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callcenter.domain.complaints import SlaClock, SlaState, SlaTarget
from ui.complaints.clock_view import clock_view
from ui.complaints.labels import span
from ui.theme import Severity

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def clock(state: SlaState, remaining: int | None, due: datetime | None = NOW) -> SlaClock:
    return SlaClock(SlaTarget.RESOLUTION, state, 3600, 0, remaining, due, None, None, NOW)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (3_599, "59 min"),
        (3_600, "1 h 00 min"),
        (3_660 + 5, "1 h 01 min"),
        (86_399, "23 h 59 min"),
        (86_400 + 7_200, "1 d 2 h"),
        (-5_400, "1 h 30 min"),
    ],
)
def test_spans_read_at_a_glance(qapp, seconds, text):
    assert span(seconds) == text


@pytest.mark.parametrize(
    ("state", "remaining", "text", "severity"),
    [
        (SlaState.ON_TRACK, 5_400, "1 h 30 min left", None),
        (SlaState.AT_RISK, 600, "\u26a0 10 min left", Severity.WARNING),
        (SlaState.BREACHED, -120, "\u2716 2 min overdue", Severity.ERROR),
        (SlaState.PAUSED, 1_800, "30 min left (paused)", None),
        (SlaState.MET, None, "\u2714 met", Severity.OK),
        (SlaState.MISSED, None, "\u2716 missed", Severity.ERROR),
        (SlaState.NONE, None, "\u2014", None),
    ],
)
def test_clocks_say_their_state_in_words(qapp, state, remaining, text, severity):
    view = clock_view(clock(state, remaining))
    assert (view.text, view.severity) == (text, severity)


def test_the_tooltip_names_the_due_time_and_the_target(qapp):
    tooltip = clock_view(clock(SlaState.ON_TRACK, 1_800)).tooltip
    assert "Business time left: 30 min" in tooltip
    assert NOW.astimezone().strftime("%Y-%m-%d %H:%M") in tooltip
    assert "(target 1 h 00 min)" in tooltip
