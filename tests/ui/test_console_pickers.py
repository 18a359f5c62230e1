"""The console's pickers follow the directory, and its time axis follows the report time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import Qt

from callcenter.domain.users import Role
from tests.support.live_calls import WRITER
from tests.ui import console_support
from tests.ui.test_console_charts import charts_console, choose

a_day_of_calls = console_support.a_day_of_calls
clock = console_support.clock
open_console = console_support.open_console
people = console_support.people


def texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_queue_and_an_agent_added_elsewhere_appear_and_the_choice_stays(
    qtbot, sqlite_database, open_console, a_day_of_calls
):
    console = charts_console(qtbot, open_console)
    filters = console.filters
    assert texts(filters.queue) == ["All queues", "Sales", "Support"]
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        choose(qtbot, filters.queue, "Support")
    filters.agents.setFocus()
    filters.agents.setCurrentRow(0)
    with qtbot.wait_signal(console.performance_shown, timeout=5000):
        qtbot.keyClick(filters.agents, Qt.Key.Key_Space)

    # Another session adds a queue and an agent: the change feed tells the console.
    with sqlite_database.uow(WRITER) as uow:
        uow.queues.ensure("Billing")
        uow.users.add("cat", "Cat Agent", Role.AGENT, team="Red")
        uow.commit()
    qtbot.waitUntil(lambda: "Billing" in texts(filters.queue), timeout=5000)
    assert texts(filters.queue) == ["All queues", "Billing", "Sales", "Support"]
    agents = [filters.agents.item(i) for i in range(filters.agents.count())]
    assert [item.text() for item in agents] == ["Ann Agent", "Bob Agent", "Cat Agent"]
    # What was chosen is still chosen.
    assert filters.queue.currentText() == "Support"
    assert [item.checkState() == Qt.CheckState.Checked for item in agents] == [True, False, False]
    assert filters.selection().agent_ids == (a_day_of_calls["ann"],)


BERLIN = ZoneInfo("Europe/Berlin")


def shown_chart(qtbot, chart):
    """`chart` on screen at a usual size, so its axis lays out and measures its labels."""
    qtbot.addWidget(chart.widget)
    chart.widget.resize(900, 400)
    chart.widget.show()
    qtbot.waitExposed(chart.widget)
    return chart


def ticks_and_labels(chart, first: datetime, last: datetime) -> list[tuple[float, str]]:
    """The axis's finest ticks over [first, last] as drawn, with their labels."""
    chart.item.setXRange(first.timestamp(), last.timestamp(), padding=0)
    chart.widget.grab()  # painted: the axis measures its labels with the painter's font
    axis = chart.item.getAxis("bottom")
    low, high = axis.range
    levels = [level for level in axis.tickValues(low, high, axis.width()) if len(level[1])]
    spacing, values = levels[-1]
    return list(zip(values, axis.tickStrings(values, 1.0, spacing), strict=True))


def test_the_date_axis_tells_local_times_across_a_dst_change(qtbot):
    from ui.console.chart_items import SeriesChart

    chart = shown_chart(qtbot, SeriesChart("dstChart", "dst"))
    # Hours from Saturday to Tuesday around Berlin's spring change (29 March 2026, 02:00
    # became 03:00): offset +1 h at the start, +2 h after.
    start = datetime(2026, 3, 28, tzinfo=BERLIN).timestamp()
    xs = start + np.arange(96) * 3600.0
    chart.set_series({"ann": (xs, np.ones(96))}, "", BERLIN)

    # Days: ticks at local midnights, labelled with the local date.
    days = ticks_and_labels(
        chart, datetime(2026, 3, 26, 12, tzinfo=BERLIN), datetime(2026, 4, 2, tzinfo=BERLIN)
    )
    assert len(days) >= 5
    for value, label in days:
        local = datetime.fromtimestamp(value, UTC).astimezone(BERLIN)
        assert (local.hour, local.minute) == (0, 0), label
        assert int(label.split()[-1]) == local.day
    assert any(
        datetime.fromtimestamp(v, UTC).astimezone(BERLIN).day == 30 for v, _ in days
    )  # after the change: still midnight, not 01:00

    # Hours across the change: every label is the wall clock of its instant.
    hours = ticks_and_labels(
        chart, datetime(2026, 3, 29, 0, tzinfo=BERLIN), datetime(2026, 3, 29, 6, tzinfo=BERLIN)
    )
    assert hours
    for value, label in hours:
        local = datetime.fromtimestamp(value, UTC).astimezone(BERLIN)
        assert label == local.strftime("%H:%M")
        assert local.minute == 0
    labels = [label for _, label in hours]
    assert "02:00" not in labels  # that hour did not exist in Berlin
    assert "04:00" in labels
    # 04:00 local is 02:00 UTC: a fixed offset from the start (+1 h) would call it 03:00.
    at_four = next(v for v, label in hours if label == "04:00")
    assert datetime.fromtimestamp(at_four, UTC).hour == 2


