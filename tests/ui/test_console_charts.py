"""Charts and tables driven by the range picker and the filters; exports to PNG and CSV."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from callcenter.cli.report import AGENT_COLUMNS, QUEUE_COLUMNS
from tests.ui import console_support
from tests.ui.console_support import NOW, ZONE

# The console's fixtures, shared by its test modules.
a_day_of_calls = console_support.a_day_of_calls
clock = console_support.clock
open_console = console_support.open_console
people = console_support.people


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def column_of(model, header: str) -> int:
    return next(
        i
        for i in range(model.columnCount())
        if model.headerData(i, Qt.Orientation.Horizontal) == header
    )


def row_of(model, name: str) -> int:
    return next(i for i in range(model.rowCount()) if cell(model, i, 0) == name)


def charts_console(qtbot, open_console):
    console = open_console()
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(console, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert console.tabs.currentWidget() is console.charts
    qtbot.waitUntil(lambda: console.tables.queues_model.rowCount() == 2, timeout=5000)
    return console


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a combo box with the keyboard."""
    combo.setFocus()
    index = combo.findText(text)
    assert index >= 0, text
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_a_range_preset_changes_the_tables_and_the_charts(qtbot, open_console, a_day_of_calls):
    console = charts_console(qtbot, open_console)
    queues = console.tables.queues_model
    offered = column_of(queues, "Offered")
    support = row_of(queues, "Support")
    # Today: 4 offered (the waiting call is in no figure yet).
    qtbot.waitUntil(lambda: cell(queues, support, offered) == "4")
    assert console.filters.range_picker.preset.currentData() == "today"
    agents = console.tables.agents_model
    handled = column_of(agents, "Handled")
    assert cell(agents, row_of(agents, "ann"), handled) == "1"

    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        choose(qtbot, console.filters.range_picker.preset, "Last 30 days")
    assert cell(queues, support, offered) == "5"
    assert cell(agents, row_of(agents, "ann"), handled) == "2"
    # The series: a point per day of the range at the Day interval.
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        choose(qtbot, console.filters.interval, "Day")
    (curve,) = [c for c in console.charts.series.curves.values() if c.isVisible()]
    xs, ys = curve.getData()
    assert len(xs) == 30 and sum(ys) == 4  # handled: ann 2, bob 2 (one still talking)

    # Another figure is drawn from what is loaded: no new load.
    choose(qtbot, console.charts.series_figure, "Service level")
    (curve,) = [c for c in console.charts.series.curves.values() if c.isVisible()]
    _, ys = curve.getData()
    assert ys[-1] == 50.0 and ys[-11] == 100.0  # today 2 of 4; ten days ago 1 of 1
    # Every load has ended, and the busy bar says so.
    qtbot.waitUntil(lambda: not console.busy.isVisible())


def test_ticking_agents_charts_each_of_them_beside_the_bars(qtbot, open_console, a_day_of_calls):
    console = charts_console(qtbot, open_console)
    agents_list = console.filters.agents
    assert [agents_list.item(i).text() for i in range(agents_list.count())] == [
        "Ann Agent",
        "Bob Agent",
    ]
    agents_list.setFocus()
    agents_list.setCurrentRow(0)
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        qtbot.keyClick(agents_list, Qt.Key.Key_Space)
    agents_list.setCurrentRow(1)
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        qtbot.keyClick(agents_list, Qt.Key.Key_Space)
    visible = {name for name, c in console.charts.series.curves.items() if c.isVisible()}
    assert visible == {"Ann Agent", "Bob Agent"}
    # Hovering tells the exact values at the nearest interval.
    ann_xs, _ = console.charts.series.curves["Ann Agent"].getData()
    text = console.charts.series.hover_text(ann_xs[11] + 60)
    assert "Ann Agent: 1" in text and "Bob Agent: 2" in text  # 11:00 to 12:00
    assert console.charts.bars.labels == ["Ann Agent", "Bob Agent"]
    assert console.charts.bars.heights == [1.0, 2.0]
    assert console.charts.bars.average_value == 1.5  # a count: the team's per agent
    # Handle times: Ann's first call (120 s talk + 20 s wrap-up) is in the 120-150 s bin.
    assert console.charts.histogram.shares["Ann Agent"][4] == 100.0
    assert sum(console.charts.histogram.shares["team"]) == 100.0

    # Unticking one hides its curve (kept for reuse, not deleted).
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        qtbot.keyClick(agents_list, Qt.Key.Key_Space)
    assert not console.charts.series.curves["Bob Agent"].isVisible()


