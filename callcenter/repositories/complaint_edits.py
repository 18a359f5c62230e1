"""Changes to a complaint: fields, assignee, workflow moves, comments, merge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from callcenter.db.tables_complaints import (
    ComplaintCall,
    ComplaintComment,
    ComplaintHistory,
    ComplaintRow,
)
from callcenter.domain import complaint_workflow
from callcenter.domain.complaint_sla import SlaRules
from callcenter.domain.complaints import (
    UNCHANGED,
    Comment,
    CommentKind,
    ComplaintChanges,
    NotificationKind,
    RefusalReason,
    ResolutionCode,
    Status,
    TransitionRefused,
)
from callcenter.repositories.complaint_base import ComplaintBase, search_text


class ComplaintEdits(ComplaintBase):
    def update_fields(
        self, complaint_id: int, changes: ComplaintChanges, now: datetime, sla: SlaRules
    ) -> None:
        row = self.row(complaint_id)
        self._refuse_if_final(row)
        retarget = False
        if changes.subject is not UNCHANGED and self._set(
            row, "subject", changes.subject.strip(), now
        ):
            row.search_text = search_text(row.reference, row.subject)
        if changes.description is not UNCHANGED:
            self._set(row, "description", changes.description, now)
        if changes.category_id is not UNCHANGED or changes.subcategory_id is not UNCHANGED:
            category_id = (
                row.category_id if changes.category_id is UNCHANGED else changes.category_id
            )
            subcategory_id = (
                None
                if changes.subcategory_id is UNCHANGED and category_id != row.category_id
                else row.subcategory_id
                if changes.subcategory_id is UNCHANGED
                else changes.subcategory_id
            )
            self.setup.check_categories(category_id, subcategory_id)
            retarget |= self._set(row, "category_id", category_id, now)
            retarget |= self._set(row, "subcategory_id", subcategory_id, now)
        if changes.priority is not UNCHANGED:
            retarget |= self._set(row, "priority", changes.priority.value, now)
        if changes.channel is not UNCHANGED:
            self._set(row, "channel", changes.channel.value, now)
        if changes.team is not UNCHANGED:
            self._set(row, "team_id", self.team_id(changes.team) if changes.team else None, now)
        if retarget:
            self.load_calendars(sla)
            self._apply_policy(row, sla, now)

    def assign(self, complaint_id: int, assignee: str | None, now: datetime, sla: SlaRules) -> None:
        row = self.row(complaint_id)
        self._refuse_if_final(row)
        user = self.user_row(assignee) if assignee else None
        if not self._set(row, "assignee_id", user.id if user else None, now):
            return
        if user is not None and row.team_id is None and user.team_id is not None:
            self._set(row, "team_id", user.team_id, now)
        if user is not None and row.status == Status.NEW:
            self._set(row, "status", Status.OPEN.value, now)
        if user is not None and user.id != self.notifications.actor_user_id():
            self.notifications.notify([user.id], NotificationKind.ASSIGNED, row.id, None, now)

    def transition(
        self, complaint_id: int, to: Status, now: datetime, sla: SlaRules, reopen_days: int
    ) -> None:
        row = self.row(complaint_id)
        complaint_workflow.check(row, to, now, reopen_days)
        self.move(row, to, now, sla)

    def move(self, row: ComplaintRow, to: Status, now: datetime, sla: SlaRules) -> None:
        """Set the status (already checked) and run or pause the clocks to match."""
        self.load_calendars(sla)
        before = Status(row.status)
        self._set(row, "status", to.value, now)
        if to is Status.PENDING_CUSTOMER:
            # Asking the customer for something is a response to them.
            sla.respond(row, now)
            sla.pause(row, now)
        elif before is Status.PENDING_CUSTOMER:
            sla.start(row, now)

    def resolve(
        self, complaint_id: int, note: str, code: ResolutionCode, now: datetime, sla: SlaRules
    ) -> None:
        row = self.row(complaint_id)
        complaint_workflow.check(row, Status.RESOLVED, now, 0, by_method=True)
        self.load_calendars(sla)
        sla.respond(row, now)
        sla.pause(row, now)
        self._set(row, "status", Status.RESOLVED.value, now)
        self._set(row, "resolution_code", code.value, now)
        self._set(row, "resolution_note", note, now)
        row.resolved_at = now
        sla.pause(row, now)

    def reopen(
        self, complaint_id: int, reason: str, now: datetime, sla: SlaRules, reopen_days: int
    ) -> None:
        row = self.row(complaint_id)
        complaint_workflow.check(row, Status.REOPENED, now, reopen_days, by_method=True)
        self.load_calendars(sla)
        self._set(row, "status", Status.REOPENED.value, now)
        row.resolved_at = None
        sla.start(row, now)
        self._comment(row.id, CommentKind.INTERNAL, reason, now)

    def close(self, complaint_id: int, csat: int | None, now: datetime, sla: SlaRules) -> None:
        row = self.row(complaint_id)
        complaint_workflow.check(row, Status.CLOSED, now, 0, by_method=True)
        self._set(row, "status", Status.CLOSED.value, now)
        self._set(row, "csat", csat, now)
        row.closed_at = now

    def add_comment(
        self, complaint_id: int, kind: CommentKind, body: str, now: datetime, sla: SlaRules
    ) -> Comment:
        self.begin_write()
        row = self.row(complaint_id)
        if row.merged_into_id is not None:
            raise TransitionRefused(
                Status(row.status),
                None,
                RefusalReason.MERGED,
                "This complaint was merged into another one; comment there.",
            )
        comment = self._comment(complaint_id, kind, body, now)
        if kind is CommentKind.CUSTOMER and row.responded_at is None:
            self.load_calendars(sla)
            sla.respond(row, now)
            row.updated_by = self._actor.login
            row.updated_at = now
            self.record(row.id, "first_response", None, now.isoformat(), now)
        return comment

    def merge(self, duplicate_id: int, target_id: int, now: datetime, sla: SlaRules) -> None:
        duplicate = self.row(duplicate_id)
        if duplicate_id == target_id:
            raise TransitionRefused(
                Status(duplicate.status),
                None,
                RefusalReason.SAME_COMPLAINT,
                "A complaint cannot be merged into itself.",
            )
        target = self.row(target_id)
        for row in (duplicate, target):
            if row.merged_into_id is not None or row.status == Status.CLOSED:
                raise TransitionRefused(
                    Status(row.status),
                    None,
                    RefusalReason.MERGED if row.merged_into_id else RefusalReason.CLOSED,
                    f"{row.reference} is closed or merged already; pick an open complaint.",
                )
        for (call_uid,) in self._session.execute(
            select(ComplaintCall.call_uid).where(ComplaintCall.complaint_id == duplicate_id)
        ):
            self.link_call(target_id, call_uid, now)
        for table in (ComplaintComment, ComplaintHistory):
            self._session.execute(
                update(table)
                .where(table.complaint_id == duplicate_id)
                .values(complaint_id=target_id)
            )
        self._session.execute(
            delete(ComplaintCall).where(ComplaintCall.complaint_id == duplicate_id)
        )
        self.load_calendars(sla)
        sla.pause(duplicate, now)
        self._set(duplicate, "merged_into_id", target_id, now)
        self._set(duplicate, "status", Status.CLOSED.value, now)
        duplicate.closed_at = now
        self.record(target_id, "merged", duplicate.reference, target.reference, now)
        target.updated_by = self._actor.login
        target.updated_at = now

    # -- people ------------------------------------------------------------------------------
