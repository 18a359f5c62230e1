"""Several customers on the calling number: pick one with the arrows and Enter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import CustomerMatch
from ui.icons import icon

MATCH_ROLE = Qt.ItemDataRole.UserRole


class CustomerChooser(QWidget):
    """Signals: chosen(CustomerMatch), none_chosen() ("not one of these: a new customer")."""

    chosen = Signal(object)
    none_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerChooser")
        self.hint = QLabel()
        self.hint.setObjectName("customerChooserHint")
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("customerChooserList")
        self.list.setAccessibleName(self.tr("Customers on this number"))
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(self._activated)
        self.open_button = QPushButton(icon("user"), self.tr("&Open customer"))
        self.open_button.setObjectName("customerChooserOpen")
        self.open_button.clicked.connect(self._open_current)
        self.new_button = QPushButton(icon("user-plus"), self.tr("&None of these: new customer..."))
        self.new_button.setObjectName("customerChooserNew")
        self.new_button.clicked.connect(self.none_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_matches(self, matches: Sequence[CustomerMatch]) -> None:
        """List `matches` (most recent contact first), the first selected and focused."""
        self.hint.setText(
            self.tr(
                "%n customers share this number. Choose with \u2191 \u2193 and Enter.",
                "",
                len(matches),
            )
        )
        self.list.clear()
        ordered = sorted(matches, key=_recent_first)
        for match in ordered:
            item = QListWidgetItem(self._text(match))
            item.setData(MATCH_ROLE, match)
            item.setToolTip(match.phone)
            self.list.addItem(item)
        if ordered:
            self.list.setCurrentRow(0)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open_current()
            return True
        return super().eventFilter(watched, event)

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._activated(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(MATCH_ROLE))

    def _text(self, match: CustomerMatch) -> str:
        details = [part for part in (match.company, match.tier) if part]
        if match.last_contact_at is not None:
            when = match.last_contact_at.astimezone().strftime("%Y-%m-%d")
            details.append(self.tr("last contact {0}").format(when))
        else:
            details.append(self.tr("no contact yet"))
        if match.open_complaints:
            details.append(self.tr("open complaints: %n", "", match.open_complaints))
        return match.name + "\n" + SEPARATOR.join(details)


SEPARATOR = "  \u00b7  "


def _recent_first(match: CustomerMatch) -> tuple[bool, float]:
    """Most recent contact first, never-contacted last; the lookup's order breaks ties."""
    at = match.last_contact_at
    return (at is None, -at.timestamp() if at else 0.0)
