"""The status bar's bell: how many complaint notifications are unread; a click lists them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from ui.icons import icon
from ui.theme import Severity


class UnreadButton(QToolButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintNotificationsButton")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.count = 0
        self.show_count(0)

    def show_count(self, count: int) -> None:
        self.count = count
        self.setIcon(icon("bell", Severity.WARNING if count else None))
        # Words as well as the tint: the count is read, not guessed from a colour.
        text = self.tr("%n unread", "", count) if count else self.tr("No unread")
        self.setText(text)
        tip = self.tr("Complaint notifications: {0} (Ctrl+Shift+N)").format(text)
        self.setToolTip(tip)
        self.setAccessibleName(tip)
