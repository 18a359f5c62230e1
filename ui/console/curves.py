"""Figures per interval as arrays, made in the background so the GUI thread only draws them.

90 days of quarter hours for 50 agents are 432,000 rows: reading their figures one by one
takes about a second, too long for the GUI thread, and the same times for every agent are
converted once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from callcenter.kpi.figures import AgentFigures, QueueFigures

# (key, unit, where it comes from): agent figures per agent (or team); SL from the queues.
SERIES = (
    ("handled", "", "agent"),
    ("aht_s", " s", "agent"),
    ("service_level_pct", " %", "queue"),
    ("occupancy_pct", " %", "agent"),
    ("csat_pct", " %", "agent"),
)
AGENT_KEYS = tuple(key for key, _, source in SERIES if source == "agent")
QUEUE_KEYS = tuple(key for key, _, source in SERIES if source == "queue")


@dataclass(frozen=True, slots=True)
class Curve:
    """xs: interval starts in epoch seconds; ys[key]: the figure there (NaN: none to show)."""

    xs: np.ndarray
    ys: dict[str, np.ndarray]


class Times:
    """Epoch seconds of interval starts, converted once for all the series sharing them."""

    def __init__(self) -> None:
        self._starts: list[datetime] = []
        self._xs = np.empty(0)

    def of(self, starts: list[datetime]) -> np.ndarray:
        # Equal lists (same time zone object): compared field by field, far cheaper than
        # converting each aware datetime again.
        if starts != self._starts:
            self._starts = starts
            self._xs = np.fromiter((s.timestamp() for s in starts), float, len(starts))
        return self._xs


def curve_of(
    rows: Sequence[QueueFigures] | Sequence[AgentFigures], keys: Sequence[str], times: Times
) -> Curve:
    kept = [row for row in rows if row.interval_start is not None]
    starts = [row.interval_start for row in kept if row.interval_start is not None]
    # None (nothing to divide by) becomes NaN, which the chart draws as a gap.
    table = np.array([[getattr(row, key) for key in keys] for row in kept], dtype=float).reshape(
        len(kept), len(keys)
    )
    return Curve(times.of(starts), {key: table[:, i] for i, key in enumerate(keys)})
