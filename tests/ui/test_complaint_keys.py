"""Every complaint screen works from the keyboard: no two visible Alt+letters clash."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from callcenter.domain.complaints import ComplaintDraft
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.ui.complaint_support import TIMEOUT
from ui.complaints.actions import Action
from ui.complaints.desk import ComplaintsDesk
from ui.workers import Background

MNEMONIC = re.compile(r"&([^&])")


def mnemonics(window: QWidget) -> Counter[str]:
    """The Alt+letters of the buttons and labelled fields showing in `window`."""
    letters: Counter[str] = Counter()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        button = isinstance(widget, QAbstractButton) and widget.isEnabled()
        label = isinstance(widget, QLabel) and widget.buddy() is not None
        if not (button or label):
            continue
        found = MNEMONIC.search(widget.text().replace("&&", ""))
        if found:
            letters[found.group(1).lower()] += 1
    return letters


@pytest.mark.parametrize("action", [None, *Action])
def test_the_complaint_window_has_no_clashing_alt_keys(qtbot, ui_context, sqlite_database, action):
    with sqlite_database.uow(Actor("admin")) as uow:
        customer = uow.customers.add(CustomerDraft("Grace Hopper", (), emails=("g@example.org",)))
        uow.commit()
    complaint = ComplaintService(sqlite_database).create(
        Actor("tester"), ComplaintDraft(customer, "Server down")
    )
    main = QWidget()
    qtbot.addWidget(main)
    background = Background()
    desk = ComplaintsDesk(ui_context, background, main, parent=main)
    view = desk.open_complaint(complaint.id)
    qtbot.waitUntil(lambda: view.complaint is not None, timeout=TIMEOUT)
    view.reload_button.show()  # as after a conflict
    if action is not None:
        view.forms.open(action)
    letters = mnemonics(view)
    assert letters["s"] == 1 and letters["l"] == 1  # Save; Reload and reapply
    assert {letter: n for letter, n in letters.items() if n > 1} == {}
    view.close()
    background.wait_for_done()
