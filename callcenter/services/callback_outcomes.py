"""What an attempt does to a callback: its call logged, and the retry policy applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from callcenter.domain.callbacks import (
    AttemptResult,
    Callback,
    CallbackInvalid,
    CallbackPolicy,
    CallbackStatus,
    Outcome,
    Problem,
)
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.repositories.callbacks import CallbackRepository
from callcenter.services.call_log import check_call
from callcenter.services.callback_inbound import open_callback
from callcenter.uow import UnitOfWork

RuleFor = Callable[[CallbackRepository, int | None], CallingHoursRule]
_CLOSING = {
    Outcome.REACHED: CallbackStatus.DONE,
    Outcome.CUSTOMER_CALLED_IN: CallbackStatus.DONE,
    Outcome.WRONG_NUMBER: CallbackStatus.FAILED,
}


def record(
    uow: UnitOfWork,
    repository: CallbackRepository,
    policy: CallbackPolicy,
    rule_for: RuleFor,
    callback_id: int,
    outcome: Outcome,
    call: CallRecord | None,
    notes: str | None,
    now: datetime,
) -> AttemptResult:
    """Log the attempt's call and move the callback on; see `CallbackService.record_attempt`."""
    callback = open_callback(repository, callback_id)
    agent_id = uow.actor.user_id
    if callback.status is CallbackStatus.CLAIMED and callback.claimed_by != agent_id:
        raise CallbackInvalid(
            "status", Problem.NOT_YOUR_CLAIM, "another agent is working this callback"
        )
    record_call = _attempt_call(callback, outcome, call, agent_id, notes, now)
    check_call(record_call)
    call_id = uow.calls.save(record_call)
    if record_call.customer_id is not None:
        uow.customers.touch_last_contact(record_call.customer_id, record_call.started_at)
    attempt = repository.add_attempt(callback_id, outcome, now, call_id, agent_id, notes)
    attempts = callback.attempts + 1
    closing = _CLOSING.get(outcome)
    if closing is None and attempts >= policy.max_attempts:
        closing = CallbackStatus.FAILED
    if closing is not None:
        repository.close(
            callback_id, callback.version, closing, now, outcome=outcome, attempts=attempts
        )
        status = closing
    else:
        rule = rule_for(repository, callback.queue_id)
        due = rule.next_allowed(now + policy.retry_spacing, ZoneInfo(callback.time_zone))
        latest = callback.latest_at
        if latest is not None and latest <= due:
            latest = None
        repository.retry(
            callback_id,
            callback.version,
            outcome,
            attempts,
            due,
            latest,
            due - policy.reminder_lead,
        )
        status = CallbackStatus.PENDING
    uow.audit.record(
        "callback",
        callback_id,
        "attempt",
        {
            "status": [callback.status.value, status.value],
            "outcome": [None, outcome.value],
            "call_id": [None, call_id],
        },
    )
    return AttemptResult(attempt, repository.get(callback_id), call_id, closing is None)


def _attempt_call(
    callback: Callback,
    outcome: Outcome,
    call: CallRecord | None,
    agent_id: int | None,
    notes: str | None,
    now: datetime,
) -> CallRecord:
    """The desk's record of the call, or a new outbound one; with the outcome's disposition."""
    if call is not None:
        return replace(
            call,
            customer_id=call.customer_id or callback.customer_id,
            disposition_code=call.disposition_code or outcome.disposition_code,
        )
    return CallRecord(
        # One per attempt (the count moves on in the same transaction), so a retried save
        # finds the same row; the desk's own record, if it saves one, has its own uid.
        call_uid=f"callback-{callback.id}-{callback.attempts + 1}",
        direction=Direction.OUTBOUND,
        started_at=now,
        ended_at=now,
        source=CallSource.MANUAL,
        queue_id=callback.queue_id,
        customer_id=callback.customer_id,
        agent_id=agent_id,
        dialled_raw=callback.number,
        dialled_key=callback.number,
        disposition_code=outcome.disposition_code,
        notes=notes,
    )
