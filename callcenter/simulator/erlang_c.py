"""Erlang C: the chance a caller waits, service level and ASA for N agents and A Erlangs.

Named apart from callcenter/kpi/ (staffing figures): this one is what the simulator is
checked against. Formulas as in ../shared/KPIS.md, "Staffing (Erlang C)".
"""

from __future__ import annotations

import math


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability by the recurrence B(k) = A B(k-1) / (k + A B(k-1)).

    Stable for any number of agents: no factorials or powers that overflow.
    """
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must not be negative")
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return b


def erlang_c(agents: int, traffic: float) -> float:
    """P(wait): the chance an arriving caller finds every agent busy; 1.0 when N <= A."""
    if agents <= traffic:
        return 1.0
    if traffic == 0:
        return 0.0
    b = erlang_b(agents, traffic)
    return agents * b / (agents - traffic * (1.0 - b))


def service_level(agents: int, traffic: float, aht_s: float, threshold_s: float) -> float:
    """The share of callers answered within `threshold_s` seconds (0 when N <= A)."""
    if agents <= traffic:
        return 0.0
    waits = erlang_c(agents, traffic)
    return 1.0 - waits * math.exp(-(agents - traffic) * threshold_s / aht_s)


def average_speed_of_answer(agents: int, traffic: float, aht_s: float) -> float:
    """ASA in seconds (infinite when N <= A)."""
    if agents <= traffic:
        return math.inf
    return erlang_c(agents, traffic) * aht_s / (agents - traffic)


def traffic_intensity(calls_per_hour: float, aht_s: float) -> float:
    """Erlangs: calls per hour x AHT / 3600 s."""
    return calls_per_hour * aht_s / 3600.0
