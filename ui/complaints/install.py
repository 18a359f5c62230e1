"""Puts complaints into the main window: the Co&mplaints menu, its shortcuts, the unread bell.

`install_complaints(window)` is the one call the main window's menus make.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from callcenter.domain.complaint_lists import Scope
from callcenter.domain.complaints import Complaint
from ui.complaints.desk import ComplaintsDesk
from ui.complaints.unread_button import UnreadButton

if TYPE_CHECKING:
    from ui.main_window import MainWindow

STATUS_MS = 10_000


def install_complaints(window: MainWindow) -> ComplaintsDesk:
    calls = window.desk.calls
    desk = ComplaintsDesk(
        window.desk.context,
        window.background,
        window,
        current_call=lambda: calls.call,
        parent=window,
    )
    window.complaints = desk  # type: ignore[attr-defined]  # the window's one handle on it
    menu = window.menuBar().addMenu(window.tr("Co&mplaints"))

    def add(text: str, slot: Callable[[], object], shortcut: str | None = None) -> QAction:
        made = QAction(text, window)
        if shortcut:
            made.setShortcut(QKeySequence(shortcut))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        made.triggered.connect(lambda _checked=False: slot())
        menu.addAction(made)
        window.addAction(made)  # so it works wherever the focus is
        return made

    add(window.tr("&My complaints"), lambda: desk.open_list(Scope.MINE), "Ctrl+Shift+M")
    add(window.tr("My &team's complaints"), lambda: desk.open_list(Scope.TEAM))
    if Scope.ALL in desk.scopes:
        add(window.tr("&All complaints"), lambda: desk.open_list(Scope.ALL))
    menu.addSeparator()
    add(window.tr("&New complaint..."), lambda: new_complaint(window, desk), "Ctrl+Shift+C")
    add(
        window.tr("&Link the call to the selected complaint"),
        lambda: link_selected(window, desk),
        "Ctrl+Shift+L",
    )
    menu.addSeparator()
    add(window.tr("N&otifications"), desk.open_notifications, "Ctrl+Shift+N")

    bell = UnreadButton()
    bell.clicked.connect(desk.open_notifications)
    desk.unread_changed.connect(bell.show_count)
    window.statusBar().addPermanentWidget(bell)
    window.complaints_bell = bell  # type: ignore[attr-defined]

    section = window.card.complaints
    section.open_requested.connect(desk.open_complaint)
    section.new_requested.connect(
        lambda customer_id, name: desk.new_complaint(customer_id, name, _call_uid(window))
    )
    desk.changed.connect(lambda _id: section.refresh())
    desk.created.connect(lambda complaint: _created(window, complaint))

    def closed(_signed_out: bool) -> None:
        desk.stop()
        desk.close_windows()

    window.closed.connect(closed)
    desk.start()
    return desk


def _call_uid(window: MainWindow) -> str | None:
    call = window.desk.calls.call
    return call.uid if call is not None else None


def new_complaint(window: MainWindow, desk: ComplaintsDesk) -> None:
    """Open the form for the customer on the card, else the call's customer, with the call."""
    call = window.desk.calls.call
    customer = window.card.customer
    if customer is not None:
        desk.new_complaint(customer.id, customer.name, _call_uid(window))
    elif call is not None and call.customer_id is not None:
        desk.new_complaint(call.customer_id, call.customer_name, call.uid)
    else:
        desk.new_complaint(None, None, _call_uid(window))


def link_selected(window: MainWindow, desk: ComplaintsDesk) -> None:
    """Link the call on the desk to the complaint selected on the card (else its first)."""
    call = window.desk.calls.call
    complaint = window.card.complaints.selected()
    bar = window.statusBar()
    if call is None:
        bar.showMessage(window.tr("There is no call to link."), STATUS_MS)
        return
    if complaint is None:
        bar.showMessage(window.tr("The customer on the card has no open complaint."), STATUS_MS)
        return
    desk.link_call(
        complaint.id,
        call.uid,
        lambda linked: bar.showMessage(
            window.tr("Call linked to complaint {0}.").format(linked.reference), STATUS_MS
        ),
        lambda exc: bar.showMessage(window.tr("Call not linked: {0}").format(exc), STATUS_MS),
    )


def _created(window: MainWindow, complaint: Complaint) -> None:
    window.statusBar().showMessage(
        window.tr("Complaint {0} opened.").format(complaint.reference), STATUS_MS
    )
