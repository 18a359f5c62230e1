"""Latency samples to percentiles, the same way for every scenario."""

from __future__ import annotations

import time
from collections.abc import Sequence

clock = time.perf_counter_ns


def percentile(ordered: Sequence[int], fraction: float) -> float:
    """Linear interpolation between the closest ranks of an ordered sample."""
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples_ns: Sequence[int], prefix: str = "") -> dict[str, float]:
    """`{prefix}p50_ms`, `p95_ms` and `p99_ms` of nanosecond samples."""
    ordered = sorted(samples_ns)
    return {
        f"{prefix}p{int(q * 100)}_ms": round(percentile(ordered, q) / 1e6, 4)
        for q in (0.50, 0.95, 0.99)
    }
