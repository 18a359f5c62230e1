"""Demo data: reproducible from a seed, realistic in shape, consistent, on both backends."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import text

from callcenter.bootstrap import open_database
from callcenter.cli.main import cli
from callcenter.db import migrate
from callcenter.db.models import Base
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor
from callcenter.services.demo_data import (
    DEMO_PASSWORD,
    DemoDataExists,
    DemoOptions,
    ensure_demo_database,
    generate,
)
from callcenter.services.passwords import verify_password
from tests.conftest import BACKENDS, fresh_database_url

# A Wednesday afternoon in Paris: the history's last day is half done.
NOW = datetime(2026, 3, 18, 15, 30, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def options(**changes) -> DemoOptions:
    values = {"customers": 300, "calls": 800, "seed": 7, "now": NOW, "timezone": "Europe/Paris"}
    return DemoOptions(**{**values, **changes})


def rows(database, sql: str, **params) -> list[tuple]:
    with database.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def local(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.astimezone(PARIS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One SQLite database of demo data that the read-only tests share."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    summary = generate(database, Actor("tester"), options(customers=400, calls=3000))
    yield database, summary
    database.dispose()


@pytest.fixture(params=BACKENDS)
def two_databases(request, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = open_database(fresh_database_url(request.param, request, tmp_path / "a"))
    second = open_database(fresh_database_url(request.param, request, tmp_path / "b"))
    yield first, second
    first.dispose()
    second.dispose()


CUSTOMERS = (
    "SELECT c.external_id, c.name, c.company, c.emails, c.tier, c.city, p.number_key, p.raw, "
    "p.label FROM customers c JOIN customer_phones p ON p.customer_id = c.id "
    "ORDER BY c.external_id, p.position"
)
# The generated call history, without the calls demo callbacks' attempts logged.
HISTORY = "call_uid NOT LIKE 'callback-%'"
CALLS = (
    "SELECT k.call_uid, k.direction, c.external_id, k.caller_raw, k.caller_key, k.started_at, "
    "k.answered_at, k.ended_at, k.hold_s, k.acw_s, k.disposition_code FROM calls k "
    "LEFT JOIN customers c ON c.id = k.customer_id ORDER BY k.call_uid"
)


def test_the_same_seed_gives_the_same_data(two_databases, actor):
    first, second = two_databases
    for database in (first, second):
        generate(database, actor, options())
    assert rows(first, CUSTOMERS) == rows(second, CUSTOMERS)
    assert len(rows(first, CUSTOMERS)) > 300
    calls = rows(first, CALLS)
    assert [c[:5] for c in calls] == [c[:5] for c in rows(second, CALLS)]
    assert [tuple(map(str, c[5:])) for c in calls] == [
        tuple(map(str, c[5:])) for c in rows(second, CALLS)
    ]
    # Plus the calls the demo callbacks' attempts logged.
    assert sum(1 for c in calls if not c[0].startswith("callback-")) == 800


def test_another_seed_gives_other_people(sqlite_database, actor, tmp_path):
    generate(sqlite_database, actor, options(seed=8))
    names = {r[0] for r in rows(sqlite_database, "SELECT name FROM customers")}
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    migrate.upgrade(other.engine)
    generate(other, actor, options(seed=7))
    assert names != {r[0] for r in rows(other, "SELECT name FROM customers")}
    other.dispose()


@pytest.mark.parametrize(
    ("region", "locale"),
    [("US", "en_US"), ("GB", "en_GB"), ("FR", "fr_FR"), ("DE", "de_DE"), ("CN", "zh_CN")],
)
def test_numbers_are_valid_in_the_region_and_normalise_to_their_key(
    sqlite_database, actor, region, locale
):
    summary = generate(sqlite_database, actor, options(region=region, calls=50))
    assert summary.locale == locale
    phones = rows(sqlite_database, "SELECT number_key, raw FROM customer_phones")
    assert len(phones) >= 300
    for key, raw in phones:
        number = phonenumbers.parse(key)
        assert phonenumbers.is_valid_number(number), key
        assert phonenumbers.region_code_for_number(number) == region, key
        assert normalize(raw, region).key == key, raw
    # Written as people write them: not every number in the same form.
    assert len({raw[:2] for _key, raw in phones}) > 2


def test_some_customers_share_a_company_switchboard(demo):
    database, summary = demo
    shared = rows(
        database,
        "SELECT number_key, count(*) FROM customer_phones GROUP BY number_key HAVING count(*) > 1",
    )
    assert shared and len(shared) == summary.shared_numbers
    customers_on_shared = sum(n for _key, n in shared)
    assert 0 < customers_on_shared < summary.customers * 0.15
    labels = rows(
        database,
        "SELECT DISTINCT label FROM customer_phones WHERE number_key = :key",
        key=shared[0][0],
    )
    assert labels == [("switchboard",)]


def test_customers_look_like_customers(demo):
    database, summary = demo
    tiers = Counter(r[0] for r in rows(database, "SELECT tier FROM customers"))
    assert tiers["standard"] > tiers["silver"] > tiers["platinum"] > 0
    emails = [json.loads(r[0]) for r in rows(database, "SELECT emails FROM customers")]
    assert sum(1 for e in emails if e) > summary.customers * 0.6
    assert all("@" in address for e in emails for address in e)
    notes = rows(database, "SELECT count(*) FROM customers WHERE notes IS NOT NULL")[0][0]
    assert 0 < notes < summary.customers / 2


def test_calls_span_the_history_in_opening_hours(demo):
    database, _summary = demo
    started = [local(r[0]) for r in rows(database, f"SELECT started_at FROM calls WHERE {HISTORY}")]
    assert len(started) == 3000
    start = NOW - timedelta(days=90)
    assert min(started) >= start and max(started) <= NOW
    assert min(started) - start < timedelta(days=3) and NOW - max(started) < timedelta(days=1)
    # Nobody calls at night.
    assert all(8 <= moment.hour < 20 for moment in started)
    days = Counter(moment.date() for moment in started)
    weekday = [n for day, n in days.items() if day.weekday() < 5]
    weekend = [n for day, n in days.items() if day.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 2 * sum(weekend) / len(weekend)
    hours = Counter(moment.hour for moment in started if moment.weekday() < 5)
    assert hours[10] + hours[11] > 2 * (hours[8] + hours[19])
    assert hours[14] > hours[18]


def test_calls_have_waits_abandons_unknown_callers_and_outbound(demo):
    database, summary = demo
    abandoned = rows(
        database,
        "SELECT count(*) FROM calls WHERE direction = 'inbound' AND answered_at IS NULL "
        "AND ended_at IS NOT NULL AND agent_id IS NULL",
    )[0][0]
    assert abandoned == summary.abandoned
    assert 0.01 * 3000 < abandoned < 0.2 * 3000
    unknown = rows(database, "SELECT count(*) FROM calls WHERE customer_id IS NULL")[0][0]
    assert 0.03 * 3000 < unknown < 0.25 * 3000
    assert 0.05 * 3000 < summary.outbound < 0.3 * 3000
    assert (
        summary.outbound
        == rows(database, f"SELECT count(*) FROM calls WHERE direction = 'outbound' AND {HISTORY}")[
            0
        ][0]
    )
    codes = {r[0] for r in rows(database, "SELECT code FROM disposition_codes")}
    used = {r[0] for r in rows(database, "SELECT DISTINCT disposition_code FROM calls")}
    assert used - {None} <= codes and len(used) > 4
    answered = rows(
        database,
        "SELECT queued_at, answered_at, ended_at, hold_s, acw_s FROM calls "
        "WHERE direction = 'inbound' AND answered_at IS NOT NULL",
    )
    waits = [(local(a) - local(q)).total_seconds() for q, a, _e, _h, _w in answered]
    talks = [(local(e) - local(a)).total_seconds() for _q, a, e, _h, _w in answered]
    assert min(waits) > 0 and max(waits) > 20
    assert 60 < sorted(talks)[len(talks) // 2] < 600
    assert all(hold <= talk for (_q, _a, _e, hold, _w), talk in zip(answered, talks, strict=True))
    assert sum(1 for *_rest, acw in answered if acw > 0) > len(answered) / 2
    sources = rows(database, f"SELECT DISTINCT source FROM calls WHERE {HISTORY}")
    assert {r[0] for r in sources} == {"demo"}


def test_last_contact_is_each_customers_latest_call(demo):
    database, _summary = demo
    wrong = rows(
        database,
        "SELECT count(*) FROM customers c WHERE c.last_contact_at IS NOT "
        "(SELECT max(started_at) FROM calls WHERE customer_id = c.id)",
    )
    assert wrong == [(0,)]
    assert (
        rows(database, "SELECT count(*) FROM customers WHERE last_contact_at IS NOT NULL")[0][0]
        > 100
    )


def test_agent_states_follow_each_agents_calls(demo):
    database, summary = demo
    spans = rows(
        database,
        "SELECT agent_id, state, started_at, ended_at FROM agent_states "
        "ORDER BY agent_id, started_at",
    )
    assert len(spans) == summary.agent_states
    assert {s[1] for s in spans} == {"available", "on_call", "after_call_work", "break"}
    by_agent: dict[int, list[tuple]] = {}
    for agent, state, start, end in spans:
        by_agent.setdefault(agent, []).append((state, start, end))
    for agent_spans in by_agent.values():
        # One state at a time: each span ends before (or when) the next begins.
        for (_s, _start, end), (_s2, next_start, _e) in pairwise(agent_spans):
            assert end is not None and end <= next_start
    on_call = {(agent, start) for agent, state, start, _end in spans if state == "on_call"}
    answered = rows(
        database,
        "SELECT agent_id, answered_at FROM calls WHERE direction = 'inbound' "
        "AND answered_at IS NOT NULL",
    )
    assert answered and all((agent, at) in on_call for agent, at in answered)
    staff = rows(
        database, "SELECT role, count(*), count(DISTINCT team_id) FROM users GROUP BY role"
    )
    assert {role: (n, teams) for role, n, teams in staff} == {
        "agent": (summary.agents, summary.teams),
        "supervisor": (summary.supervisors, summary.teams),
    }


def test_demo_users_sign_in_with_the_documented_password_on_sqlite(demo):
    database, summary = demo
    stored = rows(
        database, "SELECT password_hash FROM users WHERE login = :login", login=summary.logins[1]
    )
    assert verify_password(DEMO_PASSWORD, stored[0][0])
    assert summary.password == DEMO_PASSWORD


def test_running_again_refuses_and_add_puts_a_second_set_on_top(database, actor):
    first = generate(database, actor, options(customers=120, calls=200))
    with pytest.raises(DemoDataExists, match="already holds demo data"):
        generate(database, actor, options(customers=120, calls=200))
    second = generate(database, actor, options(customers=120, calls=200, add=True))
    assert (first.run, second.run) == (0, 1)
    counts = rows(
        database,
        "SELECT count(*), count(DISTINCT external_id) FROM customers",
    )
    assert counts == [(240, 240)]
    assert rows(
        database, f"SELECT count(*), count(DISTINCT call_uid) FROM calls WHERE {HISTORY}"
    ) == [(400, 400)]
    # The second set's agents are its own: nobody is on two calls at once.
    assert rows(database, "SELECT count(DISTINCT login) FROM users")[0][0] == (
        first.agents + first.supervisors + second.agents + second.supervisors
    )


def test_big_loads_build_some_indexes_afterwards_and_the_schema_stays_the_models(
    database, actor
):
    generate(database, actor, options(defer_indexes=True))
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_generator_process_writes_the_same_data(sqlite_database, actor, tmp_path):
    # The process only computes rows, so one backend is enough to compare it with.
    first, second = sqlite_database, open_database(f"sqlite:///{tmp_path / 'second.db'}")
    migrate.upgrade(second.engine)
    generate(first, actor, options(generator_process=False))
    generate(second, actor, options(generator_process=True))
    assert rows(first, CUSTOMERS) == rows(second, CUSTOMERS)
    assert rows(first, CALLS) == rows(second, CALLS)
    second.dispose()


def test_the_command_prints_a_summary_and_refuses_a_second_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    done = runner.invoke(
        cli, ["--db", url, "demo-data", "--customers", "150", "--calls", "300", "--json"]
    )
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert (summary["customers"], summary["calls"], summary["run"]) == (150, 300, 0)
    assert summary["password"] == DEMO_PASSWORD
    text_run = runner.invoke(cli, ["--db", url, "demo-data", "--customers", "10", "--calls", "0"])
    assert text_run.exit_code == 1
    assert "already holds demo data" in text_run.output and "--add" in text_run.output
    added = runner.invoke(
        cli, ["--db", url, "demo-data", "--customers", "10", "--calls", "20", "--add"]
    )
    assert added.exit_code == 0, added.output
    assert "Demo data written" in added.stdout and "demo001.agent001" in added.stdout


def test_the_desktop_demo_database_is_filled_once(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_REGION", "GB")
    url = f"sqlite:///{tmp_path / 'desktop-demo.db'}"
    summary = ensure_demo_database(url, options(customers=50, calls=100, region="GB"))
    assert summary is not None and summary.customers == 50
    assert ensure_demo_database(url) is None