def save_through_dialog(qtbot, console, button, path: Path) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def shown() -> list[QFileDialog]:
        found = console.findChildren(QFileDialog, "exportDialog")
        return [d for d in found if shiboken6.isValid(d) and d.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    (dialog,) = shown()
    dialog.selectFile(str(path))
    dialog.accept()


def test_each_chart_exports_to_png(qtbot, tmp_path, open_console, a_day_of_calls):
    console = charts_console(qtbot, open_console)
    for chart, button in console.charts.export_buttons.items():
        path = tmp_path / f"{chart}.png"
        with qtbot.wait_signal(console.charts.exported, timeout=5000):
            save_through_dialog(qtbot, console, button, path)
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 800, chart
    assert "Saved" in console.statusBar().currentMessage()


def test_tables_export_to_csv_with_the_report_columns(
    qtbot, tmp_path, open_console, a_day_of_calls
):
    console = charts_console(qtbot, open_console)
    console.tabs.setCurrentWidget(console.tables)
    button = console.tables.findChild(
        type(console.charts.export_buttons["series"]), "export_queues_csv"
    )
    path = tmp_path / "queues.csv"
    with qtbot.wait_signal(console.tables.exported, timeout=5000):
        save_through_dialog(qtbot, console, button, path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == QUEUE_COLUMNS
    support = next(row for row in rows[1:] if row[0] == "Support")
    assert support[2:9] == ["4", "3", "1", "0", "50.0", "20.0", "25.0"]
    sales = next(row for row in rows[1:] if row[0] == "Sales")
    assert sales[6] == ""  # no calls: no service level

    path = tmp_path / "agents.csv"
    button = console.tables.findChild(type(button), "export_agents_csv")
    with qtbot.wait_signal(console.tables.exported, timeout=5000):
        save_through_dialog(qtbot, console, button, path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == AGENT_COLUMNS
    assert [row[0] for row in rows[1:]] == ["ann", "bob"]


def test_each_figure_says_its_formula_and_thresholds(qtbot, open_console, a_day_of_calls):
    console = charts_console(qtbot, open_console)
    queues = console.tables.queues_model
    sl = column_of(queues, "Service level")
    header = queues.headerData(sl, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Answered with wait <= T / (offered - short abandons)" in header
    assert "Support 20 s" in header and "Sales 30 s" in header
    assert "amber at or below 80 %, red at or below 70 %" in header
    support = row_of(queues, "Support")
    assert cell(queues, support, sl, Qt.ItemDataRole.ToolTipRole).endswith("= 2 / (4 - 0) = 50 %")
    agents = console.tables.agents_model
    aht = column_of(agents, "AHT")
    tip = cell(agents, row_of(agents, "ann"), aht, Qt.ItemDataRole.ToolTipRole)
    assert "(talk + hold + after-call work)" in tip and "= 140 s / 1 = 140 s" in tip


def test_a_custom_range_takes_the_days_typed(qtbot, open_console, a_day_of_calls):
    console = charts_console(qtbot, open_console)
    picker = console.filters.range_picker
    assert not picker.first.isEnabled()
    choose(qtbot, picker.preset, "Custom")
    assert picker.first.isEnabled() and picker.last.isEnabled()
    ten_days_ago = (NOW.astimezone(ZoneInfo(ZONE)) - timedelta(days=10)).date()
    queues = console.tables.queues_model
    offered = column_of(queues, "Offered")
    with qtbot.wait_signal(console.performance_shown, timeout=10_000):
        for edit in (picker.last, picker.first):  # the end first, so the range is never empty
            edit.setFocus()
            qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(edit, ten_days_ago.isoformat())
    assert picker.range() == (ten_days_ago, ten_days_ago + timedelta(days=1))
    qtbot.waitUntil(lambda: cell(queues, row_of(queues, "Support"), offered) == "1", timeout=10_000)
