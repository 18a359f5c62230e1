"""Scheduling callbacks: the checks, calling hours, conflicts and changes of time.

Every method that depends on the time takes `now` (UTC, aware); left out, the service's clock
(injectable, `utc_now` by default) is read. Methods return frozen dataclasses from
`callcenter.domain.callbacks`, never rows; refusals are `CallbackInvalid` (naming the field),
`OutsideCallingHours` (with the next allowed slot), `CallbackConflict` (with a free slot) or
`StaleCallback`, and nothing is saved when one is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Self

from callcenter.bootstrap import Database
from callcenter.clock import Clock, utc_now
from callcenter.config import Settings
from callcenter.domain.callbacks import (
    Callback,
    CallbackConflict,
    CallbackInvalid,
    CallbackOwner,
    CallbackPolicy,
    CallbackRequest,
    CallbackStatus,
    ConflictCheck,
    HoursCheck,
    NumberZones,
    OwnerKind,
    Problem,
    Slot,
    StaleCallback,
)
from callcenter.domain.calling_hours import CallingHoursRule, parse_days, parse_hours
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor
from callcenter.repositories.callbacks import CallbackRepository
from callcenter.services.callback_rules import check_request, free_slot, zone, zones_for_number
from callcenter.uow import UnitOfWork

# How far ahead of a conflicting time a free slot is looked for.
SLOT_HORIZON = timedelta(days=7)


def policy_from_settings(settings: Settings) -> CallbackPolicy:
    """The `callbacks.*` settings as the rules the service applies."""
    return CallbackPolicy(
        calling_hours=CallingHoursRule.from_text(
            settings.callback_calling_hours, settings.callback_business_days
        ),
        conflict=timedelta(minutes=settings.callback_conflict_minutes),
        reminder_lead=timedelta(minutes=settings.callback_reminder_lead_minutes),
        claim_timeout=timedelta(minutes=settings.callback_claim_minutes),
        private_grace=timedelta(minutes=settings.callback_private_grace_minutes),
        max_attempts=settings.callback_max_attempts,
        retry_spacing=timedelta(minutes=settings.callback_retry_spacing_minutes),
        close_on_inbound=settings.callback_close_on_inbound,
        default_zone=settings.report_timezone,
    )


class CallbackScheduling:
    """Scheduling, and the helpers the rest of `CallbackService` shares."""

    def __init__(
        self,
        database: Database,
        policy: CallbackPolicy | None = None,
        region: str = "US",
        clock: Clock = utc_now,
    ) -> None:
        self._database = database
        self.policy = policy or CallbackPolicy(CallingHoursRule())
        self._region = region
        self._clock = clock

    @classmethod
    def from_settings(cls, database: Database, settings: Settings, clock: Clock = utc_now) -> Self:
        return cls(database, policy_from_settings(settings), settings.default_region, clock)

    # -- scheduling ----------------------------------------------------------------------

    def schedule(
        self, actor: Actor, request: CallbackRequest, now: datetime | None = None
    ) -> Callback:
        """Check and store a new callback; the callback as stored.

        Refused (nothing saved) with CallbackInvalid naming the field: customer unknown or
        deleted, number missing, unreadable or not the customer's, zone missing (the number
        spans several) or not the number's, a time in the past, a window ending before it
        starts, an unknown or disabled agent, an unknown queue or complaint. OutsideCallingHours
        carries the next allowed slot; CallbackConflict (private callbacks, unless
        `request.allow_conflict`) the agent's callbacks too close and a free slot.
        """
        now = now or self._clock()
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            rule = self._rule(repository, request.owner.queue_id)
            checked = check_request(repository, request, self.policy, rule, self._region, now)
            if not request.allow_conflict:
                self._refuse_conflicts(
                    repository, checked.owner, checked.due_at, checked.time_zone, rule, None
                )
            callback_id = repository.add(
                {
                    "customer_id": checked.customer_id,
                    "number_key": checked.number_key,
                    "time_zone": checked.time_zone,
                    "due_at": checked.due_at,
                    "latest_at": checked.latest_at,
                    "owner_kind": checked.owner.kind.value,
                    "agent_id": checked.owner.agent_id,
                    "queue_id": checked.owner.queue_id,
                    "reason": checked.reason,
                    "priority": int(checked.priority),
                    "complaint_id": checked.complaint_id,
                    "status": CallbackStatus.PENDING.value,
                    "attempts": 0,
                    "remind_at": checked.due_at - self.policy.reminder_lead,
                },
                now,
            )
            uow.audit.record(
                "callback",
                callback_id,
                "create",
                {
                    "customer_id": [None, checked.customer_id],
                    "due_at": [None, checked.due_at.isoformat()],
                    "owner": [None, _owner_text(checked.owner)],
                },
            )
            callback = repository.get(callback_id)
            uow.commit()
        return callback

    def reschedule(
        self,
        actor: Actor,
        callback_id: int,
        when: datetime,
        expected_version: int,
        latest: datetime | None = None,
        allow_conflict: bool = False,
        now: datetime | None = None,
    ) -> Callback:
        """Move an open callback to a new time, with the checks `schedule` makes.

        StaleCallback if it changed since `expected_version` was read; CallbackInvalid
        (field "status") if it is closed.
        """
        now = now or self._clock()
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            found = _open_callback(repository, callback_id, expected_version)
            rule = self._rule(repository, found.queue_id)
            owner = CallbackOwner(found.owner_kind, found.agent_id, found.queue_id)
            request = CallbackRequest(
                customer_id=found.customer_id,
                number=found.number,
                when=when,
                latest=latest,
                owner=owner,
                time_zone=found.time_zone,
                reason=found.reason,
                priority=found.priority,
                complaint_id=found.complaint_id,
            )
            checked = check_request(repository, request, self.policy, rule, self._region, now)
            if not allow_conflict:
                self._refuse_conflicts(
                    repository, owner, checked.due_at, found.time_zone, rule, callback_id
                )
            repository.reschedule(
                callback_id,
                expected_version,
                checked.due_at,
                checked.latest_at,
                checked.due_at - self.policy.reminder_lead,
            )
            uow.audit.record(
                "callback",
                callback_id,
                "reschedule",
                {"due_at": [found.due_at.isoformat(), checked.due_at.isoformat()]},
            )
            callback = repository.get(callback_id)
            uow.commit()
        return callback

    def cancel(
        self, actor: Actor, callback_id: int, expected_version: int, now: datetime | None = None
    ) -> Callback:
        """Withdraw an open callback (the promise no longer stands); StaleCallback if changed."""
        now = now or self._clock()
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            found = _open_callback(repository, callback_id, expected_version)
            repository.close(callback_id, expected_version, CallbackStatus.CANCELLED, now)
            uow.audit.record(
                "callback",
                callback_id,
                "cancel",
                {"status": [found.status.value, CallbackStatus.CANCELLED.value]},
            )
            callback = repository.get(callback_id)
            uow.commit()
        return callback

    def zones_for_number(self, number: str) -> NumberZones:
        """The zones a number may be in (read as the default region would), and whether the
        agent must pick one; no database needed."""
        key = normalize(number, self._region).key
        if not key:
            raise CallbackInvalid(
                "number", Problem.NOT_A_NUMBER, f"{number!r} is not a phone number"
            )
        return zones_for_number(key, self.policy.default_zone)

    def check_calling_hours(
        self, actor: Actor, when: datetime, time_zone: str, queue_id: int | None = None
    ) -> HoursCheck:
        """Whether `when` is within calling hours in `time_zone` (the queue's own hours if it
        has them), and the next allowed slot (`when` itself when allowed)."""
        tz = zone(time_zone)
        with self._uow(actor) as uow:
            rule = self._rule(self._repository(uow), queue_id)
        return HoursCheck(rule.closed(when, tz), Slot(rule.next_allowed(when, tz), time_zone), rule)

    def calling_hours(self, actor: Actor, queue_id: int | None = None) -> CallingHoursRule:
        """The rule for a queue: its own if set, else the `callbacks.calling_hours` setting."""
        with self._uow(actor) as uow:
            return self._rule(self._repository(uow), queue_id)

    def set_queue_calling_hours(
        self,
        actor: Actor,
        queue_id: int,
        hours: str,
        business_days: Sequence[str],
        expected_version: int | None = None,
    ) -> CallingHoursRule:
        """Give a queue its own calling hours ("08:00-20:00", ["mon", ..., "sat"]).

        `expected_version` None creates them; else the version read (StaleCallback-like
        ConflictError if another admin changed them since). CallbackInvalid names a bad field.
        """
        for field, parse, value in (
            ("calling_hours", parse_hours, hours),
            ("business_days", parse_days, business_days),
        ):
            try:
                parse(value)
            except ValueError as exc:
                raise CallbackInvalid(field, Problem.MALFORMED, str(exc)) from None
        rule = CallingHoursRule.from_text(hours, business_days)
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            if not repository.queue_exists(queue_id):
                raise CallbackInvalid(
                    "queue", Problem.NOT_FOUND, f"queue {queue_id} does not exist"
                )
            repository.set_queue_hours(queue_id, rule, expected_version)
            uow.audit.record(
                "callback_queue_hours",
                queue_id,
                "set",
                {
                    "calling_hours": [None, rule.hours_text],
                    "business_days": [None, list(rule.days_text)],
                },
            )
            uow.commit()
        return rule

    def conflicts(
        self,
        actor: Actor,
        agent_id: int,
        when: datetime,
        time_zone: str,
        exclude_id: int | None = None,
        queue_id: int | None = None,
    ) -> ConflictCheck:
        """The agent's open callbacks within `callbacks.conflict_minutes` of `when`, and the
        first free slot from `when` within calling hours (None if none is near)."""
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            return self._conflicts(
                repository, agent_id, when, time_zone, self._rule(repository, queue_id), exclude_id
            )

    # -- helpers -------------------------------------------------------------------------

    def _uow(self, actor: Actor) -> UnitOfWork:
        return self._database.uow(actor)

    def _repository(self, uow: UnitOfWork) -> CallbackRepository:
        return CallbackRepository(uow.session, uow.actor, self._region)

    def _rule(self, repository: CallbackRepository, queue_id: int | None) -> CallingHoursRule:
        own = repository.queue_hours(queue_id) if queue_id is not None else None
        return own[0] if own else self.policy.calling_hours

    def _conflicts(
        self,
        repository: CallbackRepository,
        agent_id: int,
        when: datetime,
        time_zone: str,
        rule: CallingHoursRule,
        exclude: int | None,
    ) -> ConflictCheck:
        gap = self.policy.conflict
        if gap <= timedelta(0):
            return ConflictCheck((), None)
        near = repository.open_of_agent_near(agent_id, when - gap, when + gap, exclude)
        if not near:
            return ConflictCheck((), None)
        ahead = repository.open_of_agent_near(agent_id, when - gap, when + SLOT_HORIZON, exclude)
        slot = free_slot(ahead, when, gap, rule, zone(time_zone))
        return ConflictCheck(tuple(near), Slot(slot, time_zone) if slot else None)

    def _refuse_conflicts(
        self,
        repository: CallbackRepository,
        owner: CallbackOwner,
        when: datetime,
        time_zone: str,
        rule: CallingHoursRule,
        exclude: int | None,
    ) -> None:
        """CallbackConflict if a private callback's time is too close to another of its agent's."""
        if owner.kind is not OwnerKind.AGENT or owner.agent_id is None:
            return
        found = self._conflicts(repository, owner.agent_id, when, time_zone, rule, exclude)
        if found.conflicting:
            raise CallbackConflict(
                f"is within {_minutes(self.policy.conflict)} minutes of another callback "
                "of this agent",
                found.conflicting,
                found.suggested,
            )


def _open_callback(
    repository: CallbackRepository, callback_id: int, expected_version: int
) -> Callback:
    """The callback, if still at `expected_version` (StaleCallback) and open."""
    callback = repository.get(callback_id)
    if callback.version != expected_version:
        raise StaleCallback(callback_id)
    if not callback.status.is_open:
        raise CallbackInvalid(
            "status", Problem.NOT_OPEN, f"the callback is {callback.status.value}"
        )
    return callback


def _owner_text(owner: CallbackOwner) -> str:
    """ "agent:7", "queue:2" or "queue:" (anyone), for the audit log."""
    return f"{owner.kind}:{owner.agent_id or owner.queue_id or ''}"


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
