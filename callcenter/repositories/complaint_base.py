"""What every complaint write needs: the locked row, a recorded change, people, calls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.engine import begin_write
from callcenter.db.tables import Team, User
from callcenter.db.tables_complaints import (
    ComplaintCall,
    ComplaintCategory,
    ComplaintComment,
    ComplaintHistory,
    ComplaintRow,
)
from callcenter.domain.complaint_sla import SlaRules
from callcenter.domain.complaints import (
    Comment,
    CommentKind,
    ComplaintConflict,
    ComplaintInvalid,
    Priority,
    RefusalReason,
    Status,
    TransitionRefused,
)
from callcenter.domain.errors import NotFound
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.complaint_notifications import NotificationRepository
from callcenter.repositories.complaint_rows import history_text, insert_ignore
from callcenter.repositories.complaint_setup import SetupRepository


class ComplaintBase:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor
        self.setup = SetupRepository(session, actor)
        self.notifications = NotificationRepository(session, actor)
        self._audit = AuditRepository(session, actor)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Within it, changes wait for the commit (no autoflush): each complaint's row is
        written once, so its version moves on by one however many steps change it."""
        with self._session.no_autoflush:
            yield

    def begin_write(self) -> None:
        """Take the write lock first on SQLite (see engine.begin_write)."""
        begin_write(self._session)

    def load_calendars(self, sla: SlaRules) -> None:
        sla.remember(self.setup.calendars())

    # -- create ------------------------------------------------------------------------------

    def _apply_policy(self, row: ComplaintRow, sla: SlaRules, now: datetime) -> None:
        policy = self.setup.policy_for(Priority(row.priority), row.category_id, row.subcategory_id)
        if policy is None:
            row.sla_policy_id = row.calendar_id = None
            sla.retarget(row, None, None, now)
            return
        if policy.calendar_id not in sla.calendars:
            self.load_calendars(sla)
        row.sla_policy_id = policy.id
        if row.calendar_id != policy.calendar_id:
            sla.pause(row, now)
            row.calendar_id = policy.calendar_id
            if Status(row.status) not in (Status.PENDING_CUSTOMER, Status.RESOLVED, Status.CLOSED):
                sla.start(row, now)
        sla.retarget(row, policy.response_minutes * 60, policy.resolution_minutes * 60, now)

    # -- read --------------------------------------------------------------------------------

    def row(self, complaint_id: int) -> ComplaintRow:
        row = self._session.get(ComplaintRow, complaint_id)
        if row is None:
            raise NotFound(f"complaint {complaint_id} does not exist")
        return row

    def lock(self, complaint_id: int, version: int, now: datetime) -> ComplaintRow:
        """The row, if it is still at `version` (else ComplaintConflict); marked changed so
        its version moves on even when only its children change."""
        self.begin_write()
        row = self._session.get(ComplaintRow, complaint_id, with_for_update=True)
        if row is None:
            raise NotFound(f"complaint {complaint_id} does not exist")
        if row.version != version:
            raise ComplaintConflict(complaint_id, version)
        row.updated_by = self._actor.login
        row.updated_at = now
        return row

    def save(self, complaint_id: int, version: int | None) -> None:
        """Write the changes now; ComplaintConflict if another desktop changed the complaint
        since `version` was read, or took first a unique key this change needs."""
        try:
            self._session.flush()
        except (StaleDataError, IntegrityError) as exc:
            if isinstance(exc, IntegrityError) and not _is_race(exc):
                raise
            raise ComplaintConflict(complaint_id, version) from None

    def link_target(self, complaint_id: int) -> int:
        """The complaint calls to this one are linked to: the one it was merged into, if so."""
        return self.row(complaint_id).merged_into_id or complaint_id

    def record(
        self, complaint_id: int, field: str, old: object, new: object, now: datetime
    ) -> None:
        """A line of the complaint's timeline, and of the append-only audit log."""
        old_text, new_text = history_text(old), history_text(new)
        action = "create" if field == "created" else "update"
        self._audit.record("complaint", complaint_id, action, {field: [old_text, new_text]})
        self._session.execute(
            insert(ComplaintHistory).values(
                complaint_id=complaint_id,
                field=field,
                old_value=old_text,
                new_value=new_text,
                actor=self._actor.login,
                at=now,
            )
        )

    def _set(self, row: ComplaintRow, column: str, value: object, now: datetime) -> bool:
        """Change a column and record it; ids are recorded as the names people know."""
        old = getattr(row, column)
        if old == value:
            return False
        setattr(row, column, value)
        field = _HISTORY_NAMES.get(column, column)
        self.record(row.id, field, self._shown(column, old), self._shown(column, value), now)
        row.updated_at = now
        return True

    def _shown(self, column: str, value: object) -> object:
        if value is None:
            return None
        if column == "assignee_id":
            user = self._session.get(User, value)
            return user.login if user else value
        if column == "team_id":
            team = self._session.get(Team, value)
            return team.name if team else value
        if column in ("category_id", "subcategory_id"):
            category = self._session.get(ComplaintCategory, value)
            return category.name if category else value
        if column == "merged_into_id":
            target = self._session.get(ComplaintRow, value)
            return target.reference if target else value
        return value

    def _comment(self, complaint_id: int, kind: CommentKind, body: str, now: datetime) -> Comment:
        comment_id = self._session.execute(
            insert(ComplaintComment)
            .values(
                complaint_id=complaint_id,
                kind=kind.value,
                body=body,
                author=self._actor.login,
                created_at=now,
            )
            .returning(ComplaintComment.id)
        ).scalar_one()
        return Comment(comment_id, complaint_id, kind, body, self._actor.login, now)

    def link_call(self, complaint_id: int, call_uid: str, now: datetime) -> bool:
        """Link a call; False if it was linked already."""
        self.begin_write()
        self.row(complaint_id)
        added = insert_ignore(
            self._session,
            ComplaintCall,
            {
                "complaint_id": complaint_id,
                "call_uid": call_uid,
                "linked_at": now,
                "linked_by": self._actor.login,
            },
        )
        if added:
            self.record(complaint_id, "call", None, call_uid, now)
        return added

    def user_row(self, login: str) -> User:
        row = self._session.scalar(select(User).where(User.login == login))
        if row is None or not row.active:
            raise ComplaintInvalid("assignee", f"there is no active user {login!r}")
        return row

    def team_id(self, name: str) -> int:
        found = self._session.scalar(select(Team.id).where(Team.name == name))
        if found is None:
            raise ComplaintInvalid("team", f"there is no team {name!r}")
        return found

    def _refuse_if_final(self, row: ComplaintRow) -> None:
        if row.merged_into_id is not None or row.status == Status.CLOSED:
            raise TransitionRefused(
                Status(row.status),
                None,
                RefusalReason.MERGED if row.merged_into_id else RefusalReason.CLOSED,
                "A closed or merged complaint cannot change.",
            )


_HISTORY_NAMES = {
    "assignee_id": "assignee",
    "team_id": "team",
    "category_id": "category",
    "subcategory_id": "subcategory",
    "merged_into_id": "merged_into",
}


def _is_race(exc: IntegrityError) -> bool:
    """A unique key another desktop took first (a call linked twice at once)."""
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate key" in text


def search_text(reference: str, subject: str) -> str:
    return f"{reference} {subject}".casefold()[:340]
