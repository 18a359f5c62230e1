"""What admins set up for complaints: categories, SLA targets, the business calendar, articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from callcenter.bootstrap import Database
from callcenter.clock import utc_now
from callcenter.domain.complaint_sla import SlaRules
from callcenter.domain.complaints import Category, Priority
from callcenter.domain.users import Actor
from callcenter.repositories.complaint_setup import (
    DEFAULT_CALENDAR,
    CalendarView,
    PolicyView,
    SetupRepository,
)
from callcenter.repositories.complaints import ComplaintRepository
from callcenter.services.complaints import DEFAULT_AT_RISK_SHARE


class ComplaintAdmin:
    """Changes take effect for complaints opened (or re-prioritised) afterwards; the
    calendar is read by every desktop from the database, so all of them agree."""

    def __init__(
        self,
        database: Database,
        at_risk_share: float = DEFAULT_AT_RISK_SHARE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._at_risk_share = at_risk_share
        self._clock = clock

    def categories(self, actor: Actor) -> list[Category]:
        with self._database.uow(actor) as uow:
            return SetupRepository(uow.session, actor).categories(include_inactive=True)

    def add_category(
        self, actor: Actor, name: str, parent_code: str | None = None, code: str | None = None
    ) -> Category:
        """A category, or with `parent_code` a subcategory of it."""
        with self._database.uow(actor) as uow:
            category = SetupRepository(uow.session, actor).add_category(name, parent_code, code)
            uow.commit()
        return category

    def edit_category(
        self, actor: Actor, code: str, name: str | None = None, active: bool | None = None
    ) -> None:
        """Rename, retire (active=False: no longer offered, kept on old complaints) or bring
        back a category."""
        with self._database.uow(actor) as uow:
            SetupRepository(uow.session, actor).edit_category(code, name, active)
            uow.commit()

    def policies(self, actor: Actor) -> list[PolicyView]:
        with self._database.uow(actor) as uow:
            return SetupRepository(uow.session, actor).policies()

    def set_policy(
        self,
        actor: Actor,
        priority: Priority,
        response_minutes: int,
        resolution_minutes: int,
        category_code: str | None = None,
    ) -> None:
        with self._database.uow(actor) as uow:
            SetupRepository(uow.session, actor).set_policy(
                priority, category_code, response_minutes, resolution_minutes
            )
            uow.commit()

    def calendar(self, actor: Actor, name: str = DEFAULT_CALENDAR) -> CalendarView:
        with self._database.uow(actor) as uow:
            return SetupRepository(uow.session, actor).calendar(name)

    def set_calendar(
        self,
        actor: Actor,
        timezone: str | None = None,
        hours: dict[str, Any] | None = None,
        name: str = DEFAULT_CALENDAR,
    ) -> int:
        """Change a calendar's zone or hours; the running clocks on it are re-timed (time
        used so far is kept). How many complaints were re-timed."""
        return self._recalendar(actor, lambda setup: setup.set_calendar(timezone, hours, name))

    def add_holiday(self, actor: Actor, day: date, name: str) -> int:
        return self._recalendar(actor, lambda setup: setup.add_holiday(day, name))

    def remove_holiday(self, actor: Actor, day: date) -> bool:
        removed: list[bool] = []
        self._recalendar(actor, lambda setup: removed.append(setup.remove_holiday(day)))
        return removed[0]

    def _recalendar(self, actor: Actor, change: Callable[[SetupRepository], object]) -> int:
        now = self._clock()
        rules = SlaRules(self._at_risk_share)
        with self._database.uow(actor) as uow:
            count = ComplaintRepository(uow.session, actor).recalendar(rules, now, change)
            uow.commit()
        return count


def parse_hours(spec: str) -> dict[str, list[list[str]]]:
    """`mon-fri 09:00-17:00; sat 10:00-14:00` to the stored form; days not named are closed.

    ValueError names what it could not read.
    """
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    hours: dict[str, list[list[str]]] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        try:
            days, *spans = part.split()
        except ValueError:
            raise ValueError(
                f"{part!r}: expected days and hours, e.g. mon-fri 09:00-17:00"
            ) from None
        first, _, last = days.lower().partition("-")
        if first not in names or (last and last not in names):
            raise ValueError(f"{days!r}: days are mon, tue, wed, thu, fri, sat, sun")
        start, end = names.index(first), names.index(last or first)
        if not spans:
            raise ValueError(f"{part!r}: no hours given")
        pairs = []
        for span in spans:
            begin, sep, finish = span.partition("-")
            if not sep:
                raise ValueError(f"{span!r}: hours are written 09:00-17:00")
            pairs.append([begin, finish])
        for day in range(start, end + 1):
            hours.setdefault(str(day), []).extend(pairs)
    return hours
