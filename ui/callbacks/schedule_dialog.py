"""Schedule a callback: checks calling hours and the agent's agenda as the time is typed.

A refused time says why and offers the next allowed slot (Alt+T takes it); a time close to
another of the agent's callbacks offers a free slot, or Alt+K keeps the time anyway.
Ctrl+Return saves; nothing is saved until the core accepts the whole request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QPushButton, QVBoxLayout

from callcenter.domain.callbacks import (
    Callback,
    CallbackConflict,
    CallbackInvalid,
    CallbackRequest,
    ConflictCheck,
    HoursCheck,
    OutsideCallingHours,
    OwnerKind,
    Slot,
)
from callcenter.domain.customers import Customer
from callcenter.domain.errors import ValidationError
from callcenter.services.callback_views import OwnerChoices, owner_choices
from callcenter.services.callbacks import CallbackService
from ui.callbacks.schedule_form import ScheduleForm
from ui.callbacks.texts import closed_text, refusal_text
from ui.callbacks.times import both_times
from ui.theme import Severity
from ui.widgets.banner import Banner

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature

CHECK_DEBOUNCE_MS = 250
DEFAULT_DELAY = timedelta(hours=1)
FIELD_WIDGETS = {
    "number": "number",
    "time_zone": "zone",
    "when": "when",
    "latest": "latest",
    "reason": "reason",
    "complaint": "complaint",
    "agent": "owner",
    "queue": "owner",
    "owner": "owner",
    "priority": "priority",
}


@dataclass(frozen=True)
class _Loaded:
    customer: Customer
    owners: OwnerChoices


@dataclass(frozen=True)
class _Checked:
    hours: HoursCheck
    conflicts: ConflictCheck | None


class ScheduleDialog(QDialog):
    def __init__(
        self,
        feature: CallbacksFeature,
        customer_id: int,
        number: str | None,
        complaint_id: int | None,
        reason: str,
        queue_name: str | None,
    ) -> None:
        super().__init__(feature.window)
        self.setObjectName("callbackSchedule")
        self.setWindowTitle(self.tr("Schedule a callback"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._feature = feature
        self._customer_id = customer_id
        self._number = number
        self._queue_name = queue_name
        self._offer: Slot | None = None
        self._allow_conflict = False
        self._check_generation = 0
        self._ready = False
        self.saved: Callback | None = None

        self.banner = Banner("callbackScheduleBanner")
        self.form = ScheduleForm(feature.agent_zone, feature.context.actor.user_id, feature.now)
        self.form.reason.setText(reason)
        if complaint_id is not None:
            self.form.complaint.setText(str(complaint_id))
        self.notice = Banner("callbackCheck")
        self.take_slot = QPushButton()
        self.take_slot.setObjectName("callbackTakeSlot")
        self.take_slot.clicked.connect(self.take_offer)
        self.take_slot.hide()
        self.keep_time = QPushButton(self.tr("&Keep this time anyway"))
        self.keep_time.setObjectName("callbackKeepTime")
        self.keep_time.clicked.connect(self._keep_time)
        self.keep_time.hide()
        offers = QHBoxLayout()
        offers.addWidget(self.take_slot)
        offers.addWidget(self.keep_time)
        offers.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("callbackSave")
        self.save_button.setText(self.tr("Save (Ctrl+Return)"))
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addWidget(self.notice)
        layout.addLayout(offers)
        layout.addWidget(self.buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(CHECK_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._check)
        self.form.changed.connect(self._changed)
        self.banner.show_message(self.tr("Loading the customer..."))
        self._load()

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        context, actor = self._feature.context, self._feature.context.actor
        customer_id = self._customer_id

        def load(_service: CallbackService) -> _Loaded:
            customer = context.customers.get(actor, customer_id)
            return _Loaded(customer, owner_choices(context.database, actor))

        self._feature.run(load, self._loaded, self._load_failed, owner=self)

    def _loaded(self, loaded: _Loaded) -> None:
        self.banner.clear()
        region = self._feature.context.settings.default_region
        self.form.show_customer(loaded.customer, self._number, region)
        self.form.show_owners(loaded.owners, self._queue_name)
        if not loaded.customer.phones:
            self.banner.show_message(
                self.tr("{0} has no phone number: add one on the customer page (F2).").format(
                    loaded.customer.name
                ),
                Severity.ERROR,
            )
            return
        self._ready = True
        self.save_button.setEnabled(True)
        self._show_zones()
        self.form.number.currentIndexChanged.connect(lambda _row: self._show_zones())
        # The first quarter hour after an hour from now: a time the agent rarely has to retype.
        start = self._feature.now() + DEFAULT_DELAY
        start -= timedelta(
            minutes=start.minute % 15, seconds=start.second, microseconds=start.microsecond
        )
        self.form.set_time(start + timedelta(minutes=15))
        self.form.when.setFocus()
        self._check()

    def _load_failed(self, exc: Exception) -> None:
        self.banner.show_message(
            self.tr("Could not load the customer: {0}").format(exc), Severity.ERROR
        )

    def _show_zones(self) -> None:
        try:
            zones = self._feature.service.zones_for_number(self.form.number_key())
        except ValidationError as exc:
            self.banner.show_message(refusal_text(exc), Severity.ERROR)
            return
        self.form.show_zones(zones)

    # -- checking as the agent types -------------------------------------------------------

    def _changed(self) -> None:
        if self._ready:
            self._allow_conflict = False
            self._debounce.start()

    def _check(self) -> None:
        """Calling hours in the customer's zone, and (for my own callbacks) my agenda."""
        self._debounce.stop()
        zone = self.form.zone_name()
        owner = self.form.chosen_owner()
        if not self._ready or zone is None or owner is None:
            self._show_offer(None)
            self.notice.clear()
            return
        self._check_generation += 1
        generation, actor = self._check_generation, self._feature.context.actor
        when = self.form.when_at()

        def check(service: CallbackService) -> _Checked:
            hours = service.check_calling_hours(actor, when, zone, owner.queue_id)
            conflicts = None
            if owner.kind is OwnerKind.AGENT and owner.agent_id is not None:
                conflicts = service.conflicts(
                    actor, owner.agent_id, when, zone, queue_id=owner.queue_id
                )
            return _Checked(hours, conflicts)

        self._feature.run(
            check, lambda checked: self._checked(generation, checked), self._check_failed, self
        )

    def _checked(self, generation: int, checked: _Checked) -> None:
        if generation != self._check_generation:
            return  # the time changed again since
        hours = checked.hours
        if not hours.allowed and hours.closed is not None:
            self._refuse_hours(closed_text(hours.closed, hours.rule), hours.next_slot)
        elif checked.conflicts is not None and not checked.conflicts.clear:
            self._flag_conflict(checked.conflicts.conflicting, checked.conflicts.suggested)
        else:
            self.notice.show_message(self.tr("Within the customer's calling hours."), Severity.OK)
            self._show_offer(None)

    def _check_failed(self, exc: Exception) -> None:
        text = refusal_text(exc) if isinstance(exc, ValidationError) else str(exc)
        self.notice.show_message(text, Severity.ERROR)

    def _refuse_hours(self, why: str, slot: Slot) -> None:
        self.notice.show_message(why, Severity.ERROR)
        self._show_offer(slot, self.tr("&Take the next allowed time: {0}"))

    def _flag_conflict(self, others: tuple[Callback, ...], slot: Slot | None) -> None:
        names = ", ".join(
            f"{other.customer_name} {both_times(other.due_at, self._feature.agent_zone, None)}"
            for other in others[:3]
        )
        self.notice.show_message(
            self.tr("Close to another of your callbacks: {0}.").format(names), Severity.WARNING
        )
        self._show_offer(slot, self.tr("&Take the free time: {0}"))
        self.keep_time.show()

    def _show_offer(self, slot: Slot | None, label: str = "") -> None:
        self._offer = slot
        self.keep_time.hide()
        if slot is None:
            self.take_slot.hide()
            return
        shown = both_times(
            slot.at, self._feature.agent_zone, self.form.customer_zone, self._feature.now()
        )
        self.take_slot.setText(label.format(shown))
        self.take_slot.show()

    def take_offer(self) -> None:
        """Alt+T: move the time to the offered slot (the check runs again)."""
        if self._offer is None:
            return
        self.form.set_time(self._offer.at)
        self.form.until.setChecked(False)
        self.form.when.setFocus()  # the offer button goes away; Ctrl+Return saves from here
        self._show_offer(None)

    def _keep_time(self) -> None:
        self._allow_conflict = True
        self.save()

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if not self._ready:
            return
        owner = self.form.chosen_owner()
        if owner is None:
            return
        request = CallbackRequest(
            customer_id=self._customer_id,
            number=self.form.number_key(),
            when=self.form.when_at(),
            owner=owner,
            latest=self.form.latest_at(),
            time_zone=self.form.zone_name(),
            reason=self.form.reason.text().strip(),
            priority=self.form.priority_value(),
            complaint_id=self.form.complaint_id(),
            allow_conflict=self._allow_conflict,
        )
        actor = self._feature.context.actor
        self.save_button.setEnabled(False)
        self.banner.show_message(self.tr("Saving..."))
        self._feature.run(
            lambda service: service.schedule(actor, request), self._saved, self._refused, self
        )

    def _saved(self, callback: Callback) -> None:
        self.saved = callback
        zone = self.form.customer_zone
        self._feature.say(
            self.tr("Callback to {0} scheduled: {1}.").format(
                callback.customer_name, both_times(callback.due_at, self._feature.agent_zone, zone)
            )
        )
        self._feature.changed.emit()
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, OutsideCallingHours):
            self.banner.show_message(refusal_text(exc), Severity.ERROR)
            self._refuse_hours(refusal_text(exc), exc.next_slot)
            self.take_slot.setFocus()
        elif isinstance(exc, CallbackConflict):
            self.banner.show_message(refusal_text(exc), Severity.WARNING)
            self._flag_conflict(exc.conflicting, exc.suggested)
            (self.take_slot if exc.suggested else self.keep_time).setFocus()
        elif isinstance(exc, CallbackInvalid | ValidationError):
            self.banner.show_message(refusal_text(exc), Severity.ERROR)
            widget = getattr(self.form, FIELD_WIDGETS.get(exc.field, ""), None)
            if widget is not None:
                widget.setFocus()
        else:
            self.banner.show_message(self.tr("Not saved: {0}").format(exc), Severity.ERROR)
