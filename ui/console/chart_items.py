"""The console's three kinds of chart, each made once and then only fed new data (setData).

Time series: a DateAxisItem, a legend, one curve per agent kept in a pool (a curve no longer
wanted is emptied and hidden, not deleted), peak downsampling and clip-to-view so 90 days of
15-minute intervals for 50 agents stay smooth; hovering shows the exact values under the
mouse. Bars: agents compared on one figure with the team average as a line. Histogram: an
agent's handle times beside the team's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

# PySide6 first, so that pyqtgraph binds to it and not to another Qt binding.
# isort: off
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter

# isort: on

from ui.console.date_axis import ZonedDateAxis

# Intervals up to which each point gets a dot (a week of hours, a day of quarter hours...).
MAX_SYMBOLS = 200
# Curves up to which the grid is drawn: among more, it is lost in them and costs about a
# third of each repaint on a pan (`callcenter bench --scenario charts`).
GRID_MAX_CURVES = 10
GRID_ALPHA = 0.2
LEGEND_ROWS = 8
LEGEND_COLUMNS = 3
DOWNSAMPLE_FACTOR = 0.5
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def export_png(plot: pg.PlotWidget, path: str) -> None:
    """The chart as it is on screen, at twice its size for print."""
    exporter = ImageExporter(plot.plotItem)
    exporter.parameters()["width"] = max(800, plot.width() * 2)
    exporter.export(path)


def _plot(name: str, title: str, date_axis: bool = False) -> pg.PlotWidget:
    axes = {"bottom": ZonedDateAxis()} if date_axis else {}
    plot = pg.PlotWidget(axisItems=axes, background="w")
    plot.setObjectName(name)
    plot.setTitle(title, color="k")
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    plot.addLegend(offset=(10, 10), labelTextColor="k")
    return plot


class SeriesChart:
    """Curves over time, one per name."""

    def __init__(self, name: str, title: str) -> None:
        self.widget = _plot(name, title, date_axis=True)
        self.item = self.widget.getPlotItem()
        self.item.setDownsampling(mode="peak", auto=True)
        self.item.setClipToView(True)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._data: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._unit = ""
        self._zone: tzinfo | None = None
        self.widget.scene().sigMouseMoved.connect(self._hover)

    def set_series(
        self,
        series: dict[str, tuple[np.ndarray, np.ndarray]],
        unit: str,
        zone: tzinfo | None = None,
    ) -> None:
        """{name: (x epoch seconds, y values, NaN for "nothing to divide by")}; the axis and
        the hover text tell times in `zone` (the report time zone)."""
        self._unit = unit
        self._zone = zone
        self.item.getAxis("bottom").set_zone(zone or UTC)
        legend = self.item.legend
        # Ranged once at the end: auto range on, each new curve would re-range (and so redo)
        # every curve before it.
        self.item.disableAutoRange()
        for position, (name, (xs, ys)) in enumerate(series.items()):
            curve = self.curves.get(name)
            if curve is None:
                color = QColor(PALETTE[len(self.curves) % len(PALETTE)])
                # A one-pixel (cosmetic) pen: wider ones cost several times more to draw.
                curve = self.item.plot([], [], name=name, pen=pg.mkPen(color, width=1))
                # Peak downsampling keeps each bin's low and high; one bin per two pixels
                # (pyqtgraph's default: five per pixel) draws the same envelope for a tenth of
                # the points at 90 days of quarter hours.
                curve.opts["autoDownsampleFactor"] = DOWNSAMPLE_FACTOR
                curve.setSymbolSize(4)
                curve.setSymbolBrush(color)
                self.curves[name] = curve
            elif not curve.isVisible():
                legend.addItem(curve, name)
            x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
            # Dots mark the intervals of a short range; on a long one they would only cost.
            curve.setSymbol("o" if len(x) <= MAX_SYMBOLS else None)
            curve.setData(x, y, connect="finite")
            curve.setVisible(True)
            curve.setZValue(position)
            self._data[name] = (x, y)
        for name, curve in self.curves.items():
            if name not in series and curve.isVisible():
                curve.setData([], [])
                curve.setVisible(False)
                legend.removeItem(curve)
                self._data.pop(name, None)
        # Dozens of names would cover the plot: a column per LEGEND_ROWS names, and beyond
        # LEGEND_COLUMNS columns no legend (hovering names each curve under the mouse).
        legend.setColumnCount(max(1, -(-len(series) // LEGEND_ROWS)))
        legend.setVisible(len(series) <= LEGEND_ROWS * LEGEND_COLUMNS)
        grid = len(series) <= GRID_MAX_CURVES
        self.item.showGrid(x=grid, y=grid, alpha=GRID_ALPHA)
        self.item.enableAutoRange(axis=pg.ViewBox.XAxis)
        self._fit_y()

    def _fit_y(self) -> None:
        # Set once from the data, not auto: auto range would scan every curve on each pan.
        lows = [np.nanmin(ys) for _, ys in self._data.values() if np.isfinite(ys).any()]
        highs = [np.nanmax(ys) for _, ys in self._data.values() if np.isfinite(ys).any()]
        low, high = (min(0.0, *lows), max(highs)) if highs else (0.0, 1.0)
        self.item.setYRange(low, high if high > low else low + 1.0)

    def values_at(self, x: float) -> tuple[float, list[tuple[str, float | None]]]:
        """The interval nearest to `x` and each visible curve's value there."""
        nearest: float | None = None
        for xs, _ in self._data.values():
            if len(xs):
                candidate = float(xs[int(np.abs(xs - x).argmin())])
                if nearest is None or abs(candidate - x) < abs(nearest - x):
                    nearest = candidate
        found: list[tuple[str, float | None]] = []
        if nearest is None:
            return x, found
        for name, (xs, ys) in self._data.items():
            hits = np.nonzero(xs == nearest)[0]
            value = float(ys[hits[0]]) if len(hits) else None
            found.append((name, None if value is None or np.isnan(value) else value))
        return nearest, found

    def hover_text(self, x: float) -> str:
        at, values = self.values_at(x)
        when = datetime.fromtimestamp(at, UTC).astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
        lines = [when] + [
            f"{name}: {'-' if value is None else f'{value:g}{self._unit}'}"
            for name, value in values
        ]
        return "\n".join(lines)

    def _hover(self, position: QPointF) -> None:
        if not self._data or not self.item.sceneBoundingRect().contains(position):
            return
        point = self.item.vb.mapSceneToView(position)
        global_pos = self.widget.mapToGlobal(self.widget.mapFromScene(position))
        QToolTip.showText(global_pos, self.hover_text(point.x()), self.widget)


