"""Callbacks in the database: written with their version checked, read with the names behind ids."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    column,
    literal_column,
    or_,
    select,
    table,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import Queue as QueueRow
from callcenter.db.tables import User as UserRow
from callcenter.db.tables import utcnow
from callcenter.db.tables_callbacks import (
    CallbackAttemptRow,
    CallbackQueueHoursRow,
    CallbackRow,
)
from callcenter.domain.callbacks import (
    OPEN_STATUSES,
    Attempt,
    BacklogCursor,
    BacklogFilter,
    Callback,
    CallbackStatus,
    Outcome,
    OwnerKind,
    Priority,
)
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.errors import NotFound
from callcenter.domain.phone import format_for_display
from callcenter.domain.users import Actor
from callcenter.repositories.stamps import creation_stamp

_Agent = aliased(UserRow)
_COMPLAINTS = table("complaints", column("id"))
_CLOSED = (CallbackStatus.DONE, CallbackStatus.FAILED, CallbackStatus.CANCELLED)


def _literally_in(statuses: tuple[CallbackStatus, ...]) -> ColumnElement[bool]:
    # Literal values: SQLite uses a partial index only for a query whose condition repeats the
    # index's own (tables_callbacks.OPEN_CONDITION and the like).
    if len(statuses) == 1:
        return CallbackRow.status == literal_column(f"'{statuses[0]}'")
    return CallbackRow.status.in_([literal_column(f"'{status}'") for status in statuses])


_OPEN = [status.value for status in OPEN_STATUSES]
_IS_OPEN = _literally_in(OPEN_STATUSES)
# The statuses with a partial index of their own in due order, each with that index's condition.
_INDEXED_GROUPS = tuple(
    (frozenset(group), _literally_in(group))
    for group in ((CallbackStatus.CLAIMED,), OPEN_STATUSES, _CLOSED)
)


def _mine(agent_id: int, *also: ColumnElement[bool]) -> ColumnElement[bool]:
    """The agent's private callbacks and those they claimed (with `also` true of each).

    As ids from two index lookups rather than an OR: an OR of two columns leads both backends
    to scan another index instead.
    """
    private = select(CallbackRow.id).where(
        CallbackRow.agent_id == agent_id, CallbackRow.owner_kind == OwnerKind.AGENT, *also
    )
    claimed = select(CallbackRow.id).where(CallbackRow.claimed_by == agent_id, *also)
    return CallbackRow.id.in_(union_all(private, claimed))


def select_callbacks(source: Any) -> Select[Any]:
    """Callbacks of `source` (the table, or a CTE of its rows) with the names behind the ids.

    Plain columns, not the mapped class: a claim reads it on a bare connection, and building no
    ORM objects keeps the read cheap.
    """
    return (
        select(
            source,
            CustomerRow.name.label("customer_name"),
            _Agent.display_name.label("agent_name"),
            QueueRow.name.label("queue_name"),
        )
        .select_from(source)
        .join(CustomerRow, CustomerRow.id == source.c.customer_id)
        .outerjoin(_Agent, _Agent.id == source.c.agent_id)
        .outerjoin(QueueRow, QueueRow.id == source.c.queue_id)
    )


_SELECT = select_callbacks(CallbackRow.__table__)

_FETCH = _SELECT.where(CallbackRow.id == bindparam("p_id"))
# A page's rows, under another name than the callbacks its ids are chosen from.
_PAGED = CallbackRow.__table__.alias("paged")
_PAGE = select_callbacks(_PAGED)


class CallbackRepository:
    def __init__(self, session: Session, actor: Actor, region: str = "US") -> None:
        self._session = session
        self._actor = actor
        self._region = region

    # -- writing -------------------------------------------------------------------------

    def add(self, values: dict[str, Any], now: datetime) -> int:
        row = CallbackRow(**values, **creation_stamp(self._actor, now))
        self._session.add(row)
        self._session.flush()
        return row.id

    def row(self, callback_id: int, for_update: bool = False) -> CallbackRow:
        """The row to change; NotFound if there is none."""
        statement = select(CallbackRow).where(CallbackRow.id == callback_id)
        if for_update:
            statement = statement.with_for_update()
        row = self._session.scalar(statement)
        if row is None:
            raise NotFound(f"callback {callback_id} does not exist")
        return row

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
        return _attempt(row)

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

    # -- reading -------------------------------------------------------------------------

    def get(self, callback_id: int) -> Callback:
        return fetch(self._session, callback_id, self._region)

    def of_agent_between(self, agent_id: int, start: datetime, end: datetime) -> list[Callback]:
        """The agent's callbacks (theirs, or claimed by them) due in [start, end), in due order."""
        due = (CallbackRow.due_at >= start, CallbackRow.due_at < end)
        rows = self._session.execute(
            _SELECT.where(_mine(agent_id, *due)).order_by(CallbackRow.due_at, CallbackRow.id)
        )
        return [self._callback(row) for row in rows]

    def open_of_agent_near(
        self, agent_id: int, start: datetime, end: datetime, exclude: int | None
    ) -> list[Callback]:
        """The agent's open private callbacks due in the open interval (start, end)."""
        condition = and_(
            CallbackRow.agent_id == agent_id,
            CallbackRow.owner_kind == OwnerKind.AGENT,
            CallbackRow.status.in_(_OPEN),
            CallbackRow.due_at > start,
            CallbackRow.due_at < end,
        )
        if exclude is not None:
            condition = and_(condition, CallbackRow.id != exclude)
        rows = self._session.execute(_SELECT.where(condition).order_by(CallbackRow.due_at))
        return [self._callback(row) for row in rows]

    def open_of_customer(self, customer_id: int) -> list[Callback]:
        rows = self._session.execute(
            _SELECT.where(
                CallbackRow.customer_id == customer_id, CallbackRow.status.in_(_OPEN)
            ).order_by(CallbackRow.due_at, CallbackRow.id)
        )
        return [self._callback(row) for row in rows]

    def reminders(self, agent_id: int, now: datetime) -> list[Callback]:
        """Open callbacks of the agent (theirs or claimed) whose reminder time has come."""
        rows = self._session.execute(
            _SELECT.where(
                _mine(
                    agent_id,
                    _IS_OPEN,
                    CallbackRow.remind_at.is_not(None),
                    CallbackRow.remind_at <= now,
                )
            ).order_by(CallbackRow.due_at, CallbackRow.id)
        )
        return [self._callback(row) for row in rows]

    def page(self, where: BacklogFilter, limit: int, after: BacklogCursor | None) -> list[Callback]:
        """Keyset paging on (due_at, id): a page costs the same wherever the list is scrolled.

        The page's ids first, on the callbacks alone, then the names for those ids only: with
        the joins in the same query, PostgreSQL joins every matching row before it sorts.
        """
        ids = page_ids(where, max(1, limit), after)
        rows = self._session.execute(
            _PAGE.where(_PAGED.c.id.in_(ids)).order_by(_PAGED.c.due_at, _PAGED.c.id)
        )
        return [self._callback(row) for row in rows]

    def attempts(self, callback_id: int) -> list[Attempt]:
        rows = self._session.scalars(
            select(CallbackAttemptRow)
            .where(CallbackAttemptRow.callback_id == callback_id)
            .order_by(CallbackAttemptRow.at, CallbackAttemptRow.id)
        )
        return [_attempt(row) for row in rows]

    def complaint_exists(self, complaint_id: int) -> bool:
        found = self._session.scalar(
            select(_COMPLAINTS.c.id).where(_COMPLAINTS.c.id == complaint_id)
        )
        return found is not None

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
        """Create the queue's rule (expected_version None) or change the version given."""
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
                raise StaleDataError("queue calling hours changed")
            row.calling_hours = rule.hours_text
            row.business_days = days
            row.updated_by = self._actor.login
        self._session.flush()

    def _callback(self, row: Any) -> Callback:
        return to_callback(row, self._region)


