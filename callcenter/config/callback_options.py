"""The `callbacks.*` settings, spliced into the settings table by `callcenter.config.settings`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callcenter.domain.calling_hours import flag_setting, hours_setting, number_setting, parse_days

# (key, default, parse, environment variable, help): the fields of settings.Option, in order.
CALLBACK_OPTIONS: tuple[tuple[str, Callable[[], Any], Callable[[Any], Any], str, str], ...] = (
    (
        "callbacks.calling_hours",
        lambda: "08:00-21:00",
        hours_setting,
        "CALLCENTER_CALLBACK_HOURS",
        "Hours customers may be called back, in their local time (per queue in the database)",
    ),
    (
        "callbacks.business_days",
        lambda: ("mon", "tue", "wed", "thu", "fri"),
        parse_days,
        "CALLCENTER_CALLBACK_DAYS",
        'Days customers may be called back, e.g. "mon-fri" or ["mon", "sat"]',
    ),
    (
        "callbacks.conflict_minutes",
        lambda: 15,
        number_setting(0, 240, "minutes"),
        "CALLCENTER_CALLBACK_CONFLICT_MINUTES",
        "A callback this close to another of the agent's is flagged",
    ),
    (
        "callbacks.reminder_lead_minutes",
        lambda: 5,
        number_setting(0, 240, "minutes"),
        "CALLCENTER_CALLBACK_REMINDER_MINUTES",
        "Minutes before a callback is due that its agent is reminded",
    ),
    (
        "callbacks.claim_minutes",
        lambda: 10,
        number_setting(1, 1440, "minutes"),
        "CALLCENTER_CALLBACK_CLAIM_MINUTES",
        "A claimed callback not worked within this returns to the pool",
    ),
    (
        "callbacks.private_grace_minutes",
        lambda: 30,
        number_setting(0, 10080, "minutes"),
        "CALLCENTER_CALLBACK_GRACE_MINUTES",
        "An overdue private callback becomes the queue's after this",
    ),
    (
        "callbacks.max_attempts",
        lambda: 3,
        number_setting(1, 20),
        "CALLCENTER_CALLBACK_MAX_ATTEMPTS",
        "Attempts (no answer, busy, voicemail) before a callback is closed as failed",
    ),
    (
        "callbacks.retry_spacing_minutes",
        lambda: 60,
        number_setting(1, 10080, "minutes"),
        "CALLCENTER_CALLBACK_RETRY_MINUTES",
        "Minutes between a failed attempt and the next",
    ),
    (
        "callbacks.close_on_inbound",
        lambda: False,
        flag_setting,
        "CALLCENTER_CALLBACK_CLOSE_ON_INBOUND",
        "Close a customer's pending callbacks as 'customer called in' when their call is logged",
    ),
)
# The Settings attribute each key is read into.
CALLBACK_ATTRIBUTES = {
    "callbacks.calling_hours": "callback_calling_hours",
    "callbacks.business_days": "callback_business_days",
    "callbacks.conflict_minutes": "callback_conflict_minutes",
    "callbacks.reminder_lead_minutes": "callback_reminder_lead_minutes",
    "callbacks.claim_minutes": "callback_claim_minutes",
    "callbacks.private_grace_minutes": "callback_private_grace_minutes",
    "callbacks.max_attempts": "callback_max_attempts",
    "callbacks.retry_spacing_minutes": "callback_retry_spacing_minutes",
    "callbacks.close_on_inbound": "callback_close_on_inbound",
}
