"""`callcenter bench --scenario kpi` on a tiny database: the report's shape."""

from __future__ import annotations

import json

from click.testing import CliRunner

from callcenter.bench.kpi import RUNS
from callcenter.cli.main import cli


def test_the_kpi_scenario_reports_its_timings():
    result = CliRunner().invoke(
        cli, ["bench", "--customers", "200", "--calls", "3000", "--scenario", "kpi", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["kpi"]
    # Demo callbacks add their attempts to the 3,000 calls.
    assert figures["calls"] >= 3000 and figures["days"] == 30
    assert figures["rows"] > 0 and figures["n"] == RUNS
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert figures["by_kind"]["queues by day"]["rows"] > 0
    assert figures["by_kind"]["refresh after a call"]["p50_ms"] > 0
