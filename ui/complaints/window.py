"""One complaint in its own window: fields, workflow buttons, SLA clocks, notes, timeline.

Every save carries the version shown. When someone else saved first, nothing is written, the
banner says so, and Reload (Alt+L) shows their version with the agent's typing applied again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import (
    ACTIVE_STATUSES,
    Category,
    Comment,
    CommentKind,
    Complaint,
    ComplaintConflict,
    HistoryEntry,
    Status,
    TransitionRefused,
)
from callcenter.domain.errors import NotFound, ValidationError
from callcenter.domain.users import User
from callcenter.services.users import UserService
from ui.callbacks import schedule_callback
from ui.complaints.action_bar import ActionBar
from ui.complaints.actions import Action, ActionForms, action_work
from ui.complaints.fields import ComplaintFields
from ui.complaints.header import ComplaintHeader
from ui.complaints.labels import status_label
from ui.complaints.timeline import Timeline
from ui.icons import icon
from ui.theme import MARGIN, Severity
from ui.widgets.banner import Banner

if TYPE_CHECKING:
    from ui.complaints.desk import ComplaintsDesk

TICK_MS = 1000

Loaded = tuple[Complaint, list[Comment], list[HistoryEntry]]


class ComplaintWindow(QWidget):
    def __init__(
        self, desk: ComplaintsDesk, complaint_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("complaintWindow")
        self.setWindowTitle(self.tr("Complaint"))
        self.resize(980, 720)
        self._desk = desk
        self.complaint_id = complaint_id
        self.complaint: Complaint | None = None
        self._busy = False
        self._generation = 0  # of loads: only the newest one is shown
        service = desk.service
        actor = desk.context.actor

        self.banner = Banner("complaintBanner")
        self.reload_button = QPushButton(icon("refresh-cw"), self.tr("Re&load and reapply"))
        self.reload_button.setObjectName("complaintReload")
        self.reload_button.setToolTip(
            self.tr("Show the version saved by someone else, with your changes applied again")
        )
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_and_reapply)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.reload_button)

        self.header = ComplaintHeader()
        self.fields = ComplaintFields()
        self.save_button = QPushButton(icon("save"), self.tr("&Save changes (Ctrl+S)"))
        self.save_button.setObjectName("complaintSave")
        self.save_button.clicked.connect(self.save_fields)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_fields)

        self.forms = ActionForms(
            desk.background, lambda text, category: service.kb_search(actor, text, category)
        )
        self.forms.requested.connect(self._confirm)
        self.bar = ActionBar()
        self.bar.move_requested.connect(self.move_to)
        self.bar.form_requested.connect(self.forms.open)
        self.bar.link_requested.connect(self.link_current_call)
        self.bar.callback_requested.connect(self.schedule_callback)

        self.timeline = Timeline()
        self.timeline.comment_requested.connect(self.add_comment)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.fields, 1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        left_layout.addLayout(save_row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addLayout(banner_row)
        layout.addWidget(self.header)
        layout.addWidget(self.bar)
        layout.addWidget(self.forms)
        layout.addWidget(splitter, 1)

        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        desk.changed.connect(self._changed_elsewhere)
        self._load_choices()
        self.load()

    # -- loading ---------------------------------------------------------------------------

    def load(self, reapply: dict[str, Any] | None = None) -> None:
        """Read the complaint, its notes and history; `reapply` goes back over the fields."""
        service, actor, complaint_id = (
            self._desk.service,
            self._desk.context.actor,
            self.complaint_id,
        )

        def read() -> Loaded:
            return (
                service.get(actor, complaint_id),
                service.comments(actor, complaint_id),
                service.history(actor, complaint_id),
            )

        self._generation += 1
        generation = self._generation
        self._desk.background.run(
            read,
            lambda loaded: self._loaded(generation, loaded, reapply),
            self._load_failed,
            self,
        )

    def _loaded(self, generation: int, loaded: Loaded, reapply: dict[str, Any] | None) -> None:
        if generation != self._generation:
            return
        complaint, comments, history = loaded
        self._show(complaint, reapply)
        self.timeline.show_timeline(history, comments)

    def _load_failed(self, exc: Exception) -> None:
        if isinstance(exc, NotFound):
            self.banner.show_message(self.tr("This complaint does not exist."), Severity.ERROR)
        else:
            self.banner.show_message(self.tr("Could not load: {0}").format(exc), Severity.ERROR)

    def _load_choices(self) -> None:
        desk = self._desk
        service, actor, database = desk.service, desk.context.actor, desk.context.database
        desk.background.run(
            lambda: service.categories(actor), self._categories, self._load_failed, self
        )
        desk.background.run(
            lambda: UserService(database).list(actor), self._users, self._load_failed, self
        )

    def _categories(self, categories: list[Category]) -> None:
        edits = self.fields.edits()
        self.fields.set_categories(categories)
        if self.complaint is not None:
            self.fields.load(self.complaint, edits)

    def _users(self, users: list[User]) -> None:
        self.forms.set_users(users, self._desk.login)

    def _changed_elsewhere(self, complaint_id: int) -> None:
        # Another window of this desk saved it: show it, unless the agent is typing here.
        if (
            complaint_id == self.complaint_id
            and self.isVisible()
            and not self._busy
            and not self.fields.edits()
        ):
            self.load()

    # -- showing ---------------------------------------------------------------------------

    def _show(self, complaint: Complaint, reapply: dict[str, Any] | None = None) -> None:
        self.complaint = complaint
        self.setWindowTitle(
            self.tr("Complaint {0} \u2014 {1}").format(complaint.reference, complaint.subject)
        )
        self.header.show_complaint(complaint)
        self.fields.load(complaint, reapply)
        self._enable_buttons()
        self.tick()
        if complaint.status in ACTIVE_STATUSES:
            self.ticker.start()
        else:
            self.ticker.stop()

    def _enable_buttons(self) -> None:
        complaint = self.complaint
        if complaint is None:
            return
        self.bar.enable_for(complaint, self._busy, self._desk.current_call() is not None)
        editable = complaint.status is not Status.CLOSED and complaint.merged_into_id is None
        self.save_button.setEnabled(editable and not self._busy)
        self.fields.set_read_only(not editable)
        self.forms.set_busy(self._busy)

    def tick(self) -> None:
        """Move both SLA clocks on to now (business time, from the core's calendar)."""
        complaint = self.complaint
        if complaint is None:
            return
        self.header.show_clocks(*self._desk.service.sla(complaint, self._desk.clock()))

    # -- saving ----------------------------------------------------------------------------

    def save_fields(self) -> None:
        complaint = self.complaint
        if complaint is None or not self.save_button.isEnabled():
            return
        changes = self.fields.changes()
        if not self.fields.edits():
            self.banner.show_message(self.tr("Nothing to save."), Severity.INFO)
            return
        service, actor = self._desk.service, self._desk.context.actor
        self._write(
            lambda version: service.update(actor, complaint.id, changes, version),
            self.tr("Changes saved."),
        )

    def move_to(self, to: Status) -> None:
        complaint = self.complaint
        if complaint is None:
            return
        service, actor = self._desk.service, self._desk.context.actor
        self._write(
            lambda version: service.transition(actor, complaint.id, to, version),
            self.tr("Now {0}.").format(status_label(to)),
        )

    def _confirm(self, action: Action) -> None:
        complaint = self.complaint
        if complaint is None:
            return
        work, done = action_work(
            action, self.forms, self._desk.service, self._desk.context.actor, complaint.id
        )
        self._write(work, done, action)

    def _write(
        self, work: Callable[[int], Complaint], done: str, action: Action | None = None
    ) -> None:
        complaint = self.complaint
        if complaint is None or self._busy:
            return
        version = complaint.version
        self._set_busy(True)
        self.banner.clear()
        self.reload_button.hide()
        self._desk.background.run(
            lambda: work(version),
            lambda saved: self._written(saved, done, action),
            lambda exc: self._write_failed(exc, action),
            self,
        )

    def _written(self, saved: Complaint, done: str, action: Action | None) -> None:
        self._set_busy(False)
        if action is not None:
            self.forms.done(action)
        if saved.id != self.complaint_id:  # merged: this window follows the target
            merged, self.complaint_id = self.complaint_id, saved.id
            windows = self._desk.complaint_windows
            if windows.get(merged) is self:
                del windows[merged]
            windows.setdefault(saved.id, self)
            self._desk.changed.emit(merged)
        self.fields.load(saved)
        self.load()
        self.banner.show_message(done, Severity.OK)
        self._desk.changed.emit(saved.id)

    def _write_failed(self, exc: Exception, action: Action | None) -> None:
        self._set_busy(False)
        if isinstance(exc, ComplaintConflict):
            self.banner.show_message(
                self.tr(
                    "Someone else changed this complaint since you opened it, so nothing was "
                    "saved. What you typed is kept: Reload and reapply (Alt+L) shows their "
                    "version with your changes, then save again."
                ),
                Severity.WARNING,
            )
            self.reload_button.show()
            self.reload_button.setFocus()
        elif isinstance(exc, TransitionRefused):
            self.banner.show_message(self.tr("Refused: {0}").format(exc), Severity.ERROR)
        elif isinstance(exc, ValidationError):
            shown = (
                self.forms.show_error(action, exc)
                if action is not None
                else self.fields.errors.show(exc)
            )
            if not shown and action is not None and exc.field in ("reason", "target"):
                shown = self.forms.show_error(action, exc)
            self.banner.show_message(
                self.tr("Not saved: see the marked field.")
                if shown
                else self.tr("Not saved: {0}").format(exc),
                Severity.ERROR,
            )
        elif isinstance(exc, NotFound) and action is Action.MERGE:
            self.banner.show_message(
                self.tr("No complaint has the reference {0}.").format(
                    self.forms.merge_target.text().strip()
                ),
                Severity.ERROR,
            )
        else:
            self.banner.show_message(self.tr("Not saved: {0}").format(exc), Severity.ERROR)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable_buttons()

    def reload_and_reapply(self) -> None:
        """Show the stored version with the agent's field edits over it; forms keep theirs."""
        self.reload_button.hide()
        edits = self.fields.edits()
        self.load(edits)
        self.banner.show_message(
            self.tr(
                "Showing the latest version with your changes applied again. Check them, then "
                "save again."
            ),
            Severity.INFO,
        )

    # -- notes and calls -------------------------------------------------------------------

    def add_comment(self, kind: CommentKind, body: str) -> None:
        service, actor, cid = self._desk.service, self._desk.context.actor, self.complaint_id
        self.timeline.add_button.setEnabled(False)

        def added(_comment: Comment) -> None:
            self.timeline.add_button.setEnabled(True)
            self.timeline.comment_saved()
            self.load(self.fields.edits())
            self._desk.changed.emit(cid)

        def failed(exc: Exception) -> None:
            self.timeline.add_button.setEnabled(True)
            if isinstance(exc, ValidationError) and self.timeline.errors.show(exc):
                return
            self.banner.show_message(self.tr("Note not saved: {0}").format(exc), Severity.ERROR)

        self._desk.background.run(
            lambda: service.comment(actor, cid, kind, body), added, failed, self
        )

    def link_current_call(self) -> None:
        call = self._desk.current_call()
        if call is None:
            self.banner.show_message(self.tr("There is no call on the desk."), Severity.INFO)
            return

        def linked(complaint: Complaint) -> None:
            self._show(complaint, self.fields.edits())
            self.banner.show_message(self.tr("The current call is linked."), Severity.OK)

        self._desk.link_call(
            self.complaint_id,
            call.uid,
            linked,
            lambda exc: self.banner.show_message(
                self.tr("Call not linked: {0}").format(exc), Severity.ERROR
            ),
        )

    def schedule_callback(self) -> QWidget | None:
        """The callbacks feature's form, for this complaint's customer and linked to it."""
        complaint = self.complaint
        if complaint is None:
            return None
        reason = self.tr("About complaint {0}: {1}").format(complaint.reference, complaint.subject)
        return schedule_callback(
            self._desk.window, complaint.customer_id, complaint.id, None, reason
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self._enable_buttons()  # a call may have started or ended meanwhile
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ticker.stop()
        super().closeEvent(event)
