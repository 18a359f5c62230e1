"""The staffing tab: the forecast from past weeks, Erlang C per interval, typed-over forecasts,
shrinkage and the agents logged in; and its CSV."""

from __future__ import annotations

import csv
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from callcenter.domain.calls import AgentState
from callcenter.kpi.erlang import required_agents
from tests.support.live_calls import add_call, set_state
from tests.ui import console_support
from tests.ui.console_support import NOW, ago

# The console's fixtures, shared by its test modules.
clock = console_support.clock
open_console = console_support.open_console
people = console_support.people

ELEVEN = NOW - timedelta(hours=1)  # 11:00 in New York, on the console's day


def cell(model, row: int, column: int):
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def staffing_console(qtbot, open_console):
    console = open_console()
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    with qtbot.wait_signal(console.forecast_shown, timeout=10_000):
        qtbot.keyClick(console, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert console.tabs.currentWidget() is console.staffing
    return console


def type_into(qtbot, table, index, text: str) -> None:
    """F2 on the cell, replace what is there, Enter: as a planner edits a cell."""
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def eleven_row(model) -> int:
    return next(i for i in range(model.rowCount()) if cell(model, i, 0) == "11:00")


def test_the_forecast_and_the_agents_required_per_interval(
    qtbot, tmp_path, sqlite_database, people, open_console
):
    support = people["support"]
    for _ in range(4):  # a week before: 4 calls of 100 s handle time
        add_call(sqlite_database, support, ELEVEN - timedelta(weeks=1), 5, 100, people["ann"])
    for _ in range(2):  # two weeks before: 2 calls of 200 s
        add_call(sqlite_database, support, ELEVEN - timedelta(weeks=2), 5, 200, people["bob"])
    set_state(sqlite_database, people["ann"], AgentState.AVAILABLE, ago(4000))
    set_state(sqlite_database, people["bob"], AgentState.AVAILABLE, ELEVEN + timedelta(minutes=5))

    console = staffing_console(qtbot, open_console)
    tab = console.staffing
    model = tab.model
    assert tab.queue.currentText() == "Sales"  # the first queue by name
    # Sales answered nothing those weeks: its AHT is the default, which the planner sets.
    assert cell(model, 0, 2) == "180"
    tab.default_aht.setFocus()
    qtbot.keyClick(tab.default_aht, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.default_aht, "240")
    assert cell(model, 0, 2) == "240"
    with qtbot.wait_signal(console.forecast_shown, timeout=10_000):
        tab.queue.setFocus()
        qtbot.keyClick(tab.queue, Qt.Key.Key_Down)
    assert tab.queue.currentText() == "Support"
    assert model.rowCount() == 96
    row = eleven_row(model)
    assert cell(model, row, 1) == "1.5"  # 6 calls over the default 4 weeks
    assert cell(model, row, 2) == "133.3"  # 800 s / 6 calls
    assert cell(model, row, 5) == "1.7"  # ann all 15 minutes, bob the last 10
    assert "target 80 % within 20 s" in tab.note.text()

    with qtbot.wait_signal(console.forecast_shown, timeout=10_000):
        tab.weeks.setFocus()
        qtbot.keyClick(tab.weeks, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(tab.weeks, "2")
    assert cell(model, row, 1) == "3"  # 6 calls / 2 weeks
    expected = required_agents(3, 900, 133.3, 0.8, 20, 0.3)
    assert (cell(model, row, 3), cell(model, row, 4)) == (expected.agents, expected.scheduled)

    # Typing over the forecast plans with it.
    tab.table.setFocus()
    type_into(qtbot, tab.table, model.index(row, 1), "100")
    busy = required_agents(100, 900, 133.3, 0.8, 20, 0.3)
    assert cell(model, row, 1) == "100"
    assert (cell(model, row, 3), cell(model, row, 4)) == (busy.agents, busy.scheduled)
    assert cell(model, row, 6) == f"{round(1.7 - busy.scheduled, 1):g}"

    type_into(qtbot, tab.table, model.index(row, 1), "lots")
    assert tab.note.text() == "Forecast calls: not a number: lots"
    assert cell(model, row, 1) == "100"

    tab.shrinkage.setFocus()
    qtbot.keyClick(tab.shrinkage, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.shrinkage, "50")
    assert cell(model, row, 4) == required_agents(100, 900, 133.3, 0.8, 20, 0.5).scheduled

    path = tmp_path / "staffing.csv"
    tab.export_csv(str(path))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Interval", "Forecast calls", "AHT (s)", "Required"]
    assert rows[1 + row][:4] == ["11:00", "100.0", "133.3", str(busy.agents)]
