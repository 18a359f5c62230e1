"""`callcenter bench` on a tiny database: the report's shape, the floor, and where it writes."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from callcenter.bench import BenchContext, run_scenarios, scenario
from callcenter.bench.registry import _SCENARIOS
from callcenter.bench.screen_pop import caller_ids, floor_sql
from callcenter.bench.search import queries
from callcenter.bench.timing import percentile, summary
from callcenter.cli.main import cli
from callcenter.config.paths import user_data_dir
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.phone import normalize
from callcenter.services.demo_data import DemoOptions, generate
from callcenter.services.lookup import LookupService

TINY = ["--customers", "300", "--lookups", "150"]


def check_percentiles(figures: dict, prefix: str = "") -> None:
    p50, p95, p99 = (figures[f"{prefix}p{q}_ms"] for q in (50, 95, 99))
    assert 0 < p50 <= p95 <= p99 < 1000


def test_the_report_on_a_scratch_sqlite_database():
    result = CliRunner().invoke(cli, ["bench", *TINY, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"customers", "database", "screen_pop", "search", "screen_pop_gui"}
    assert (report["customers"], report["database"]) == (300, "sqlite")
    pop = report["screen_pop"]
    assert pop["n"] == 150
    for prefix in ("", "baseline_", "lookup_", "normalize_", "uow_"):
        check_percentiles(pop, prefix)
    assert pop["p99_over_baseline"] > 0
    assert pop["mismatches"] == 0
    assert pop["found"] > 100 and pop["not_found"] > 0
    search = report["search"]
    assert search["n"] > 100
    check_percentiles(search)
    assert search["mean_results"] > 0
    assert set(search["by_kind"]) == {"name", "number_end", "number_start", "email"}
    gui = report["screen_pop_gui"]  # ringing to the card painted, in the desktop's own process
    assert "error" not in gui, gui
    assert gui["n"] > 50 and gui["missed"] == 0
    check_percentiles(gui)
    # Built in the data folder's bench/, never in the user's own database.
    assert (user_data_dir() / "bench" / "customers-300.db").exists()
    assert not (user_data_dir() / "callcenter.db").exists()


def test_a_second_run_reuses_the_database_and_prints_a_table():
    runner = CliRunner()
    first = runner.invoke(cli, ["bench", *TINY])
    assert first.exit_code == 0, first.output
    assert "filled: 300 customers" in first.stderr
    second = runner.invoke(cli, ["bench", *TINY])
    assert second.exit_code == 0, second.output
    assert "filled" not in second.stderr
    assert "screen pop" in second.stdout and "hand-written SQL" in second.stdout
    assert "p99 <= 2 ms" in second.stdout


def test_the_report_on_the_database_given(database_url):
    result = CliRunner().invoke(cli, ["--db", database_url, "bench", *TINY, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["database"] == database_url.split(":")[0].split("+")[0]
    assert report["screen_pop"]["mismatches"] == 0
    check_percentiles(report["screen_pop"])
    check_percentiles(report["search"])


def test_bench_never_adds_demo_customers_to_a_real_database(database_url, database, actor):
    with database.uow(actor) as uow:
        uow.customers.add(CustomerDraft("A real customer"))
        uow.commit()
    result = CliRunner().invoke(cli, ["--db", database_url, "bench", *TINY])
    assert result.exit_code == 1
    assert "not demo data" in result.output
    with database.uow(actor) as uow:
        assert uow.customers.count() == 1


def test_the_floor_finds_the_same_customers_as_the_repository(database, actor):
    generate(database, actor, DemoOptions(customers=250, calls=300, seed=3))
    context = BenchContext(database, actor, customers=250, region="US", samples=300)
    inputs = caller_ids(context, random.Random(5), 300)
    keys = [normalize(raw, "US").key for _form, raw in inputs]
    service = LookupService(database, "US")
    raw_connection = database.engine.raw_connection()
    try:
        cursor = raw_connection.cursor()
        found = 0
        for key in keys:
            cursor.execute(floor_sql(database.backend), (key,))
            floor_ids = [row[0] for row in cursor.fetchall()]
            assert [m.id for m in service.matches(key)] == floor_ids
            with database.uow(actor) as uow:
                assert [m.id for m in uow.customers.find_by_phone(key)] == floor_ids
            found += bool(floor_ids)
    finally:
        raw_connection.close()
    assert 200 < found < 300
    assert len({form for form, _raw in inputs}) >= 6


def test_search_queries_are_what_agents_type(database, actor):
    generate(database, actor, DemoOptions(customers=200, calls=0, seed=4))
    typed = queries(BenchContext(database, actor, 200, "US"), random.Random(1), 200)
    kinds = {kind for kind, _text in typed}
    assert kinds == {"name", "number_end", "number_start", "email"}
    for kind, text in typed:
        if kind.startswith("number"):
            assert text.isdigit() and 3 <= len(text) <= 7
        elif kind == "name":
            assert 1 <= len(text) <= 5


def test_a_registered_scenario_is_reported_under_its_name(sqlite_database, actor):
    @scenario("nothing")
    def nothing(context: BenchContext) -> dict:
        return {"n": 1, **summary([1_000, 2_000, 3_000])}

    try:
        report = run_scenarios(BenchContext(sqlite_database, actor, 0, "US"), ["nothing"])
    finally:
        _SCENARIOS.pop("nothing")
    assert report == {
        "customers": 0,
        "database": "sqlite",
        "nothing": {"n": 1, "p50_ms": 0.002, "p95_ms": 0.0029, "p99_ms": 0.003},
    }
    with pytest.raises(ValueError, match="no scenario"):
        run_scenarios(BenchContext(sqlite_database, actor, 0, "US"), ["missing"])


def test_percentiles_interpolate_between_ranks():
    ordered = list(range(1, 101))
    assert percentile(ordered, 0.5) == pytest.approx(50.5)
    assert percentile(ordered, 0.99) == pytest.approx(99.01)
    assert percentile([], 0.5) == 0.0
