"""How an SLA clock reads: words, a symbol and a colour (never the colour alone)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from callcenter.domain.complaints import SlaClock, SlaState, SlaTarget
from ui.complaints.labels import span
from ui.theme import Severity


def _tr(text: str) -> str:
    return QCoreApplication.translate("Complaints", text)


@dataclass(frozen=True)
class ClockView:
    text: str
    tooltip: str
    severity: Severity | None


def clock_view(clock: SlaClock, named: bool = False) -> ClockView:
    """`named`: say which target it is (first response or resolution) before the time."""
    view = _view(clock)
    if not named or clock.state is SlaState.NONE:
        return view
    target = _tr("Response") if clock.target is SlaTarget.RESPONSE else _tr("Resolution")
    return ClockView(_tr("{0}: {1}").format(target, view.text), view.tooltip, view.severity)


def _view(clock: SlaClock) -> ClockView:
    state = clock.state
    left = clock.remaining_s
    if state is SlaState.NONE:
        return ClockView("\u2014", _tr("No SLA target applies"), None)
    if state is SlaState.MET:
        return ClockView(_tr("\u2714 met"), _tr("Target met in time"), Severity.OK)
    if state is SlaState.MISSED:
        return ClockView(_tr("\u2716 missed"), _tr("Target met late"), Severity.ERROR)
    if left is None:
        return ClockView("\u2014", "", None)
    if left < 0:
        text = _tr("\u2716 {0} overdue").format(span(left))
    else:
        text = _tr("{0} left").format(span(left))
    severity: Severity | None = None
    if state is SlaState.BREACHED or left < 0:
        severity = Severity.ERROR
    elif state is SlaState.AT_RISK:
        severity = Severity.WARNING
        text = "\u26a0 " + text
    if state is SlaState.PAUSED:
        text = _tr("{0} (paused)").format(text)
    due = clock.due_at.astimezone().strftime("%Y-%m-%d %H:%M") if clock.due_at else None
    tooltip = (
        _tr("Business time left: {0}").format(span(left))
        if left >= 0
        else _tr("Overdue by {0} of business time").format(span(left))
    )
    if due:
        tooltip += _tr("; due {0}").format(due)
    if clock.target_s:
        tooltip += _tr(" (target {0})").format(span(clock.target_s))
    return ClockView(text, tooltip, severity)
