"""Tray messages for news that arrives while the agent looks at another window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from ui.icons import app_icon

MESSAGE_MS = 10_000


class Announcer(Protocol):
    """Shows a short message outside the window (the system tray, or a stand-in in tests)."""

    def announce(self, title: str, text: str) -> None: ...


class TrayAnnouncer(QObject):
    """The system tray's balloon; on a desktop without a tray there is nothing to show it on,
    and the unread count in the window is the only signal."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip(self.tr("Call Center"))

    def announce(self, title: str, text: str) -> None:
        if self._tray is None:
            return
        if not self._tray.isVisible():
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)


def in_background(window: QWidget) -> bool:
    """The agent is not looking at the app: another program has the focus, or it is minimized."""
    return QApplication.activeWindow() is None or window.isMinimized()
