"""`callcenter bench --scenario charts` runs the charts tab in its own process and reports."""

from __future__ import annotations

from callcenter.bench.registry import load_scenarios
from ui.bench_charts import measure


def test_the_charts_scenario_is_registered_and_runs_on_request_without_a_database():
    registered = load_scenarios()["charts"]
    assert registered.on_request and not registered.needs_database


def test_the_chart_bench_measures_a_first_paint_and_pans(qapp):
    report = measure(agents=3, points=96 * 2, repeats=2, seed=1)
    first = report["by_kind"]["set_and_first_paint"]
    pans = report["by_kind"]["pan_repaint"]
    assert first["n"] == 2 and first["p50_ms"] > 0
    # Pans of the second repeat only (the first warms up): in a week, then the whole range.
    assert pans["n"] == report["n"] == 40 and 0 < pans["p50_ms"] <= pans["max_ms"]
    assert report["agents"] == 3 and report["points_per_agent"] == 192
