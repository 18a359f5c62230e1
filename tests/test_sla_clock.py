"""Business-time arithmetic: weekends, holidays, overnight, DST in the calendar's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from callcenter.domain.sla_clock import (
    Calendar,
    CalendarError,
    add_business_seconds,
    business_seconds,
)

PARIS = ZoneInfo("Europe/Paris")
NINE_TO_FIVE = {str(day): [["09:00", "17:00"]] for day in range(5)}
HOUR = 3600


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.fixture
def calendar() -> Calendar:
    # 2026-05-01 (a Friday) is a holiday.
    return Calendar.parse("Europe/Paris", NINE_TO_FIVE, [date(2026, 5, 1)])


def test_inside_one_working_day(calendar: Calendar) -> None:
    assert business_seconds(calendar, paris(2026, 3, 2, 10), paris(2026, 3, 2, 12)) == 2 * HOUR
    assert add_business_seconds(calendar, paris(2026, 3, 2, 10), 2 * HOUR) == paris(2026, 3, 2, 12)


def test_overnight_counts_only_the_working_hours(calendar: Calendar) -> None:
    # Monday 16:00 to Tuesday 10:00: one hour each side of the night.
    assert business_seconds(calendar, paris(2026, 3, 2, 16), paris(2026, 3, 3, 10)) == 2 * HOUR
    assert add_business_seconds(calendar, paris(2026, 3, 2, 16), 2 * HOUR) == paris(2026, 3, 3, 10)
    # Started at night: the clock runs from nine.
    assert add_business_seconds(calendar, paris(2026, 3, 3, 3), HOUR) == paris(2026, 3, 3, 10)


def test_the_weekend_is_skipped(calendar: Calendar) -> None:
    friday_four, monday_ten = paris(2026, 3, 6, 16), paris(2026, 3, 9, 10)
    assert business_seconds(calendar, friday_four, monday_ten) == 2 * HOUR
    assert add_business_seconds(calendar, friday_four, 2 * HOUR) == monday_ten
    # Saturday to Sunday: nothing.
    assert business_seconds(calendar, paris(2026, 3, 7, 9), paris(2026, 3, 8, 18)) == 0


def test_holidays_are_skipped(calendar: Calendar) -> None:
    thursday_four = paris(2026, 4, 30, 16)
    # Friday 1 May is a holiday, then the weekend: Monday 4 May at ten.
    assert add_business_seconds(calendar, thursday_four, 2 * HOUR) == paris(2026, 5, 4, 10)
    assert business_seconds(calendar, thursday_four, paris(2026, 5, 4, 10)) == 2 * HOUR


def test_a_pause_and_resume_keep_what_was_used(calendar: Calendar) -> None:
    # Eight business hours; four used Monday 9-13, paused until Wednesday 15:00.
    used = business_seconds(calendar, paris(2026, 3, 2, 9), paris(2026, 3, 2, 13))
    due = add_business_seconds(calendar, paris(2026, 3, 4, 15), 8 * HOUR - used)
    assert used == 4 * HOUR
    assert due == paris(2026, 3, 5, 11)


def test_dst_spring_forward_keeps_wall_clock_hours() -> None:
    # Paris moves clocks forward at 02:00 on Sunday 29 March 2026; a 24-hour calendar
    # has a 23-hour day, a 9-17 calendar still has eight hours on Monday.
    always = Calendar.parse("Europe/Paris", {str(d): [["00:00", "00:00"]] for d in range(7)}, [])
    day = business_seconds(always, paris(2026, 3, 29, 0), paris(2026, 3, 30, 0))
    assert day == 23 * HOUR
    assert add_business_seconds(always, paris(2026, 3, 29, 1), HOUR) == paris(2026, 3, 29, 3)
    office = Calendar.parse("Europe/Paris", NINE_TO_FIVE, [])
    friday_four = paris(2026, 3, 27, 16)
    assert add_business_seconds(office, friday_four, 2 * HOUR) == paris(2026, 3, 30, 10)
    # In UTC: 15:00 Friday (UTC+1) to 08:00 Monday (UTC+2).
    assert add_business_seconds(office, friday_four, 2 * HOUR).astimezone(UTC) == datetime(
        2026, 3, 30, 8, tzinfo=UTC
    )


def test_dst_fall_back_gives_a_25_hour_day() -> None:
    always = Calendar.parse("Europe/Paris", {str(d): [["00:00", "00:00"]] for d in range(7)}, [])
    assert business_seconds(always, paris(2026, 10, 25, 0), paris(2026, 10, 26, 0)) == 25 * HOUR
    office = Calendar.parse("Europe/Paris", NINE_TO_FIVE, [])
    assert business_seconds(office, paris(2026, 10, 23, 9), paris(2026, 10, 26, 17)) == 16 * HOUR


def test_working_hours_in_new_york_seen_from_utc() -> None:
    new_york = Calendar.parse("America/New_York", NINE_TO_FIVE, [])
    start = datetime(2026, 3, 2, 12, tzinfo=UTC)  # 07:00 in New York: before opening
    assert add_business_seconds(new_york, start, HOUR) == datetime(2026, 3, 2, 15, tzinfo=UTC)


def test_split_shifts_and_zero() -> None:
    split = Calendar.parse("UTC", {"0": [["08:00", "12:00"], ["13:00", "17:00"]]}, [])
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    assert business_seconds(split, monday, monday + timedelta(days=1)) == 8 * HOUR
    assert add_business_seconds(split, monday + timedelta(hours=11), 2 * HOUR) == monday + (
        timedelta(hours=14)
    )
    assert add_business_seconds(split, monday, 0) == monday
    assert business_seconds(split, monday + timedelta(hours=9), monday) == 0


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(CalendarError):
        Calendar.parse("UTC", {"0": [["17:00", "09:00"]]}, [])
    with pytest.raises(CalendarError):
        Calendar.parse("UTC", {"7": [["09:00", "17:00"]]}, [])
    never = Calendar(ZoneInfo("UTC"), {}, frozenset())
    with pytest.raises(CalendarError):
        add_business_seconds(never, datetime(2026, 1, 1, tzinfo=UTC), 1)
    with pytest.raises(ValueError, match="naive"):
        business_seconds(never, datetime(2026, 1, 1), datetime(2026, 1, 2))
    assert Calendar(ZoneInfo("UTC"), {0: ((time(9), time(17)),)}).hours[0][0][0] == time(9)
