"""What an attempt does to a callback: its call logged, and the retry policy applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import (
    AttemptResult,
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
from callcenter.services.callback_inbound import close, flush, open_row
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
    row = open_row(repository, callback_id)
    agent_id = uow.actor.user_id
    if row.status == CallbackStatus.CLAIMED and row.claimed_by != agent_id:
        raise CallbackInvalid(
            "status", Problem.NOT_YOUR_CLAIM, "another agent is working this callback"
        )
    record_call = _attempt_call(row, outcome, call, agent_id, notes, now)
    check_call(record_call)
    call_id = uow.calls.save(record_call)
    if record_call.customer_id is not None:
        uow.customers.touch_last_contact(record_call.customer_id, record_call.started_at)
    attempt = repository.add_attempt(callback_id, outcome, now, call_id, agent_id, notes)
    old_status = row.status
    row.attempts += 1
    row.last_outcome = outcome.value
    row.claimed_by, row.claimed_at = None, None
    rescheduled = False
    closing = _CLOSING.get(outcome)
    if closing is None and row.attempts >= policy.max_attempts:
        closing = CallbackStatus.FAILED
    if closing is not None:
        close(row, closing, now)
    else:
        rule = rule_for(repository, row.queue_id)
        due = rule.next_allowed(now + policy.retry_spacing, ZoneInfo(row.time_zone))
        row.status = CallbackStatus.PENDING.value
        row.due_at = due
        if row.latest_at is not None and row.latest_at <= due:
            row.latest_at = None
        row.remind_at = due - policy.reminder_lead
        rescheduled = True
    row.updated_by = uow.actor.login
    uow.audit.record(
        "callback",
        callback_id,
        "attempt",
        {
            "status": [old_status, row.status],
            "outcome": [None, outcome.value],
            "call_id": [None, call_id],
        },
    )
    flush(uow, callback_id)
    return AttemptResult(attempt, repository.get(callback_id), call_id, rescheduled)


def _attempt_call(
    row: CallbackRow,
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
            customer_id=call.customer_id or row.customer_id,
            disposition_code=call.disposition_code or outcome.disposition_code,
        )
    return CallRecord(
        # One per attempt (the count moves on in the same transaction), so a retried save
        # finds the same row; the desk's own record, if it saves one, has its own uid.
        call_uid=f"callback-{row.id}-{row.attempts + 1}",
        direction=Direction.OUTBOUND,
        started_at=now,
        ended_at=now,
        source=CallSource.MANUAL,
        queue_id=row.queue_id,
        customer_id=row.customer_id,
        agent_id=agent_id,
        dialled_raw=row.number_key,
        dialled_key=row.number_key,
        disposition_code=outcome.disposition_code,
        notes=notes,
    )