class BarChart:
    """One bar per agent and a line at the team average."""

    def __init__(self, name: str, title: str) -> None:
        self.widget = _plot(name, title)
        self.item = self.widget.getPlotItem()
        # No name: the legend holds only the average line (its first and only entry).
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=PALETTE[0])
        self.item.addItem(self.bars)
        # A curve, not an InfiniteLine: the legend can show a curve.
        self.average = self.item.plot(
            [], [], name=" ", pen=pg.mkPen("#d62728", width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        self.average_value: float | None = None
        self.labels: list[str] = []
        self.heights: list[float] = []
        self.widget.scene().sigMouseMoved.connect(self._hover)
        self._unit = ""

    def set_bars(
        self,
        labels: Sequence[str],
        heights: Sequence[float | None],
        average: float | None,
        unit: str,
        average_label: str,
    ) -> None:
        self.labels = list(labels)
        self.heights = [0.0 if h is None else float(h) for h in heights]
        self._unit = unit
        self.bars.setOpts(x=list(range(len(self.labels))), height=self.heights, width=0.6)
        self.item.getAxis("bottom").setTicks([list(enumerate(self.labels))])
        self.average_value = average
        if average is not None and self.labels:
            self.average.setData([-0.5, len(self.labels) - 0.5], [average, average])
        else:
            self.average.setData([], [])
        self.item.legend.items[0][1].setText(
            f"{average_label} {average:g}{unit}" if average is not None else average_label
        )
        self.item.enableAutoRange()

    def _hover(self, position: QPointF) -> None:
        if not self.labels or not self.item.sceneBoundingRect().contains(position):
            return
        index = round(self.item.vb.mapSceneToView(position).x())
        if 0 <= index < len(self.labels):
            global_pos = self.widget.mapToGlobal(self.widget.mapFromScene(position))
            text = f"{self.labels[index]}: {self.heights[index]:g}{self._unit}"
            QToolTip.showText(global_pos, text, self.widget)


class HistogramChart:
    """Shares of calls per handle-time bin: the agent's bars beside the team's."""

    def __init__(self, name: str, title: str) -> None:
        self.widget = _plot(name, title)
        self.item = self.widget.getPlotItem()
        self.item.setLabel("bottom", "s")
        self.item.setLabel("left", "%")
        self.team = pg.BarGraphItem(x=[], height=[], width=0.4, brush="#7f7f7f")
        self.agent = pg.BarGraphItem(x=[], height=[], width=0.4, brush=PALETTE[1])
        self.item.addItem(self.team)
        self.item.addItem(self.agent)
        self.item.legend.addItem(self.team, "")
        self.shares: dict[str, tuple[float, ...]] = {}
        self._bin_s = 1
        self.widget.scene().sigMouseMoved.connect(self._hover)

    def set_histograms(
        self,
        bin_s: int,
        team: Sequence[float],
        agent: Sequence[float] | None,
        agent_name: str | None,
        team_label: str,
    ) -> None:
        count = len(team)
        self.shares = {team_label: tuple(team)}
        self.item.legend.items[0][1].setText(team_label)
        self.team.setOpts(
            x=[i * bin_s + bin_s * 0.3 for i in range(count)], height=list(team), width=bin_s * 0.4
        )
        shown = agent is not None
        legend = self.item.legend
        legend.removeItem(self.agent)
        if shown:
            legend.addItem(self.agent, agent_name or "")
        self.agent.setVisible(shown)
        self.agent.setOpts(
            x=[i * bin_s + bin_s * 0.7 for i in range(count)] if shown else [],
            height=list(agent) if agent is not None else [],
            width=bin_s * 0.4,
        )
        if agent is not None:
            self.shares[agent_name or ""] = tuple(agent)
        self._bin_s = bin_s
        self.item.enableAutoRange()

    def hover_text(self, seconds: float) -> str | None:
        """The shares of the bin under `seconds` of handle time."""
        if not self.shares or seconds < 0:
            return None
        index = int(seconds // self._bin_s)
        first = next(iter(self.shares.values()))
        if index >= len(first):
            return None
        low = index * self._bin_s
        span = f"{low}-{low + self._bin_s} s" if index < len(first) - 1 else f">= {low} s"
        return "\n".join(
            [span] + [f"{name}: {shares[index]:.1f} %" for name, shares in self.shares.items()]
        )

    def _hover(self, position: QPointF) -> None:
        if not self.item.sceneBoundingRect().contains(position):
            return
        text = self.hover_text(self.item.vb.mapSceneToView(position).x())
        if text:
            global_pos = self.widget.mapToGlobal(self.widget.mapFromScene(position))
            QToolTip.showText(global_pos, text, self.widget)
