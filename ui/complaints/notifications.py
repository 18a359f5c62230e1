"""The notification list (Ctrl+Shift+N): escalations and assignments, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import Notification
from ui.complaints.labels import notification_text
from ui.theme import MARGIN

if TYPE_CHECKING:
    from ui.complaints.desk import ComplaintsDesk

ID_ROLE = Qt.ItemDataRole.UserRole


class NotificationsWindow(QWidget):
    def __init__(self, desk: ComplaintsDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("complaintNotifications")
        self.setWindowTitle(self.tr("Complaint notifications"))
        self.resize(560, 420)
        self._desk = desk
        self._notifications: list[Notification] = []
        self.summary = QLabel()
        self.summary.setObjectName("complaintNotificationsSummary")
        self.entries = QListWidget()
        self.entries.setObjectName("complaintNotificationList")
        self.entries.setAccessibleName(self.tr("Notifications"))
        self.entries.itemActivated.connect(self._open)
        open_button = QPushButton(self.tr("&Open complaint (Enter)"))
        open_button.setObjectName("complaintNotificationOpen")
        open_button.clicked.connect(lambda: self._open(self.entries.currentItem()))
        read_all = QPushButton(self.tr("Mark &all read"))
        read_all.setObjectName("complaintNotificationsReadAll")
        read_all.clicked.connect(lambda: desk.mark_read(None))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(read_all)
        buttons.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addWidget(self.summary)
        layout.addWidget(self.entries, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        desk.unread_changed.connect(lambda _count: self.refresh())
        desk.notified.connect(lambda _fresh: self.refresh())

    def refresh(self) -> None:
        service, actor = self._desk.service, self._desk.context.actor
        self._desk.background.run(
            lambda: service.notifications(actor),
            self._show,
            lambda exc: self.summary.setText(self.tr("Could not load: {0}").format(exc)),
            self,
        )

    def _show(self, notifications: list[Notification]) -> None:
        current = self.entries.currentRow()
        self._notifications = notifications
        self.entries.clear()
        unread = 0
        for notification in notifications:
            when = notification.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            mark = "\u25cf " if notification.unread else ""
            item = QListWidgetItem(
                f"{mark}{when}  {notification.reference or ''}  {notification_text(notification)}"
            )
            item.setData(ID_ROLE, notification.id)
            if notification.unread:
                unread += 1
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.entries.addItem(item)
        self.summary.setText(
            self.tr("%n unread", "", unread) if unread else self.tr("Everything read.")
        )
        if notifications:
            self.entries.setCurrentRow(min(max(current, 0), len(notifications) - 1))

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        notification_id = item.data(ID_ROLE)
        notification = next(n for n in self._notifications if n.id == notification_id)
        if notification.unread:
            self._desk.mark_read([notification.id])
        if notification.complaint_id is not None:
            self._desk.open_complaint(notification.complaint_id)
