"""KPI roll-ups stay current with every write, on SQLite and PostgreSQL.

Each test reads figures (which builds the roll-ups), changes the base rows the way some writer
would, and reads again. `reference` computes the same sums straight from calls and agent
states (the engine before roll-ups), so any range, interval and zone can be compared whole.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import delete, func, insert, inspect, select, update

from callcenter.bootstrap import open_database
from callcenter.db import migrate
from callcenter.db.tables import AgentStateChange, Call, Queue
from callcenter.db.tables_kpi import (
    agent_blocks,
    agent_hours,
    agent_quarters,
    dirty,
    queue_hours,
    queue_quarters,
)
from callcenter.domain.users import Actor
from callcenter.kpi import rollups
from callcenter.kpi.base import agent_call_facts, queue_facts, span_facts, summed
from callcenter.kpi.intervals import BucketPlan, Interval, day_range, plan
from callcenter.kpi.repository import (
    AGENT_STATE_SUMS,
    AGENT_SUMS,
    QUEUE_SUMS,
    AgentGrouping,
    bucket_key,
)
from callcenter.kpi.service import KpiService
from callcenter.services.demo_data import DemoOptions, generate
from tests.test_kpi import AFTER_WINDOWS, DAY, ZONE, T, add_reference, call, s, span, the_day

NY = ZoneInfo(ZONE)


@pytest.fixture
def kpi(database):
    with database.engine.begin() as connection:
        the_day(connection)
    return KpiService(database, Actor("tester"), ZONE)


def write(database, statement, rows=None) -> None:
    with database.engine.begin() as connection:
        connection.execute(statement, rows) if rows is not None else connection.execute(statement)


def support(kpi, first=DAY[0], last=DAY[1], interval=Interval.RANGE):
    rows = kpi.queues(kpi.plan(first, last, interval), queue_ids=[1])
    return rows[0] if interval is Interval.RANGE else rows


def agent(kpi, name, now=AFTER_WINDOWS, first=DAY[0], last=DAY[1]):
    rows = kpi.agents(kpi.plan(first, last, Interval.RANGE), now=now)
    return next((r for r in rows if r.agent == name), None)


def stale(database) -> int:
    with database.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(dirty)).scalar_one()


# -- what the triggers catch ----------------------------------------------------------------


def test_a_new_call_is_in_the_next_report_and_the_marks_are_used_up(database, kpi):
    assert support(kpi).offered == 6 and stale(database) == 0
    write(database, insert(Call), [call(T + s(100), 15, 75, agent_id=1)])
    assert stale(database) > 0
    after = support(kpi)
    assert (after.offered, after.answered, after.answered_in_threshold) == (7, 4, 3)
    assert agent(kpi, "Ann").handled == 3
    assert stale(database) == 0


def test_a_call_that_ends_later_gets_its_handle_time(database, kpi):
    # Call 7 is still talking: answered, not completed.
    assert support(kpi).completed == 2
    write(
        database,
        update(Call)
        .where(Call.answered_at.is_not(None), Call.ended_at.is_(None))
        .values(ended_at=T + s(1200 + 400), acw_s=20),
    )
    after = support(kpi)
    assert (after.completed, after.handle_ms) == (3, 350_000 + 420_000)


def test_a_call_moved_across_midnight_leaves_one_day_for_the_next(database):
    # 23:59:50 New York on 10 March; answered 20 s later, on 11 March.
    queued = datetime(2026, 3, 11, 3, 59, 50, tzinfo=UTC)
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(insert(Call), [{**call(queued, 20, 80, agent_id=2), "call_uid": "late"}])
    service = KpiService(database, Actor("tester"), ZONE)
    days = service.plan(date(2026, 3, 10), date(2026, 3, 12), Interval.DAY)
    queues = [r.offered for r in service.queues(days, by_queue=False)]
    handled = [
        (r.interval_start.day, r.handled)
        for r in service.agents(days, now=AFTER_WINDOWS)
        if r.handled
    ]
    assert queues == [1, 0] and handled == [(11, 1)]  # queued on the 10th, answered the 11th
    later = {"queued_at": queued + s(15), "answered_at": queued + s(35), "ended_at": queued + s(95)}
    write(database, update(Call).where(Call.call_uid == "late").values(**later))
    assert [r.offered for r in service.queues(days, by_queue=False)] == [0, 1]


def test_a_deleted_call_leaves_the_figures(database, kpi):
    write(database, delete(Call).where(Call.queued_at == T))
    after = support(kpi)
    assert (after.offered, after.answered, after.answered_in_threshold) == (5, 2, 1)
    assert agent(kpi, "Ann").handled == 1


def test_a_span_across_quarter_hours_counts_while_open_and_once_closed(database):
    start = T + s(600)  # 10:10 New York
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(insert(AgentStateChange), [span(3, "available", start, None)])
    service = KpiService(database, Actor("tester"), ZONE)
    quarters = service.plan(*DAY, Interval.QUARTER_HOUR)
    open_now = start + s(1500)
    rows = service.agents(quarters, agent_ids=[3], now=open_now)
    assert {r.interval_start.strftime("%H:%M"): r.available_ms for r in rows if r.staffed_ms} == {
        "10:00": 300_000,
        "10:15": 900_000,
        "10:30": 300_000,
    }
    write(
        database,
        update(AgentStateChange)
        .where(AgentStateChange.agent_id == 3)
        .values(ended_at=start + s(2000)),
    )
    rows = service.agents(quarters, agent_ids=[3], now=AFTER_WINDOWS)
    assert {r.interval_start.strftime("%H:%M"): r.staffed_ms for r in rows if r.staffed_ms} == {
        "10:00": 300_000,
        "10:15": 900_000,
        "10:30": 800_000,
    }
    with database.engine.connect() as connection:
        stored = connection.execute(
            select(func.sum(agent_quarters.c.available_ms)).where(agent_quarters.c.agent_id == 3)
        ).scalar_one()
    assert stored == 2_000_000


def test_a_span_longer_than_a_day_is_split_over_every_day(database):
    start = datetime(2026, 3, 9, 12, 0, tzinfo=NY)
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(
            insert(AgentStateChange), [span(3, "break", start, start + timedelta(hours=60))]
        )
    service = KpiService(database, Actor("tester"), ZONE)
    days = service.plan(date(2026, 3, 9), date(2026, 3, 13), Interval.DAY)
    staffed = [
        r.staffed_ms // 3_600_000 for r in service.agents(days, agent_ids=[3], now=AFTER_WINDOWS)
    ]
    assert staffed == [12, 24, 24, 0]
    # Another write in the span's last day rebuilds that day; the span must still be found.
    write(database, insert(Call), [call(datetime(2026, 3, 11, 14, tzinfo=UTC), 5, 65)])
    again = [
        r.staffed_ms // 3_600_000 for r in service.agents(days, agent_ids=[3], now=AFTER_WINDOWS)
    ]
    assert again == staffed


def test_a_new_call_from_the_customer_unresolves_their_earlier_call(database, kpi):
    # Customer 2's call (2) was resolved: they never called again.
    assert (agent(kpi, "Ann").fcr_calls, agent(kpi, "Ann").fcr_resolved) == (2, 1)
    write(database, insert(Call), [call(T + timedelta(days=3), 5, 65, customer_id=2)])
    ann = agent(kpi, "Ann")
    assert (ann.fcr_calls, ann.fcr_resolved) == (2, 0)


def test_fcr_windows_closing_within_the_hour_are_read_from_the_calls(kpi):
    # Call 1 was answered at 14:00:20 UTC, call 2 at 14:01:21: their windows close a week on.
    closing = T + timedelta(days=7) + s(60)
    assert agent(kpi, "Ann", now=closing).fcr_calls == 1
    assert agent(kpi, "Ann", now=closing + s(61)).fcr_calls == 2


def test_a_changed_threshold_recomputes_the_queue(database, kpi):
    assert support(kpi).answered_in_threshold == 2
    write(database, update(Queue).where(Queue.id == 1).values(service_level_threshold_s=19))
    assert support(kpi).answered_in_threshold == 1  # 20 s is over 19
    write(database, update(Queue).where(Queue.id == 1).values(short_abandon_threshold_s=6))
    assert support(kpi).short_abandoned == 2  # 5 s is now short


def test_closed_spans_after_now_are_left_out(database):
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(insert(AgentStateChange), [span(3, "available", T, T + s(600))])
    service = KpiService(database, Actor("tester"), ZONE)
    assert agent(service, "Cy", now=T - s(1)) is None
    assert agent(service, "Cy", now=T + s(1)).staffed_ms == 600_000


# -- the whole engine against the base rows --------------------------------------------------


def reference(database, buckets: BucketPlan, now: datetime) -> tuple[dict, dict]:
    """Queue and agent sums per (key, id), straight from calls and agent states."""

    def key(column):
        return bucket_key(column, buckets)

    queue = summed(queue_facts(key, buckets.start, buckets.end), QUEUE_SUMS, True)
    calls = agent_call_facts(
        key, Call.agent_id, buckets.start, buckets.end, now - timedelta(days=7)
    )
    st = AgentStateChange
    spans = span_facts(
        buckets.buckets,
        st.agent_id,
        now,
        buckets.interval is not Interval.RANGE,
        st.started_at < now,
    )
    names = ("handled", "completed", "handle_ms", "fcr_calls", "fcr_resolved")
    with database.engine.connect() as connection:
        queues = {
            (r.k, r.g): {n: r._mapping[n] for n in QUEUE_SUMS} for r in connection.execute(queue)
        }
        agents: dict = {}
        for r in connection.execute(summed(calls, names, True)):
            agents.setdefault((r.k, r.g), {}).update({n: r._mapping[n] for n in names})
        for r in connection.execute(summed(spans, AGENT_STATE_SUMS, True)):
            agents.setdefault((r.k, r.g), {}).update({n: r._mapping[n] for n in AGENT_STATE_SUMS})
    return queues, agents


def figures(service: KpiService, buckets: BucketPlan, now: datetime) -> tuple[dict, dict]:
    queues = {
        (int(r.interval_start.timestamp()), r.queue_id): r
        for r in service.queues(buckets)
        if r.offered
    }
    agents = {
        (int(r.interval_start.timestamp()), r.agent_id): r for r in service.agents(buckets, now=now)
    }
    return queues, agents


def random_history(rng: random.Random, start: datetime, calls: int) -> tuple[list, list]:
    rows, spans = [], []
    for _ in range(calls):
        queued = start + s(rng.randrange(0, 3 * 86_400))
        outcome = rng.random()
        if outcome < 0.15:
            rows.append(call(None, 8, 8 + rng.randrange(30, 900), direction="outbound",
                             agent_id=rng.choice((1, 2)), started_at=queued, acw_s=5,
                             customer_id=rng.choice((1, 2))))  # fmt: skip
        elif outcome < 0.3:
            rows.append(call(queued, None, rng.uniform(0.5, 60), queue_id=rng.choice((1, 2))))
        else:
            wait = rng.uniform(0, 40)
            answered = call(queued, wait, wait + rng.randrange(20, 700), acw_s=rng.randrange(60),
                            agent_id=rng.choice((1, 2)), queue_id=rng.choice((1, 2)),
                            customer_id=rng.choice((1, 2, None)))  # fmt: skip
            rows.append(answered)
    for agent_id in (1, 2, 3):
        at = start
        while at < start + timedelta(days=3):
            length = s(rng.choice((30, 400, 1700, 7000, 30_000)))
            state = rng.choice(("available", "on_call", "after_call_work", "break", "logged_out"))
            spans.append(span(agent_id, state, at, at + length))
            at += length
    return rows, spans


EVERY_WAY = [(zone, interval) for zone in (ZONE, "Asia/Kolkata") for interval in Interval]
# A whole-hour zone read from hour roll-ups, a half-hour one from quarter-hour roll-ups.
TWO_WAYS = [(ZONE, Interval.DAY), ("Asia/Kolkata", Interval.HOUR)]


def compare(database, service: KpiService, now: datetime, ways=TWO_WAYS) -> None:
    for zone_name, interval in ways:
        zone = ZoneInfo(zone_name)
        service.zone = zone
        buckets = plan(*day_range(date(2026, 3, 7), date(2026, 3, 12), zone), interval, zone)
        queues, agents = figures(service, buckets, now)
        expected_queues, expected_agents = reference(database, buckets, now)
        by_start = {b.key: int(b.start.timestamp()) for b in buckets.buckets}
        assert {(by_start[k], g): sums for (k, g), sums in expected_queues.items()} == {
            key: {n: getattr(r, n) for n in QUEUE_SUMS} for key, r in queues.items()
        }
        expected = {(by_start[k], g): sums for (k, g), sums in expected_agents.items()}
        for key, got in agents.items():
            sums = expected.get(key, {})
            names = AGENT_SUMS if key not in expected else sums
            want = {n: sums.get(n, 0) for n in names}
            assert {n: getattr(got, n) for n in names} == want, (zone_name, interval, key)
        assert set(expected) <= set(agents)


def test_rollups_give_the_base_rows_figures_for_any_interval_and_zone(database):
    rng = random.Random(7)
    start = datetime(2026, 3, 7, 3, 7, 11, tzinfo=UTC)  # over the spring DST change
    rows, spans = random_history(rng, start, 400)
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(insert(Call), rows[:200])
        connection.execute(insert(AgentStateChange), spans[: len(spans) // 2])
    service = KpiService(database, Actor("tester"), ZONE)
    now = start + timedelta(days=2, hours=5, seconds=17)
    compare(database, service, now, EVERY_WAY)
    # More rows on top, some of the first changed: the marks carry everything through.
    with database.engine.begin() as connection:
        connection.execute(insert(Call), rows[200:])
        connection.execute(insert(AgentStateChange), spans[len(spans) // 2 :])
        connection.execute(
            update(Call).where(Call.id % 7 == 0).values(acw_s=Call.acw_s + 3, customer_id=1)
        )
    compare(database, service, now)
    compare(database, service, start + timedelta(days=9, minutes=3))


def test_a_bulk_load_marks_its_range_once(database):
    rows, spans = random_history(random.Random(3), datetime(2026, 3, 8, tzinfo=UTC), 150)
    with database.engine.begin() as connection:
        add_reference(connection)
    with database.engine.begin() as connection, rollups.untracked(connection):
        connection.execute(insert(Call), rows)
        connection.execute(insert(AgentStateChange), spans)
    assert stale(database) == 0  # nothing marked: the loader's job
    with database.engine.begin() as connection:
        rollups.mark_range(
            connection, datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 12, tzinfo=UTC)
        )
        rollups.refresh(connection)
    # Writes after the load are marked again.
    write(database, insert(Call), [call(datetime(2026, 3, 9, 15, tzinfo=UTC), 3, 40, agent_id=1)])
    assert stale(database) > 0
    compare(database, KpiService(database, Actor("tester"), ZONE), AFTER_WINDOWS)
    with database.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(queue_quarters)).scalar() > 0


def test_demo_data_leaves_the_rollups_filled_and_nothing_marked(database):
    now = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)
    options = DemoOptions(customers=150, calls=1500, days=6, seed=3, now=now, timezone=ZONE)
    generate(database, Actor("tester"), options)
    assert stale(database) == 0
    service = KpiService(database, Actor("tester"), ZONE)
    compare(database, service, now + s(1), [(ZONE, Interval.DAY), ("Asia/Kolkata", Interval.RANGE)])
    (everyone,) = service.agents(service.plan(*DAY, Interval.RANGE), AgentGrouping.ALL, now=now)
    assert everyone.handled > 100 and everyone.staffed_ms > 0


def migrate_to(database, revision: str, down: bool = False) -> None:
    with database.engine.begin() as connection:
        config = migrate.alembic_config(connection)
        (command.downgrade if down else command.upgrade)(config, revision)


def test_the_upgrade_fills_the_rollups_from_the_rows_there_and_the_downgrade_drops_them(
    empty_url,
):
    database = open_database(empty_url)
    try:
        migrate_to(database, "0004")
        with database.engine.begin() as connection:
            the_day(connection)
        migrate_to(database, "0005")
        assert stale(database) == 0
        with database.engine.connect() as connection:
            filled = connection.execute(select(func.sum(queue_quarters.c.offered))).scalar()
        assert filled == 7  # the day's six Support calls and the Billing one
        service = KpiService(database, Actor("tester"), ZONE)
        assert support(service).answered_in_threshold == 2
        assert agent(service, "Ann").occupancy_pct == 12.0
        migrate_to(database, "0004", down=True)
        tables = set(inspect(database.engine).get_table_names())
        assert not {t for t in tables if t.startswith("kpi_")}
        # Without the triggers, writes go on as before the upgrade.
        write(database, insert(Call), [call(T + s(5000), 5, 65)])
    finally:
        database.dispose()


# -- rows changed behind the triggers' back ---------------------------------------------------


def rebuild_rollups(database, monkeypatch, *args: str) -> str:
    from click.testing import CliRunner

    from callcenter.cli.main import cli

    monkeypatch.setenv("CALLCENTER_TIMEZONE", ZONE)
    url = database.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "db", "rebuild-rollups", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def lose_rollups(database) -> None:
    for table in (queue_quarters, queue_hours, agent_quarters, agent_hours, agent_blocks):
        write(database, delete(table))


def test_rollups_lost_behind_the_triggers_back_are_rebuilt(database, kpi, monkeypatch):
    assert support(kpi).offered == 6
    # What restoring calls from a backup without their roll-ups looks like to the reports.
    lose_rollups(database)
    assert support(kpi).offered == 0
    out = rebuild_rollups(database, monkeypatch)
    assert out.startswith("Rebuilt the KPI roll-ups from ")
    after = support(kpi)
    assert (after.offered, after.answered) == (6, 3)
    assert agent(kpi, "Ann").handled == 2


def test_a_rebuild_of_some_days_leaves_the_others(database, kpi, monkeypatch):
    assert support(kpi).offered == 6  # the roll-ups are built, and no write is pending
    lose_rollups(database)
    day_after = (DAY[1] + timedelta(days=1)).isoformat()
    rebuild_rollups(database, monkeypatch, "--from", DAY[1].isoformat(), "--to", day_after)
    assert support(kpi).offered == 0  # the day itself was not asked for
    rebuild_rollups(database, monkeypatch, "--from", DAY[0].isoformat(), "--to", DAY[1].isoformat())
    assert support(kpi).offered == 6


def test_a_rebuild_of_an_empty_database_says_there_is_nothing(database, monkeypatch):
    assert rebuild_rollups(database, monkeypatch).startswith("Nothing to rebuild")
