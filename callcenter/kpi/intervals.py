"""Report intervals in the report time zone: bucket boundaries worked out in Python, DST included.

Every zone's offset, and every change of it, falls on a quarter hour, so a range is walked in
15-minute UTC steps and each step given its bucket key. The same key is computed in SQL from a
timestamp's epoch seconds and the offset in force (`offset_segments`), so a row lands in the
bucket Python drew. Keys: for 15 minutes and hours the bucket's start in UTC epoch seconds (the
repeated hour of an autumn DST change is two buckets); for days the local day number (a DST day
is one bucket of 23 or 25 hours); for a whole range 0.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

STEP_S = 900
DAY_S = 86_400
# No bucket is longer than a day of 25 hours, bar a whole range.
MAX_BUCKET_S = 25 * 3600


class Interval(enum.StrEnum):
    QUARTER_HOUR = "15m"
    HOUR = "hour"
    DAY = "day"
    RANGE = "range"

    @property
    def seconds(self) -> int:
        return {"15m": 900, "hour": 3600, "day": DAY_S, "range": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Bucket:
    key: int
    start: datetime  # aware, in the report time zone
    end: datetime


@dataclass(frozen=True, slots=True)
class BucketPlan:
    """The buckets of [start, end) and the offsets in force, for the SQL that fills them."""

    interval: Interval
    start: datetime
    end: datetime
    buckets: tuple[Bucket, ...]
    # (from epoch second, UTC offset in seconds), in order; the first from is the range's start.
    offset_segments: tuple[tuple[int, int], ...]

    def by_key(self) -> dict[int, Bucket]:
        return {bucket.key: bucket for bucket in self.buckets}


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone` (midnight, or the first hour after a gap)."""
    naive = datetime(day.year, day.month, day.day)
    for hour in range(0, 25):
        candidate = (naive + timedelta(hours=hour)).replace(tzinfo=zone)
        # A wall time in a gap does not survive the round trip through UTC.
        if candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate.replace(
            tzinfo=None
        ):
            return candidate
    raise ValueError(f"no start of {day} in {zone}")


def offset_at(epoch: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def bucket_key(epoch: int, offset: int, interval: Interval) -> int:
    """The key SQL computes for a timestamp at `epoch` under `offset`."""
    if interval is Interval.RANGE:
        return 0
    local = epoch + offset
    if interval is Interval.DAY:
        return local // DAY_S
    return local // interval.seconds * interval.seconds - offset


def plan(start: datetime, end: datetime, interval: Interval, zone: ZoneInfo) -> BucketPlan:
    """Buckets of [start, end), both aware instants on a quarter hour (local midnights, usually)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes")
    first, last = int(start.timestamp()), int(end.timestamp())
    if first % STEP_S or last % STEP_S:
        raise ValueError("a range starts and ends on a quarter hour")
    if last <= first:
        raise ValueError("the range ends before it starts")
    buckets: list[Bucket] = []
    segments: list[tuple[int, int]] = []
    key: int | None = None
    bucket_start = first
    for epoch in range(first, last, STEP_S):
        offset = offset_at(epoch, zone)
        if not segments or segments[-1][1] != offset:
            segments.append((epoch, offset))
        step_key = bucket_key(epoch, offset, interval)
        if step_key != key:
            if key is not None:
                buckets.append(_bucket(key, bucket_start, epoch, zone))
            key, bucket_start = step_key, epoch
    assert key is not None
    buckets.append(_bucket(key, bucket_start, last, zone))
    return BucketPlan(interval, start, end, tuple(buckets), tuple(segments))


def _bucket(key: int, start: int, end: int, zone: ZoneInfo) -> Bucket:
    return Bucket(
        key,
        datetime.fromtimestamp(start, UTC).astimezone(zone),
        datetime.fromtimestamp(end, UTC).astimezone(zone),
    )


def day_range(first: date, last_exclusive: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[first, last_exclusive) as instants: local midnights in `zone`."""
    return local_midnight(first, zone), local_midnight(last_exclusive, zone)
