"""The demo call plan: how many calls each open hour gets, and which agents work which shifts."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# Each open hour's share of its day's calls: a mid-morning and an early-afternoon peak.
_WEEKDAY_HOURS = {
    8: 0.45,
    9: 0.9,
    10: 1.35,
    11: 1.3,
    12: 0.85,
    13: 1.05,
    14: 1.15,
    15: 1.0,
    16: 0.85,
    17: 0.6,
    18: 0.35,
    19: 0.2,
}
_SATURDAY_HOURS = {9: 0.6, 10: 1.0, 11: 1.1, 12: 0.9, 13: 0.8, 14: 0.7, 15: 0.5, 16: 0.3}
_SUNDAY_HOURS = {10: 0.7, 11: 1.0, 12: 0.9, 13: 0.8, 14: 0.6, 15: 0.4}
OPEN_HOURS: tuple[dict[int, float], ...] = (
    *(_WEEKDAY_HOURS,) * 5,
    _SATURDAY_HOURS,
    _SUNDAY_HOURS,
)
# Monday is busiest; weekends see a fraction of a weekday's calls.
DAY_WEIGHTS = (1.1, 1.0, 0.97, 0.95, 0.9, 0.35, 0.15)

SHIFT_S = 8 * 3600
# Staffing: a call takes about this long including wrap-up, and agents are kept this busy.
HANDLE_S = 250
OCCUPANCY = 0.9


@dataclass(frozen=True, slots=True)
class Shift:
    agent: int
    start: int
    end: int
    breaks: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One local day: its open hours as (start, end, calls) in epoch seconds, and who works."""

    index: int
    first_seq: int
    slots: tuple[tuple[int, int, int], ...]
    shifts: tuple[Shift, ...]

    @property
    def calls(self) -> int:
        return sum(count for _start, _end, count in self.slots)


@dataclass(frozen=True, slots=True)
class CallPlan:
    days: tuple[DayPlan, ...]
    agents: int

    @property
    def calls(self) -> int:
        return sum(day.calls for day in self.days)


def plan_calls(
    total: int, seed: int, run: int, start: int, end: int, timezone: ZoneInfo
) -> CallPlan:
    """Spread `total` calls over the open hours between `start` and `end` and staff them."""
    rng = random.Random(f"{seed}:{run}:volume")
    slots: list[tuple[int, int, int, float]] = []
    closes: list[int] = []
    day = datetime.fromtimestamp(start, timezone).date()
    last_day = datetime.fromtimestamp(end, timezone).date()
    index = 0
    while day <= last_day:
        hours = OPEN_HOURS[day.weekday()]
        factor = DAY_WEIGHTS[day.weekday()] * rng.uniform(0.85, 1.15) / sum(hours.values())
        closes.append(_local(day, max(hours) + 1, timezone))
        for hour, weight in hours.items():
            t0 = _local(day, hour, timezone)
            a, b = max(t0, start), min(t0 + 3600, end)
            if a < b:
                slots.append((index, a, b, factor * weight * (b - a) / 3600))
        day += timedelta(days=1)
        index += 1
    counts = _allocate(total, [w for *_, w in slots])
    by_day: list[list[tuple[int, int, int]]] = [[] for _ in closes]
    for (day_index, a, b, _w), count in zip(slots, counts, strict=True):
        by_day[day_index].append((a, b, count))
    day_shifts = [
        _shifts(day_slots, close) for day_slots, close in zip(by_day, closes, strict=True)
    ]
    agents = max(3, math.ceil(max((len(s) for s in day_shifts), default=0) * 1.3))
    worked = [0] * agents
    days: list[DayPlan] = []
    seq = 0
    for index, (day_slots, spans) in enumerate(zip(by_day, day_shifts, strict=True)):
        # Whoever worked least so far works today; ties rotate so nobody always starts early.
        order = sorted(range(agents), key=lambda a: (worked[a], (a - index * 7) % agents))
        shifts = []
        for agent, (s, e) in zip(order, spans, strict=False):
            worked[agent] += 1
            shifts.append(
                Shift(agent, s, e, _breaks(s, e, random.Random(f"{seed}:{run}:{index}:{agent}")))
            )
        days.append(DayPlan(index, seq, tuple(day_slots), tuple(shifts)))
        seq += days[-1].calls
    return CallPlan(tuple(days), agents)


def _local(day: date, hour: int, timezone: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, hour, tzinfo=timezone).timestamp())


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly (largest remainders)."""
    weight = sum(weights)
    if not weights or weight <= 0:
        return [0] * len(weights)
    exact = [total * w / weight for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _shifts(slots: Sequence[tuple[int, int, int]], close: int) -> list[tuple[int, int]]:
    """Shifts starting on the hour, added where the hour's calls need more agents than work."""
    shifts: list[tuple[int, int]] = []
    for start, _end, count in slots:
        need = math.ceil(count * HANDLE_S / 3600 / OCCUPANCY)
        active = sum(1 for s, e in shifts if s <= start < e)
        shifts.extend((start, min(start + SHIFT_S, close)) for _ in range(need - active))
    return shifts


def _breaks(start: int, end: int, rng: random.Random) -> tuple[tuple[int, int, str], ...]:
    length = end - start
    if length >= 6 * 3600:
        planned = [
            (2 * 3600, 900, "break"),
            (length // 2, 1800, "lunch"),
            (length - 6300, 900, "break"),
        ]
    elif length >= 3 * 3600:
        planned = [(length // 2, 900, "break")]
    else:
        return ()
    return tuple(
        (start + at + rng.randint(-600, 600), seconds, why) for at, seconds, why in planned
    )
