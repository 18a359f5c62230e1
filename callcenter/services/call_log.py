"""Saving what happened on a call: idempotent, and it keeps the customer's last contact."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from callcenter.bootstrap import Database
from callcenter.domain.calls import CallRecord, Direction, Disposition
from callcenter.domain.errors import ValidationError
from callcenter.domain.users import Actor
from callcenter.services.callback_inbound import close_on_inbound, link_to_inbound


def check_call(record: CallRecord) -> None:
    """Times in order and durations that fit; the field that is wrong is named."""
    order = [
        ("started_at", record.started_at),
        ("queued_at", record.queued_at),
        ("answered_at", record.answered_at),
        ("ended_at", record.ended_at),
    ]
    present = [(name, value) for name, value in order if value is not None]
    for (earlier_name, earlier), (later_name, later) in pairwise(present):
        if later < earlier:
            raise ValidationError(later_name, f"is before {earlier_name}")
    if record.hold_s < 0:
        raise ValidationError("hold_s", "cannot be negative")
    if record.acw_s < 0:
        raise ValidationError("acw_s", "cannot be negative")
    if record.answered_at and record.ended_at:
        talk = (record.ended_at - record.answered_at).total_seconds()
        if record.hold_s > talk + 1:
            raise ValidationError("hold_s", "is longer than the call was connected")


class CallLogService:
    def __init__(self, database: Database, close_callbacks_on_inbound: bool = False) -> None:
        self._database = database
        # `callbacks.close_on_inbound`: a customer who called us no longer waits for our call.
        self._close_callbacks = close_callbacks_on_inbound

    def save(self, actor: Actor, record: CallRecord, queue_name: str | None = None) -> int:
        """Write the call; saving the same `call_uid` again updates the one row.

        `queue_name` is the queue as the phone system named it; a name the database does not
        know leaves the call without a queue rather than inventing one.
        """
        check_call(record)
        with self._database.uow(actor) as uow:
            uow.begin_write()
            if queue_name and record.queue_id is None:
                queue = uow.queues.find(queue_name)
                record = replace(record, queue_id=queue.id if queue else None)
            call_id = uow.calls.save(record)
            if record.customer_id is not None:
                uow.customers.touch_last_contact(record.customer_id, record.started_at)
                answered_inbound = (
                    record.direction is Direction.INBOUND and record.answered_at is not None
                )
                if answered_inbound and record.agent_id is not None:
                    link_to_inbound(
                        uow, record.customer_id, record.agent_id, call_id, record.started_at
                    )
                if answered_inbound and self._close_callbacks and record.answered_at:
                    close_on_inbound(uow, record.customer_id, call_id, record.answered_at)
            uow.commit()
        return call_id

    def dispositions(self, actor: Actor) -> list[Disposition]:
        """The active disposition codes, in the order admins gave them."""
        with self._database.uow(actor) as uow:
            return uow.dispositions.list()
