"""The complaint lists: paged from the database as the table scrolls, sorted by due time,
filtered, SLA clocks coloured; the scopes an agent and a supervisor get."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from callcenter.config import load_settings
from callcenter.domain.complaint_lists import Scope, SortKey
from callcenter.domain.complaints import ComplaintDraft, Priority
from callcenter.domain.users import Actor, Role
from callcenter.services.complaints import ComplaintService
from callcenter.services.users import UserService
from tests.ui.complaint_support import CTRL_SHIFT, TIMEOUT, press
from ui.complaints.list_model import Column
from ui.context import AppContext
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.theme import Severity, status_colour
from ui.workers import Background

LONG_AGO = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday, weeks before any test runs


def ada_id(database) -> int:
    with database.uow(Actor("admin")) as uow:
        return uow.customers.search("Ada")[0].id


def add_many(database, count, customer_id, clock=None, **fields):
    service = ComplaintService(database, clock=clock) if clock else ComplaintService(database)
    for number in range(count):
        draft = ComplaintDraft(customer_id, f"Complaint {number:03d}", **fields)
        service.create(Actor("alice"), draft)


def open_list(qtbot, window):
    press(qtbot, window, Qt.Key.Key_M, CTRL_SHIFT)
    lists = window.complaints.list_window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is lists, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not lists.model.loading and lists.model.rowCount() > 0, timeout=TIMEOUT)
    return lists


def test_my_complaints_page_as_the_table_scrolls_sorted_by_due_time(
    qtbot, qtmodeltester, open_desk, sqlite_database, agent
):
    ada = ada_id(sqlite_database)
    add_many(sqlite_database, 120, ada, assignee="alice")
    window = open_desk()
    lists = open_list(qtbot, window)
    model = lists.model
    assert model.rowCount() == 50 and not model.exhausted
    assert lists.status.text() == "First 50 complaint(s); scroll for more"

    lists.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=TIMEOUT)
    lists.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 120 and model.exhausted, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: lists.status.text() == "120 complaint(s)", timeout=TIMEOUT)
    dues = [row.due_at for row in model.rows]
    assert dues == sorted(dues)
    assert len({row.id for row in model.rows}) == 120
    qtmodeltester.check(model)
    assert [lists.scopes.tabText(i) for i in range(lists.scopes.count())] == [
        "My complaints",
        "My team",
    ]


def test_filters_and_sla_colours(qtbot, open_desk, sqlite_database, agent):
    ada = ada_id(sqlite_database)
    add_many(sqlite_database, 3, ada, assignee="alice")
    add_many(sqlite_database, 2, ada, assignee="alice", priority=Priority.URGENT)
    add_many(sqlite_database, 1, ada, clock=lambda: LONG_AGO, assignee="alice")
    window = open_desk()
    lists = open_list(qtbot, window)
    model, filters = lists.model, lists.filters
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=TIMEOUT)

    # The overdue one is first (due soonest), red, and says so in words.
    resolution = model.column_of(Column.RESOLUTION)
    first = model.index(0, resolution)
    assert "overdue" in first.data()
    assert first.data(Qt.ItemDataRole.ForegroundRole) == status_colour(Severity.ERROR)
    assert model.index(1, resolution).data(Qt.ItemDataRole.ForegroundRole) is None

    # A click on a header pages again in that order; Due sorts back.
    header = lists.table.horizontalHeader()
    priority = model.column_of(Column.PRIORITY)
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(priority) + 5, header.height() // 2),
    )
    qtbot.waitUntil(
        lambda: not model.loading and model.criteria.sort is SortKey.PRIORITY, timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=TIMEOUT)
    ranks = [list(Priority).index(model.row_at(r).priority) for r in range(6)]
    assert ranks in (sorted(ranks), sorted(ranks, reverse=True))
    assert (
        model.row_at(0).priority is Priority.URGENT or model.row_at(5).priority is Priority.URGENT
    )

    filters.priority.setFocus()
    filters.priority.setCurrentIndex(filters.priority.findData("urgent"))
    qtbot.waitUntil(lambda: model.rowCount() == 2 and not model.loading, timeout=TIMEOUT)
    assert {model.row_at(r).priority for r in range(2)} == {Priority.URGENT}

    filters.priority.setCurrentIndex(0)
    filters.sla.setCurrentIndex(filters.sla.findData("breached"))
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading, timeout=TIMEOUT)

    filters.sla.setCurrentIndex(0)
    qtbot.waitUntil(lambda: model.rowCount() == 6 and not model.loading, timeout=TIMEOUT)
    reference = model.row_at(3).reference
    filters.text.setFocus()
    qtbot.keyClicks(filters.text, "Complaint 002")
    press(qtbot, lists, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: model.rowCount() == 1 and model.row_at(0).subject == "Complaint 002",
        timeout=TIMEOUT,
    )
    filters.text.clear()
    qtbot.keyClicks(filters.text, reference.lower())
    press(qtbot, lists, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: model.rowCount() == 1 and model.row_at(0).reference == reference, timeout=TIMEOUT
    )
    filters.text.clear()
    qtbot.keyClicks(filters.customer, "somebody")
    qtbot.waitUntil(filters.problem.isVisible, timeout=TIMEOUT)
    assert "Customer" in filters.problem.text()


def test_a_supervisor_also_lists_all_complaints(qtbot, sqlite_database, agent):
    boss = UserService(sqlite_database).add(
        Actor("admin"), "bob", "Bob Boss", Role.SUPERVISOR, "bob-password"
    )
    ada = ada_id(sqlite_database)
    add_many(sqlite_database, 2, ada, assignee="alice")
    settings = load_settings(flags={"database.url": str(sqlite_database.url)})
    context = AppContext(settings, sqlite_database, Actor("bob", boss.id), boss)
    background = Background()
    window = MainWindow(context, background, Desk(context, background, training_answer_after=0.0))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)
    lists = window.complaints.open_list(Scope.ALL)
    assert lists.scopes.tabText(lists.scopes.currentIndex()) == "All"
    qtbot.waitUntil(lambda: lists.model.rowCount() == 2, timeout=TIMEOUT)
    lists.scopes.setCurrentIndex(0)
    qtbot.waitUntil(lambda: lists.status.text() == "No complaint matches.", timeout=TIMEOUT)
    window.desk.calls.finish_now()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    background.wait_for_done()
