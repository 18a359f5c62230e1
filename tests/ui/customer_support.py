"""Helpers for the customer side of the desktop tests: numbers, calls, a synchronous runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QTimer

from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.customers import PhoneEntry
from callcenter.domain.phone import normalize

ADA = "(212) 555-0142"
ALAN = "(646) 555-0100"
SHARED = "(415) 555-0101"


def phone(raw: str) -> PhoneEntry:
    return PhoneEntry(raw, normalize(raw, "US").key)


class PostedRunner:
    """The background runner's stand-in without threads: the function runs at once, and its
    callback is posted to the event loop, as `ui.workers.Background` delivers it."""

    def run(
        self,
        function: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        try:
            result = function()
        except Exception as exc:
            QTimer.singleShot(0, lambda error=exc: on_failure(error))
        else:
            QTimer.singleShot(0, lambda: on_success(result))


def add_calls(database, actor, customer_id, count, start, agent_id=None, step=timedelta(minutes=7)):
    """`count` answered calls of the customer, `step` apart from `start`, oldest first."""
    records = [
        CallRecord(
            call_uid=f"{customer_id}-{start:%Y%m%d%H%M}-{i}",
            direction=Direction.INBOUND if i % 2 == 0 else Direction.OUTBOUND,
            started_at=start + i * step,
            source=CallSource.DEMO,
            customer_id=customer_id,
            agent_id=agent_id,
            caller_key="+12125550142",
            dialled_key="+12125550142",
            answered_at=start + i * step + timedelta(seconds=4),
            ended_at=start + i * step + timedelta(seconds=94),
            disposition_code="resolved" if i % 2 == 0 else "sale",
            notes=f"call number {i}",
        )
        for i in range(count)
    ]
    with database.uow(actor) as uow:
        uow.calls.add_many(records)
        uow.commit()
