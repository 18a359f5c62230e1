"""Complaints for the desktop: open, read, list, edit, move through the workflow, merge, notify."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from callcenter.bootstrap import Database
from callcenter.clock import utc_now
from callcenter.config.settings import Settings
from callcenter.domain import complaint_workflow
from callcenter.domain.complaint_lists import ComplaintFilter, ComplaintSummary, Page
from callcenter.domain.complaint_sla import SlaRules
from callcenter.domain.complaints import (
    Category,
    Comment,
    CommentKind,
    Complaint,
    ComplaintChanges,
    ComplaintDraft,
    HistoryEntry,
    KbArticle,
    Notification,
    ResolutionCode,
    SlaClock,
    Status,
    SweepResult,
)
from callcenter.domain.users import Actor
from callcenter.repositories.complaint_lists import ComplaintLists
from callcenter.repositories.complaint_notifications import NotificationRepository
from callcenter.repositories.complaint_setup import SetupRepository
from callcenter.repositories.complaints import ComplaintRepository
from callcenter.services import complaint_rules
from callcenter.services.escalation import EscalationService
from callcenter.services.knowledge import KnowledgeService
from callcenter.uow import UnitOfWork

DEFAULT_REOPEN_DAYS = 14
DEFAULT_AT_RISK_SHARE = 0.75


class ComplaintService:
    """Every complaint action the GUI takes; each is one unit of work, returning dataclasses.

    Edits take the `version` the user started from: a save over a newer version raises
    ComplaintConflict (nothing is written; reload and apply again). A move the workflow does
    not allow raises TransitionRefused with the reason; bad input raises ComplaintInvalid
    naming the field. `clock` gives "now" (tests pass a fixed one).
    """

    def __init__(
        self,
        database: Database,
        *,
        reopen_days: int = DEFAULT_REOPEN_DAYS,
        at_risk_share: float = DEFAULT_AT_RISK_SHARE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._reopen_days = reopen_days
        self._clock = clock
        self._sla = SlaRules(at_risk_share)
        self.escalations = EscalationService(database, self._sla, clock=clock)
        self.knowledge = KnowledgeService(database)

    @classmethod
    def from_settings(
        cls, database: Database, settings: Settings, clock: Callable[[], datetime] = utc_now
    ) -> ComplaintService:
        return cls(
            database,
            reopen_days=settings.complaint_reopen_days,
            at_risk_share=settings.complaint_at_risk_share,
            clock=clock,
        )

    # -- reference data ----------------------------------------------------------------------

    def categories(self, actor: Actor, include_inactive: bool = False) -> builtins.list[Category]:
        """Categories and their subcategories, each category followed by its children."""
        with self._database.uow(actor) as uow:
            return SetupRepository(uow.session, actor).categories(include_inactive)

    def resolution_codes(self) -> tuple[ResolutionCode, ...]:
        return tuple(ResolutionCode)

    def allowed_transitions(self, complaint: Complaint) -> tuple[Status, ...]:
        """The statuses `transition` may move this complaint to now (for the buttons)."""
        return complaint_workflow.allowed(complaint, self._clock(), self._reopen_days)

    # -- opening and reading -----------------------------------------------------------------

    def create(self, actor: Actor, draft: ComplaintDraft) -> Complaint:
        """Open a complaint (status New, or Open when it has an assignee) and start its clocks.

        Its reference (C-YYYY-NNNNNN) is unique across every desktop. `draft.call_uid`, if
        set, links the call it came from. ComplaintInvalid names a refused field.
        """
        clean = complaint_rules.check_draft(draft)
        now = self._clock()
        with self._database.uow(actor) as uow:
            repo = self._repo(uow)
            complaint_id = repo.add(clean, now, self._sla)
            complaint = repo.get(complaint_id, now, self._sla)
            uow.commit()
        return complaint

    def open_from_call(
        self, actor: Actor, call_uid: str, customer_id: int, draft: ComplaintDraft
    ) -> Complaint:
        """`create` for the call on the desk: the customer and the call are taken from it."""
        return self.create(actor, replace(draft, customer_id=customer_id, call_uid=call_uid))

    def get(self, actor: Actor, complaint_id: int) -> Complaint:
        """The complaint with its SLA clocks as of now; NotFound if there is none."""
        with self._database.uow(actor) as uow:
            return self._repo(uow).get(complaint_id, self._clock(), self._sla)

    def get_by_reference(self, actor: Actor, reference: str) -> Complaint:
        with self._database.uow(actor) as uow:
            repo = self._repo(uow)
            return repo.get(repo.id_for_reference(reference), self._clock(), self._sla)

    def list(
        self, actor: Actor, criteria: ComplaintFilter, offset: int = 0, limit: int = 50
    ) -> Page[ComplaintSummary]:
        """One page of a list (My complaints, My team, All), sorted by due time by default.

        Scope ALL is for supervisors and admins (ComplaintInvalid "scope" for an agent);
        MINE and TEAM need the actor to be a user.
        """
        now = self._clock()
        with self._database.uow(actor) as uow:
            return ComplaintLists(uow.session, actor, self._sla).page(criteria, offset, limit, now)

    def open_for_customer(self, actor: Actor, customer_id: int) -> builtins.list[ComplaintSummary]:
        """The customer's complaints not yet resolved, nearest due first (the screen pop)."""
        now = self._clock()
        with self._database.uow(actor) as uow:
            return ComplaintLists(uow.session, actor, self._sla).open_for_customer(customer_id, now)

    def sla(self, complaint: Complaint | ComplaintSummary, now: datetime) -> tuple[SlaClock, ...]:
        """Both clocks moved on to `now` without reading the database: what a ticking view
        shows between reloads (response, resolution)."""
        return self._sla.advance(complaint.response, now), self._sla.advance(
            complaint.resolution, now
        )

    def comments(self, actor: Actor, complaint_id: int) -> builtins.list[Comment]:
        with self._database.uow(actor) as uow:
            return self._repo(uow).comments(complaint_id)

    def history(self, actor: Actor, complaint_id: int) -> builtins.list[HistoryEntry]:
        """Every change, oldest first: the complaint's timeline."""
        with self._database.uow(actor) as uow:
            return self._repo(uow).history(complaint_id)

    # -- editing -----------------------------------------------------------------------------

    def update(
        self, actor: Actor, complaint_id: int, changes: ComplaintChanges, version: int
    ) -> Complaint:
        """Write the fields `changes` sets (a change of priority or category re-targets the
        SLA clocks from the matching policy)."""
        complaint_rules.check_changes(changes)
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.update_fields(complaint_id, changes, now, self._sla),
        )

    def assign(
        self, actor: Actor, complaint_id: int, assignee: str | None, version: int
    ) -> Complaint:
        """Give the complaint to the user `assignee` (a login; None unassigns). A New
        complaint becomes Open; the assignee, if not the actor, is notified."""
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.assign(complaint_id, assignee, now, self._sla),
        )

    def transition(self, actor: Actor, complaint_id: int, to: Status, version: int) -> Complaint:
        """Move to `to` if the workflow allows it; TransitionRefused says why not.

        Resolve, reopen, close and escalate need more than a status and have their own
        methods; asking for those statuses here is refused with the reason.
        """
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.transition(complaint_id, to, now, self._sla, self._reopen_days),
        )

    def comment(self, actor: Actor, complaint_id: int, kind: CommentKind, body: str) -> Comment:
        """Add an internal note or a note to the customer (stored verbatim). The first note
        to the customer is the first response. Needs no version: comments only add."""
        clean = complaint_rules.check_comment(body)
        now = self._clock()
        with self._database.uow(actor) as uow:
            repo = self._repo(uow)
            comment = repo.add_comment(complaint_id, kind, clean, now, self._sla)
            self._commit(uow, repo, complaint_id, None)
        return comment

    def escalate(self, actor: Actor, complaint_id: int, reason: str, version: int) -> Complaint:
        """Raise the escalation level by one (at most 3) with a reason; Open or Reopened
        become Escalated. The assignee and the team's supervisors are notified."""
        clean = complaint_rules.check_reason(reason)
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: self.escalations.escalate_manually(repo, complaint_id, clean, now),
        )

    def resolve(
        self, actor: Actor, complaint_id: int, note: str, code: ResolutionCode | str, version: int
    ) -> Complaint:
        """Resolved, with the resolution note and code (both required); the clocks stop."""
        clean_note, clean_code = complaint_rules.check_resolution(note, code)
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.resolve(complaint_id, clean_note, clean_code, now, self._sla),
        )

    def reopen(self, actor: Actor, complaint_id: int, reason: str, version: int) -> Complaint:
        """Resolved -> Reopened within `complaints.reopen_days` of the resolution; the
        resolution clock runs on from where it stopped. The reason is kept as an internal
        note."""
        clean = complaint_rules.check_reason(reason)
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.reopen(complaint_id, clean, now, self._sla, self._reopen_days),
        )

    def close(self, actor: Actor, complaint_id: int, csat: int | None, version: int) -> Complaint:
        """Resolved -> Closed with the customer's satisfaction (1-5, or None: not answered)."""
        complaint_rules.check_csat(csat)
        return self._write(
            actor,
            complaint_id,
            version,
            lambda repo, now: repo.close(complaint_id, csat, now, self._sla),
        )

    def merge(self, actor: Actor, duplicate_id: int, target_id: int, version: int) -> Complaint:
        """Merge the duplicate (at `version`) into the target: its calls, comments and
        history move to the target, and the duplicate is Closed, pointing to the target.
        Returns the target."""

        def work(repo: ComplaintRepository, now: datetime) -> None:
            repo.merge(duplicate_id, target_id, now, self._sla)

        self._write(actor, duplicate_id, version, work)
        return self.get(actor, target_id)

    def link_call(self, actor: Actor, complaint_id: int, call_uid: str) -> Complaint:
        """Link a call (by its uid; it may not be saved yet) to the complaint; returns the
        complaint linked to, which for a merged duplicate is the one it was merged into.
        Linking the same call again changes nothing. Needs no version: links only add."""
        uid = complaint_rules.check_call_uid(call_uid)
        now = self._clock()
        with self._database.uow(actor) as uow:
            repo = self._repo(uow)
            target = repo.link_target(complaint_id)
            repo.link_call(target, uid, now)
            self._commit(uow, repo, target, None)
            return repo.get(target, now, self._sla)

    # -- notifications -----------------------------------------------------------------------

    def notifications(
        self, actor: Actor, unread_only: bool = False, limit: int = 100
    ) -> builtins.list[Notification]:
        """The actor's notifications, newest first."""
        with self._database.uow(actor) as uow:
            return NotificationRepository(uow.session, actor).for_actor(unread_only, limit)

    def unread_count(self, actor: Actor) -> int:
        with self._database.uow(actor) as uow:
            return NotificationRepository(uow.session, actor).unread_count()

    def mark_read(self, actor: Actor, notification_ids: Iterable[int] | None = None) -> int:
        """Mark the actor's notifications read (all of them when ids is None); how many."""
        with self._database.uow(actor) as uow:
            count = NotificationRepository(uow.session, actor).mark_read(
                None if notification_ids is None else list(notification_ids), self._clock()
            )
            uow.commit()
        return count

    # -- knowledge base and escalation sweep -------------------------------------------------

    def kb_search(
        self, actor: Actor, text: str, category_id: int | None = None, limit: int = 20
    ) -> builtins.list[KbArticle]:
        """Articles whose title, problem or solution holds every word of `text`; those
        linked to `category_id` (or its parent) first."""
        return self.knowledge.search(actor, text, category_id, limit)

    def sweep(self, actor: Actor, now: datetime | None = None) -> SweepResult:
        """Escalate what became at risk or breached; safe on any number of desktops at once
        (each escalation and its notifications are written exactly once)."""
        return self.escalations.sweep(actor, now or self._clock())

    # -- plumbing ----------------------------------------------------------------------------

    def _repo(self, uow: UnitOfWork) -> ComplaintRepository:
        return ComplaintRepository(uow.session, uow.actor)

    def _write(
        self,
        actor: Actor,
        complaint_id: int,
        version: int,
        work: Callable[[ComplaintRepository, datetime], object],
    ) -> Complaint:
        now = self._clock()
        with self._database.uow(actor) as uow:
            repo = self._repo(uow)
            # One UPDATE at commit, so the version moves on by exactly one per save.
            with repo.deferred():
                repo.lock(complaint_id, version, now)
                work(repo, now)
            self._commit(uow, repo, complaint_id, version)
            return repo.get(complaint_id, now, self._sla)

    def _commit(
        self, uow: UnitOfWork, repo: ComplaintRepository, complaint_id: int, version: int | None
    ) -> None:
        repo.save(complaint_id, version)
        uow.commit()
