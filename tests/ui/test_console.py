"""The console's wallboard driven with keys and a real SQLite database: live updates from
another session, the clock ticking, colours, full screen; and who may open the console."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from callcenter.bootstrap import open_database
from tests.support.live_calls import add_call
from tests.ui import console_support
from tests.ui.console_support import ago, context_for
from ui.console.thresholds import Thresholds
from ui.console.thresholds_dialog import ThresholdsDialog
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.workers import Background

# The console's fixtures, shared by its test modules.
a_day_of_calls = console_support.a_day_of_calls
clock = console_support.clock
open_console = console_support.open_console
people = console_support.people


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def queue_row(console, name: str) -> int:
    model = console.wallboard.queues_model
    return next(i for i in range(model.rowCount()) if cell(model, i, 0) == name)


def test_the_wallboard_shows_queues_and_agents(qtbot, open_console, a_day_of_calls):
    console = open_console()
    model = console.wallboard.queues_model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    support = queue_row(console, "Support")
    # Today: answered after 10, 30 and 20 s, one abandon after 60 s; one waiting for 90 s.
    assert cell(model, support, 1) == "1"
    assert cell(model, support, 2) == "1:30"
    assert cell(model, support, 3) == "50 %"  # 2 within 20 s / 4 offered
    assert cell(model, support, 4) == "20 s"  # (10 + 30 + 20) / 3
    assert cell(model, support, 5) == "25 %"  # 1 / 4
    assert (cell(model, support, 6), cell(model, support, 7)) == ("3", "1")
    assert cell(model, queue_row(console, "Sales"), 3) == "-"  # no calls: no service level
    assert "service-level target 80 %" in cell(model, support, 0, Qt.ItemDataRole.ToolTipRole)
    agents = console.wallboard.agents_model
    assert [cell(agents, i, 0) for i in range(agents.rowCount())] == ["Ann Agent", "Bob Agent"]
    assert cell(agents, 1, 2) == "On call"
    assert cell(agents, 1, 3) == "1:00"
    assert cell(agents, 1, 4) == "Support · (212) 555-0142 · 1:00"
    assert "Available 1" in console.wallboard.summary.text()
    assert "On call 1" in console.wallboard.summary.text()


def test_a_call_written_by_another_session_shows_without_rebuilding_the_board(
    qtbot, sqlite_database, open_console, a_day_of_calls
):
    console = open_console()
    model = console.wallboard.queues_model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    support = queue_row(console, "Support")
    resets, inserts = [], []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    model.rowsAboutToBeInserted.connect(lambda *_: inserts.append(1))
    loads = console.wallboard._live.loads

    other = open_database(sqlite_database.url.render_as_string(hide_password=False))
    try:
        add_call(other, a_day_of_calls["support"], ago(5))
        add_call(other, a_day_of_calls["sales"], ago(3))
    finally:
        other.dispose()

    qtbot.waitUntil(lambda: cell(model, support, 1) == "2", timeout=2000)
    sales = queue_row(console, "Sales")
    qtbot.waitUntil(lambda: cell(model, sales, 1) == "1", timeout=2000)
    assert (resets, inserts) == ([], [])  # updated in place
    assert console.wallboard._live.loads > loads


def test_the_longest_wait_ticks_with_the_clock(qtbot, clock, open_console, a_day_of_calls):
    console = open_console(tick_ms=10)
    model = console.wallboard.queues_model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    support = queue_row(console, "Support")
    assert cell(model, support, 2) == "1:30"
    changed = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.column(), bottom.column())))
    clock.advance(seconds=5)
    qtbot.waitUntil(lambda: cell(model, support, 2) == "1:35")
    # Only the cells that follow the clock were announced, not the whole row.
    assert (2, 2) in changed and all(first >= 2 for first, _ in changed)
    assert cell(console.wallboard.agents_model, 1, 3) == "1:05"


def test_colours_follow_the_thresholds_the_supervisor_sets(qtbot, open_console, a_day_of_calls):
    console = open_console()
    model = console.wallboard.queues_model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    support = queue_row(console, "Support")
    level = Qt.ItemDataRole.UserRole
    assert cell(model, support, 3, level) == "red"  # 50 % <= 70 %
    assert cell(model, support, 1, level) == "green"  # 1 waiting < 3

    console.edit_thresholds()
    dialog = console.findChild(ThresholdsDialog)
    _amber, red = dialog.spins["service_level_pct"]
    red.setFocus()
    qtbot.keyClick(red, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(red, "90")  # red at or below 90 % but amber at 80 %: refused
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert "Service level: red must be at or below amber" in dialog.error.text()
    assert dialog.isVisible()

    qtbot.keyClick(red, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(red, "40")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(model, support, 3, level) == "amber")  # 40 < 50 <= 80
    assert Thresholds.load().get("service_level_pct").red == 40
    assert "red at or below 40 %" in model.headerData(
        3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    QSettings().remove("console/thresholds")


def test_f11_shows_the_wallboard_full_screen_and_esc_leaves(qtbot, open_console, a_day_of_calls):
    console = open_console()
    console.tabs.setCurrentWidget(console.staffing)
    normal_size = console.wallboard.queues_view.font().pointSizeF()
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(console, Qt.Key.Key_F11)
    assert console.isFullScreen()
    assert console.tabs.currentWidget() is console.wallboard
    assert not console.tabs.tabBar().isVisible() and not console.menuBar().isVisible()
    assert console.wallboard.queues_view.font().pointSizeF() > 2 * normal_size
    qtbot.keyClick(console, Qt.Key.Key_Escape)
    assert not console.isFullScreen()
    assert console.tabs.tabBar().isVisible()
    assert console.wallboard.queues_view.font().pointSizeF() == normal_size


def test_tabs_switch_with_ctrl_page_down_and_alt_letters(qtbot, open_console, people):
    console = open_console()
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(console, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert console.tabs.currentWidget() is console.charts
    assert console.filters.isVisible()
    qtbot.keyClick(console, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert console.tabs.currentWidget() is console.wallboard
    assert not console.filters.isVisible()
    qtbot.keyClick(console, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert console.tabs.currentWidget() is console.staffing


# -- who may open it -------------------------------------------------------------------


def main_window(qtbot, database, login: str, user_id: int) -> MainWindow:
    context = context_for(database, login, user_id)
    background = Background()
    window = MainWindow(context, background, Desk(context, background, retry_ms=100))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


def close(qtbot, window: MainWindow) -> None:
    window.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) or not window.isVisible(), timeout=5000)
    if shiboken6.isValid(window):
        window.background.wait_for_done()


def consoles() -> list:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "consoleWindow"]


def test_a_supervisor_opens_the_console_with_ctrl_shift_w(qtbot, sqlite_database, people):
    window = main_window(qtbot, sqlite_database, "sue", people["sue"])
    try:
        menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
        names = [m.objectName() for m in menus]
        titles = [m.title() for m in menus]
        assert names.index("supervisorMenu") == titles.index("&Help") - 1
        qtbot.keyClick(
            window,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.waitUntil(lambda: any(c.isVisible() for c in consoles()))
        (console,) = consoles()
        qtbot.waitUntil(lambda: console.wallboard.queues_model.rowCount() == 2)
        # Asked again, the same console comes forward.
        qtbot.keyClick(
            window,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert consoles() == [console]
        console.close()
    finally:
        close(qtbot, window)


def test_agents_cannot_open_the_console(qtbot, sqlite_database, people):
    from ui.console.window import ConsoleWindow

    window = main_window(qtbot, sqlite_database, "ann", people["ann"])
    try:
        menus = {a.menu().objectName(): a.menu() for a in window.menuBar().actions() if a.menu()}
        assert "supervisorMenu" not in menus
        texts = [a.text() for a in menus["reportsMenu"].actions()]
        assert texts == ["My &figures today..."]
        qtbot.keyClick(
            window,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.wait(50)
        assert consoles() == []
        with pytest.raises(PermissionError):
            ConsoleWindow(context_for(sqlite_database, "ann", people["ann"]), window.background)
    finally:
        close(qtbot, window)


def test_an_agent_sees_only_their_own_figures(qtbot, sqlite_database, people):
    from ui.console.my_figures import MyFiguresDialog

    # Today by the real clock: the dialog shows the agent's day as it is now.
    moments_ago = datetime.now(UTC) - timedelta(seconds=10)
    add_call(sqlite_database, people["support"], moments_ago, 1, 4, people["ann"], acw_s=2)
    add_call(sqlite_database, people["support"], moments_ago, 1, 60, people["bob"])
    window = main_window(qtbot, sqlite_database, "ann", people["ann"])
    try:
        # The desk's sign-in writes first (two writers on SQLite would only queue).
        qtbot.waitUntil(lambda: window.desk.outbox.pending == 0)
        menus = {a.menu().objectName(): a.menu() for a in window.menuBar().actions() if a.menu()}
        menus["reportsMenu"].actions()[0].trigger()
        dialog = window.findChild(MyFiguresDialog)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.values["handled"].text() != "...")
        assert dialog.values["handled"].text() == "1"  # hers, not Bob's
        assert dialog.values["aht_s"].text() == "6 s"  # 4 s talk + 2 s wrap-up
        assert "handled calls ended" in dialog.values["aht_s"].toolTip()
        dialog.close()
    finally:
        close(qtbot, window)


def test_no_alt_letter_is_used_twice_on_any_tab(qtbot, open_console, people):
    from PySide6.QtWidgets import QLabel

    console = open_console()

    def letter(text: str) -> str | None:
        at = text.replace("&&", "").find("&")
        return text.replace("&&", "")[at + 1].lower() if at >= 0 else None

    for index in range(console.tabs.count()):
        console.tabs.setCurrentIndex(index)
        texts = [console.tabs.tabText(i) for i in range(console.tabs.count())]
        texts += [a.text() for a in console.menuBar().actions()]
        texts += [
            label.text()
            for label in console.findChildren(QLabel)
            if label.buddy() is not None and label.isVisibleTo(console)
        ]
        letters = [found for text in texts if (found := letter(text))]
        assert len(letters) == len(set(letters)), (console.tabs.tabText(index), texts)


@pytest.mark.postgres
def test_on_postgresql_a_change_is_pushed_to_the_board(qtbot, request, tmp_path, clock):
    from tests.conftest import fresh_database_url
    from tests.support.live_calls import add_people
    from ui.console.window import ConsoleWindow

    database = open_database(fresh_database_url("postgresql", request, tmp_path))
    background = Background()
    console = None
    try:
        ids = add_people(database)
        # The default feed: LISTEN on the server's notifications, no polling.
        console = ConsoleWindow(
            context_for(database, "sue", ids["sue"]), background, clock=clock, tick_ms=50
        )
        console.show()
        console.start()
        model = console.wallboard.queues_model
        qtbot.waitUntil(lambda: model.rowCount() == 2 and console.wallboard._live.loads >= 2)
        support = queue_row(console, "Support")
        assert cell(model, support, 1) == "0"
        assert "live (server notifications)" in console.wallboard.status.text()
        started = time.monotonic()
        add_call(database, ids["support"], ago(4))
        qtbot.waitUntil(lambda: cell(model, support, 1) == "1", timeout=1500)
        assert time.monotonic() - started < 1.5
    finally:
        if console is not None:
            console.close()  # stops the listener; the window deletes itself
        background.wait_for_done()
        database.dispose()
