"""Complaint rows: create, read, change with history, comments, calls, merge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from callcenter.db.tables import Call, Customer, Team, User
from callcenter.db.tables_complaints import (
    ComplaintCall,
    ComplaintComment,
    ComplaintHistory,
    ComplaintReferenceCounter,
    ComplaintRow,
)
from callcenter.domain.complaint_sla import ClockCopy, SlaRules
from callcenter.domain.complaints import (
    CallLink,
    Comment,
    CommentKind,
    Complaint,
    ComplaintDraft,
    ComplaintInvalid,
    HistoryEntry,
    NotificationKind,
    Status,
)
from callcenter.domain.errors import NotFound
from callcenter.repositories.complaint_base import search_text
from callcenter.repositories.complaint_escalations import ComplaintEscalations
from callcenter.repositories.complaint_rows import complaint_from_row, insert_ignore
from callcenter.repositories.complaint_setup import SetupRepository


class ComplaintRepository(ComplaintEscalations):
    """Complaint rows: create and read here; changes in ComplaintEdits and ComplaintEscalations."""

    def add(self, draft: ComplaintDraft, now: datetime, sla: SlaRules) -> int:
        self.begin_write()
        if self._session.get(Customer, draft.customer_id) is None:
            raise ComplaintInvalid("customer", f"there is no customer {draft.customer_id}")
        category, sub = self.setup.check_categories(draft.category_id, draft.subcategory_id)
        assignee = self.user_row(draft.assignee) if draft.assignee else None
        team_id = (
            self.team_id(draft.team) if draft.team else (assignee.team_id if assignee else None)
        )
        row = ComplaintRow(
            reference=self.next_reference(now.year),
            customer_id=draft.customer_id,
            category_id=category.id if category else None,
            subcategory_id=sub.id if sub else None,
            priority=draft.priority.value,
            channel=draft.channel.value,
            subject=draft.subject,
            description=draft.description,
            assignee_id=assignee.id if assignee else None,
            team_id=team_id,
            status=(Status.OPEN if assignee else Status.NEW).value,
            response_used_s=0,
            resolution_used_s=0,
            escalation_level=0,
            version=1,
            created_at=now,
            updated_at=now,
            created_by=self._actor.login,
            updated_by=self._actor.login,
        )
        row.search_text = search_text(row.reference, row.subject)
        self._apply_policy(row, sla, now)
        sla.start(row, now)
        self._session.add(row)
        self._session.flush()
        self.record(row.id, "created", None, row.reference, now)
        if draft.call_uid:
            self.link_call(row.id, draft.call_uid, now)
        if assignee is not None and assignee.id != self.notifications.actor_user_id():
            self.notifications.notify([assignee.id], NotificationKind.ASSIGNED, row.id, None, now)
        return row.id

    def next_reference(self, year: int) -> str:
        """C-YYYY-NNNNNN: the year's counter bumped in place, atomic on both backends (the
        row is locked by the update until this transaction ends)."""
        insert_ignore(self._session, ComplaintReferenceCounter, {"year": year, "last_number": 0})
        number = self._session.execute(
            update(ComplaintReferenceCounter)
            .where(ComplaintReferenceCounter.year == year)
            .values(last_number=ComplaintReferenceCounter.last_number + 1)
            .returning(ComplaintReferenceCounter.last_number)
        ).scalar_one()
        return f"C-{year}-{number:06d}"

    def id_for_reference(self, reference: str) -> int:
        found = self._session.scalar(
            select(ComplaintRow.id).where(ComplaintRow.reference == reference.strip().upper())
        )
        if found is None:
            raise NotFound(f"there is no complaint {reference.strip()}")
        return found

    def get(self, complaint_id: int, now: datetime, sla: SlaRules) -> Complaint:
        row = self.row(complaint_id)
        self.load_calendars(sla)
        names = self._names(row)
        return complaint_from_row(row, names, self.calls(complaint_id), sla.clocks(row, now))

    def _names(self, row: ComplaintRow) -> dict[str, Any]:
        customer = self._session.get(Customer, row.customer_id)
        assignee = self._session.get(User, row.assignee_id) if row.assignee_id else None
        team = self._session.get(Team, row.team_id) if row.team_id else None
        categories = {c.id: c for c in self.setup.categories(include_inactive=True)}
        merged = self._session.get(ComplaintRow, row.merged_into_id) if row.merged_into_id else None
        return {
            "customer_name": customer.name if customer else "",
            "assignee": assignee.login if assignee else None,
            "assignee_name": assignee.display_name if assignee else None,
            "team": team.name if team else None,
            "category": categories[row.category_id].name if row.category_id else None,
            "subcategory": categories[row.subcategory_id].name if row.subcategory_id else None,
            "merged_into_reference": merged.reference if merged else None,
        }

    def calls(self, complaint_id: int) -> tuple[CallLink, ...]:
        rows = self._session.execute(
            select(
                ComplaintCall.call_uid,
                ComplaintCall.linked_at,
                ComplaintCall.linked_by,
                Call.started_at,
                Call.direction,
                User.login,
            )
            .outerjoin(Call, Call.call_uid == ComplaintCall.call_uid)
            .outerjoin(User, User.id == Call.agent_id)
            .where(ComplaintCall.complaint_id == complaint_id)
            .order_by(ComplaintCall.linked_at, ComplaintCall.call_uid)
        )
        return tuple(
            CallLink(uid, linked_at, linked_by, started, direction, agent)
            for uid, linked_at, linked_by, started, direction, agent in rows
        )

    def comments(self, complaint_id: int) -> list[Comment]:
        self.row(complaint_id)
        rows = self._session.scalars(
            select(ComplaintComment)
            .where(ComplaintComment.complaint_id == complaint_id)
            .order_by(ComplaintComment.id)
        )
        return [
            Comment(r.id, r.complaint_id, CommentKind(r.kind), r.body, r.author, r.created_at)
            for r in rows
        ]

    def history(self, complaint_id: int) -> list[HistoryEntry]:
        self.row(complaint_id)
        rows = self._session.scalars(
            select(ComplaintHistory)
            .where(ComplaintHistory.complaint_id == complaint_id)
            .order_by(ComplaintHistory.id)
        )
        return [
            HistoryEntry(r.id, r.complaint_id, r.field, r.old_value, r.new_value, r.actor, r.at)
            for r in rows
        ]

    # -- write -------------------------------------------------------------------------------

    def recalendar(
        self, sla: SlaRules, now: datetime, change: Callable[[SetupRepository], object]
    ) -> int:
        """Change the calendars with `change` and re-time every running clock on them (the
        time used so far is kept); how many complaints were re-timed."""
        self.begin_write()
        self.load_calendars(sla)
        running = list(
            self._session.scalars(
                select(ComplaintRow)
                .where(ComplaintRow.clock_started_at.is_not(None))
                .order_by(ComplaintRow.id)
                .with_for_update()
            )
        )
        # Bank the time used under the old calendar (on copies: the rows change once,
        # after the calendar, so each version moves on by one), then run on the new.
        banked = []
        for row in running:
            copy = ClockCopy.of(row)
            sla.pause(copy, now)
            banked.append(copy)
        change(self.setup)
        self._session.flush()
        sla.calendars.clear()
        self.load_calendars(sla)
        for row, copy in zip(running, banked, strict=True):
            copy.copy_to(row)
            sla.start(row, now)
            row.updated_by = self._actor.login
            row.updated_at = now
        return len(running)

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(ComplaintRow)) or 0)
