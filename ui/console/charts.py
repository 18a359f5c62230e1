"""The charts tab: figures over time, agents compared, and the spread of handle times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.console.chart_items import BarChart, HistogramChart, SeriesChart, export_png
from ui.console.curves import SERIES, Curve
from ui.console.exports import ask_save_path
from ui.console.performance import Performance

BARS = (
    ("handled", ""),
    ("aht_s", " s"),
    ("occupancy_pct", " %"),
    ("calls_per_hour", ""),
    ("fcr_pct", " %"),
    ("csat_pct", " %"),
)


class ChartsTab(QWidget):
    """Signal `exported(path)` after a chart is written."""

    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartsTab")
        names = {
            "handled": self.tr("Handled calls"),
            "aht_s": self.tr("AHT"),
            "service_level_pct": self.tr("Service level"),
            "occupancy_pct": self.tr("Occupancy"),
            "csat_pct": self.tr("CSAT"),
            "calls_per_hour": self.tr("Calls per hour"),
            "fcr_pct": self.tr("FCR"),
        }
        self._names = names
        self.series_figure = QComboBox()
        self.series_figure.setObjectName("seriesFigure")
        for key, _, _ in SERIES:
            self.series_figure.addItem(names[key], key)
        self.bar_figure = QComboBox()
        self.bar_figure.setObjectName("barFigure")
        for key, _ in BARS:
            self.bar_figure.addItem(names[key], key)
        self.series = SeriesChart("seriesChart", self.tr("Per interval"))
        self.bars = BarChart("agentBars", self.tr("Agents compared over the range"))
        self.histogram = HistogramChart("handleTimes", self.tr("Handle times: agent and team"))
        self.export_buttons: dict[str, QPushButton] = {}

        grid = QGridLayout()
        grid.addLayout(
            self._header(self.tr("&Figure over time:"), self.series_figure, "series"), 0, 0, 1, 2
        )
        grid.addWidget(self.series.widget, 1, 0, 1, 2)
        grid.addLayout(self._header(self.tr("Compare agents &on:"), self.bar_figure, "bars"), 2, 0)
        grid.addLayout(self._header(self.tr("Handle times"), None, "histogram"), 2, 1)
        grid.addWidget(self.bars.widget, 3, 0)
        grid.addWidget(self.histogram.widget, 3, 1)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        self._data: Performance | None = None
        self._series_names: Callable[[str], str] = lambda key: key
        self.series_figure.currentIndexChanged.connect(lambda _: self._draw_series())
        self.bar_figure.currentIndexChanged.connect(lambda _: self._draw_bars())

    def _header(self, text: str, combo: QComboBox | None, chart: str) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(text)
        row.addWidget(label)
        if combo is not None:
            label.setBuddy(combo)
            row.addWidget(combo)
        row.addStretch(1)
        button = QPushButton(self.tr("Export PNG..."))
        button.setObjectName(f"export_{chart}")
        button.clicked.connect(lambda: self._ask_export(chart))
        self.export_buttons[chart] = button
        row.addWidget(button)
        return row

    def show_performance(self, data: Performance, series_label: Callable[[str], str]) -> None:
        self._data = data
        self._series_names = series_label
        self._draw_series()
        self._draw_bars()
        self._draw_histogram()

    def _draw_series(self) -> None:
        if self._data is None:
            return
        key = self.series_figure.currentData()
        unit = next(u for k, u, _ in SERIES if k == key)
        source = next(s for k, _, s in SERIES if k == key)
        lines: dict[str, Curve] = {}
        if source == "queue":
            lines[self.tr("Queues")] = self._data.queue_curve
        else:
            for name, curve in self._data.agent_curves.items():
                lines[self._series_names(name)] = curve
        self.series.set_series(
            {name: (curve.xs, curve.ys[key]) for name, curve in lines.items()},
            unit,
            self._data.zone,
        )
        self.series.item.setTitle(self._names[key], color="k")

    def _draw_bars(self) -> None:
        if self._data is None:
            return
        key = self.bar_figure.currentData()
        unit = next(u for k, u in BARS if k == key)
        rows = self._data.agent_table
        heights = [getattr(row, key) for row in rows]
        if key == "handled":
            # A count: the team's total would dwarf every bar; its share per agent compares.
            average = round(sum(heights) / len(rows), 1) if rows else None
        else:
            # A rate: the team's own figure, weighted by its calls and time as KPIS.md has it.
            team = self._data.team_average
            average = getattr(team, key) if team is not None else None
        self.bars.set_bars(
            [row.agent or row.login or "?" for row in rows],
            heights,
            average,
            unit,
            self.tr("team average"),
        )

    def _draw_histogram(self) -> None:
        assert self._data is not None
        team = self._data.team_histogram
        agent = self._data.agent_histogram
        self.histogram.set_histograms(
            team.bin_s,
            team.shares_pct(),
            agent.shares_pct() if agent is not None else None,
            self._data.histogram_agent,
            self.tr("team"),
        )

    def release(self) -> None:
        """Before the window is deleted: pyqtgraph's legends follow their plot's geometry, and
        a plot half destroyed would call them; deleted first (by Qt, in order), they are
        disconnected from it."""
        for chart in (self.series, self.bars, self.histogram):
            chart.item.legend.deleteLater()

    def _ask_export(self, chart: str) -> None:
        plot = {"series": self.series, "bars": self.bars, "histogram": self.histogram}[chart]
        ask_save_path(
            self,
            self.tr("Export chart"),
            self.tr("PNG images (*.png)"),
            "png",
            lambda path: self._export(plot.widget, path),
        )

    def _export(self, widget: Any, path: str) -> None:
        export_png(widget, path)
        self.exported.emit(path)
