"""Words for the core's codes (status, priority, channel, durations) in the agent's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from callcenter.domain.complaints import Notification, NotificationKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("Complaints", text)


def status_label(code: str) -> str:
    return {
        "new": _tr("New"),
        "open": _tr("Open"),
        "pending_customer": _tr("Pending customer"),
        "escalated": _tr("Escalated"),
        "resolved": _tr("Resolved"),
        "closed": _tr("Closed"),
        "reopened": _tr("Reopened"),
    }.get(code, code)


def priority_label(code: str) -> str:
    return {
        "low": _tr("Low"),
        "normal": _tr("Normal"),
        "high": _tr("High"),
        "urgent": _tr("Urgent"),
    }.get(code, code)


def channel_label(code: str) -> str:
    return {
        "phone": _tr("Phone"),
        "email": _tr("E-mail"),
        "chat": _tr("Chat"),
        "web": _tr("Web form"),
        "letter": _tr("Letter"),
        "in_person": _tr("In person"),
    }.get(code, code)


def span(seconds: float) -> str:
    """A duration as an agent reads it at a glance: 2 d 3 h, 3 h 05 min, 12 min, 40 s."""
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return _tr("{0} d {1} h").format(days, hours)
    if hours:
        return _tr("{0} h {1:02d} min").format(hours, minutes)
    if minutes:
        return _tr("{0} min").format(minutes)
    return _tr("{0} s").format(secs)


def resolution_label(code: str) -> str:
    return {
        "fixed": _tr("Fixed"),
        "explained": _tr("Explained"),
        "refund": _tr("Refund"),
        "replacement": _tr("Replacement"),
        "goodwill": _tr("Goodwill gesture"),
        "no_fault": _tr("No fault found"),
        "withdrawn": _tr("Withdrawn by the customer"),
        "other": _tr("Other"),
    }.get(code, code)


def notification_text(notification: Notification) -> str:
    """One line about a notification, in words."""
    subject = notification.subject or ""
    if notification.kind is NotificationKind.ASSIGNED:
        return _tr("Assigned to you: {0}").format(subject)
    why = {
        "manual": _tr("escalated by hand"),
        "at_risk": _tr("at risk of missing its target"),
        "breach": _tr("past its target"),
    }.get(notification.trigger or "", _tr("escalated"))
    return _tr("Level {0}, {1}: {2}").format(notification.level or 1, why, subject)
