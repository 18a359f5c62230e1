"""The columns callback tables show, and how a row is coloured (overdue, due soon)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from callcenter.domain.callbacks import Callback
from ui.callbacks.texts import outcome_text, owner_text, priority_text, status_text
from ui.callbacks.times import clock_text, relative_text, window_text, zone_or_none
from ui.models.paged import Column as PagedColumn
from ui.theme import Severity

Column = PagedColumn[Callback]

DUE_SOON = timedelta(minutes=15)
Now = Callable[[], datetime]


def _tr(text: str) -> str:
    return QCoreApplication.translate("CallbackColumns", text)


def _column(
    header: str, text: Callable[[Callback], str], tooltip: Callable[[Callback], str] | None = None
) -> Column:
    """A column whose tooltip repeats its text unless told otherwise (cells may be cut short)."""
    return PagedColumn(header, text, tooltip or text)


class CallbackColumns:
    """Column makers for callback tables; times in the agent's zone and the customer's."""

    def __init__(self, agent_zone: ZoneInfo, now: Now) -> None:
        self._agent_zone = agent_zone
        self._now = now

    def due(self) -> Column:
        def text(cb: Callback) -> str:
            return clock_text(cb.due_at, self._agent_zone, self._now())

        return _column(_tr("Due (my time)"), text, self._due_tooltip)

    def customer_time(self) -> Column:
        def text(cb: Callback) -> str:
            zone = zone_or_none(cb.time_zone)
            return clock_text(cb.due_at, zone, self._now()) if zone else ""

        return _column(_tr("Customer's time"), text, self._due_tooltip)

    def relative(self) -> Column:
        return _column(_tr("When"), lambda cb: relative_text(cb.due_at, self._now()))

    def waiting(self) -> Column:
        def text(cb: Callback) -> str:
            return clock_text(cb.waiting_since(), self._agent_zone, self._now())

        return _column(_tr("Waiting since"), text)

    def customer(self) -> Column:
        return _column(_tr("Customer"), lambda cb: cb.customer_name)

    def number(self) -> Column:
        return _column(_tr("Number"), lambda cb: cb.number_display)

    def owner(self) -> Column:
        return _column(_tr("Owner"), owner_text)

    def priority(self) -> Column:
        return _column(_tr("Priority"), lambda cb: priority_text(cb.priority))

    def status(self) -> Column:
        def text(cb: Callback) -> str:
            shown = status_text(cb.status)
            if cb.last_outcome is not None:
                shown = _tr("{0} (last: {1})").format(shown, outcome_text(cb.last_outcome))
            return shown

        return _column(_tr("Status"), text)

    def attempts(self) -> Column:
        return _column(_tr("Tries"), lambda cb: str(cb.attempts))

    def reason(self) -> Column:
        return _column(_tr("Reason"), lambda cb: cb.reason.replace("\n", " "))

    def severity(self, cb: Callback) -> Severity | None:
        """Overdue in red, due within a quarter of an hour in amber, closed ones plain."""
        now = self._now()
        if not cb.status.is_open:
            return None
        if cb.is_overdue(now):
            return Severity.ERROR
        if cb.due_at - now <= DUE_SOON:
            return Severity.WARNING
        return None

    def _due_tooltip(self, cb: Callback) -> str:
        zone = zone_or_none(cb.time_zone)
        text = window_text(cb.due_at, cb.latest_at, self._agent_zone, zone, self._now())
        if cb.is_overdue(self._now()):
            return _tr("{0} \u2014 overdue").format(text)
        return text
