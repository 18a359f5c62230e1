"""Call history tables: pages load as the view scrolls, the header re-queries, model checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt

from callcenter.domain.users import Actor, Role
from callcenter.services.call_history import start_of_day
from callcenter.services.users import UserService
from tests.ui.customer_support import PostedRunner, add_calls
from ui.models.call_history import CallHistoryModel, Column
from ui.widgets.call_history import (
    CUSTOMER_COLUMNS,
    CallHistoryView,
    MyCallsToday,
    customer_history,
    show_customer_calls,
)
from ui.workers import Background

TIMEOUT = 3000
T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def many_calls(sqlite_database, actor, known_customers):
    add_calls(sqlite_database, actor, known_customers["alan"], 95, T0)
    return known_customers["alan"]


@pytest.fixture
def background(qtbot):
    runner = Background()
    yield runner
    runner.wait_for_done()


def make_view(qtbot, ui_context, background, customer_id, page_size=20):
    view = customer_history(ui_context, background)
    view.model._page_size = page_size
    qtbot.addWidget(view)
    view.resize(700, 260)
    view.show()
    qtbot.waitExposed(view)
    show_customer_calls(view, ui_context, customer_id)
    return view


def notes(model: CallHistoryModel) -> list[str]:
    column = model.column_of(Column.NOTES)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_history_loads_a_page_at_a_time_as_the_view_scrolls(
    qtbot, ui_context, background, many_calls
):
    view = make_view(qtbot, ui_context, background, many_calls)
    model = view.model
    qtbot.waitUntil(lambda: model.rowCount() == 20 and not model.loading, timeout=TIMEOUT)
    qtbot.wait(50)
    assert model.rowCount() == 20  # the first page fills the view; nothing more is read
    assert notes(model)[:2] == ["call number 94", "call number 93"]
    assert "scroll for more" in view.status.text()

    view.table.setFocus()
    for expected in (40, 60, 80, 95):
        with qtbot.waitSignal(model.page_loaded, timeout=TIMEOUT):
            qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        assert model.rowCount() == expected
    assert not model.canFetchMore(QModelIndex())
    assert notes(model)[-1] == "call number 0"
    assert len(set(notes(model))) == 95
    assert view.status.text() == "Calls: 95"


def test_clicking_the_time_header_re_queries_oldest_first(
    qtbot, ui_context, background, many_calls
):
    view = make_view(qtbot, ui_context, background, many_calls)
    model = view.model
    qtbot.waitUntil(lambda: model.rowCount() == 20, timeout=TIMEOUT)
    header = view.table.horizontalHeader()
    when = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    with qtbot.waitSignal(model.page_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(when, header.height() // 2)
        )
    assert not model.newest_first
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert notes(model)[:2] == ["call number 0", "call number 1"]
    assert view.order_button.text() == "Oldest first"

    # The order button does the same from the keyboard.
    view.order_button.setFocus()
    with qtbot.waitSignal(model.page_loaded, timeout=TIMEOUT):
        qtbot.keyClick(view.order_button, Qt.Key.Key_Space)
    assert model.newest_first
    assert notes(model)[0] == "call number 94"

    # Other columns do not sort: the indicator stays on time.
    other = header.sectionViewportPosition(2) + 5
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(other, header.height() // 2),
    )
    assert header.sortIndicatorSection() == 0
    assert model.newest_first


def test_activating_a_number_asks_to_dial_it(qtbot, ui_context, background, known_customers):
    view = make_view(qtbot, ui_context, background, known_customers["ada"])
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=TIMEOUT)
    number = view.model.column_of(Column.NUMBER)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, number))
    with qtbot.waitSignal(view.dial_requested, timeout=TIMEOUT) as dialled:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert dialled.args == ["+12125550142"]


def test_my_calls_today_shows_the_agents_calls_since_midnight(
    qtbot, ui_context, background, sqlite_database, actor, known_customers
):
    today = MyCallsToday(ui_context, background)
    qtbot.addWidget(today)
    today.show()
    assert today.model.rowCount() == 0
    assert today.view.status.text() == "Sign in to see your calls."

    agent = UserService(sqlite_database).add(
        Actor("admin"), "kim", "Kim Agent", Role.AGENT, "kim-password"
    )
    midnight = start_of_day(ui_context.settings.report_timezone)
    add_calls(
        sqlite_database, actor, known_customers["ada"], 2, midnight - timedelta(hours=2), agent.id
    )
    add_calls(
        sqlite_database,
        actor,
        known_customers["alan"],
        3,
        midnight + timedelta(minutes=1),
        agent.id,
    )
    ui_context.actor = Actor("kim", agent.id)
    today.refresh()
    qtbot.waitUntil(lambda: today.model.rowCount() == 3 and today.model.exhausted, timeout=TIMEOUT)
    customer = today.model.column_of(Column.CUSTOMER)
    assert {today.model.index(r, customer).data() for r in range(3)} == {"Alan Turing"}
    assert today.view.status.text() == "Calls: 3"


def test_the_history_model_passes_the_model_tester(
    qtbot, qtmodeltester, ui_context, many_calls, actor
):
    model = CallHistoryModel(PostedRunner(), CUSTOMER_COLUMNS, "US", page_size=30)

    def fetch(limit, after, newest):
        return ui_context.call_history.for_customer(actor, many_calls, limit, after, newest)

    with qtbot.waitSignal(model.page_loaded):
        model.set_source(fetch)
    assert model.rowCount() == 30
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()) or model.loading:
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 95
    with qtbot.waitSignal(model.page_loaded):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 30
    assert model.index(0, 0).data() != ""
    model.set_source(None)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())


def test_a_failed_page_is_reported_and_not_retried_in_a_loop(qtbot):
    def broken(limit, after, newest):
        raise RuntimeError("database gone")

    model = CallHistoryModel(PostedRunner(), CUSTOMER_COLUMNS, "US")
    view = CallHistoryView(model, "brokenHistory")
    qtbot.addWidget(view)
    with qtbot.waitSignal(model.load_failed) as failed:
        model.set_source(broken)
    assert failed.args == ["database gone"]
    assert not model.canFetchMore(QModelIndex())
    assert "Could not load the calls: database gone" in view.status.text()