def page_ids(where: BacklogFilter, limit: int, after: BacklogCursor | None) -> Select[Any]:
    """The ids of a backlog page, in due order."""
    statement = select(CallbackRow.id).where(*_conditions(where))
    if after is not None:
        at, last_id = after
        statement = statement.where(
            CallbackRow.due_at >= at, or_(CallbackRow.due_at > at, CallbackRow.id > last_id)
        )
    return statement.order_by(CallbackRow.due_at, CallbackRow.id).limit(limit)


def _conditions(where: BacklogFilter) -> list[ColumnElement[bool]]:
    conditions = _status_conditions(set(where.statuses))
    if where.queue_id is not None:
        conditions.append(CallbackRow.queue_id == where.queue_id)
    if where.agent_id is not None:
        private = select(CallbackRow.id).where(CallbackRow.agent_id == where.agent_id)
        claimed = select(CallbackRow.id).where(CallbackRow.claimed_by == where.agent_id)
        conditions.append(CallbackRow.id.in_(union_all(private, claimed)))
    if where.owner_kind is not None:
        conditions.append(CallbackRow.owner_kind == where.owner_kind.value)
    if where.customer_id is not None:
        conditions.append(CallbackRow.customer_id == where.customer_id)
    if where.max_priority is not None:
        conditions.append(CallbackRow.priority <= int(where.max_priority))
    if where.overdue_at is not None:
        at = where.overdue_at
        conditions.append(CallbackRow.due_at < at)
        conditions.append(or_(CallbackRow.latest_at.is_(None), CallbackRow.latest_at < at))
    if where.due_before is not None:
        conditions.append(CallbackRow.due_at < where.due_before)
    return conditions


