"""Demo call history: opening hours, daily and weekly volume, staffed shifts, a queue per day."""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from callcenter.domain.calls import AgentState, CallSource, Direction
from callcenter.services.demo_people import NumberRange

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
OUTBOUND_SHARE = 0.15
WITHHELD_SHARE = 0.02
UNKNOWN_SHARE = 0.10
# Callers wait at least this long, then give up at random (exponential); a few hang up at once.
PATIENCE_MIN_S = 20
PATIENCE_MEAN_S = 150
SHORT_ABANDON_SHARE = 0.03
# Talk time is log-normal: median about three minutes, a long tail of long calls.
TALK_MU = math.log(170)
TALK_SIGMA = 0.65
WRAP_UP_TIMEOUT_S = 120
_FAR_FUTURE = 2**62

CALL_NOTES = (
    "Customer asked for a copy of the invoice.",
    "Promised a call back tomorrow morning.",
    "Escalated to second line.",
    "Address updated.",
    "Explained the new tariff.",
    "Customer unhappy about the waiting time.",
    "Refund approved.",
    "Technician visit booked.",
)

CALL_COLUMNS = (
    "call_uid",
    "direction",
    "queue_id",
    "customer_id",
    "agent_id",
    "caller_raw",
    "caller_key",
    "dialled_raw",
    "dialled_key",
    "started_at",
    "queued_at",
    "answered_at",
    "ended_at",
    "hold_s",
    "acw_s",
    "disposition_code",
    "notes",
    "source",
    "source_call_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
)
STATE_COLUMNS = ("agent_id", "state", "reason", "started_at", "ended_at")

_INBOUND = Direction.INBOUND.value
_OUTBOUND = Direction.OUTBOUND.value
_DEMO = CallSource.DEMO.value
_AVAILABLE = AgentState.AVAILABLE.value
_ON_CALL = AgentState.ON_CALL.value
_ACW = AgentState.AFTER_CALL_WORK.value
_BREAK = AgentState.BREAK.value


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


@dataclass(frozen=True)
class CallContext:
    """What the day simulation needs: ids, numbers and codes.

    Customers are known by their index in `customer_keys`; the call rows carry that index in
    `customer_id` until the writer swaps in the id the database gave the customer.
    """

    seed: int
    run: int
    now: int
    uid_prefix: str
    login: str
    queue_ids: Sequence[int]
    queue_weights: Sequence[float]
    queue_lines: Sequence[tuple[str, str]]
    agent_ids: Sequence[int]
    customer_keys: Sequence[str]
    customer_raws: Sequence[str]
    unknown_numbers: Sequence[NumberRange]
    inbound_codes: Sequence[str]
    inbound_weights: Sequence[float]
    outbound_codes: Sequence[str]
    outbound_weights: Sequence[float]
    no_answer_code: str | None
    timeout_code: str | None
    timestamp: TimestampText


@dataclass
class DayResult:
    """A day's rows ready to write (customers still as indexes), and what they add up to."""

    calls: list[list[Any]]
    states: list[tuple[Any, ...]]
    inbound: int = 0
    abandoned: int = 0
    unknown: int = 0


