"""Complaint reference data: categories, SLA policies and business calendars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callcenter.db.tables import utcnow
from callcenter.db.tables_complaints import (
    BusinessCalendar,
    CalendarHoliday,
    ComplaintCategory,
    SlaPolicy,
)
from callcenter.domain.complaints import Category, ComplaintInvalid, Priority
from callcenter.domain.errors import NotFound
from callcenter.domain.sla_clock import Calendar
from callcenter.domain.users import Actor
from callcenter.repositories.stamps import creation_stamp

DEFAULT_CALENDAR = "Default"


@dataclass(frozen=True)
class PolicyView:
    priority: str
    category: str | None
    response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class CalendarView:
    name: str
    timezone: str
    hours: dict[str, Any]
    holidays: tuple[tuple[date, str], ...]


class SetupRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    # -- categories --------------------------------------------------------------------------

    def categories(self, include_inactive: bool = False) -> list[Category]:
        """Each category followed by its subcategories, in the admins' order."""
        rows = list(self._session.scalars(select(ComplaintCategory)))
        if not include_inactive:
            rows = [r for r in rows if r.active]
        by_parent: dict[int | None, list[ComplaintCategory]] = {}
        for row in rows:
            by_parent.setdefault(row.parent_id, []).append(row)
        ordered: list[Category] = []
        for parent in sorted(by_parent.get(None, []), key=lambda r: (r.position, r.name)):
            ordered.append(_category(parent, parent.name))
            for child in sorted(by_parent.get(parent.id, []), key=lambda r: (r.position, r.name)):
                ordered.append(_category(child, f"{parent.name} / {child.name}"))
        return ordered

    def category(self, category_id: int) -> ComplaintCategory:
        row = self._session.get(ComplaintCategory, category_id)
        if row is None:
            raise NotFound(f"category {category_id} does not exist")
        return row

    def check_categories(
        self, category_id: int | None, subcategory_id: int | None
    ) -> tuple[ComplaintCategory | None, ComplaintCategory | None]:
        """The rows for a category and subcategory someone chose; ComplaintInvalid if they
        are unknown, retired, or do not belong together."""
        if category_id is None:
            if subcategory_id is not None:
                raise ComplaintInvalid("category", "choose the category of the subcategory")
            return None, None
        category = self._session.get(ComplaintCategory, category_id)
        if category is None or not category.active or category.parent_id is not None:
            raise ComplaintInvalid("category", f"there is no category {category_id}")
        if subcategory_id is None:
            return category, None
        sub = self._session.get(ComplaintCategory, subcategory_id)
        if sub is None or not sub.active or sub.parent_id != category.id:
            raise ComplaintInvalid(
                "subcategory", f"there is no subcategory {subcategory_id} of {category.name}"
            )
        return category, sub

    def add_category(self, name: str, parent_code: str | None, code: str | None) -> Category:
        name = name.strip()
        if not name or len(name) > 100:
            raise ComplaintInvalid("name", "must be 1 to 100 characters")
        parent = self.category_by_code(parent_code) if parent_code else None
        if parent is not None and parent.parent_id is not None:
            raise ComplaintInvalid("parent", "categories have two levels; pick a top category")
        wanted = code or _slug(name)
        full = f"{parent.code}.{wanted}" if parent and "." not in wanted else wanted
        if self._session.scalar(select(ComplaintCategory).filter_by(code=full)) is not None:
            raise ComplaintInvalid("code", f"a category with the code {full!r} exists")
        siblings = self._session.scalars(
            select(ComplaintCategory.position).filter_by(parent_id=parent.id if parent else None)
        ).all()
        row = ComplaintCategory(
            code=full,
            name=name,
            parent_id=parent.id if parent else None,
            position=max(siblings, default=-1) + 1,
            active=True,
            **creation_stamp(self._actor),
        )
        self._session.add(row)
        self._session.flush()
        return _category(row, f"{parent.name} / {name}" if parent else name)

    def category_by_code(self, code: str) -> ComplaintCategory:
        row = self._session.scalar(select(ComplaintCategory).filter_by(code=code))
        if row is None:
            raise ComplaintInvalid("category", f"there is no category with the code {code!r}")
        return row

    def edit_category(
        self, code: str, name: str | None = None, active: bool | None = None
    ) -> ComplaintCategory:
        row = self.category_by_code(code)
        if name is not None:
            if not name.strip() or len(name.strip()) > 100:
                raise ComplaintInvalid("name", "must be 1 to 100 characters")
            row.name = name.strip()
        if active is not None:
            row.active = active
        row.updated_by = self._actor.login
        self._session.flush()
        return row

    # -- SLA policies and calendars ----------------------------------------------------------

    def policy_for(
        self, priority: Priority, category_id: int | None, subcategory_id: int | None
    ) -> SlaPolicy | None:
        """The most specific policy: for the subcategory, else the category, else any."""
        rows = self._session.scalars(select(SlaPolicy).filter_by(priority=priority.value)).all()
        by_category = {row.category_id: row for row in rows}
        for key in (subcategory_id, category_id):
            if key is not None and key in by_category:
                return by_category[key]
        return by_category.get(None)

    def policies(self) -> list[PolicyView]:
        """The SLA targets, each with its category's code (None: for every category)."""
        codes = {c.id: c.code for c in self.categories(include_inactive=True)}
        return [
            PolicyView(
                p.priority,
                codes.get(p.category_id) if p.category_id else None,
                p.response_minutes,
                p.resolution_minutes,
            )
            for p in self._session.scalars(select(SlaPolicy).order_by(SlaPolicy.id))
        ]

    def set_policy(
        self,
        priority: Priority,
        category_code: str | None,
        response_minutes: int,
        resolution_minutes: int,
    ) -> SlaPolicy:
        """Create or change the policy for a priority (and category); applies to complaints
        opened, or re-prioritised, from now on."""
        if response_minutes <= 0 or resolution_minutes <= 0:
            raise ComplaintInvalid("minutes", "targets must be more than 0 minutes")
        category_id = self.category_by_code(category_code).id if category_code else None
        row = self._session.scalar(
            select(SlaPolicy).filter_by(priority=priority.value, category_id=category_id)
        )
        if row is None:
            row = SlaPolicy(
                priority=priority.value,
                category_id=category_id,
                calendar_id=self.calendar_row().id,
                response_minutes=response_minutes,
                resolution_minutes=resolution_minutes,
                **creation_stamp(self._actor),
            )
            self._session.add(row)
        else:
            row.response_minutes = response_minutes
            row.resolution_minutes = resolution_minutes
            row.updated_by = self._actor.login
        self._session.flush()
        return row

    def calendar_row(self, name: str = DEFAULT_CALENDAR) -> BusinessCalendar:
        row = self._session.scalar(select(BusinessCalendar).filter_by(name=name))
        if row is None:
            raise NotFound(f"business calendar {name!r} does not exist")
        return row

    def calendars(self) -> dict[int, Calendar]:
        """Every business calendar with its holidays, by id."""
        holidays: dict[int, list[date]] = {}
        for calendar_id, day in self._session.execute(
            select(CalendarHoliday.calendar_id, CalendarHoliday.day)
        ):
            holidays.setdefault(calendar_id, []).append(day)
        return {
            row.id: Calendar.parse(row.timezone, row.hours, holidays.get(row.id, []))
            for row in self._session.scalars(select(BusinessCalendar))
        }

    def calendar(self, name: str = DEFAULT_CALENDAR) -> CalendarView:
        row = self.calendar_row(name)
        holidays = tuple((h.day, h.name) for h in self.holidays(name))
        return CalendarView(row.name, row.timezone, dict(row.hours), holidays)

    def holidays(self, name: str = DEFAULT_CALENDAR) -> list[CalendarHoliday]:
        calendar = self.calendar_row(name)
        return list(
            self._session.scalars(
                select(CalendarHoliday).filter_by(calendar_id=calendar.id).order_by("day")
            )
        )

    def set_calendar(
        self,
        timezone: str | None = None,
        hours: dict[str, Any] | None = None,
        name: str = DEFAULT_CALENDAR,
    ) -> BusinessCalendar:
        """Change a calendar's zone or weekly hours (checked by parsing them)."""
        row = self.calendar_row(name)
        new_zone = timezone if timezone is not None else row.timezone
        new_hours = hours if hours is not None else row.hours
        try:
            Calendar.parse(new_zone, new_hours, [])
        except (ValueError, KeyError) as exc:
            raise ComplaintInvalid("calendar", str(exc)) from None
        row.timezone = new_zone
        row.hours = new_hours
        row.updated_by = self._actor.login
        row.updated_at = utcnow()
        self._session.flush()
        return row

    def add_holiday(self, day: date, name: str, calendar: str = DEFAULT_CALENDAR) -> None:
        if not name.strip() or len(name) > 100:
            raise ComplaintInvalid("name", "must be 1 to 100 characters")
        row = self.calendar_row(calendar)
        existing = self._session.scalar(
            select(CalendarHoliday).filter_by(calendar_id=row.id, day=day)
        )
        if existing is not None:
            existing.name = name
            existing.updated_by = self._actor.login
        else:
            self._session.add(
                CalendarHoliday(
                    calendar_id=row.id, day=day, name=name, **creation_stamp(self._actor)
                )
            )
        self._session.flush()

    def remove_holiday(self, day: date, calendar: str = DEFAULT_CALENDAR) -> bool:
        row = self.calendar_row(calendar)
        existing = self._session.scalar(
            select(CalendarHoliday).filter_by(calendar_id=row.id, day=day)
        )
        if existing is None:
            return False
        self._session.delete(existing)
        self._session.flush()
        return True


def _category(row: ComplaintCategory, path: str) -> Category:
    return Category(
        id=row.id,
        code=row.code,
        name=row.name,
        parent_id=row.parent_id,
        position=row.position,
        active=row.active,
        version=row.version,
        path=path,
    )


def _slug(name: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "x"
