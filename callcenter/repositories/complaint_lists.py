"""Complaint lists: filtered, sorted and paged in SQL, with each row's SLA clocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import Session

from callcenter.db.tables import Customer, Team, User
from callcenter.db.tables_complaints import ComplaintCategory, ComplaintRow
from callcenter.domain.complaint_lists import (
    ComplaintFilter,
    ComplaintSummary,
    Page,
    Scope,
    SlaFilter,
    SortKey,
)
from callcenter.domain.complaint_sla import FAR_FUTURE, ClockCopy, SlaRules
from callcenter.domain.complaints import ACTIVE_STATUSES, ComplaintInvalid, Priority, Status
from callcenter.domain.users import Actor, Role
from callcenter.repositories.complaint_setup import SetupRepository

MAX_PAGE = 500
_CLOCK_COLUMNS = tuple(f.name for f in fields(ClockCopy))
_PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


def like_pattern(text: str) -> str:
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ComplaintLists:
    def __init__(self, session: Session, actor: Actor, sla: SlaRules) -> None:
        self._session = session
        self._actor = actor
        self._sla = sla

    def page(
        self, criteria: ComplaintFilter, offset: int, limit: int, now: datetime
    ) -> Page[ComplaintSummary]:
        if offset < 0:
            raise ComplaintInvalid("offset", "must not be negative")
        limit = max(1, min(limit, MAX_PAGE))
        statement = self._filtered(criteria, now)
        statement = self._sorted(statement, criteria).offset(offset).limit(limit + 1)
        rows = self._session.execute(statement).all()
        self._load_calendars()
        names = self._names(rows[:limit])
        items = tuple(self._summary(row, now, names) for row in rows[:limit])
        return Page(items, offset, len(rows) > limit)

    def open_for_customer(self, customer_id: int, now: datetime) -> list[ComplaintSummary]:
        criteria = ComplaintFilter(
            scope=Scope.ALL,
            customer_id=customer_id,
            statuses=frozenset(ACTIVE_STATUSES),
        )
        statement = self._sorted(self._base(), criteria)
        statement = statement.where(
            ComplaintRow.customer_id == customer_id,
            ComplaintRow.status.in_([s.value for s in ACTIVE_STATUSES]),
            ComplaintRow.merged_into_id.is_(None),
        ).limit(MAX_PAGE)
        rows = self._session.execute(statement).all()
        self._load_calendars()
        names = self._names(rows)
        return [self._summary(row, now, names) for row in rows]

    def _load_calendars(self) -> None:
        # Read again now and then: an admin may have changed a calendar since.
        if self._sla.calendars_stale():
            self._sla.remember(SetupRepository(self._session, self._actor).calendars())

    # -- the statement -----------------------------------------------------------------------

    def _base(self) -> Select[*tuple[Any, ...]]:
        # Names (assignee, team, categories) are looked up for the page's rows afterwards:
        # four more joins cost PostgreSQL more planning than the whole query takes to run.
        clock_columns = [getattr(ComplaintRow, name) for name in _CLOCK_COLUMNS]
        statement: Select[*tuple[Any, ...]] = select(
            ComplaintRow.id,
            ComplaintRow.reference,
            ComplaintRow.customer_id,
            Customer.name,
            ComplaintRow.category_id,
            ComplaintRow.subcategory_id,
            ComplaintRow.priority,
            ComplaintRow.subject,
            ComplaintRow.assignee_id,
            ComplaintRow.team_id,
            ComplaintRow.status,
            ComplaintRow.escalation_level,
            ComplaintRow.created_at,
            ComplaintRow.updated_at,
            ComplaintRow.version,
            *clock_columns,
        ).join(Customer, Customer.id == ComplaintRow.customer_id)
        return statement

    def _names(self, rows: Sequence[Any]) -> _Names:
        users = {row[8] for row in rows if row[8] is not None}
        teams = {row[9] for row in rows if row[9] is not None}
        categories = {c for row in rows for c in (row[4], row[5]) if c is not None}
        names = _Names({}, {}, {})
        if users:
            for user_id, login, display_name in self._session.execute(
                select(User.id, User.login, User.display_name).where(User.id.in_(users))
            ):
                names.users[user_id] = (login, display_name)
        if teams:
            for team_id, team in self._session.execute(
                select(Team.id, Team.name).where(Team.id.in_(teams))
            ):
                names.teams[team_id] = team
        if categories:
            for category_id, category in self._session.execute(
                select(ComplaintCategory.id, ComplaintCategory.name).where(
                    ComplaintCategory.id.in_(categories)
                )
            ):
                names.categories[category_id] = category
        return names

    def _filtered(self, criteria: ComplaintFilter, now: datetime) -> Select[*tuple[Any, ...]]:
        statement = self._base()
        conditions: list[Any] = []
        user = self._session.scalar(select(User).where(User.login == self._actor.login))
        if criteria.scope is Scope.MINE:
            conditions.append(ComplaintRow.assignee_id == (user.id if user else -1))
        elif criteria.scope is Scope.TEAM:
            if user is not None and user.team_id is not None:
                conditions.append(ComplaintRow.team_id == user.team_id)
            else:
                conditions.append(ComplaintRow.assignee_id == (user.id if user else -1))
        elif user is not None and user.role == Role.AGENT.value:
            raise ComplaintInvalid("scope", "only supervisors and admins may list all complaints")
        if criteria.statuses:
            conditions.append(ComplaintRow.status.in_(sorted(s.value for s in criteria.statuses)))
        if criteria.priorities:
            conditions.append(
                ComplaintRow.priority.in_(sorted(p.value for p in criteria.priorities))
            )
        if criteria.category_id is not None:
            # One column or the other, not both with OR: each has its own index.
            parent = self._session.scalar(
                select(ComplaintCategory.parent_id).where(
                    ComplaintCategory.id == criteria.category_id
                )
            )
            column = ComplaintRow.category_id if parent is None else ComplaintRow.subcategory_id
            conditions.append(column == criteria.category_id)
        if criteria.assignee is not None:
            assignee_id = self._session.scalar(
                select(User.id).where(User.login == criteria.assignee)
            )
            conditions.append(ComplaintRow.assignee_id == (assignee_id or -1))
        if criteria.customer_id is not None:
            conditions.append(ComplaintRow.customer_id == criteria.customer_id)
        if criteria.sla is SlaFilter.BREACHED:
            conditions.append(ComplaintRow.due_at <= now)
        elif criteria.sla is SlaFilter.AT_RISK:
            conditions.append(and_(ComplaintRow.at_risk_at <= now, ComplaintRow.due_at > now))
        elif criteria.sla is SlaFilter.AT_RISK_OR_BREACHED:
            conditions.append(ComplaintRow.at_risk_at <= now)
        text = criteria.text.strip()
        if text:
            conditions.append(ComplaintRow.search_text.like(like_pattern(text), escape="\\"))
        return statement.where(*conditions)

    def _sorted(
        self, statement: Select[*tuple[Any, ...]], criteria: ComplaintFilter
    ) -> Select[*tuple[Any, ...]]:
        column: Any = {
            SortKey.DUE: ComplaintRow.due_order,
            SortKey.CREATED: ComplaintRow.created_at,
            SortKey.UPDATED: ComplaintRow.updated_at,
            SortKey.REFERENCE: ComplaintRow.reference,
        }.get(criteria.sort)
        if criteria.sort is SortKey.PRIORITY:
            column = case(
                {p.value: rank for p, rank in _PRIORITY_RANK.items()}, value=ComplaintRow.priority
            )
        tie = ComplaintRow.id.desc() if criteria.descending else ComplaintRow.id.asc()
        if criteria.sort is SortKey.DUE and criteria.descending:
            # Latest due first, and still those without a running clock after them.
            return statement.order_by(
                (ComplaintRow.due_order == FAR_FUTURE).asc(), ComplaintRow.due_order.desc(), tie
            )
        ordered = column.desc() if criteria.descending else column.asc()
        return statement.order_by(ordered, tie)

    def _summary(self, row: Any, now: datetime, names: _Names) -> ComplaintSummary:
        clocks = ClockCopy(*row[15:])
        response, resolution = self._sla.clocks(clocks, now)
        login, display_name = names.users.get(row[8], (None, None))
        return ComplaintSummary(
            id=row[0],
            reference=row[1],
            customer_id=row[2],
            customer_name=row[3],
            category=names.categories.get(row[4]),
            subcategory=names.categories.get(row[5]),
            priority=Priority(row[6]),
            subject=row[7],
            assignee=login,
            assignee_name=display_name,
            team=names.teams.get(row[9]),
            status=Status(row[10]),
            response=response,
            resolution=resolution,
            due_at=clocks.due_at,
            escalation_level=row[11],
            created_at=row[12],
            updated_at=row[13],
            version=row[14],
        )


@dataclass(frozen=True)
class _Names:
    users: dict[int, tuple[str, str]]
    teams: dict[int, str]
    categories: dict[int, str]
