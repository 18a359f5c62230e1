"""Business time: how much working time lies between two instants, and when N seconds of it end.

Pure functions on a `Calendar` (working hours per weekday in a time zone, and holidays). Hours
are local wall-clock times, so a working day across a DST change is as long as the clock on the
wall says it is: 09:00-17:00 is eight hours on either side of the change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A calendar with working hours finds its next working minute long before this; one without
# any (every day a holiday) is refused rather than searched for ever.
MAX_DAYS = 3 * 366


class CalendarError(ValueError):
    """The calendar has no working time to count: no hours, or every day a holiday."""


@dataclass(frozen=True)
class Calendar:
    """`hours[weekday]` (0 is Monday) lists (start, end) local times; an end of 00:00 means
    midnight at the end of the day."""

    timezone: ZoneInfo
    hours: Mapping[int, Sequence[tuple[time, time]]]
    holidays: frozenset[date] = field(default_factory=frozenset)
    # Working seconds of whole local days, as they are asked for: lists count many clocks
    # across the same weeks.
    _day_totals: dict[date, float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def parse(
        cls, timezone: str, hours: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[date]
    ) -> Calendar:
        """From the stored form: {"0": [["09:00", "17:00"]], ...}."""
        parsed: dict[int, tuple[tuple[time, time], ...]] = {}
        for day, spans in hours.items():
            weekday = int(day)
            if not 0 <= weekday <= 6:
                raise CalendarError(f"weekday {day!r} is not 0 (Monday) to 6 (Sunday)")
            parsed[weekday] = tuple(_span(start, end) for start, end in spans)
        return cls(ZoneInfo(timezone), parsed, frozenset(holidays))

    def spans(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The working spans of a local day, as UTC instants."""
        if day in self.holidays:
            return
        for start, end in self.hours.get(day.weekday(), ()):
            begin = _instant(day, start, self.timezone)
            finish = _instant(
                day + timedelta(days=1) if end == time(0) else day, end, self.timezone
            )
            if finish > begin:
                yield begin, finish

    def local_day(self, instant: datetime) -> date:
        return instant.astimezone(self.timezone).date()

    def day_total(self, day: date) -> float:
        """Working seconds of a whole local day."""
        total = self._day_totals.get(day)
        if total is None:
            total = sum((end - begin).total_seconds() for begin, end in self.spans(day))
            self._day_totals[day] = total
        return total


def _span(start: str, end: str) -> tuple[time, time]:
    begin, finish = time.fromisoformat(start), time.fromisoformat(end)
    if finish != time(0) and finish <= begin:
        raise CalendarError(f"working hours {start}-{end} end before they start")
    return begin, finish


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    # A wall time that does not exist (skipped by a DST jump) is read with the offset before
    # the jump, i.e. as the moment the jump happens or just after: zoneinfo's fold=0 rule.
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def _check_aware(*instants: datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None:
            raise ValueError(f"naive datetime {instant!r} given; pass an aware one")


def business_seconds(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working seconds between `start` and `end` (0 if end is not after start)."""
    _check_aware(start, end)
    if end <= start:
        return 0
    total = 0.0
    first = calendar.local_day(start)
    last = calendar.local_day(end)
    # Spans of the day before can reach past midnight into the first day (a 22:00-06:00
    # shift); the days strictly inside the range count whole.
    for day in {first - timedelta(days=1), first, last - timedelta(days=1), last}:
        for begin, finish in calendar.spans(day):
            overlap = (min(finish, end) - max(begin, start)).total_seconds()
            if overlap > 0:
                total += overlap
    day = first + timedelta(days=1)
    while day < last - timedelta(days=1):
        total += calendar.day_total(day)
        day += timedelta(days=1)
    return int(total)


def add_business_seconds(calendar: Calendar, start: datetime, seconds: int) -> datetime:
    """The instant at which `seconds` of working time counted from `start` have passed.

    Zero seconds is `start` itself, even outside working hours. CalendarError if the calendar
    has no working time within three years.
    """
    _check_aware(start)
    if seconds <= 0:
        return start
    remaining = float(seconds)
    day = calendar.local_day(start) - timedelta(days=1)
    for _ in range(MAX_DAYS):
        for begin, finish in calendar.spans(day):
            begin = max(begin, start)
            available = (finish - begin).total_seconds()
            if available <= 0:
                continue
            if remaining <= available:
                return (begin + timedelta(seconds=remaining)).astimezone(UTC)
            remaining -= available
        day += timedelta(days=1)
    raise CalendarError("the business calendar has no working hours to count SLA time in")
