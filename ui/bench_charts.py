"""The console's time-series chart at the issue's size: set + first paint, and a pan repaint.

Run by `callcenter bench` (scenario `charts`) as its own process, since the core never imports
Qt: `python -m ui.bench_charts --agents 50 --points 8640 --repeats 5` prints one JSON object.
The figures are synthetic (90 days of quarter hours per agent, closed at night), since what is
measured is the charts tab from its figures to pixels, not the database: "set" is
`ChartsTab.show_performance` as the console calls it, and each paint is forced synchronously
(`repaint` of the plot's viewport), offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from callcenter.kpi.distribution import Histogram
from callcenter.kpi.figures import AgentFigures
from callcenter.kpi.intervals import Interval
from ui.console.charts import ChartsTab
from ui.console.curves import AGENT_KEYS, QUEUE_KEYS, Times, curve_of
from ui.console.filters import Selection
from ui.console.performance import Performance
from ui.gui_gc import GuiThreadCollector

QUARTER_S = 900
# Pans per repeat: a tenth of the visible span each, as a drag would.
PANS = 20


def synthetic(agents: int, points: int, seed: int) -> tuple[Performance, float]:
    """The figures, and how long making their arrays took (in the background, in the app)."""
    rng = random.Random(seed)
    zone = ZoneInfo("Europe/Berlin")
    # Across the spring DST change, as a 90-day range often is.
    start = datetime(2026, 1, 15, tzinfo=zone)
    starts = [start + timedelta(seconds=QUARTER_S * i) for i in range(points)]
    series: dict[str, tuple[AgentFigures, ...]] = {}
    for agent in range(agents):
        rows = []
        for when in starts:
            # Closed at night: nothing handled, no AHT to show (a gap in the line).
            handled = rng.randint(0, 6) if 7 <= when.hour < 20 else 0
            rows.append(
                AgentFigures(
                    when, agent, f"Agent {agent:02d}", handled=handled, completed=handled,
                    handle_ms=handled * rng.randint(120_000, 400_000),
                )
            )  # fmt: skip
        series[f"Agent {agent:02d}"] = tuple(rows)
    first = start.date()
    times = Times()
    started = time.perf_counter()
    curves = {name: curve_of(rows, AGENT_KEYS, times) for name, rows in series.items()}
    arrays_s = time.perf_counter() - started
    return (
        Performance(
            selection=Selection(
                first, first + timedelta(days=points // 96), Interval.QUARTER_HOUR, None, None, ()
            ),
            zone=zone,
            queue_curve=curve_of((), QUEUE_KEYS, times),
            agent_curves=curves,
            queue_table=(),
            agent_table=(),
            team_average=None,
            agent_histogram=None,
            team_histogram=Histogram(30, (0,) * 20),
            histogram_agent=None,
        ),
        arrays_s,
    )


def percentile(ordered: list[float], fraction: float) -> float:
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index] * 1000, 2)


def figures(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def measure(agents: int, points: int, repeats: int, seed: int) -> dict[str, Any]:
    data, arrays_s = synthetic(agents, points, seed)
    first_paint: list[float] = []
    pans: list[float] = []
    for repeat in range(repeats):
        tab = ChartsTab()
        tab.resize(1366, 768)
        tab.series_figure.setCurrentIndex(tab.series_figure.findData("aht_s"))
        tab.show()
        QApplication.processEvents()
        chart = tab.series
        view = chart.widget.viewport()
        started = time.perf_counter()
        tab.show_performance(data, str)
        view.repaint()
        first_paint.append(time.perf_counter() - started)
        low, _ = chart.item.vb.viewRange()[0]
        # Pans inside a week, as one looks at a range closely, then across the whole range.
        for zoomed in (True, False):
            if zoomed:
                chart.item.vb.setXRange(low, low + 7 * 86400, padding=0)
            else:
                chart.item.vb.enableAutoRange(axis=chart.item.vb.XAxis)
            view.repaint()
            span = chart.item.vb.viewRange()[0]
            step = (span[1] - span[0]) / 10
            for index in range(PANS):
                started = time.perf_counter()
                chart.item.vb.translateBy(x=step if index % 10 < 5 else -step)
                view.repaint()
                if repeat:  # the first repeat warms caches up
                    pans.append(time.perf_counter() - started)
        tab.release()
        tab.close()
        tab.deleteLater()
        QApplication.processEvents()
    pan = figures(pans)
    # The report's row is the pan repaint (what smoothness is); both kinds are listed under it.
    return {
        **pan,
        "agents": agents,
        "points_per_agent": points,
        "arrays_in_background_ms": round(arrays_s * 1000, 1),
        "by_kind": {"set_and_first_paint": figures(first_paint), "pan_repaint": pan},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui.bench_charts")
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--points", type=int, default=8640)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([sys.argv[0]])
    GuiThreadCollector(app)
    app.setApplicationName("callcenter-bench")
    print(json.dumps(measure(args.agents, args.points, max(2, args.repeats), args.seed)))


if __name__ == "__main__":
    main()
