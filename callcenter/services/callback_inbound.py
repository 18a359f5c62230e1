"""Closing callbacks because the customer called in: by hand, or as the inbound call is logged.

Kept apart from the attempt logic so the call-log service can use it without a cycle.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import (
    OPEN_STATUSES,
    CallbackInvalid,
    CallbackStatus,
    Outcome,
    Problem,
    StaleCallback,
)
from callcenter.repositories.callbacks import CallbackRepository
from callcenter.uow import UnitOfWork


def close_called_in(
    uow: UnitOfWork,
    repository: CallbackRepository,
    callback_id: int,
    call_id: int | None,
    now: datetime,
) -> None:
    """Close an open callback as "customer called in", linked to their call if known."""
    row = open_row(repository, callback_id)
    repository.add_attempt(
        callback_id, Outcome.CUSTOMER_CALLED_IN, now, call_id, uow.actor.user_id, None
    )
    old_status = row.status
    row.last_outcome = Outcome.CUSTOMER_CALLED_IN.value
    close(row, CallbackStatus.DONE, now)
    row.updated_by = uow.actor.login
    uow.audit.record(
        "callback",
        callback_id,
        "customer_called_in",
        {"status": [old_status, row.status], "call_id": [None, call_id]},
    )
    flush(uow, callback_id)


def close_on_inbound(uow: UnitOfWork, customer_id: int, call_id: int, at: datetime) -> list[int]:
    """The call-log hook: close every open callback of a customer who just called in."""
    repository = CallbackRepository(uow.session, uow.actor)
    ids = list(
        uow.session.scalars(
            select(CallbackRow.id).where(
                CallbackRow.customer_id == customer_id,
                CallbackRow.status.in_([s.value for s in OPEN_STATUSES]),
            )
        )
    )
    for callback_id in ids:
        close_called_in(uow, repository, callback_id, call_id, at)
    return ids


def open_row(repository: CallbackRepository, callback_id: int) -> CallbackRow:
    row = repository.row(callback_id, for_update=True)
    if not CallbackStatus(row.status).is_open:
        raise CallbackInvalid("status", Problem.NOT_OPEN, f"the callback is already {row.status}")
    return row


def close(row: CallbackRow, status: CallbackStatus, now: datetime) -> None:
    row.status = status.value
    row.closed_at, row.remind_at = now, None
    row.claimed_by, row.claimed_at = None, None


def flush(uow: UnitOfWork, callback_id: int) -> None:
    """Write the changed row; StaleCallback if someone changed it since it was read."""
    try:
        uow.session.flush()
    except StaleDataError:
        raise StaleCallback(callback_id) from None
