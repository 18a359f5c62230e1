"""Callbacks for the desktop: schedule, agenda, backlog, reminders, next callback and outcomes.

Every method that depends on the time takes `now` (UTC, aware); left out, the service's clock
(injectable, `utc_now` by default) is read. Methods return frozen dataclasses from
`callcenter.domain.callbacks`, never rows; refusals are `CallbackInvalid` (naming the field),
`OutsideCallingHours` (with the next allowed slot), `CallbackConflict` (with a free slot) or
`StaleCallback`, and nothing is saved when one is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from callcenter.domain.callbacks import (
    AgendaSpan,
    Attempt,
    AttemptResult,
    BacklogCursor,
    BacklogFilter,
    Callback,
    CallbackInvalid,
    HousekeepingResult,
    Outcome,
    Page,
    Problem,
)
from callcenter.domain.calls import CallRecord
from callcenter.domain.users import Actor
from callcenter.repositories import callback_claims
from callcenter.services import callback_inbound, callback_outcomes
from callcenter.services.callback_rules import zone
from callcenter.services.callback_scheduling import CallbackScheduling, policy_from_settings

__all__ = ["CallbackService", "policy_from_settings"]


class CallbackService(CallbackScheduling):
    """What the callback screens call; scheduling itself is inherited from CallbackScheduling."""

    # -- lists ---------------------------------------------------------------------------

    def get(self, actor: Actor, callback_id: int) -> Callback:
        with self._uow(actor) as uow:
            return self._repository(uow).get(callback_id)

    def attempts(self, actor: Actor, callback_id: int) -> list[Attempt]:
        """The callback's attempts, oldest first."""
        with self._uow(actor) as uow:
            return self._repository(uow).attempts(callback_id)

    def agenda(
        self,
        actor: Actor,
        agent_id: int,
        day: date,
        time_zone: str,
        span: AgendaSpan = AgendaSpan.DAY,
    ) -> list[Callback]:
        """The agent's callbacks (private, or claimed by them) due on `day` (DAY) or in the
        Monday-to-Sunday week holding it (WEEK), days as in `time_zone`; every status."""
        tz = zone(time_zone)
        first = day if span is AgendaSpan.DAY else day - timedelta(days=day.weekday())
        last = first + timedelta(days=1 if span is AgendaSpan.DAY else 7)
        start = datetime.combine(first, time(), tzinfo=tz)
        end = datetime.combine(last, time(), tzinfo=tz)
        with self._uow(actor) as uow:
            return self._repository(uow).of_agent_between(agent_id, start, end)

    def backlog(
        self,
        actor: Actor,
        where: BacklogFilter | None = None,
        limit: int = 100,
        after: BacklogCursor | None = None,
    ) -> Page[Callback]:
        """Callbacks in due order, `limit` at a time; pass the page's `next_cursor` as `after`."""
        with self._uow(actor) as uow:
            rows = self._repository(uow).page(where or BacklogFilter(), limit + 1, after)
        items = tuple(rows[:limit])
        more = len(rows) > limit
        return Page(items, items[-1].cursor if more and items else None)

    def pending_for_customer(self, actor: Actor, customer_id: int) -> list[Callback]:
        """The customer's open callbacks, soonest first: for the screen pop."""
        with self._uow(actor) as uow:
            return self._repository(uow).open_of_customer(customer_id)

    # -- reminders -----------------------------------------------------------------------

    def reminders_due(
        self, actor: Actor, agent_id: int, now: datetime | None = None
    ) -> list[Callback]:
        """The agent's open callbacks whose reminder time (due minus the lead, or the end of a
        snooze) has come and that were not dismissed. Never a closed callback."""
        now = now or self._clock()
        with self._uow(actor) as uow:
            return self._repository(uow).reminders(agent_id, now)

    def snooze(
        self, actor: Actor, callback_id: int, minutes: int, now: datetime | None = None
    ) -> Callback:
        """Remind again `minutes` from now. CallbackInvalid if the callback is closed."""
        if minutes <= 0:
            raise CallbackInvalid("minutes", Problem.REQUIRED, "must be at least 1")
        now = now or self._clock()
        return self._set_reminder(actor, callback_id, now + timedelta(minutes=minutes))

    def dismiss_reminder(self, actor: Actor, callback_id: int) -> Callback:
        """No more reminders for this callback (it stays in the agenda)."""
        return self._set_reminder(actor, callback_id, None)

    # -- working the list ----------------------------------------------------------------

    def next_callback(
        self,
        actor: Actor,
        queue_ids: Sequence[int] | None = None,
        now: datetime | None = None,
    ) -> Callback | None:
        """Claim the most urgent due callback the signed-in agent may take: their own first,
        then the queue's (of `queue_ids`, or any queue when None; callbacks without a queue
        always); most urgent priority, then longest due. Atomic: two agents never get the
        same one. None when nothing is due."""
        agent_id = _agent_of(actor)
        now = now or self._clock()
        return callback_claims.claim_next(
            self._database.engine, actor, agent_id, queue_ids, now, self._region
        )

    def claim(self, actor: Actor, callback_id: int, now: datetime | None = None) -> Callback:
        """Claim this callback for the signed-in agent before they call it (from a reminder,
        say), so nobody else works it meanwhile. CallbackInvalid if it is closed or someone
        else's; see callback_claims.claim_this."""
        agent_id = _agent_of(actor)
        now = now or self._clock()
        with callback_claims.write_transaction(self._database.engine) as connection:
            return callback_claims.claim_this(
                connection, actor, callback_id, agent_id, now, self._region
            )

    def release(self, actor: Actor, callback_id: int, now: datetime | None = None) -> bool:
        """Give the agent's claim back to the pool; False if it was not theirs any more."""
        agent_id = _agent_of(actor)
        now = now or self._clock()
        with callback_claims.write_transaction(self._database.engine) as connection:
            return callback_claims.release(connection, actor, callback_id, agent_id, now)

    def record_attempt(
        self,
        actor: Actor,
        callback_id: int,
        outcome: Outcome,
        call: CallRecord | None = None,
        notes: str | None = None,
        now: datetime | None = None,
    ) -> AttemptResult:
        """Log one try at the callback as a call (`call` as the desk recorded it, else a new
        outbound call now) with the outcome's disposition, and apply the retry policy: reached
        closes it done; wrong number closes it failed; no answer, busy or voicemail reschedule
        it `callbacks.retry_spacing_minutes` later (within calling hours) until
        `callbacks.max_attempts`, then close it failed.

        CallbackInvalid (field "status") if it is closed, or claimed by another agent.
        """
        now = now or self._clock()
        with self._uow(actor) as uow:
            result = callback_outcomes.record(
                uow,
                self._repository(uow),
                self.policy,
                self._rule,
                callback_id,
                outcome,
                call,
                notes,
                now,
            )
            uow.commit()
        return result

    def close_customer_called_in(
        self,
        actor: Actor,
        callback_id: int,
        call_id: int | None = None,
        now: datetime | None = None,
    ) -> Callback:
        """Close an open callback because the customer called us (`call_id`: their call)."""
        now = now or self._clock()
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            callback_inbound.close_called_in(uow, repository, callback_id, call_id, now)
            callback = repository.get(callback_id)
            uow.commit()
        return callback

    def housekeep(self, actor: Actor, now: datetime | None = None) -> HousekeepingResult:
        """Claims not worked within `callbacks.claim_minutes` back to the pool; private
        callbacks overdue by `callbacks.private_grace_minutes` to their queue. Safe to run on
        every desktop at once: each callback is changed by exactly one run."""
        now = now or self._clock()
        with callback_claims.write_transaction(self._database.engine) as connection:
            released = callback_claims.release_stale(
                connection, actor, now - self.policy.claim_timeout, now
            )
            escalated = callback_claims.escalate_overdue(
                connection, actor, now - self.policy.private_grace, now
            )
        return HousekeepingResult(tuple(released), tuple(escalated))

    # -- helpers -------------------------------------------------------------------------

    def _set_reminder(self, actor: Actor, callback_id: int, at: datetime | None) -> Callback:
        with self._uow(actor) as uow:
            repository = self._repository(uow)
            if not repository.set_remind_at(callback_id, at):
                status = repository.get(callback_id).status
                raise CallbackInvalid("status", Problem.NOT_OPEN, f"the callback is {status}")
            callback = repository.get(callback_id)
            uow.commit()
        return callback


def _agent_of(actor: Actor) -> int:
    if actor.user_id is None:
        raise CallbackInvalid("agent", Problem.REQUIRED, f"{actor.login} is not a signed-in agent")
    return actor.user_id
