"""`callcenter bench --scenario complaints` on a small set: it fills, reuses and reports."""

from __future__ import annotations

import pytest

from callcenter.bench import complaints as bench_complaints
from callcenter.bench.registry import BenchContext, load_scenarios
from callcenter.domain.users import Actor


def test_the_complaints_scenario_fills_once_and_times_each_filter(
    sqlite_database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bench_complaints, "COMPLAINTS", 400)
    monkeypatch.setattr(bench_complaints, "BATCH", 150)
    monkeypatch.setattr(bench_complaints, "RUNS", 2)
    monkeypatch.setattr(bench_complaints, "WARM_UP", 0)
    scenario = load_scenarios()["complaints"]
    assert scenario.on_request
    context = BenchContext(sqlite_database, Actor("bench"), customers=0, region="US")
    report = scenario.run(context)
    assert report["complaints"] == 400
    assert set(report["by_kind"]) >= {"mine, open", "all, breached", "all, text"}
    assert report["n"] == 2 * len(report["by_kind"])
    assert report["by_kind"]["all, everything"]["rows"] == bench_complaints.PAGE
    assert report["by_kind"]["mine, open"]["rows"] > 0
    assert 0 < report["p50_ms"] <= report["p99_ms"]
    # A second run finds the complaints there.
    assert scenario.run(context)["complaints"] == 400