def simulate_day(day: DayPlan, ctx: CallContext) -> DayResult:
    """The day's calls in arrival order through one queue of agents (longest idle first)."""
    rng = random.Random(f"{ctx.seed}:{ctx.run}:day:{day.index}")
    arrivals = sorted(
        a + int(rng.random() * (b - a)) for a, b, count in day.slots for _ in range(count)
    )
    shifts = day.shifts
    agent_of = [ctx.agent_ids[s.agent] for s in shifts]
    heap = [(s.start, i) for i, s in enumerate(shifts)]
    heapq.heapify(heap)
    next_break = [0] * len(shifts)
    states: list[tuple[Any, ...]] = []
    calls: list[list[Any]] = []
    result = DayResult([], states)
    queue_cum = list(accumulate(ctx.queue_weights))
    in_cum = list(accumulate(ctx.inbound_weights))
    out_cum = list(accumulate(ctx.outbound_weights))
    customers = len(ctx.customer_keys)
    frequent = max(1, customers // 20)
    random_, gauss = rng.random, rng.gauss
    push, pop = heapq.heappush, heapq.heappop

    def acquire(ready: int) -> tuple[int, int] | None:
        """The agent free soonest (after due breaks; off shift ones log out), and since when."""
        while heap:
            free_at, i = pop(heap)
            shift = shifts[i]
            at = free_at if free_at > ready else ready
            b = next_break[i]
            if b < len(shift.breaks) and shift.breaks[b][0] <= at:
                next_break[i] = b + 1
                if free_at < shift.end:
                    start, seconds, reason = shift.breaks[b]
                    start = max(start, free_at)
                    if start > free_at:
                        states.append((agent_of[i], _AVAILABLE, None, free_at, start))
                    states.append((agent_of[i], _BREAK, reason, start, start + seconds))
                    free_at = start + seconds
                push(heap, (free_at, i))
                continue
            if at >= shift.end:
                if free_at < shift.end:
                    states.append((agent_of[i], _AVAILABLE, None, free_at, shift.end))
                continue
            return i, free_at
        return None

    def handle(i: int, free_at: int, start: int, end: int, acw: int) -> None:
        agent = agent_of[i]
        if start > free_at:
            states.append((agent, _AVAILABLE, None, free_at, start))
        states.append((agent, _ON_CALL, None, start, end))
        if acw:
            states.append((agent, _ACW, None, end, end + acw))
        push(heap, (end + acw, i))

    def between(low: int, high: int) -> int:
        # What rng.randint does, at a fraction of its cost; millions of calls add up.
        return low + int(random_() * (high - low + 1))

    def pick(items: Sequence[Any], cum_weights: Sequence[float]) -> Any:
        return items[min(len(items) - 1, bisect(cum_weights, random_() * cum_weights[-1]))]

    def gamma2(scale: float) -> float:
        """Gamma with shape 2: the sum of two exponentials."""
        return -scale * math.log((1.0 - random_()) * (1.0 - random_()))

    def talk_time() -> int:
        return min(5400, max(15, int(math.exp(TALK_MU + TALK_SIGMA * gauss()))))

    def customer() -> int:
        # One customer in twenty is a frequent caller and makes a third of the calls.
        if random_() < 0.35:
            return int(random_() * frequent)
        return int(random_() * customers)

    for t in arrivals:
        got = acquire(t) if customers and random_() < OUTBOUND_SHARE else None
        if got is not None:
            i, free_at = got
            c = customer()
            started = max(t, free_at)
            ring = between(6, 25)
            if random_() < 0.68:
                answered: int | None = started + ring
                ended = started + ring + talk_time()
                code: str | None = pick(ctx.outbound_codes, out_cum)
            else:
                answered, ended, code = None, started + between(20, 40), ctx.no_answer_code
            acw = WRAP_UP_TIMEOUT_S if code == ctx.timeout_code else int(gamma2(8))
            hold = (
                between(10, max(10, min(240, (ended - started) // 3)))
                if answered and random_() < 0.1
                else 0
            )
            handle(i, free_at, started, ended, acw)
            calls.append(
                [
                    started,
                    None,
                    answered,
                    ended,
                    _OUTBOUND,
                    None,
                    c,
                    agent_of[i],
                    None,
                    None,
                    ctx.customer_raws[c],
                    ctx.customer_keys[c],
                    hold,
                    acw,
                    code,
                    rng.choice(CALL_NOTES) if random_() < 0.04 else None,
                ]
            )
            continue
        result.inbound += 1
        queue = pick(range(len(ctx.queue_ids)), queue_cum)
        queued = t + between(4, 25)
        if random_() < SHORT_ABANDON_SHARE:
            patience = random_() * 8  # misdialled, or hung up on hearing the menu
        else:
            patience = PATIENCE_MIN_S - PATIENCE_MEAN_S * math.log(1.0 - random_())
        got = acquire(queued)
        answered = None
        if got is not None:
            i, free_at = got
            answered = max(free_at, queued) + between(2, 7)
            if answered - queued > patience:
                push(heap, (free_at, i))
                answered = None
        roll = random_()
        if roll < WITHHELD_SHARE or (not customers and roll < 0.5):
            customer_id, caller_raw, caller_key = None, "anonymous", None
        elif roll < WITHHELD_SHARE + UNKNOWN_SHARE or not customers:
            caller_key, caller_raw = rng.choice(ctx.unknown_numbers).number(rng)
            customer_id = None
        else:
            c = customer()
            customer_id, caller_key = c, ctx.customer_keys[c]
            # Most trunks send E.164; some send the number as the customer gave it.
            caller_raw = caller_key if random_() < 0.8 else ctx.customer_raws[c]
        if customer_id is None:
            result.unknown += 1
        line_key, line_raw = ctx.queue_lines[queue]
        if answered is None:
            result.abandoned += 1
            calls.append(
                [
                    t,
                    queued,
                    None,
                    queued + max(1, int(patience)),
                    _INBOUND,
                    ctx.queue_ids[queue],
                    customer_id,
                    None,
                    caller_raw,
                    caller_key,
                    line_raw,
                    line_key,
                    0,
                    0,
                    None,
                    None,
                ]
            )
            continue
        ended = answered + talk_time()
        code = pick(ctx.inbound_codes, in_cum)
        acw = WRAP_UP_TIMEOUT_S if code == ctx.timeout_code else int(gamma2(12)) + 2
        hold = between(10, max(10, min(300, (ended - answered) // 2))) if random_() < 0.18 else 0
        handle(i, free_at, answered, ended, acw)
        calls.append(
            [
                t,
                queued,
                answered,
                ended,
                _INBOUND,
                ctx.queue_ids[queue],
                customer_id,
                agent_of[i],
                caller_raw,
                caller_key,
                line_raw,
                line_key,
                hold,
                acw,
                code,
                rng.choice(CALL_NOTES) if random_() < 0.04 else None,
            ]
        )
    # Everyone still on shift takes their breaks and logs out at the end of it.
    acquire(_FAR_FUTURE)
    calls.sort(key=lambda row: row[0])
    ts = ctx.timestamp.formatter(min(arrivals, default=0), _last_moment(calls, states))
    result.calls = [_call_row(row, day.first_seq + k, ctx, ts) for k, row in enumerate(calls)]
    result.states = _state_rows(states, ctx, ts)
    return result


def _last_moment(calls: list[list[Any]], states: list[tuple[Any, ...]]) -> int:
    ends = [row[3] + row[13] for row in calls] + [row[4] for row in states]
    return max(ends, default=0)


def _call_row(row: list[Any], seq: int, ctx: CallContext, ts: Callable[[int], str]) -> list[Any]:
    (
        started,
        queued,
        answered,
        ended,
        direction,
        queue_id,
        customer_id,
        agent_id,
        caller_raw,
        caller_key,
        dialled_raw,
        dialled_key,
        hold,
        acw,
        code,
        notes,
    ) = row
    now = ctx.now
    if ended > now:
        # Still going on at the end of the history: waiting, or talking with the agent.
        if answered is not None and answered > now:
            answered = None
            if direction == _INBOUND:
                agent_id = None
        ended, hold, acw, code, notes = None, 0, 0, None, None
    if queued is not None and queued > now:
        queued = None
    written = ts(ended + acw if ended is not None else started)
    return [
        f"{ctx.uid_prefix}{seq + 1:09d}",
        direction,
        queue_id,
        customer_id,
        agent_id,
        caller_raw,
        caller_key,
        dialled_raw,
        dialled_key,
        ts(started),
        None if queued is None else ts(queued),
        None if answered is None else ts(answered),
        None if ended is None else ts(ended),
        hold,
        acw,
        code,
        notes,
        _DEMO,
        None,
        1,
        written,
        ctx.login,
        written,
        ctx.login,
    ]


def _state_rows(
    states: list[tuple[Any, ...]], ctx: CallContext, ts: Callable[[int], str]
) -> list[tuple[Any, ...]]:
    """Spans in time order; those after now dropped, the one going on now left open."""
    states.sort(key=lambda row: row[3])
    now = ctx.now
    rows = []
    for agent, state, reason, start, end in states:
        if start >= now:
            break
        rows.append((agent, state, reason, ts(start), None if end > now else ts(end)))
    return rows


class TimestampText:
    """Epoch seconds as the text each backend's timestamp column reads and compares.

    SQLAlchemy keeps naive UTC as `YYYY-MM-DD HH:MM:SS.ffffff` on SQLite, and text compares
    right only in exactly that form; PostgreSQL parses an explicit UTC offset. Formatting
    tens of millions of datetimes is slow, so the day and the time of day come from tables.
    """

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self._times: list[str] = []
        self._days: dict[int, str] = {}

    def formatter(self, first: int, last: int) -> Callable[[int], str]:
        """A plain function for epochs between `first` and `last`: the cheapest call there is."""
        if not self._times:
            suffix = "+00" if self.postgres else ".000000"
            self._times = [
                f"{h:02d}:{m:02d}:{s:02d}{suffix}"
                for h in range(24)
                for m in range(60)
                for s in range(60)
            ]
        days: dict[int, str] = {}
        for day in range(first // 86400, last // 86400 + 1):
            prefix = self._days.get(day)
            if prefix is None:
                prefix = self._days[day] = f"{date(1970, 1, 1) + timedelta(days=day)} "
            days[day] = prefix
        times = self._times

        def text(epoch: int) -> str:
            return days[epoch // 86400] + times[epoch % 86400]

        return text
