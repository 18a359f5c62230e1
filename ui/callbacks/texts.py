"""The words agents read for callback codes: outcomes, priorities, statuses, refusals."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from callcenter.domain.callbacks import (
    Callback,
    CallbackInvalid,
    CallbackStatus,
    Outcome,
    Priority,
    Problem,
)
from callcenter.domain.calling_hours import DAY_NAMES, CallingHoursRule, Closed
from callcenter.domain.errors import ValidationError


def _tr(text: str) -> str:
    return QCoreApplication.translate("Callbacks", text)


def outcome_text(outcome: Outcome) -> str:
    return {
        Outcome.REACHED: _tr("Reached"),
        Outcome.NO_ANSWER: _tr("No answer"),
        Outcome.BUSY: _tr("Busy"),
        Outcome.VOICEMAIL: _tr("Voicemail"),
        Outcome.WRONG_NUMBER: _tr("Wrong number"),
        Outcome.CUSTOMER_CALLED_IN: _tr("Customer called in"),
    }[outcome]


def outcome_button_text(outcome: Outcome) -> str:
    """The outcome with its Alt letter marked, for a button."""
    return {
        Outcome.REACHED: _tr("&Reached"),
        Outcome.NO_ANSWER: _tr("No &answer"),
        Outcome.BUSY: _tr("&Busy"),
        Outcome.VOICEMAIL: _tr("&Voicemail"),
        Outcome.WRONG_NUMBER: _tr("&Wrong number"),
        Outcome.CUSTOMER_CALLED_IN: _tr("Customer &called in"),
    }[outcome]


def priority_text(priority: Priority) -> str:
    return {
        Priority.URGENT: _tr("P1 urgent"),
        Priority.HIGH: _tr("P2 high"),
        Priority.NORMAL: _tr("P3 normal"),
        Priority.LOW: _tr("P4 low"),
    }[priority]


def status_text(status: CallbackStatus) -> str:
    return {
        CallbackStatus.PENDING: _tr("Pending"),
        CallbackStatus.CLAIMED: _tr("Being called"),
        CallbackStatus.DONE: _tr("Done"),
        CallbackStatus.FAILED: _tr("Failed"),
        CallbackStatus.CANCELLED: _tr("Cancelled"),
    }[status]


def owner_text(callback: Callback) -> str:
    if callback.is_private:
        return callback.agent_name or _tr("an agent")
    if callback.queue_name:
        return _tr("Queue {0}").format(callback.queue_name)
    return _tr("Anyone")


def closed_text(closed: Closed, rule: CallingHoursRule) -> str:
    """Why a time is refused, in the customer's terms."""
    if closed is Closed.NOT_A_BUSINESS_DAY:
        days = ", ".join(DAY_NAMES[day].title() for day in sorted(rule.business_days))
        return _tr("That is not a calling day for the customer (calling days: {0}).").format(days)
    if closed is Closed.BEFORE_OPENING:
        return _tr("That is before calling hours ({0}, the customer's local time).").format(
            rule.hours_text
        )
    return _tr("That is after calling hours ({0}, the customer's local time).").format(
        rule.hours_text
    )


FIELD_NAMES = {
    "customer": "Customer",
    "number": "Number",
    "time_zone": "Customer's time zone",
    "when": "When",
    "latest": "Until",
    "owner": "Owner",
    "agent": "Owner",
    "queue": "Owner",
    "reason": "Reason",
    "priority": "Priority",
    "complaint": "Complaint",
    "status": "Callback",
}


def field_name(field: str) -> str:
    return _tr(FIELD_NAMES.get(field, field.replace("_", " ").capitalize()))


def refusal_text(error: ValidationError) -> str:
    """ "When: the time is in the past." — the field, then why, in the agent's language."""
    reason = error.reason
    if isinstance(error, CallbackInvalid):
        reason = {
            Problem.IN_THE_PAST: _tr("the time is in the past; choose a later one"),
            Problem.NOT_THE_CUSTOMERS: _tr("this number is not one of the customer's"),
            Problem.ZONE_REQUIRED: _tr(
                "the number spans several time zones; choose the customer's"
            ),
            Problem.DELETED: _tr("the customer was deleted"),
            Problem.BEFORE_START: _tr("the window must end after it starts"),
            Problem.NOT_YOUR_CLAIM: _tr("another agent is working this callback"),
        }.get(error.problem, reason)
    return _tr("{0}: {1}.").format(field_name(error.field), reason.rstrip("."))
