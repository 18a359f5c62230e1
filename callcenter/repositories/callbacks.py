"""Callbacks in the database, read with the names behind their ids (written: callback_writes)."""

from __future__ import annotations

from dataclasses import dataclass
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
)
from sqlalchemy.orm import Session, aliased

from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone as PhoneRow
from callcenter.db.tables import Queue as QueueRow
from callcenter.db.tables import User as UserRow
from callcenter.db.tables_callbacks import CallbackAttemptRow, CallbackRow
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
from callcenter.domain.errors import NotFound
from callcenter.domain.phone import format_for_display
from callcenter.repositories.callback_writes import CallbackWrites, to_attempt

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
# Only the callback's row: the names' rows stay free for others to change.
_LOCK = _FETCH.with_for_update(of=CallbackRow.__table__)
# A page's rows, under another name than the callbacks its ids are chosen from.
_PAGED = CallbackRow.__table__.alias("paged")
_PAGE = select_callbacks(_PAGED)


@dataclass(frozen=True, slots=True)
class Party:
    """A customer or user a callback names: the name people know, and whether it may still
    be used (a customer not deleted, a user not disabled)."""

    name: str
    active: bool


class CallbackRepository(CallbackWrites):
    """Callbacks as the domain's objects; the writes are inherited from CallbackWrites."""

    # -- reading -------------------------------------------------------------------------

    def get(self, callback_id: int) -> Callback:
        return fetch(self._session, callback_id, self._region)

    def lock(self, callback_id: int) -> Callback:
        """The callback, its row locked until the transaction ends (on PostgreSQL; SQLite has
        one writer anyway), so that two changes to it queue up; NotFound if there is none."""
        row = self._session.execute(_LOCK, {"p_id": callback_id}).one_or_none()
        if row is None:
            raise NotFound(f"callback {callback_id} does not exist")
        return self._callback(row)

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
        return [to_attempt(row) for row in rows]

    def open_ids_of_customer(self, customer_id: int) -> list[int]:
        return list(
            self._session.scalars(
                select(CallbackRow.id).where(
                    CallbackRow.customer_id == customer_id, CallbackRow.status.in_(_OPEN)
                )
            )
        )

    # -- what a request refers to --------------------------------------------------------

    def customer(self, customer_id: int) -> Party | None:
        """The customer (inactive once deleted), or None if there is none."""
        row = self._session.get(CustomerRow, customer_id)
        return None if row is None else Party(row.name, row.deleted_at is None)

    def phone_keys(self, customer_id: int) -> set[str]:
        """The E.164 keys of the customer's numbers."""
        return set(
            self._session.scalars(
                select(PhoneRow.number_key).where(PhoneRow.customer_id == customer_id)
            )
        )

    def user(self, user_id: int) -> Party | None:
        """The user by display name (inactive once disabled), or None if there is none."""
        row = self._session.get(UserRow, user_id)
        return None if row is None else Party(row.display_name, row.active)

    def queue_exists(self, queue_id: int) -> bool:
        return self._session.get(QueueRow, queue_id) is not None

    def complaint_exists(self, complaint_id: int) -> bool:
        found = self._session.scalar(
            select(_COMPLAINTS.c.id).where(_COMPLAINTS.c.id == complaint_id)
        )
        return found is not None

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
