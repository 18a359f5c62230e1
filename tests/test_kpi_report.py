"""`callcenter report`: the hand-computed day of test_kpi as CSV and JSON rows."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from tests.test_kpi import the_day


@pytest.fixture
def run(sqlite_database, monkeypatch):
    with sqlite_database.engine.begin() as connection:
        the_day(connection)
    monkeypatch.setenv("CALLCENTER_TIMEZONE", "America/New_York")
    url = sqlite_database.url.render_as_string(hide_password=False)

    def invoke(*args: str):
        result = CliRunner().invoke(cli, ["--db", url, "report", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def test_queue_rows_as_csv(run):
    out = run("queues", "--from", "2026-03-10", "--to", "2026-03-11", "--queue", "Support")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "queue", "interval_start", "offered", "answered", "abandoned", "short_abandoned",
        "service_level_pct", "asa_s", "abandon_rate_pct", "aht_s",
    ]  # fmt: skip
    assert rows == [
        {
            "queue": "Support",
            "interval_start": "2026-03-10T00:00:00-04:00",
            "offered": "6",
            "answered": "3",
            "abandoned": "2",
            "short_abandoned": "1",
            "service_level_pct": "40.0",
            "asa_s": "13.7",
            "abandon_rate_pct": "20.0",
            "aht_s": "175.0",
        }
    ]


def test_queue_rows_per_hour_as_json(run):
    out = run("queues", "--from", "2026-03-10", "--to", "2026-03-11", "--interval", "hour",
              "--format", "json")  # fmt: skip
    rows = json.loads(out)
    assert len(rows) == 48  # two queues, 24 hours
    billing = next(r for r in rows if r["queue"] == "Billing")
    assert billing["offered"] == 0 and billing["service_level_pct"] is None


def test_agent_rows(run):
    out = run("agents", "--from", "2026-03-10", "--to", "2026-03-11", "--format", "json")
    rows = {r["agent"]: r for r in json.loads(out)}
    assert set(rows) == {"ann", "bob"}
    ann = rows["ann"]
    assert (ann["handled"], ann["aht_s"], ann["occupancy_pct"]) == (2, 175.0, 12.0)
    assert ann["calls_per_hour"] == 4.29 and ann["fcr_pct"] == 50.0 and ann["csat_pct"] is None
    one = run("agents", "--from", "2026-03-10", "--to", "2026-03-11", "--agent", "bob")
    assert one.splitlines()[0] == (
        "agent,interval_start,handled,aht_s,occupancy_pct,calls_per_hour,fcr_pct,csat_pct"
    )
    assert one.splitlines()[1] == "bob,2026-03-10T00:00:00-04:00,2,310.0,,,,"


def test_bad_ranges_and_names(sqlite_database):
    url = sqlite_database.url.render_as_string(hide_password=False)
    runner = CliRunner()
    backwards = runner.invoke(
        cli, ["--db", url, "report", "queues", "--from", "2026-03-11", "--to", "2026-03-10"]
    )
    assert backwards.exit_code != 0 and "--to" in backwards.output
    missing = runner.invoke(
        cli,
        ["--db", url, "report", "queues", "--from", "2026-03-10", "--to", "2026-03-11",
         "--queue", "Nope"],
    )  # fmt: skip
    assert missing.exit_code != 0 and "Nope" in missing.output