def test_hour_ticks_fall_on_local_hours_in_a_half_hour_zone(qtbot):
    from ui.console.chart_items import SeriesChart

    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30
    chart = shown_chart(qtbot, SeriesChart("halfHourChart", "half hour"))
    start = datetime(2026, 3, 10, tzinfo=kolkata).timestamp()
    xs = start + np.arange(96) * 900.0
    chart.set_series({"ann": (xs, np.ones(96))}, "", kolkata)
    hours = ticks_and_labels(
        chart, datetime(2026, 3, 10, 8, tzinfo=kolkata), datetime(2026, 3, 10, 14, tzinfo=kolkata)
    )
    assert len(hours) >= 3
    for value, label in hours:
        local = datetime.fromtimestamp(value, UTC).astimezone(kolkata)
        assert local.minute == 0 and label == local.strftime("%H:%M")
        assert datetime.fromtimestamp(value, UTC).minute == 30  # on the half hour in UTC


def test_many_curves_are_drawn_without_the_grid(qtbot):
    from ui.console.chart_items import GRID_MAX_CURVES, SeriesChart

    chart = SeriesChart("gridChart", "grid")
    qtbot.addWidget(chart.widget)
    xs = np.arange(10) * 900.0
    many = {f"agent {i}": (xs, np.full(10, float(i))) for i in range(GRID_MAX_CURVES + 1)}
    chart.set_series(many, "", BERLIN)
    assert not chart.item.getAxis("bottom").grid and not chart.item.getAxis("left").grid
    # The y range is fixed from the data (no rescan on each pan) and holds every curve.
    low, high = chart.item.vb.viewRange()[1]
    assert low <= 0 and high >= GRID_MAX_CURVES
    chart.set_series({"agent 1": (xs, np.ones(10))}, "", BERLIN)
    assert chart.item.getAxis("bottom").grid and chart.item.getAxis("left").grid


def test_the_legend_wraps_into_columns_and_gives_way_to_hover_for_many_agents(qtbot):
    from ui.console.chart_items import LEGEND_COLUMNS, LEGEND_ROWS, SeriesChart

    chart = SeriesChart("legendChart", "legend")
    qtbot.addWidget(chart.widget)
    xs = np.arange(10) * 900.0

    def agents(count: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {f"agent {i}": (xs, np.full(10, float(i))) for i in range(count)}

    legend = chart.item.legend
    chart.set_series(agents(3), "", BERLIN)
    assert legend.isVisible() and legend.columnCount == 1 and len(legend.items) == 3
    chart.set_series(agents(LEGEND_ROWS + 1), "", BERLIN)
    assert legend.isVisible() and legend.columnCount == 2
    chart.set_series(agents(50), "", BERLIN)
    assert LEGEND_ROWS * LEGEND_COLUMNS < 50 and not legend.isVisible()
    # The names are still there for hovering: the values at an interval come back named.
    _, values = chart.values_at(900.0)
    assert ("agent 49", 49.0) in values
    chart.set_series(agents(2), "", BERLIN)
    assert legend.isVisible() and legend.columnCount == 1 and len(legend.items) == 2
