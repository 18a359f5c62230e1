"""The complaints side of the desk: the service, the escalation sweep, notifications, windows.

One per main window. Every write made through it ends in `changed`, so each open list, card
section and complaint window decides for itself whether to read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from callcenter.clock import Clock, utc_now
from callcenter.domain.complaint_lists import Scope
from callcenter.domain.complaints import Complaint, Notification, SweepResult
from callcenter.domain.users import Role
from callcenter.services.active_call import ActiveCall
from callcenter.services.complaints import ComplaintService
from ui.complaints.labels import notification_text
from ui.complaints.list_window import ComplaintListWindow
from ui.complaints.new_form import NewComplaintForm
from ui.complaints.notifications import NotificationsWindow
from ui.complaints.tray import Announcer, TrayAnnouncer, in_background
from ui.complaints.window import ComplaintWindow
from ui.context import AppContext
from ui.workers import Background

log = logging.getLogger(__name__)


#: The call on the desk, if any (the main window's call controller knows it).
CurrentCall = Callable[[], ActiveCall | None]


class ComplaintsDesk(QObject):
    """Signals: changed(int complaint id) after a write; unread_changed(int) when the unread
    count moves; notified(list) with notifications that arrived since the last look;
    created(Complaint) when a new complaint is saved; swept(SweepResult) after each sweep."""

    changed = Signal(int)
    unread_changed = Signal(int)
    notified = Signal(list)
    created = Signal(object)
    swept = Signal(object)

    def __init__(
        self,
        context: AppContext,
        background: Background,
        window: QWidget,
        current_call: CurrentCall = lambda: None,
        clock: Clock = utc_now,
        announcer: Announcer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.current_call = current_call
        self.context = context
        self.background = background
        self.window = window
        self.clock = clock
        self.announcer: Announcer = announcer or TrayAnnouncer(self)
        self.service = ComplaintService.from_settings(context.database, context.settings, clock)
        self.unread = 0
        self._newest_seen: int | None = None
        self._sweeping = False
        self.sweeper = QTimer(self)
        self.sweeper.setInterval(context.settings.complaint_sweep_seconds * 1000)
        self.sweeper.timeout.connect(self.sweep)
        self.changed.connect(lambda _id: self.refresh_notifications())
        self.list_window: ComplaintListWindow | None = None
        self.notifications_window: NotificationsWindow | None = None
        self.complaint_windows: dict[int, ComplaintWindow] = {}
        self.new_form: NewComplaintForm | None = None

    @property
    def login(self) -> str:
        return self.context.actor.login

    @property
    def supervises(self) -> bool:
        user = self.context.user
        return user is not None and user.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def scopes(self) -> tuple[Scope, ...]:
        return (Scope.MINE, Scope.TEAM, Scope.ALL) if self.supervises else (Scope.MINE, Scope.TEAM)

    def start(self) -> None:
        """Sweep now and every `complaints.sweep_seconds`; read the notifications."""
        self.sweeper.start()
        self.sweep()

    def stop(self) -> None:
        self.sweeper.stop()

    # -- the escalation sweep and notifications ----------------------------------------------

    def sweep(self) -> None:
        """Escalate what is at risk or breached (exactly once across desktops, the core
        sees to that), then read the notifications."""
        if self._sweeping:
            return
        self._sweeping = True
        service, actor = self.service, self.context.actor
        self.background.run(
            lambda: service.sweep(actor), self._swept, self._sweep_failed, owner=self
        )

    def _swept(self, result: SweepResult) -> None:
        self._sweeping = False
        self.swept.emit(result)
        self.refresh_notifications()

    def _sweep_failed(self, exc: Exception) -> None:
        self._sweeping = False
        log.warning("escalation sweep failed: %s", exc)
        self.refresh_notifications()

    def refresh_notifications(self) -> None:
        service, actor = self.service, self.context.actor

        def read() -> tuple[int, list[Notification]]:
            # The newest unread are enough to spot news; the count covers them all.
            return service.unread_count(actor), service.notifications(actor, unread_only=True)

        self.background.run(
            read,
            self._notifications,
            lambda exc: log.warning("notifications not read: %s", exc),
            owner=self,
        )

    def _notifications(self, read: tuple[int, list[Notification]]) -> None:
        count, unread = read
        seen = self._newest_seen
        fresh = [n for n in unread if seen is not None and n.id > seen]
        self._newest_seen = max([n.id for n in unread] + [seen or 0])
        if count != self.unread:
            self.unread = count
            self.unread_changed.emit(count)
        if fresh:
            self.notified.emit(fresh)
            if in_background(self.window):
                self.announcer.announce(*self.announcement(fresh))

    def announcement(self, fresh: list[Notification]) -> tuple[str, str]:
        if len(fresh) == 1:
            return self.tr("Complaint {0}").format(fresh[0].reference or ""), notification_text(
                fresh[0]
            )
        return (
            self.tr("%n new complaint notification(s)", "", len(fresh)),
            "; ".join(n.reference or "" for n in fresh[:5]),
        )

    def mark_read(self, ids: list[int] | None) -> None:
        service, actor = self.service, self.context.actor
        self.background.run(
            lambda: service.mark_read(actor, ids),
            lambda _count: self.refresh_notifications(),
            lambda exc: log.warning("notifications not marked read: %s", exc),
            owner=self,
        )

    # -- windows ---------------------------------------------------------------------------

    def open_list(self, scope: Scope = Scope.MINE) -> ComplaintListWindow:
        if self.list_window is None:
            self.list_window = ComplaintListWindow(self, self.window)
        _bring_up(self.list_window)
        self.list_window.show_scope(scope)
        return self.list_window

    def open_complaint(self, complaint_id: int) -> ComplaintWindow:
        """The complaint's window (one per complaint), loaded off the GUI thread."""
        window = self.complaint_windows.get(complaint_id)
        if window is None:
            window = ComplaintWindow(self, complaint_id, self.window)
            self.complaint_windows[complaint_id] = window
        elif not window.isVisible():
            window.load()  # closed since: it may have changed meanwhile
        _bring_up(window)
        return window

    def new_complaint(
        self, customer_id: int | None, customer_name: str | None, call_uid: str | None
    ) -> NewComplaintForm:
        """The new-complaint form for this customer (and call), focus in Subject."""
        if self.new_form is not None:
            self.new_form.close()
        form = NewComplaintForm(self, customer_id, customer_name, call_uid, self.window)
        form.created.connect(self.created)
        form.destroyed.connect(lambda _obj=None: self._form_gone(form))
        self.new_form = form
        _bring_up(form)
        form.focus_subject()
        return form

    def _form_gone(self, form: NewComplaintForm) -> None:
        if self.new_form is form:
            self.new_form = None

    def open_notifications(self) -> NotificationsWindow:
        if self.notifications_window is None:
            self.notifications_window = NotificationsWindow(self, self.window)
        self.notifications_window.refresh()
        _bring_up(self.notifications_window)
        self.notifications_window.entries.setFocus()
        return self.notifications_window

    def link_call(
        self,
        complaint_id: int,
        call_uid: str,
        on_linked: Callable[[Complaint], None],
        on_failed: Callable[[Exception], None],
    ) -> None:
        service, actor = self.service, self.context.actor

        def linked(complaint: Complaint) -> None:
            on_linked(complaint)
            self.changed.emit(complaint.id)

        self.background.run(
            lambda: service.link_call(actor, complaint_id, call_uid), linked, on_failed, self
        )

    def close_windows(self) -> None:
        windows: list[QWidget | None] = [
            self.list_window,
            self.notifications_window,
            self.new_form,
            *self.complaint_windows.values(),
        ]
        for window in windows:
            if window is not None:
                window.close()


def _bring_up(window: QWidget) -> None:
    # Activating a window brings it to the front; a minimized one is restored first.
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.activateWindow()
