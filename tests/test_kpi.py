"""The KPI engine against hand-computed figures, on SQLite and PostgreSQL (KPIS.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from callcenter.db.tables import AgentStateChange, Call, Customer, Queue, Team, User
from callcenter.domain.users import Actor
from callcenter.kpi.intervals import Interval, plan
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService
from callcenter.repositories.stamps import creation_stamp

ZONE = "America/New_York"
NY = ZoneInfo(ZONE)
# Tuesday 10 March 2026, EDT (UTC-4): 14:00 UTC is 10:00 in New York.
T = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
AFTER_WINDOWS = datetime(2026, 3, 20, tzinfo=UTC)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def add_reference(connection) -> None:
    stamp = creation_stamp(Actor("tester"))
    connection.execute(insert(Team), [{"id": 1, "name": "Red", **stamp}])
    connection.execute(
        insert(User),
        [
            {
                **stamp,
                "id": 1,
                "login": "ann",
                "display_name": "Ann",
                "role": "agent",
                "team_id": 1,
            },
            {
                **stamp,
                "id": 2,
                "login": "bob",
                "display_name": "Bob",
                "role": "agent",
                "team_id": 1,
            },
            {
                **stamp,
                "id": 3,
                "login": "cy",
                "display_name": "Cy",
                "role": "agent",
                "team_id": None,
            },
        ],
    )
    connection.execute(
        insert(Customer),
        [{**stamp, "id": i, "name": f"Customer {i}", "emails": []} for i in (1, 2)],
    )
    connection.execute(
        insert(Queue),
        [
            {
                **stamp,
                "id": 1,
                "name": "Support",
                "service_level_threshold_s": 20,
                "service_level_target_pct": 80,
                "short_abandon_threshold_s": 5,
            },
            {
                **stamp,
                "id": 2,
                "name": "Billing",
                "service_level_threshold_s": 30,
                "service_level_target_pct": 80,
                "short_abandon_threshold_s": 5,
            },
        ],
    )


_seq = iter(range(1, 10_000))


def call(
    queued_at: datetime | None,
    answered_after: float | None = None,
    ended_after: float | None = None,
    *,
    direction: str = "inbound",
    queue_id: int | None = 1,
    agent_id: int | None = None,
    customer_id: int | None = None,
    hold_s: int = 0,
    acw_s: int = 0,
    disposition: str | None = None,
    started_at: datetime | None = None,
) -> dict:
    """A call row; answered and ended given in seconds after queued_at (or started_at)."""
    base = queued_at or started_at
    assert base is not None
    n = next(_seq)
    return {
        **creation_stamp(Actor("tester")),
        "call_uid": f"c{n}",
        "direction": direction,
        "queue_id": queue_id if direction == "inbound" else None,
        "customer_id": customer_id,
        "agent_id": agent_id,
        "started_at": started_at or (base - s(10)),
        "queued_at": queued_at,
        "answered_at": None if answered_after is None else base + s(answered_after),
        "ended_at": None if ended_after is None else base + s(ended_after),
        "hold_s": hold_s,
        "acw_s": acw_s,
        "disposition_code": disposition,
        "source": "manual",
    }


def span(agent_id: int, state: str, start: datetime, end: datetime | None) -> dict:
    return {"agent_id": agent_id, "state": state, "started_at": start, "ended_at": end}


def the_day(connection) -> None:
    """The hand-computed day (all on 10 March 2026, New York time)."""
    add_reference(connection)
    connection.execute(
        insert(Call),
        [
            # 1: answered after exactly the threshold (20 s): in service level. Talk 90 + hold
            # 10 + wrap-up 30 = handle 130 s. Customer 1, who calls again at 3 (not resolved).
            call(T + s(0), 20, 120, agent_id=1, customer_id=1, hold_s=10, acw_s=30),
            # 2: answered after 21 s: out of service level. Handle 200 + 20 = 220 s. Customer 2,
            # who never calls again (resolved).
            call(T + s(60), 21, 221, agent_id=1, customer_id=2, acw_s=20),
            # 3: abandoned after 4.999 s: a short abandon (limit 5 s).
            call(T + s(300), None, 4.999, customer_id=1),
            # 4: abandoned after exactly 5 s: an abandon, not short.
            call(T + s(400), None, 5),
            # 5: left at the queue's timeout: offered, neither answered nor abandoned.
            call(T + s(500), None, 60, disposition="queue_timeout"),
            # 6: an orphan (never left the queue in the records): in no figure.
            call(T + s(600)),
            # 7: 10:20, the next quarter hour: answered at once, still talking. Unknown caller.
            call(T + s(1200), 0, None, agent_id=2),
            # 8: another queue, another day (11 March, 00:30 New York): not in 10 March.
            call(datetime(2026, 3, 11, 4, 30, tzinfo=UTC), 3, 63, queue_id=2, agent_id=2),
            # 9: Bob's outbound call, dialled 10:30, connected after 10 s, talk 300, wrap-up 10.
            call(
                None,
                10,
                310,
                direction="outbound",
                agent_id=2,
                started_at=T + s(1800),
                acw_s=10,
            ),
        ],
    )
    connection.execute(
        insert(AgentStateChange),
        [
            # Ann: available 09:45:00-10:00:20, on call 100 s, wrap-up 30 s, available 30 s,
            # break 600 s, then logged out (not staffed).
            span(1, "available", T - s(900), T + s(20)),
            span(1, "on_call", T + s(20), T + s(120)),
            span(1, "after_call_work", T + s(120), T + s(150)),
            span(1, "available", T + s(150), T + s(180)),
            span(1, "break", T + s(180), T + s(780)),
            span(1, "logged_out", T + s(780), None),
        ],
    )


@pytest.fixture
def kpi(database):
    with database.engine.begin() as connection:
        the_day(connection)
    return KpiService(database, Actor("tester"), ZONE)


DAY = (date(2026, 3, 10), date(2026, 3, 11))


def test_queue_figures_for_the_day(kpi):
    rows = kpi.queues(kpi.plan(*DAY, Interval.RANGE))
    by_name = {row.queue: row for row in rows}
    support = by_name["Support"]
    assert (support.offered, support.answered, support.abandoned) == (6, 3, 2)
    assert (support.short_abandoned, support.other_exits) == (1, 1)
    assert support.answered_in_threshold == 2  # 20 s (= threshold) and 0 s
    assert support.service_level_pct == 40.0  # 2 / (6 - 1)
    assert support.asa_s == 13.7  # (20 + 21 + 0) / 3
    assert support.abandon_rate_pct == 20.0  # (2 - 1) / (6 - 1)
    assert support.aht_s == 175.0  # (130 + 220) / 2 ended answered calls
    assert support.interval_start == datetime(2026, 3, 10, tzinfo=NY)
    billing = by_name["Billing"]  # no calls that day: zeros, and no rates
    assert billing.offered == 0
    assert (billing.service_level_pct, billing.asa_s, billing.abandon_rate_pct) == (
        None,
        None,
        None,
    )
    assert billing.aht_s is None
    total = kpi.queues(kpi.plan(*DAY, Interval.RANGE), by_queue=False)
    assert len(total) == 1 and total[0].offered == 6 and total[0].queue_id is None


def test_queue_figures_per_quarter_hour(kpi):
    rows = kpi.queues(kpi.plan(*DAY, Interval.QUARTER_HOUR), queue_ids=[1])
    assert len(rows) == 96
    busy = {row.interval_start.strftime("%H:%M"): row for row in rows if row.offered}
    assert set(busy) == {"10:00", "10:15"}
    assert busy["10:00"].offered == 5 and busy["10:15"].offered == 1
    assert busy["10:15"].answered == 1 and busy["10:15"].aht_s is None  # still talking


def test_queue_figures_per_hour_and_day(kpi):
    hours = kpi.queues(kpi.plan(*DAY, Interval.HOUR), by_queue=False)
    assert len(hours) == 24
    assert [r.interval_start.hour for r in hours if r.offered] == [10]
    days = kpi.queues(kpi.plan(date(2026, 3, 10), date(2026, 3, 12), Interval.DAY))
    offered = {(r.interval_start.day, r.queue): r.offered for r in days}
    assert offered == {
        (10, "Billing"): 0,
        (10, "Support"): 6,
        (11, "Billing"): 1,
        (11, "Support"): 0,
    }


def test_no_calls_at_all(database):
    service = KpiService(database, Actor("tester"), ZONE)
    rows = service.queues(service.plan(*DAY, Interval.RANGE), by_queue=False)
    assert len(rows) == 1
    assert rows[0].offered == 0 and rows[0].service_level_pct is None and rows[0].asa_s is None
    assert service.agents(service.plan(*DAY, Interval.RANGE)) == []
    (everyone,) = service.agents(service.plan(*DAY, Interval.RANGE), AgentGrouping.ALL)
    assert everyone.handled == 0 and everyone.aht_s is None and everyone.occupancy_pct is None
    assert everyone.calls_per_hour is None and everyone.fcr_pct is None


def test_agent_figures_for_the_day(kpi):
    rows = kpi.agents(kpi.plan(*DAY, Interval.RANGE), now=AFTER_WINDOWS)
    ann, bob = (next(r for r in rows if r.agent == name) for name in ("Ann", "Bob"))
    assert [r.agent for r in rows] == ["Ann", "Bob"]  # Cy did nothing
    assert (ann.handled, ann.aht_s) == (2, 175.0)
    assert ann.occupied_ms == 130_000 and ann.available_ms == 950_000
    assert ann.staffed_ms == 1_680_000  # 920 + 100 + 30 + 30 + 600 s; logged out is not
    assert ann.occupancy_pct == 12.0  # 130 / (130 + 950)
    assert ann.calls_per_hour == 4.29  # 2 / (1680 / 3600)
    assert (ann.fcr_calls, ann.fcr_resolved, ann.fcr_pct) == (2, 1, 50.0)
    assert ann.csat_pct is None  # no surveys yet
    assert (ann.team, ann.team_id) == ("Red", 1)
    # Bob: call 7 (answered, not ended) and his outbound call (handle 300 + 10 s).
    assert (bob.handled, bob.completed, bob.aht_s) == (2, 1, 310.0)
    assert bob.fcr_pct is None  # an unknown caller is left out
    assert bob.occupancy_pct is None and bob.calls_per_hour is None  # no states recorded


def test_fcr_waits_for_the_window_to_close(kpi):
    rows = kpi.agents(kpi.plan(*DAY, Interval.RANGE), now=datetime(2026, 3, 12, tzinfo=UTC))
    ann = next(r for r in rows if r.agent == "Ann")
    assert (ann.fcr_calls, ann.fcr_pct) == (0, None)


def test_agent_spans_are_split_at_quarter_hours(kpi):
    rows = kpi.agents(kpi.plan(*DAY, Interval.QUARTER_HOUR), agent_ids=[1], now=AFTER_WINDOWS)
    staffed = {r.interval_start.strftime("%H:%M"): r.staffed_ms for r in rows if r.staffed_ms}
    assert staffed == {"09:45": 900_000, "10:00": 780_000}
    ten = next(r for r in rows if r.interval_start.strftime("%H:%M") == "10:00")
    assert ten.available_ms == 50_000 and ten.occupied_ms == 130_000


def test_teams_and_everyone(kpi):
    (red,) = kpi.agents(kpi.plan(*DAY, Interval.RANGE), AgentGrouping.TEAM, now=AFTER_WINDOWS)
    assert (red.team, red.handled, red.completed, red.handle_ms) == ("Red", 4, 3, 660_000)
    assert red.aht_s == 220.0
    (everyone,) = kpi.agents(kpi.plan(*DAY, Interval.RANGE), AgentGrouping.ALL, now=AFTER_WINDOWS)
    assert everyone.handled == 4 and everyone.staffed_ms == 1_680_000


def test_an_open_span_counts_up_to_now(database):
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(insert(AgentStateChange), [span(3, "available", T, None)])
    service = KpiService(database, Actor("tester"), ZONE)
    (cy,) = service.agents(service.plan(*DAY, Interval.RANGE), now=T + s(600))
    assert cy.available_ms == 600_000 and cy.staffed_ms == 600_000


# -- time zones and DST ------------------------------------------------------------------


def test_dst_days_have_23_and_25_hours():
    spring = plan(
        datetime(2026, 3, 8, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY), Interval.HOUR, NY
    )
    assert len(spring.buckets) == 23
    autumn = plan(
        datetime(2026, 11, 1, tzinfo=NY), datetime(2026, 11, 2, tzinfo=NY), Interval.HOUR, NY
    )
    assert len(autumn.buckets) == 25
    assert [b.start.strftime("%H") for b in autumn.buckets[:4]] == ["00", "01", "01", "02"]
    day = plan(datetime(2026, 11, 1, tzinfo=NY), datetime(2026, 11, 3, tzinfo=NY), Interval.DAY, NY)
    assert [b.end.timestamp() - b.start.timestamp() for b in day.buckets] == [25 * 3600, 24 * 3600]
    quarter = plan(
        datetime(2026, 3, 8, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY), Interval.QUARTER_HOUR, NY
    )
    assert len(quarter.buckets) == 92


def test_half_hour_zones_bucket_by_local_hours():
    india = ZoneInfo("Asia/Kolkata")
    hours = plan(
        datetime(2026, 3, 10, tzinfo=india),
        datetime(2026, 3, 11, tzinfo=india),
        Interval.HOUR,
        india,
    )
    assert len(hours.buckets) == 24
    assert all(b.start.minute == 0 for b in hours.buckets)


def test_the_autumn_dst_day_in_the_database(database):
    """1 November 2026 in New York: 25 hours; 01:00-02:00 happens twice."""
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(
            insert(Call),
            [
                call(datetime(2026, 11, 1, 4, 30, tzinfo=UTC), 5, 65),  # 00:30 EDT
                call(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), 5, 65),  # 01:30 EDT
                call(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 25, 85),  # 01:30 EST
                call(datetime(2026, 11, 2, 4, 59, tzinfo=UTC), 5, 65),  # 23:59 EST
                call(datetime(2026, 11, 2, 5, 0, tzinfo=UTC), 5, 65),  # 00:00 EST, 2 November
                call(datetime(2026, 11, 1, 3, 59, tzinfo=UTC), 5, 65),  # 23:59 EDT, 31 October
            ],
        )
    service = KpiService(database, Actor("tester"), ZONE)
    days = service.queues(service.plan(date(2026, 10, 31), date(2026, 11, 3), Interval.DAY), False)
    assert [(r.interval_start.day, r.offered) for r in days] == [(31, 1), (1, 4), (2, 1)]
    hours = service.queues(
        service.plan(date(2026, 11, 1), date(2026, 11, 2), Interval.HOUR), by_queue=False
    )
    assert len(hours) == 25
    busy = [
        (r.interval_start.strftime("%H:%M%z"), r.offered, r.service_level_pct)
        for r in hours
        if r.offered
    ]
    assert busy == [
        ("00:00-0400", 1, 100.0),
        ("01:00-0400", 1, 100.0),
        ("01:00-0500", 1, 0.0),
        ("23:00-0500", 1, 100.0),
    ]


def test_the_spring_dst_day_in_the_database(database):
    """8 March 2026 in New York: 23 hours; 02:00-03:00 never happens."""
    with database.engine.begin() as connection:
        add_reference(connection)
        connection.execute(
            insert(Call),
            [
                call(datetime(2026, 3, 8, 6, 59, tzinfo=UTC), 5, 65),  # 01:59 EST
                call(datetime(2026, 3, 8, 7, 0, tzinfo=UTC), 5, 65),  # 03:00 EDT
                call(datetime(2026, 3, 9, 3, 59, tzinfo=UTC), 5, 65),  # 23:59 EDT
            ],
        )
    service = KpiService(database, Actor("tester"), ZONE)
    hours = service.queues(
        service.plan(date(2026, 3, 8), date(2026, 3, 9), Interval.HOUR), by_queue=False
    )
    assert len(hours) == 23
    assert [r.interval_start.strftime("%H") for r in hours if r.offered] == ["01", "03", "23"]
    (day,) = service.queues(
        service.plan(date(2026, 3, 8), date(2026, 3, 9), Interval.DAY), by_queue=False
    )
    assert day.offered == 3
