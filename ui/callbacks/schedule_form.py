"""The schedule form's fields: number, zone, when (in my time or the customer's), owner, reason.

It only builds the widgets and reads and writes their values; `ScheduleDialog` checks and saves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from callcenter.clock import Clock
from callcenter.domain.callbacks import CallbackOwner, NumberZones, Priority
from callcenter.domain.customers import Customer
from callcenter.domain.phone import format_for_display, number_type
from callcenter.services.callback_views import OwnerChoices
from ui.callbacks.texts import priority_text
from ui.callbacks.times import both_times, short_zone, window_text

EDIT_FORMAT = "ddd yyyy-MM-dd HH:mm"
UTC_ZONE = QTimeZone(QTimeZone.Initialization.UTC)


def _wall_clock(edit: QDateTimeEdit, zone: ZoneInfo) -> datetime:
    """What the edit shows, read as a wall-clock time in `zone`."""
    moment = edit.dateTime()
    day, clock = moment.date(), moment.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=zone)


def _show_wall_clock(edit: QDateTimeEdit, at: datetime, zone: ZoneInfo) -> None:
    local = at.astimezone(zone)
    edit.setDateTime(
        QDateTime(
            QDate(local.year, local.month, local.day),
            QTime(local.hour, local.minute),
            UTC_ZONE,  # the edit is a wall-clock picker: no DST gaps of the machine's zone
        )
    )


def _time_edit(name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setObjectName(name)
    edit.setTimeZone(UTC_ZONE)
    edit.setDisplayFormat(EDIT_FORMAT)
    edit.setCalendarPopup(True)
    return edit


class ScheduleForm(QWidget):
    """Signals: changed() when anything that decides the time or the owner changes."""

    changed = Signal()

    def __init__(
        self, agent_zone: ZoneInfo, me: int | None, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._agent_zone = agent_zone
        self._me = me
        self._clock = clock
        self._customer_zone: ZoneInfo | None = None

        self.customer = QLabel()
        self.customer.setObjectName("callbackCustomer")
        self.number = QComboBox()
        self.number.setObjectName("callbackNumber")
        self.zone = QComboBox()
        self.zone.setObjectName("callbackZone")
        self.zone.setAccessibleName(self.tr("Customer's time zone"))
        self.zone_label = QLabel(self.tr("Customer's &zone"))
        self.zone_label.setBuddy(self.zone)
        self.basis = QComboBox()
        self.basis.setObjectName("callbackTimeBasis")
        self.basis.setAccessibleName(self.tr("The time is entered in"))
        self.basis.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.when = _time_edit("callbackWhen")
        self.when.setAccessibleName(self.tr("When to call"))
        self.until = QCheckBox(self.tr("or any time &until"))
        self.until.setObjectName("callbackUntil")
        self.latest = _time_edit("callbackLatest")
        self.latest.setAccessibleName(self.tr("Latest time to call"))
        self.latest.setEnabled(False)
        self.preview = QLabel()
        self.preview.setObjectName("callbackWhenPreview")
        self.preview.setWordWrap(True)
        self.owner = QComboBox()
        self.owner.setObjectName("callbackOwner")
        self.reason = QLineEdit()
        self.reason.setObjectName("callbackReason")
        self.reason.setPlaceholderText(self.tr("What the customer is waiting for"))
        self.reason.setMaxLength(500)
        self.priority = QComboBox()
        self.priority.setObjectName("callbackPriority")
        for priority in Priority:
            self.priority.addItem(priority_text(priority), priority)
        self.priority.setCurrentIndex(self.priority.findData(Priority.NORMAL))
        self.complaint = QLineEdit()
        self.complaint.setObjectName("callbackComplaint")
        self.complaint.setPlaceholderText(self.tr("Complaint number, if this is about one"))
        self.complaint.setValidator(QIntValidator(1, 2_000_000_000, self))

        when_row = QHBoxLayout()
        when_row.addWidget(self.basis)
        when_row.addWidget(self.when, 1)
        window_row = QHBoxLayout()
        window_row.addWidget(self.until)
        window_row.addWidget(self.latest, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Customer"), self.customer)
        form.addRow(self.tr("&Number"), self.number)
        form.addRow(self.zone_label, self.zone)
        when_label = QLabel(self.tr("&When"))
        when_label.setBuddy(self.when)
        form.addRow(when_label, when_row)
        form.addRow("", window_row)
        form.addRow("", self.preview)
        form.addRow(self.tr("&Owner"), self.owner)
        form.addRow(self.tr("&Reason"), self.reason)
        form.addRow(self.tr("&Priority"), self.priority)
        form.addRow(self.tr("Comp&laint"), self.complaint)
        self._set_zone_choice_visible(False)

        self.number.currentIndexChanged.connect(lambda _row: self.changed.emit())
        self.zone.currentIndexChanged.connect(self._zone_chosen)
        self.basis.currentIndexChanged.connect(self._basis_changed)
        self.when.dateTimeChanged.connect(self._time_changed)
        self.latest.dateTimeChanged.connect(self._time_changed)
        self.until.toggled.connect(self._window_toggled)
        self.owner.currentIndexChanged.connect(lambda _row: self.changed.emit())

    # -- filling ---------------------------------------------------------------------------

    def show_customer(self, customer: Customer, number: str | None, home_region: str) -> None:
        self.customer.setText(customer.name)
        self.number.blockSignals(True)
        self.number.clear()
        for phone in customer.phones:
            text = format_for_display(phone.key, home_region)
            kind = phone.label or number_type(phone.key)
            self.number.addItem(f"{text}  \u00b7  {kind}" if kind else text, phone.key)
        row = self.number.findData(number) if number else -1
        self.number.setCurrentIndex(max(row, 0))
        self.number.blockSignals(False)

    def show_owners(self, choices: OwnerChoices, queue_name: str | None) -> None:
        """Me first, then the queues (the call's queue selected first), then other agents."""
        self.owner.blockSignals(True)
        self.owner.clear()
        queue_id = next((q.id for q in choices.queues if q.name == queue_name), None)
        if self._me is not None:
            self.owner.addItem(self.tr("Me"), CallbackOwner.agent(self._me, queue_id))
        self.owner.addItem(self.tr("Anyone (any queue)"), CallbackOwner.queue(None))
        for queue in choices.queues:
            self.owner.addItem(
                self.tr("Queue: {0}").format(queue.name), CallbackOwner.queue(queue.id)
            )
        for agent in choices.agents:
            if agent.id != self._me:
                owner = CallbackOwner.agent(agent.id, queue_id)
                self.owner.addItem(self.tr("Agent: {0}").format(agent.display_name), owner)
        self.owner.setCurrentIndex(0)
        self.owner.blockSignals(False)

    def show_zones(self, zones: NumberZones) -> None:
        """The customer's zone from the number; a chooser when the number spans several."""
        self.zone.blockSignals(True)
        self.zone.clear()
        if zones.needs_choice:
            self.zone.addItem(self.tr("\u2014 choose the customer's time zone \u2014"), None)
            for name in zones.zones:
                self.zone.addItem(name.replace("_", " "), name)
        elif zones.default:
            self.zone.addItem(zones.default.replace("_", " "), zones.default)
        self.zone.blockSignals(False)
        self._set_zone_choice_visible(zones.needs_choice)
        self._use_customer_zone(ZoneInfo(zones.default) if zones.default else None)

    def set_time(self, at: datetime) -> None:
        _show_wall_clock(self.when, at, self.basis_zone)
        _show_wall_clock(self.latest, at + timedelta(hours=1), self.basis_zone)
        self._show_preview()

    # -- reading ---------------------------------------------------------------------------

    @property
    def customer_zone(self) -> ZoneInfo | None:
        return self._customer_zone

    @property
    def basis_zone(self) -> ZoneInfo:
        """The zone the agent types times in: theirs, or the customer's."""
        if self.basis.currentData() == "customer" and self._customer_zone is not None:
            return self._customer_zone
        return self._agent_zone

    def number_key(self) -> str:
        return str(self.number.currentData() or "")

    def zone_name(self) -> str | None:
        data = self.zone.currentData()
        return str(data) if data else None

    def when_at(self) -> datetime:
        return _wall_clock(self.when, self.basis_zone)

    def latest_at(self) -> datetime | None:
        return _wall_clock(self.latest, self.basis_zone) if self.until.isChecked() else None

    def chosen_owner(self) -> CallbackOwner | None:
        owner = self.owner.currentData()
        return owner if isinstance(owner, CallbackOwner) else None

    def complaint_id(self) -> int | None:
        text = self.complaint.text().strip()
        return int(text) if text else None

    def priority_value(self) -> Priority:
        return Priority(self.priority.currentData())

    # -- reacting --------------------------------------------------------------------------

    def _set_zone_choice_visible(self, visible: bool) -> None:
        self.zone.setVisible(visible)
        self.zone_label.setVisible(visible)

    def _zone_chosen(self, _row: int) -> None:
        name = self.zone_name()
        self._use_customer_zone(ZoneInfo(name) if name else None)

    def _use_customer_zone(self, zone: ZoneInfo | None) -> None:
        """Keep the moment typed; only the customer's side of it (and the basis list) moves."""
        at = self.when_at()
        latest = _wall_clock(self.latest, self.basis_zone)
        self._customer_zone = zone
        self.basis.blockSignals(True)
        chosen = self.basis.currentData()
        self.basis.clear()
        self.basis.addItem(self.tr("My time ({0})").format(short_zone(self._agent_zone.key)), "me")
        if zone is not None:
            self.basis.addItem(
                self.tr("Customer's time ({0})").format(short_zone(zone.key)), "customer"
            )
        self.basis.setCurrentIndex(max(self.basis.findData(chosen), 0))
        self.basis.blockSignals(False)
        _show_wall_clock(self.when, at, self.basis_zone)
        _show_wall_clock(self.latest, latest, self.basis_zone)
        self._show_preview()
        self.changed.emit()

    def _basis_changed(self, _row: int) -> None:
        """The same moment, shown in the other zone: switching never moves the callback."""
        previous = self._customer_zone if self.basis.currentData() == "me" else self._agent_zone
        at = _wall_clock(self.when, previous or self._agent_zone)
        latest = _wall_clock(self.latest, previous or self._agent_zone)
        self.when.blockSignals(True)
        self.latest.blockSignals(True)
        _show_wall_clock(self.when, at, self.basis_zone)
        _show_wall_clock(self.latest, latest, self.basis_zone)
        self.when.blockSignals(False)
        self.latest.blockSignals(False)
        self._show_preview()

    def _window_toggled(self, on: bool) -> None:
        self.latest.setEnabled(on)
        if on:  # the end was not editable until now: start it an hour after the start
            _show_wall_clock(self.latest, self.when_at() + timedelta(hours=1), self.basis_zone)
        self._time_changed()

    def _time_changed(self) -> None:
        self._show_preview()
        self.changed.emit()

    def _show_preview(self) -> None:
        text = window_text(
            self.when_at(), self.latest_at(), self._agent_zone, self._customer_zone, self._clock()
        )
        self.preview.setText("= " + text)
        self.preview.setToolTip(both_times(self.when_at(), self._agent_zone, self._customer_zone))
