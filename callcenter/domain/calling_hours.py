"""Calling hours: when customers may be called, in their own local time, and when next."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Closed(enum.StrEnum):
    """Why a moment is outside calling hours."""

    NOT_A_BUSINESS_DAY = "not_a_business_day"
    BEFORE_OPENING = "before_opening"
    AFTER_CLOSING = "after_closing"


@dataclass(frozen=True, slots=True)
class CallingHoursRule:
    """[start, end) in the customer's local time, on business days (Monday 0 ... Sunday 6)."""

    start_minute: int = 8 * 60
    end_minute: int = 21 * 60
    business_days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    @classmethod
    def from_text(cls, hours: str, days: Iterable[str]) -> CallingHoursRule:
        """From the settings' forms: "08:00-21:00" and ("mon", "tue", ...)."""
        start, end = parse_hours(hours)
        return cls(start, end, frozenset(DAY_NAMES.index(day) for day in parse_days(days)))

    @property
    def hours_text(self) -> str:
        return f"{_clock(self.start_minute)}-{_clock(self.end_minute)}"

    @property
    def days_text(self) -> tuple[str, ...]:
        return tuple(DAY_NAMES[day] for day in sorted(self.business_days))

    def closed(self, at: datetime, zone: ZoneInfo) -> Closed | None:
        """None when `at` is within calling hours in `zone`, else why it is not."""
        local = at.astimezone(zone)
        if local.weekday() not in self.business_days:
            return Closed.NOT_A_BUSINESS_DAY
        minute = local.hour * 60 + local.minute
        if minute < self.start_minute:
            return Closed.BEFORE_OPENING
        if minute >= self.end_minute:
            return Closed.AFTER_CLOSING
        return None

    def next_allowed(self, at: datetime, zone: ZoneInfo) -> datetime:
        """`at` itself when allowed, else the next opening in `zone`; in UTC."""
        if self.closed(at, zone) is None:
            return at.astimezone(UTC)
        local = at.astimezone(zone)
        opening = time(self.start_minute // 60, self.start_minute % 60)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            if day.weekday() not in self.business_days:
                continue
            candidate = datetime.combine(day, opening, tzinfo=zone)
            if candidate > at:
                return candidate.astimezone(UTC)
        raise ValueError("calling hours allow no day of the week")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hours(value: Any) -> tuple[int, int]:
    """ "08:00-21:00" -> (480, 1260); the end may be 24:00."""
    match = _HOURS.match(str(value))
    if not match:
        raise ValueError(f"{value!r} must be a range of local times such as 08:00-21:00")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"{value!r} holds a time that does not exist")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start >= end:
        raise ValueError(f"{value!r} must end after it starts")
    return start, end


def parse_days(value: Any) -> tuple[str, ...]:
    """ "mon-fri", "mon,tue,sat" or a list of names -> ("mon", ...), in week order."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple | frozenset | set):
        raise ValueError('must be a list of days, e.g. ["mon", "tue"] or "mon-fri"')
    days: set[int] = set()
    for item in items:
        text = str(item).strip().lower()
        if not text:
            continue
        first, _, last = text.partition("-")
        try:
            lo = DAY_NAMES.index(first[:3])
            hi = DAY_NAMES.index(last[:3]) if last else lo
        except ValueError:
            raise ValueError(f"{item!r} is not a day (mon, tue, wed, thu, fri, sat, sun)") from None
        if hi < lo:
            raise ValueError(f"{item!r} must run forward through the week, e.g. mon-fri")
        days.update(range(lo, hi + 1))
    if not days:
        raise ValueError("must name at least one day")
    return tuple(DAY_NAMES[day] for day in sorted(days))


def hours_setting(value: Any) -> str:
    """The `callbacks.calling_hours` setting, checked and written the one way."""
    start, end = parse_hours(value)
    return f"{_clock(start)}-{_clock(end)}"


def number_setting(low: int, high: int, unit: str = "") -> Callable[[Any], int]:
    """A parser for a whole number (of `unit`) between `low` and `high`."""
    what = f"a whole number of {unit}" if unit else "a whole number"

    def parse(value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} must be {what}") from None
        if not low <= number <= high:
            raise ValueError(f"{number} must be between {low} and {high}")
        return number

    return parse


def flag_setting(value: Any) -> bool:
    """true/false, yes/no, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise ValueError(f"{value!r} must be true or false")
