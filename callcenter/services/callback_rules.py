"""Checking a callback request: the customer, their number and zone, the time, calling hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callcenter.domain.callbacks import (
    Callback,
    CallbackInvalid,
    CallbackOwner,
    CallbackPolicy,
    CallbackRequest,
    NumberZones,
    OutsideCallingHours,
    OwnerKind,
    Priority,
    Problem,
    Slot,
)
from callcenter.domain.calling_hours import DAY_NAMES, CallingHoursRule, Closed
from callcenter.domain.phone import format_for_display, normalize, place_of
from callcenter.repositories.callbacks import CallbackRepository, Party

REASON_MAX = 500
# A time typed as "now" is a little in the past by the time it is saved.
PAST_TOLERANCE = timedelta(minutes=1)
# How far ahead a free slot is looked for before giving up on suggesting one.
SLOT_SEARCH = 200


def zones_for_number(key: str, default_zone: str) -> NumberZones:
    """The zones phonenumbers places a number in; the default when it places it nowhere."""
    place = place_of(key)
    zones = place.time_zones if place else ()
    if len(zones) == 1:
        return NumberZones(key, zones, zones[0])
    if not zones:
        return NumberZones(key, (), default_zone)
    return NumberZones(key, zones, None)


def zone(name: str, field: str = "time_zone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CallbackInvalid(field, Problem.NOT_FOUND, f"{name!r} is not a time zone") from None


def describe_closed(closed: Closed, at: datetime, rule: CallingHoursRule, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    when = f"{local:%H:%M} on {DAY_NAMES[local.weekday()].title()} ({tz.key})"
    if closed is Closed.NOT_A_BUSINESS_DAY:
        days = ", ".join(day.title() for day in rule.days_text)
        return f"{when} is not a calling day (customers are called {days})"
    side = "before" if closed is Closed.BEFORE_OPENING else "after"
    return f"{when} is {side} calling hours ({rule.hours_text} the customer's local time)"


@dataclass(frozen=True, slots=True)
class CheckedRequest:
    """A request that passed every check, ready to store."""

    customer_id: int
    number_key: str
    time_zone: str
    due_at: datetime
    latest_at: datetime | None
    owner: CallbackOwner
    reason: str
    priority: Priority
    complaint_id: int | None


def check_request(
    repository: CallbackRepository,
    request: CallbackRequest,
    policy: CallbackPolicy,
    rule: CallingHoursRule,
    region: str,
    now: datetime,
) -> CheckedRequest:
    """Every check but conflicts, in the order a person fixes them; CallbackInvalid if one fails."""
    customer = repository.customer(request.customer_id)
    if customer is None:
        raise CallbackInvalid(
            "customer", Problem.NOT_FOUND, f"customer {request.customer_id} does not exist"
        )
    if not customer.active:
        raise CallbackInvalid("customer", Problem.DELETED, f"{customer.name} has been deleted")
    key = number_of(repository, request.customer_id, customer, request.number, region)
    tz_name = choose_zone(key, request.time_zone, policy.default_zone)
    tz = zone(tz_name)
    if request.when.tzinfo is None or (request.latest and request.latest.tzinfo is None):
        raise CallbackInvalid("when", Problem.REQUIRED, "needs a time zone (an aware time)")
    due, latest = request.when, request.latest
    if latest is not None and latest <= due:
        raise CallbackInvalid("latest", Problem.BEFORE_START, "must be after the earliest time")
    if (latest or due) < now - PAST_TOLERANCE:
        field = "latest" if latest is not None else "when"
        raise CallbackInvalid(field, Problem.IN_THE_PAST, "is in the past")
    due = max(due, now)
    closed = rule.closed(due, tz)
    if closed is not None:
        opening = rule.next_allowed(due, tz)
        if latest is None or opening >= latest:
            raise OutsideCallingHours(
                "when", describe_closed(closed, due, rule, tz), Slot(opening, tz_name)
            )
        # A window that opens outside the hours starts when they do.
        due = opening
    _check_owner(repository, request.owner)
    reason = request.reason.strip()
    if len(reason) > REASON_MAX:
        raise CallbackInvalid("reason", Problem.TOO_LONG, f"is longer than {REASON_MAX} characters")
    try:
        priority = Priority(int(request.priority))
    except ValueError:
        raise CallbackInvalid("priority", Problem.NOT_FOUND, "must be 1 to 4") from None
    if request.complaint_id is not None and not repository.complaint_exists(request.complaint_id):
        raise CallbackInvalid(
            "complaint", Problem.NOT_FOUND, f"complaint {request.complaint_id} does not exist"
        )
    return CheckedRequest(
        request.customer_id,
        key,
        tz_name,
        due,
        latest,
        request.owner,
        reason,
        priority,
        request.complaint_id,
    )


def number_of(
    repository: CallbackRepository, customer_id: int, customer: Party, raw: str, region: str
) -> str:
    """The E.164 key of `raw` when it is one of the customer's numbers."""
    if not raw or not raw.strip():
        raise CallbackInvalid("number", Problem.REQUIRED, "is missing")
    number = normalize(raw, region)
    if number.withheld or not number.key:
        raise CallbackInvalid("number", Problem.NOT_A_NUMBER, f"{raw!r} is not a phone number")
    if number.key not in repository.phone_keys(customer_id):
        shown = format_for_display(number.key, region)
        raise CallbackInvalid(
            "number", Problem.NOT_THE_CUSTOMERS, f"{shown} is not one of {customer.name}'s numbers"
        )
    return number.key


def choose_zone(key: str, chosen: str | None, default_zone: str) -> str:
    zones = zones_for_number(key, default_zone)
    if chosen:
        zone(chosen)
        if zones.zones and chosen not in zones.zones:
            raise CallbackInvalid(
                "time_zone",
                Problem.ZONE_NOT_OF_NUMBER,
                f"{chosen} is not a zone of this number ({', '.join(zones.zones)})",
            )
        return chosen
    if zones.default is None:
        raise CallbackInvalid(
            "time_zone",
            Problem.ZONE_REQUIRED,
            f"the number spans several time zones; choose one of {', '.join(zones.zones)}",
        )
    return zones.default


def _check_owner(repository: CallbackRepository, owner: CallbackOwner) -> None:
    if owner.kind is OwnerKind.AGENT:
        if owner.agent_id is None:
            raise CallbackInvalid("owner", Problem.REQUIRED, "a private callback needs its agent")
        agent = repository.user(owner.agent_id)
        if agent is None:
            raise CallbackInvalid(
                "owner", Problem.NOT_FOUND, f"user {owner.agent_id} does not exist"
            )
        if not agent.active:
            raise CallbackInvalid("owner", Problem.INACTIVE, f"{agent.name} is disabled")
    if owner.queue_id is not None and not repository.queue_exists(owner.queue_id):
        raise CallbackInvalid("queue", Problem.NOT_FOUND, f"queue {owner.queue_id} does not exist")


def free_slot(
    taken: list[Callback], start: datetime, gap: timedelta, rule: CallingHoursRule, tz: ZoneInfo
) -> datetime | None:
    """The first time from `start` at least `gap` from every taken time, within calling hours."""
    times = sorted(callback.due_at for callback in taken)
    candidate = rule.next_allowed(start, tz)
    for _ in range(SLOT_SEARCH):
        clash = next((t for t in times if abs(t - candidate) < gap), None)
        if clash is None:
            return candidate
        candidate = rule.next_allowed(clash + gap, tz)
    return None
