"""`callcenter bench --scenario import` at a tiny size: its report, and that it runs when named."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from callcenter.bench.customer_csv import HEADER, write_customer_csv
from callcenter.bench.registry import default_scenarios
from callcenter.cli.main import cli
from callcenter.config.paths import user_data_dir


def test_the_import_scenario_imports_and_reimports_a_realistic_file():
    result = CliRunner().invoke(
        cli, ["bench", "--scenario", "import", "--customers", "400", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    figures = report["import"]
    assert (figures["rows"], figures["database"]) == (400, "sqlite")
    fresh, again = figures["fresh"], figures["reimport"]
    assert fresh["rejected"] == again["rejected"] == figures["bad_rows"]
    assert fresh["inserted"] + fresh["updated"] + fresh["rejected"] == 400
    assert fresh["inserted"] > 350
    assert (again["inserted"], again["updated"]) == (0, 0)
    assert again["unchanged"] == fresh["inserted"] + fresh["updated"]
    assert figures["fresh_s"] > 0 and figures["reimport_s"] > 0
    # Its own database in a temporary folder: no demo database was built for it.
    assert not (user_data_dir() / "bench").exists()


def test_it_runs_only_when_named():
    assert "import" not in default_scenarios()
    assert {"screen_pop", "search"} <= set(default_scenarios())


def test_the_file_has_what_real_exports_have(tmp_path):
    path = tmp_path / "customers.csv"
    bad = write_customer_csv(path, 2000, "US", seed=3)
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == HEADER
    records = rows[1:]
    assert len(records) == 2000
    assert 10 < bad < 100
    assert any(not r[0] for r in records)  # no external id
    assert any(r[3] for r in records)  # a second number
    assert any(";" in r[4] for r in records)  # several e-mails
    assert any("\n" in r[7] for r in records)  # a quoted line break
