"""Changes to callbacks: each one UPDATE at the version the caller read, or StaleCallback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.tables import utcnow
from callcenter.db.tables_callbacks import (
    CallbackAttemptRow,
    CallbackQueueHoursRow,
    CallbackRow,
)
from callcenter.domain.callbacks import (
    OPEN_STATUSES,
    Attempt,
    CallbackStatus,
    Outcome,
    StaleCallback,
)
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.errors import NotFound
from callcenter.domain.users import Actor
from callcenter.repositories.stamps import creation_stamp

_OPEN = [status.value for status in OPEN_STATUSES]


class CallbackWrites:
    """The writing half of `CallbackRepository`."""

    def __init__(self, session: Session, actor: Actor, region: str = "US") -> None:
        self._session = session
        self._actor = actor
        self._region = region

    def add(self, values: dict[str, Any], now: datetime) -> int:
        row = CallbackRow(**values, **creation_stamp(self._actor, now))
        self._session.add(row)
        self._session.flush()
        return row.id

    def close(
        self,
        callback_id: int,
        expected_version: int,
        status: CallbackStatus,
        now: datetime,
        outcome: Outcome | None = None,
        attempts: int | None = None,
    ) -> None:
        """Closed as `status` now, with no reminder and no claim; `outcome` becomes its last
        outcome and `attempts` its count of attempts when given."""
        values: dict[str, Any] = {
            "status": status.value,
            "closed_at": now,
            "remind_at": None,
            "claimed_by": None,
            "claimed_at": None,
        }
        if outcome is not None:
            values["last_outcome"] = outcome.value
        if attempts is not None:
            values["attempts"] = attempts
        self._change(callback_id, expected_version, values)

    def retry(
        self,
        callback_id: int,
        expected_version: int,
        outcome: Outcome,
        attempts: int,
        due_at: datetime,
        latest_at: datetime | None,
        remind_at: datetime,
    ) -> None:
        """An attempt that did not close it: pending again (unclaimed) at the new time."""
        self._change(
            callback_id,
            expected_version,
            {
                "status": CallbackStatus.PENDING.value,
                "last_outcome": outcome.value,
                "attempts": attempts,
                "claimed_by": None,
                "claimed_at": None,
                "due_at": due_at,
                "latest_at": latest_at,
                "remind_at": remind_at,
            },
        )

    def reschedule(
        self,
        callback_id: int,
        expected_version: int,
        due_at: datetime,
        latest_at: datetime | None,
        remind_at: datetime,
    ) -> None:
        """Moved to a new time; its status and claim stay as they are."""
        self._change(
            callback_id,
            expected_version,
            {"due_at": due_at, "latest_at": latest_at, "remind_at": remind_at},
        )

    def add_attempt(
        self,
        callback_id: int,
        outcome: Outcome,
        at: datetime,
        call_id: int | None,
        agent_id: int | None,
        notes: str | None,
    ) -> Attempt:
        row = CallbackAttemptRow(
            callback_id=callback_id,
            call_id=call_id,
            agent_id=agent_id,
            outcome=outcome.value,
            at=at,
            notes=notes,
            created_by=self._actor.login,
        )
        self._session.add(row)
        self._session.flush()
        return to_attempt(row)

    def link_called_in_attempts(
        self, customer_id: int, agent_id: int, since: datetime, call_id: int
    ) -> list[int]:
        """Give the agent's "customer called in" attempts on this customer's callbacks made
        since `since` (during the call) and not yet linked, the call's id; their callbacks'
        ids. The desk closes such a callback (F4) before it saves the call at wrap-up."""
        a = CallbackAttemptRow
        of_customer = select(CallbackRow.id).where(CallbackRow.customer_id == customer_id)
        linked = self._session.execute(
            update(a)
            .where(
                a.call_id.is_(None),
                a.outcome == Outcome.CUSTOMER_CALLED_IN.value,
                a.agent_id == agent_id,
                a.at >= since,
                a.callback_id.in_(of_customer),
            )
            .values(call_id=call_id)
            .returning(a.callback_id)
            .execution_options(synchronize_session=False)
        )
        return sorted(set(linked.scalars()))

    def set_remind_at(self, callback_id: int, remind_at: datetime | None) -> bool:
        """Move (or clear) the reminder of an open callback; False if it is closed or gone.

        Not a versioned edit: when the owner is reminded is their own affair, and must not make
        anyone's open copy of the callback stale.
        """
        changed = self._session.execute(
            update(CallbackRow)
            .where(CallbackRow.id == callback_id, CallbackRow.status.in_(_OPEN))
            .values(remind_at=remind_at, updated_at=utcnow(), updated_by=self._actor.login)
            .returning(CallbackRow.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        return changed is not None

    # -- a queue's calling hours ---------------------------------------------------------

    def queue_hours(self, queue_id: int) -> tuple[CallingHoursRule, int] | None:
        """The queue's own rule and its row's version, or None when it follows the setting."""
        row = self._session.get(CallbackQueueHoursRow, queue_id)
        if row is None:
            return None
        rule = CallingHoursRule.from_text(row.calling_hours, row.business_days.split(","))
        return rule, row.version

    def set_queue_hours(
        self, queue_id: int, rule: CallingHoursRule, expected_version: int | None
    ) -> None:
        """Create the queue's rule (expected_version None) or change the version given;
        StaleCallback (with the queue's id) if another admin changed it since."""
        row = self._session.get(CallbackQueueHoursRow, queue_id)
        days = ",".join(rule.days_text)
        if row is None:
            if expected_version is not None:
                raise NotFound(f"queue {queue_id} has no calling hours of its own to change")
            self._session.add(
                CallbackQueueHoursRow(
                    queue_id=queue_id,
                    calling_hours=rule.hours_text,
                    business_days=days,
                    **creation_stamp(self._actor),
                )
            )
        else:
            if expected_version is None or row.version != expected_version:
                raise StaleCallback(queue_id)
            row.calling_hours = rule.hours_text
            row.business_days = days
            row.updated_by = self._actor.login
        self._flush(queue_id)

    # -- plumbing ------------------------------------------------------------------------

    def _change(self, callback_id: int, expected_version: int, values: dict[str, Any]) -> None:
        """Set `values` in one UPDATE that the row's version checks (the ORM's version column:
        a row changed since `expected_version` matches nothing and raises StaleCallback)."""
        row = self._session.get(CallbackRow, callback_id)
        if row is None:
            raise NotFound(f"callback {callback_id} does not exist")
        if row.version != expected_version:
            raise StaleCallback(callback_id)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by = self._actor.login
        self._flush(callback_id)

    def _flush(self, callback_id: int) -> None:
        try:
            self._session.flush()
        except StaleDataError:
            raise StaleCallback(callback_id) from None


def to_attempt(row: CallbackAttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        callback_id=row.callback_id,
        call_id=row.call_id,
        agent_id=row.agent_id,
        outcome=Outcome(row.outcome),
        at=row.at,
        notes=row.notes,
    )
