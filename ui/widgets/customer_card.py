"""The customer card: who is calling, where they are and what time it is there."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.calls import CallRecord
from callcenter.domain.customers import Customer
from callcenter.domain.phone import format_for_display, place_of


class CustomerCard(QFrame):
    def __init__(self, home_region: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self._home_region = home_region
        self.name = QLabel(self.tr("No customer selected"))
        self.name.setObjectName("customerName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = QLabel()
        self.banner.setObjectName("customerBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.company = QLabel()
        self.tier = QLabel()
        self.phones = QLabel()
        self.phones.setObjectName("customerPhones")
        self.phones.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.place = QLabel()
        self.place.setObjectName("customerPlace")
        self.emails = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        for label in (self.company, self.tier, self.phones, self.place, self.emails, self.notes):
            label.setWordWrap(True)
        details = QFormLayout()
        details.addRow(self.tr("Company"), self.company)
        details.addRow(self.tr("Tier"), self.tier)
        details.addRow(self.tr("Phones"), self.phones)
        details.addRow(self.tr("Location"), self.place)
        details.addRow(self.tr("Email"), self.emails)
        details.addRow(self.tr("Notes"), self.notes)
        self.calls = QListWidget()
        self.calls.setObjectName("customerRecentCalls")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.name)
        layout.addLayout(details)
        layout.addWidget(QLabel(self.tr("Recent calls")))
        layout.addWidget(self.calls, 1)
        self.clear()

    def clear(self, message: str | None = None) -> None:
        self.name.setText(message or self.tr("No customer selected"))
        for label in (self.company, self.tier, self.phones, self.place, self.emails, self.notes):
            label.clear()
        self.calls.clear()
        self.banner.hide()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def show_customer(self, customer: Customer, calls: list[CallRecord]) -> None:
        self.name.setText(customer.name)
        self.company.setText(customer.company or "—")
        self.tier.setText(customer.tier or "—")
        self.phones.setText(
            "\n".join(format_for_display(p.key, self._home_region) for p in customer.phones) or "—"
        )
        self.place.setText(self._place_text(customer))
        self.emails.setText(", ".join(customer.emails) or "—")
        self.notes.setText(customer.notes or "—")
        self.calls.clear()
        for call in calls:
            when = call.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            outcome = call.disposition_code or (
                self.tr("abandoned") if call.answered_at is None else self.tr("no disposition")
            )
            self.calls.addItem(QListWidgetItem(f"{when}  {call.direction.value}  {outcome}"))
        if not calls:
            self.calls.addItem(self.tr("No calls yet"))

    def _place_text(self, customer: Customer) -> str:
        for phone in customer.phones:
            place = place_of(phone.key)
            if place and place.time_zones:
                local = datetime.now(ZoneInfo(place.time_zones[0]))
                where = place.location or place.time_zones[0]
                return self.tr("{0} — local time {1}").format(where, local.strftime("%H:%M"))
        return "—"
