"""Staffing by Erlang C (KPIS.md): agents needed for a service-level target, and what they give.

Erlang C comes from Erlang B by its recurrence B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)):
every step stays between 0 and 1, so hundreds or thousands of agents neither overflow a
factorial nor lose the answer to rounding. C(N, A) = N B / (N - A (1 - B)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Agents needed are looked for up to this many times the traffic (plus a margin).
_SEARCH_FACTOR = 4


def traffic(calls: float, interval_s: float, aht_s: float) -> float:
    """Traffic intensity A in Erlangs: calls per interval x AHT / interval length."""
    if interval_s <= 0 or aht_s <= 0 or calls < 0:
        raise ValueError("calls must not be negative, interval and AHT must be positive")
    return calls * aht_s / interval_s


def erlang_b(agents: int, traffic_erlangs: float) -> float:
    """Erlang B: the chance a call finds every one of `agents` busy (loss system)."""
    if agents < 0 or traffic_erlangs < 0:
        raise ValueError("agents and traffic must not be negative")
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic_erlangs * b / (k + traffic_erlangs * b)
    return b


def erlang_c(agents: int, traffic_erlangs: float) -> float:
    """P(wait): the chance a call has to queue, for N agents > A Erlangs (1 when N <= A)."""
    if traffic_erlangs == 0:
        return 0.0
    if agents <= traffic_erlangs:
        return 1.0
    b = erlang_b(agents, traffic_erlangs)
    return agents * b / (agents - traffic_erlangs * (1 - b))


@dataclass(frozen=True, slots=True)
class Staffing:
    """What N agents give for A Erlangs at a given AHT and service-level threshold."""

    agents: int
    traffic_erlangs: float
    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float
    # Agents to schedule so that `agents` are on the phones after shrinkage.
    scheduled: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "agents": self.agents,
            "traffic_erlangs": round(self.traffic_erlangs, 3),
            "p_wait_pct": round(100 * self.p_wait, 1),
            "service_level_pct": round(100 * self.service_level, 1),
            "asa_s": round(self.asa_s, 1),
            "occupancy_pct": round(100 * self.occupancy, 1),
            "scheduled_agents": self.scheduled,
        }


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Required / (1 - shrinkage), rounded up (shrinkage a fraction, 0 <= s < 1)."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be at least 0 and below 1")
    # Rounded first so that e.g. 14 / 0.7 = 20.000000000000004 is 20, not 21.
    return math.ceil(round(agents / (1 - shrinkage), 9))


def staffing(
    agents: int,
    traffic_erlangs: float,
    aht_s: float,
    threshold_s: float,
    shrinkage: float = 0.0,
) -> Staffing:
    """P(wait), SL(T) = 1 - P(wait) exp(-(N - A) T / AHT), ASA = P(wait) AHT / (N - A),
    occupancy A / N, for N agents. With N <= A the queue grows without end: no service."""
    if agents <= 0:
        raise ValueError("agents must be positive")
    a = traffic_erlangs
    if agents <= a:
        return Staffing(agents, a, 1.0, 0.0, math.inf, 1.0, scheduled_agents(agents, shrinkage))
    p_wait = erlang_c(agents, a)
    service_level = 1 - p_wait * math.exp(-(agents - a) * threshold_s / aht_s)
    asa = p_wait * aht_s / (agents - a)
    return Staffing(
        agents, a, p_wait, service_level, asa, a / agents, scheduled_agents(agents, shrinkage)
    )


def required_agents(
    calls: float,
    interval_s: float,
    aht_s: float,
    target: float,
    threshold_s: float,
    shrinkage: float = 0.0,
    max_occupancy: float | None = None,
) -> Staffing:
    """The smallest N with SL(threshold) >= target (fractions) and, if given, A / N <= the
    maximum occupancy; with what it gives and the staff to schedule for the shrinkage."""
    if not 0 < target < 1:
        raise ValueError("the service-level target must be above 0 and below 1")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError("the maximum occupancy must be above 0 and at most 1")
    a = traffic(calls, interval_s, aht_s)
    if a == 0:
        return Staffing(0, 0.0, 0.0, 1.0, 0.0, 0.0, 0)
    first = max(1, math.floor(a) + 1)
    last = first + _SEARCH_FACTOR * math.ceil(a) + 100
    # SL rises with N: a binary search over [first, last].
    low, high = first, last
    while low < high:
        middle = (low + high) // 2
        result = staffing(middle, a, aht_s, threshold_s)
        occupancy_ok = max_occupancy is None or result.occupancy <= max_occupancy
        if result.service_level >= target and occupancy_ok:
            high = middle
        else:
            low = middle + 1
    return staffing(low, a, aht_s, threshold_s, shrinkage)
