"""The customer card's details: numbers to click, where the caller is and their time, history."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import Customer
from callcenter.domain.phone import NumberPlace, format_for_display, number_type, place_of
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.theme import SPACING, set_role
from ui.widgets.call_history import customer_history, show_customer_calls
from ui.widgets.scroll import plain_scroll_area

LOCAL_TIME_REFRESH_MS = 30_000
MAX_DETAILS_HEIGHT = 300  # at 1366x768 the calls keep about half the card
MIN_DETAILS_HEIGHT = 110  # about five rows


class CustomerDetails(QWidget):
    """Signals: dial_requested(str E.164 key) from a number button or the history."""

    dial_requested = Signal(str)

    def __init__(self, context: AppContext, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._home_region = context.settings.default_region
        self._place: NumberPlace | None = None
        self.phone_buttons: list[QPushButton] = []

        self.company = _value_label("customerCompany")
        self.tier = _value_label("customerTier")
        self.phones = QWidget()
        self.phones.setObjectName("customerPhones")
        self._phones_layout = QVBoxLayout(self.phones)
        self._phones_layout.setContentsMargins(0, 0, 0, 0)
        self._phones_layout.setSpacing(0)
        self.place = _value_label("customerPlace")
        self.emails = _value_label("customerEmails")
        self.notes = _value_label("customerNotes")
        self.complaints = _value_label("customerComplaints")
        self.callbacks = _value_label("customerCallbacks")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(SPACING)
        form.addRow(self.tr("Company"), self.company)
        form.addRow(self.tr("Tier"), self.tier)
        form.addRow(self.tr("Phones"), self.phones)
        form.addRow(self.tr("Location"), self.place)
        form.addRow(self.tr("E-mail"), self.emails)
        form.addRow(self.tr("Notes"), self.notes)
        form.addRow(self.tr("Complaints"), self.complaints)
        form.addRow(self.tr("Callbacks"), self.callbacks)
        details = QWidget()
        details.setLayout(form)
        self._content = details
        self._scroll = scroll = plain_scroll_area(details, "customerDetails")

        self.history = customer_history(context, runner)
        self.history.dial_requested.connect(self.dial_requested)
        heading = QLabel(self.tr("Calls"))
        heading.setObjectName("customerHistoryHeading")
        set_role(heading, "heading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        # Room shared evenly: the details take what they need (up to their maximum) and
        # the calls the rest; when the card is short both shrink and the details scroll.
        layout.addWidget(scroll, 1)
        layout.addWidget(heading)
        layout.addWidget(self.history, 1)

        self._clock = QTimer(self)
        self._clock.setInterval(LOCAL_TIME_REFRESH_MS)
        self._clock.timeout.connect(self._show_place)

    def show_customer(
        self,
        customer: Customer,
        calling_key: str | None = None,
        open_complaints: int = 0,
        due_callbacks: int = 0,
    ) -> None:
        """Fill in `customer`; `calling_key` is the number on the line, if a call popped it."""
        self.company.setText(customer.company or "\u2014")
        self.tier.setText(customer.tier or "\u2014")
        self._show_phones(customer, calling_key)
        keys = [p.key for p in customer.phones]
        if calling_key:
            keys.insert(0, calling_key)
        self._place = next((p for p in map(place_of, keys) if p and p.time_zones), None)
        self._show_place()
        if self._place is not None:
            self._clock.start()
        else:
            self._clock.stop()
        self.emails.setText(", ".join(customer.emails) or "\u2014")
        self.notes.setText(customer.notes or "\u2014")
        self.complaints.setText(
            self.tr("%n open", "", open_complaints) if open_complaints else self.tr("None open")
        )
        self.callbacks.setText(
            self.tr("%n due", "", due_callbacks) if due_callbacks else self.tr("None due")
        )
        show_customer_calls(self.history, self._context, customer.id)
        self._fit_details()

    def clear(self) -> None:
        self._clock.stop()
        self._place = None
        show_customer_calls(self.history, self._context, None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_details()

    def _fit_details(self) -> None:
        """Show the details whole when they fit, leaving the rest to the calls; when the card
        is short (a small screen, with callbacks and complaints above and below), they scroll
        down to MIN_DETAILS_HEIGHT rather than being cut off under the calls."""
        content, width = self._content, self._scroll.viewport().width()
        wrapped = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        height = max(wrapped, content.sizeHint().height(), content.minimumSizeHint().height())
        whole = height + 2 * self._scroll.frameWidth()
        self._scroll.setMinimumHeight(min(whole, MIN_DETAILS_HEIGHT))
        self._scroll.setMaximumHeight(min(whole, MAX_DETAILS_HEIGHT))

    @property
    def local_time_running(self) -> bool:
        return self._clock.isActive()

    def _show_phones(self, customer: Customer, calling_key: str | None) -> None:
        for button in self.phone_buttons:
            self._phones_layout.removeWidget(button)
            button.deleteLater()
        self.phone_buttons = []
        for phone in customer.phones:
            button = QPushButton(
                icon("phone"), self._phone_text(phone.key, phone.label, phone.extension)
            )
            button.setObjectName("customerPhoneButton")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setToolTip(self.tr("Call {0}").format(phone.key))
            button.setAccessibleName(self.tr("Call {0}").format(button.text()))
            if phone.key == calling_key:
                button.setIcon(icon("phone-incoming"))
                button.setText(self.tr("{0}  (on the line)").format(button.text()))
            button.clicked.connect(lambda _=False, key=phone.key: self.dial_requested.emit(key))
            self._phones_layout.addWidget(button)
            self.phone_buttons.append(button)
        if not customer.phones:
            button = QPushButton("\u2014")
            button.setFlat(True)
            button.setEnabled(False)
            self._phones_layout.addWidget(button)
            self.phone_buttons.append(button)

    def _phone_text(self, key: str, label: str | None, extension: str | None) -> str:
        text = format_for_display(key, self._home_region)
        if extension:
            text += self.tr(" ext. {0}").format(extension)
        kind = label or number_type(key)
        return f"{text}  \u00b7  {kind}" if kind else text

    def _show_place(self) -> None:
        place = self._place
        if place is None:
            self.place.setText("\u2014")
            return
        zone = place.time_zones[0]
        local = datetime.now(ZoneInfo(zone))
        where = place.location or zone
        self.place.setText(
            self.tr("{0} \u00b7 {1} local time").format(where, local.strftime("%H:%M"))
        )
        self.place.setToolTip(self.tr("Time zone: {0}").format(", ".join(place.time_zones)))


def _value_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
