"""Call history for the lists agents scroll: a customer's calls, and an agent's calls today."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from callcenter.bootstrap import Database
from callcenter.domain.history import CallHistoryEntry, PageCursor
from callcenter.domain.users import Actor

PAGE_SIZE = 50


def start_of_day(zone: str, on: date | None = None) -> datetime:
    """Midnight at the start of `on` (today by default) in the time zone `zone`, aware."""
    tz = ZoneInfo(zone)
    day = on or datetime.now(tz).date()
    return datetime.combine(day, time(0), tzinfo=tz)


class CallHistoryService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def for_customer(
        self,
        actor: Actor,
        customer_id: int,
        limit: int = PAGE_SIZE,
        after: PageCursor | None = None,
        newest_first: bool = True,
    ) -> list[CallHistoryEntry]:
        """One page of the customer's calls; pass the last entry's `cursor` for the next."""
        with self._database.uow(actor) as uow:
            return uow.calls.page_for_customer(customer_id, limit, after, newest_first)

    def for_agent(
        self,
        actor: Actor,
        agent_id: int,
        since: datetime,
        limit: int = PAGE_SIZE,
        after: PageCursor | None = None,
        newest_first: bool = True,
    ) -> list[CallHistoryEntry]:
        """One page of the agent's calls started since `since` (see `start_of_day`)."""
        with self._database.uow(actor) as uow:
            return uow.calls.page_for_agent(agent_id, since, limit, after, newest_first)

    def disposition_labels(self, actor: Actor) -> dict[str, str]:
        """Every disposition code, retired ones too, with the label agents read."""
        with self._database.uow(actor) as uow:
            return {d.code: d.label for d in uow.dispositions.list(active_only=False)}
