"""Demo call history: a day's callers through one queue of agents, and the agents' states."""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from callcenter.domain.calls import AgentState, Direction
from callcenter.services.demo_people import NumberRange
from callcenter.services.demo_plan import DayPlan
from callcenter.services.demo_rows import (
    COURSE,
    PARTIES,
    DayRows,
    TimestampText,
    finish_day,
    new_call,
)

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

_INBOUND = Direction.INBOUND.value
_OUTBOUND = Direction.OUTBOUND.value
_AVAILABLE = AgentState.AVAILABLE.value
_ON_CALL = AgentState.ON_CALL.value
_ACW = AgentState.AFTER_CALL_WORK.value
_BREAK = AgentState.BREAK.value


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


def simulate_day(day: DayPlan, ctx: CallContext) -> DayRows:
    """The day's calls in arrival order through one queue of agents (longest idle first).

    Each agent's time is a run of spans: available while waiting for a call, on the call,
    in after-call work, on a break; off shift (no span) is logged out.
    """
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
    result = DayRows()
    queue_cum = list(accumulate(ctx.queue_weights))
    in_cum = list(accumulate(ctx.inbound_weights))
    out_cum = list(accumulate(ctx.outbound_weights))
    customers = len(ctx.customer_keys)
    frequent = max(1, customers // 20)
    random_, gauss = rng.random, rng.gauss
    push, pop = heapq.heappush, heapq.heappop
    template = new_call(ctx.login)

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
        row = template.copy()
        got = acquire(t) if customers and random_() < OUTBOUND_SHARE else None
        if got is not None:
            i, free_at = got
            c = customer()
            started = max(t, free_at)
            ring = between(6, 25)
            queued = None
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
            busy_from = started
            row[PARTIES] = (
                _OUTBOUND,
                None,
                c,
                agent_of[i],
                None,
                None,
                ctx.customer_raws[c],
                ctx.customer_keys[c],
            )
        else:
            result.inbound += 1
            started = t
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
            customer_id: int | None = None
            if roll < WITHHELD_SHARE or (not customers and roll < 0.5):
                caller_raw, caller_key = "anonymous", None
            elif roll < WITHHELD_SHARE + UNKNOWN_SHARE or not customers:
                caller_key, caller_raw = rng.choice(ctx.unknown_numbers).number(rng)
            else:
                customer_id = customer()
                caller_key = ctx.customer_keys[customer_id]
                # Most trunks send E.164; some send the number as the customer gave it.
                caller_raw = caller_key if random_() < 0.8 else ctx.customer_raws[customer_id]
            if customer_id is None:
                result.unknown += 1
            line_key, line_raw = ctx.queue_lines[queue]
            row[PARTIES] = (
                _INBOUND,
                ctx.queue_ids[queue],
                customer_id,
                None if answered is None else agent_of[i],
                caller_raw,
                caller_key,
                line_raw,
                line_key,
            )
            if answered is None:
                result.abandoned += 1
                row[COURSE] = (t, queued, None, queued + max(1, int(patience)), 0, 0, None, None)
                calls.append(row)
                continue
            ended = answered + talk_time()
            code = pick(ctx.inbound_codes, in_cum)
            acw = WRAP_UP_TIMEOUT_S if code == ctx.timeout_code else int(gamma2(12)) + 2
            hold = (
                between(10, max(10, min(300, (ended - answered) // 2))) if random_() < 0.18 else 0
            )
            busy_from = answered
        # The agent: available until the call, on it, then in after-call work.
        agent = agent_of[i]
        if busy_from > free_at:
            states.append((agent, _AVAILABLE, None, free_at, busy_from))
        states.append((agent, _ON_CALL, None, busy_from, ended))
        if acw:
            states.append((agent, _ACW, None, ended, ended + acw))
        push(heap, (ended + acw, i))
        notes = rng.choice(CALL_NOTES) if random_() < 0.04 else None
        row[COURSE] = (started, queued, answered, ended, hold, acw, code, notes)
        calls.append(row)
    # Everyone still on shift takes their breaks and logs out at the end of it.
    acquire(_FAR_FUTURE)
    return finish_day(result, calls, states, day.first_seq, ctx.uid_prefix, ctx.now, ctx.timestamp)
