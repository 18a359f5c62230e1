"""Staffing's forecast (same weekday, recent weeks), Erlang C per interval, and the handle-time
histogram, against hand-computed figures on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from callcenter.domain.calls import AgentState
from callcenter.domain.users import Actor
from callcenter.kpi.distribution import DistributionService, Histogram
from callcenter.kpi.forecast import IntervalForecast, forecast_day, plan_staffing
from callcenter.kpi.intervals import Interval
from callcenter.kpi.live import LiveService
from callcenter.kpi.service import KpiService
from tests.support.live_calls import add_call, add_people, set_state

ZONE = "America/New_York"
DAY = date(2026, 3, 10)  # a Tuesday, two days after the spring DST change (EDT, UTC-4)
# 10:00 in New York on the two Tuesdays before (EST, UTC-5).
WEEK_1 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
WEEK_2 = datetime(2026, 2, 24, 15, 0, tzinfo=UTC)
TEN_LOCAL = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def kpi(database) -> KpiService:
    return KpiService(database, Actor("sue"), ZONE)


def test_the_forecast_averages_the_same_weekday_by_local_time(database):
    ids = add_people(database)
    support = ids["support"]
    for talk in (95, 195, 295):  # handle 100, 200, 300 s (the 5 s wait is not handle time)
        add_call(database, support, WEEK_1, wait_s=5, talk_s=talk, agent_id=ids["ann"], acw_s=5)
    add_call(database, support, WEEK_2, wait_s=5, talk_s=400, agent_id=ids["bob"])
    # Another weekday and another queue do not count.
    add_call(database, support, WEEK_1 + timedelta(days=1), wait_s=1, talk_s=9)
    add_call(database, ids["sales"], WEEK_1, wait_s=1, talk_s=9)
    set_state(database, ids["ann"], AgentState.AVAILABLE, TEN_LOCAL)
    set_state(database, ids["ann"], AgentState.LOGGED_OUT, TEN_LOCAL + timedelta(minutes=30))
    set_state(database, ids["bob"], AgentState.AVAILABLE, TEN_LOCAL + timedelta(minutes=15))
    set_state(database, ids["bob"], AgentState.LOGGED_OUT, TEN_LOCAL + timedelta(minutes=30))

    day = forecast_day(
        kpi(database),
        support,
        DAY,
        Interval.QUARTER_HOUR,
        weeks=2,
        now=datetime(2026, 3, 11, tzinfo=UTC),
    )

    assert day.weeks == 2 and len(day.intervals) == 96
    by_time = {row.start.strftime("%H:%M"): row for row in day.intervals}
    ten = by_time["10:00"]
    assert ten.start == TEN_LOCAL and ten.seconds == 900
    assert ten.calls == 2.0  # (3 + 1) / 2 weeks
    assert ten.aht_s == 250.0  # (100 + 200 + 300 + 400) / 4
    assert ten.logged_in == 1.0
    assert by_time["10:15"].logged_in == 2.0
    assert by_time["10:30"].logged_in == 0.0
    assert by_time["11:00"].calls == 0.0 and by_time["11:00"].aht_s is None
    assert day.overall_aht_s == 250.0


def test_the_forecast_refuses_day_intervals_and_no_history(database):
    with pytest.raises(ValueError, match="15 minutes or per hour"):
        forecast_day(kpi(database), 1, DAY, Interval.DAY)
    with pytest.raises(ValueError, match="at least one week"):
        forecast_day(kpi(database), 1, DAY, weeks=0)


def test_staffing_per_interval_reproduces_the_worked_example():
    half_hour = IntervalForecast(TEN_LOCAL, 1800, 100.0, 180.0, 3.0)
    quiet = IntervalForecast(TEN_LOCAL + timedelta(minutes=30), 1800, 0.0, None, 0.0)
    rows = plan_staffing([(half_hour, 100.0, 180.0), (quiet, 0.0, 180.0)], 80, 20, 30)
    busy = rows[0].staffing
    assert busy.agents == 14 and busy.scheduled == 20  # 14 / (1 - 0.3)
    assert round(100 * busy.p_wait, 1) == 17.4
    assert round(100 * busy.service_level, 1) == 88.8
    assert round(busy.asa_s, 1) == 7.8
    assert rows[1].staffing.agents == 0


def test_handle_times_of_an_agent_beside_the_team(database):
    ids = add_people(database)
    ann, bob, support = ids["ann"], ids["bob"], ids["support"]
    for talk in (10, 45, 700):  # bins 0, 1 and the last (everything longer)
        add_call(database, support, TEN_LOCAL, wait_s=1, talk_s=talk, agent_id=ann)
    add_call(database, support, TEN_LOCAL, wait_s=1, talk_s=55, agent_id=bob, acw_s=10)
    add_call(database, support, TEN_LOCAL, wait_s=1, agent_id=bob)  # not ended: not counted
    add_call(database, support, TEN_LOCAL - timedelta(days=2), wait_s=1, talk_s=5, agent_id=ann)
    service = DistributionService(database, Actor("sue"))
    start, end = TEN_LOCAL - timedelta(hours=1), TEN_LOCAL + timedelta(hours=1)

    mine = service.handle_times(start, end, agent_ids=[ann])
    red = LiveService(database, Actor("sue"), ZONE).directory().teams[0][0]
    team = service.handle_times(start, end, team_ids=[red])

    assert mine.bin_s == 30 and len(mine.counts) == 20
    assert (mine.counts[0], mine.counts[1], mine.counts[19], mine.total) == (1, 1, 1, 3)
    assert team.counts[2] == 1 and team.total == 4  # bob: 55 s talk + 10 s wrap-up = 65 s
    assert [round(share, 1) for share in team.shares_pct()[:3]] == [25.0, 25.0, 25.0]


def test_an_empty_histogram_has_no_shares():
    assert Histogram(30, (0, 0)).shares_pct() == (0.0, 0.0)
