"""Staffing for a day: forecast volume and AHT per interval, agents required by Erlang C.

The forecast of an interval is the average of the calls offered in the same interval (same
local time of day) on the same weekday over the last few weeks, weeks without calls counted
as zero; its AHT is the handle time of those weeks' answered calls over their count. Beside
it, the agents actually logged in (breaks included) on the day, on average over the interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from callcenter.kpi.erlang import Staffing, required_agents
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService

DEFAULT_WEEKS = 4


@dataclass(frozen=True, slots=True)
class IntervalForecast:
    start: datetime  # in the report time zone
    seconds: int  # the interval's length (a DST change makes some shorter or longer)
    calls: float  # forecast offered calls
    aht_s: float | None  # forecast AHT; None when those weeks answered nothing then
    logged_in: float  # agents logged in on the day, on average over the interval


@dataclass(frozen=True, slots=True)
class DayForecast:
    day: date
    weeks: int
    intervals: tuple[IntervalForecast, ...]
    # The AHT over all the weeks' intervals, for intervals that have none of their own.
    overall_aht_s: float | None


def forecast_day(
    kpi: KpiService,
    queue_id: int,
    day: date,
    interval: Interval = Interval.QUARTER_HOUR,
    weeks: int = DEFAULT_WEEKS,
    now: datetime | None = None,
) -> DayForecast:
    """The forecast for `queue_id` on `day`, from the same weekday of the `weeks` weeks before."""
    if interval not in (Interval.QUARTER_HOUR, Interval.HOUR):
        raise ValueError("staffing is planned per 15 minutes or per hour")
    if weeks < 1:
        raise ValueError("the forecast needs at least one week of history")
    offered: dict[time, int] = {}
    handle_ms: dict[time, int] = {}
    completed: dict[time, int] = {}
    for back in range(1, weeks + 1):
        past = day - timedelta(weeks=back)
        buckets = kpi.plan(past, past + timedelta(days=1), interval)
        for figures in kpi.queues(buckets, by_queue=True, queue_ids=[queue_id]):
            assert figures.interval_start is not None
            slot = figures.interval_start.time()
            offered[slot] = offered.get(slot, 0) + figures.offered
            handle_ms[slot] = handle_ms.get(slot, 0) + figures.handle_ms
            completed[slot] = completed.get(slot, 0) + figures.completed
    buckets = kpi.plan(day, day + timedelta(days=1), interval)
    staffed = {
        figures.interval_start: figures.staffed_ms
        for figures in kpi.agents(buckets, AgentGrouping.ALL, now=now or datetime.now(UTC))
    }
    rows = []
    for bucket in buckets.buckets:
        slot = bucket.start.time()
        seconds = int((bucket.end - bucket.start).total_seconds())
        done = completed.get(slot, 0)
        rows.append(
            IntervalForecast(
                bucket.start,
                seconds,
                offered.get(slot, 0) / weeks,
                handle_ms.get(slot, 0) / 1000.0 / done if done else None,
                staffed.get(bucket.start, 0) / 1000.0 / seconds,
            )
        )
    all_done = sum(completed.values())
    overall = sum(handle_ms.values()) / 1000.0 / all_done if all_done else None
    return DayForecast(day, weeks, tuple(rows), overall)


@dataclass(frozen=True, slots=True)
class StaffingRow:
    forecast: IntervalForecast
    calls: float  # the forecast, or what the planner typed over it
    aht_s: float
    staffing: Staffing


def plan_staffing(
    intervals: Sequence[tuple[IntervalForecast, float, float]],
    target_pct: float,
    threshold_s: float,
    shrinkage_pct: float,
) -> list[StaffingRow]:
    """Agents required per interval (KPIS.md: the smallest N with SL(T) >= target; scheduled
    = required / (1 - shrinkage)) for (forecast, calls, AHT s) rows."""
    return [
        StaffingRow(
            forecast,
            calls,
            aht_s,
            required_agents(
                calls,
                forecast.seconds,
                aht_s,
                target_pct / 100.0,
                threshold_s,
                shrinkage_pct / 100.0,
            ),
        )
        for forecast, calls, aht_s in intervals
    ]