def _status_conditions(statuses: set[CallbackStatus]) -> list[ColumnElement[bool]]:
    """The statuses as the condition of the smallest partial index holding them all (which a
    plan then walks in due order), narrowed to those asked for when it holds more."""
    if not statuses:
        return []
    exact = CallbackRow.status.in_([status.value for status in statuses])
    for group, condition in _INDEXED_GROUPS:
        if statuses <= group:
            return [condition] if statuses == group else [condition, exact]
    return [exact]


def fetch(executor: Session | Connection, callback_id: int, region: str) -> Callback:
    """One callback with its names, read on a session or a bare connection."""
    row = executor.execute(_FETCH, {"p_id": callback_id}).one_or_none()
    if row is None:
        raise NotFound(f"callback {callback_id} does not exist")
    return to_callback(row, region)


@lru_cache(maxsize=4096)
def _display(key: str, region: str) -> str:
    # Parsing the number again costs more than the rest of the row; the same few recur.
    return format_for_display(key, region)


def to_callback(row: Any, region: str) -> Callback:
    """A row of `_SELECT` as the domain's Callback."""
    return Callback(
        id=row.id,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        number=row.number_key,
        number_display=_display(row.number_key, region),
        time_zone=row.time_zone,
        due_at=row.due_at,
        latest_at=row.latest_at,
        owner_kind=OwnerKind(row.owner_kind),
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        queue_id=row.queue_id,
        queue_name=row.queue_name,
        reason=row.reason,
        priority=Priority(row.priority),
        complaint_id=row.complaint_id,
        status=CallbackStatus(row.status),
        attempts=row.attempts,
        last_outcome=Outcome(row.last_outcome) if row.last_outcome else None,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        remind_at=row.remind_at,
        closed_at=row.closed_at,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
    )


def _attempt(row: CallbackAttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        callback_id=row.callback_id,
        call_id=row.call_id,
        agent_id=row.agent_id,
        outcome=Outcome(row.outcome),
        at=row.at,
        notes=row.notes,
    )
