"""Calling hours and the callbacks settings, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from callcenter.config.settings import ConfigError, load_settings
from callcenter.domain.calling_hours import CallingHoursRule, Closed, parse_days, parse_hours
from callcenter.services.callbacks import policy_from_settings

NEW_YORK = ZoneInfo("America/New_York")
RULE = CallingHoursRule()


@pytest.mark.parametrize(
    ("local", "closed"),
    [
        (datetime(2026, 11, 23, 7, 59), Closed.BEFORE_OPENING),
        (datetime(2026, 11, 23, 8, 0), None),
        (datetime(2026, 11, 23, 20, 59), None),
        (datetime(2026, 11, 23, 21, 0), Closed.AFTER_CLOSING),
        (datetime(2026, 11, 28, 12, 0), Closed.NOT_A_BUSINESS_DAY),
    ],
)
def test_calling_hours_are_the_customers_local_time(local, closed):
    assert RULE.closed(local.replace(tzinfo=NEW_YORK), NEW_YORK) is closed


def test_the_next_allowed_slot_skips_the_night_and_the_weekend():
    friday_late = datetime(2026, 11, 27, 22, 0, tzinfo=NEW_YORK)
    assert RULE.next_allowed(friday_late, NEW_YORK) == datetime(
        2026, 11, 30, 8, 0, tzinfo=NEW_YORK
    ).astimezone(UTC)
    early = datetime(2026, 11, 23, 6, 0, tzinfo=NEW_YORK)
    assert RULE.next_allowed(early, NEW_YORK).astimezone(NEW_YORK).hour == 8
    open_now = datetime(2026, 11, 23, 12, 0, tzinfo=NEW_YORK)
    assert RULE.next_allowed(open_now, NEW_YORK) == open_now


def test_the_next_slot_is_08_00_local_across_a_clock_change():
    # Saturday 31 October 2026 evening; clocks go back on Sunday 1 November.
    saturday = datetime(2026, 10, 31, 22, 0, tzinfo=NEW_YORK)
    slot = RULE.next_allowed(saturday, NEW_YORK)
    assert slot == datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 08:00 EST is 13:00 UTC
    assert slot - saturday.astimezone(UTC) == timedelta(hours=35)


def test_a_rule_from_the_settings_text():
    rule = CallingHoursRule.from_text("09:30-17:00", ["mon-wed", "sat"])
    assert rule.hours_text == "09:30-17:00"
    assert rule.days_text == ("mon", "tue", "wed", "sat")
    assert parse_hours("8:00-24:00") == (480, 1440)
    assert parse_days("Monday-Friday") == ("mon", "tue", "wed", "thu", "fri")


@pytest.mark.parametrize("bad", ["21:00-08:00", "25:00-26:00", "8-21", "08:00-24:30"])
def test_bad_calling_hours_are_refused(bad):
    with pytest.raises(ValueError):
        parse_hours(bad)


@pytest.mark.parametrize("bad", ["", "fri-mon", "someday", []])
def test_bad_business_days_are_refused(bad):
    with pytest.raises(ValueError):
        parse_days(bad)


def test_the_callbacks_settings_make_the_policy(tmp_path):
    user_file = tmp_path / "user.toml"
    user_file.write_text(
        '[callbacks]\ncalling_hours = "09:00-20:00"\nbusiness_days = ["mon-sat"]\n'
        "conflict_minutes = 20\nmax_attempts = 5\nclose_on_inbound = true\n"
    )
    settings = load_settings(
        environ={"CALLCENTER_CALLBACK_RETRY_MINUTES": "90", "CALLCENTER_TIMEZONE": "UTC"},
        system_file=tmp_path / "none.toml",
        user_file=user_file,
    )
    policy = policy_from_settings(settings)
    assert policy.calling_hours == CallingHoursRule(540, 1200, frozenset(range(6)))
    assert policy.conflict == timedelta(minutes=20)
    assert policy.max_attempts == 5
    assert policy.retry_spacing == timedelta(minutes=90)
    assert policy.close_on_inbound is True
    assert policy.reminder_lead == timedelta(minutes=5)
    assert policy.claim_timeout == timedelta(minutes=10)
    assert policy.private_grace == timedelta(minutes=30)
    assert settings.sources["callbacks.calling_hours"].startswith("user file")


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("CALLCENTER_CALLBACK_HOURS", "21:00-08:00", "callbacks.calling_hours"),
        ("CALLCENTER_CALLBACK_CLAIM_MINUTES", "0", "callbacks.claim_minutes"),
        ("CALLCENTER_CALLBACK_CLOSE_ON_INBOUND", "maybe", "callbacks.close_on_inbound"),
        ("CALLCENTER_CALLBACK_DAYS", "funday", "callbacks.business_days"),
    ],
)
def test_a_bad_callbacks_setting_names_its_key(tmp_path, variable, value, key):
    with pytest.raises(ConfigError, match=key):
        load_settings(
            environ={variable: value},
            system_file=tmp_path / "none.toml",
            user_file=tmp_path / "none.toml",
        )
