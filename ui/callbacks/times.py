"""Callback times as agents read them: in their own zone and in the customer's, side by side."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("CallbackTimes", text)


def zone_or_none(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def short_zone(name: str) -> str:
    """`America/New_York` -> `New York`: the city a caller recognises."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def clock_text(at: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """`14:30`, with the day in front when it is not today in that zone."""
    local = at.astimezone(zone)
    if now is not None and local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def both_times(
    at: datetime, agent_zone: ZoneInfo, customer_zone: ZoneInfo | None, now: datetime | None = None
) -> str:
    """ "Tue 24 Nov 14:30 your time · 08:30 for the customer (Chicago)"; one time when the two
    zones agree at that moment."""
    mine = clock_text(at, agent_zone, now)
    if customer_zone is None:
        return _tr("{0} your time").format(mine)
    if at.astimezone(agent_zone).utcoffset() == at.astimezone(customer_zone).utcoffset():
        return _tr("{0} (your time and the customer's)").format(mine)
    theirs = clock_text(at, customer_zone, now)
    return _tr("{0} your time \u00b7 {1} for the customer ({2})").format(
        mine, theirs, short_zone(customer_zone.key)
    )


def window_text(
    earliest: datetime,
    latest: datetime | None,
    agent_zone: ZoneInfo,
    customer_zone: ZoneInfo | None,
    now: datetime | None = None,
) -> str:
    """A single time, or "from … to …" for a window, in both zones."""
    if latest is None or latest == earliest:
        return both_times(earliest, agent_zone, customer_zone, now)
    start = both_times(earliest, agent_zone, customer_zone, now)
    end = both_times(latest, agent_zone, customer_zone, now)
    return _tr("{0} \u2013 {1}").format(start, end)


def relative_text(at: datetime, now: datetime) -> str:
    """ "in 25 min", "2 h 5 min overdue": how far a due time is from now."""
    delta = at - now
    overdue = delta < timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 1:
        return _tr("now")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        amount = _tr("{0} d {1} h").format(days, hours)
    elif hours:
        amount = _tr("{0} h {1} min").format(hours, mins)
    else:
        amount = _tr("{0} min").format(mins)
    return _tr("{0} overdue").format(amount) if overdue else _tr("in {0}").format(amount)
