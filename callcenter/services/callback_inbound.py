"""Closing callbacks because the customer called in: by hand, or as the inbound call is logged.

Kept apart from the attempt logic so the call-log service can use it without a cycle.
"""

from __future__ import annotations

from datetime import datetime

from callcenter.domain.callbacks import (
    Callback,
    CallbackInvalid,
    CallbackStatus,
    Outcome,
    Problem,
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
    callback = open_callback(repository, callback_id)
    repository.add_attempt(
        callback_id, Outcome.CUSTOMER_CALLED_IN, now, call_id, uow.actor.user_id, None
    )
    repository.close(
        callback_id,
        callback.version,
        CallbackStatus.DONE,
        now,
        outcome=Outcome.CUSTOMER_CALLED_IN,
    )
    uow.audit.record(
        "callback",
        callback_id,
        "customer_called_in",
        {"status": [callback.status.value, CallbackStatus.DONE.value], "call_id": [None, call_id]},
    )


def close_on_inbound(uow: UnitOfWork, customer_id: int, call_id: int, at: datetime) -> list[int]:
    """The call-log hook: close every open callback of a customer who just called in."""
    repository = CallbackRepository(uow.session, uow.actor)
    ids = repository.open_ids_of_customer(customer_id)
    for callback_id in ids:
        close_called_in(uow, repository, callback_id, call_id, at)
    return ids


def link_to_inbound(
    uow: UnitOfWork, customer_id: int, agent_id: int, call_id: int, since: datetime
) -> list[int]:
    """The call-log hook: callbacks the agent closed as "customer called in" during this
    call (F4, before the call was saved) get the call on their attempt."""
    repository = CallbackRepository(uow.session, uow.actor)
    ids = repository.link_called_in_attempts(customer_id, agent_id, since, call_id)
    for callback_id in ids:
        uow.audit.record("callback", callback_id, "call_linked", {"call_id": [None, call_id]})
    return ids


def open_callback(repository: CallbackRepository, callback_id: int) -> Callback:
    """The callback, locked for this transaction; CallbackInvalid if it is closed."""
    callback = repository.lock(callback_id)
    if not callback.status.is_open:
        raise CallbackInvalid(
            "status", Problem.NOT_OPEN, f"the callback is already {callback.status.value}"
        )
    return callback
