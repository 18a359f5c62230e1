"""Demo callbacks: promises due later, due now, overdue, retried, done and failed.

Each is scheduled and worked through the real service with the clock set to when each step
happened, so times respect calling hours, attempts are logged as calls, and the audit log reads
as the product would have written it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from callcenter.bootstrap import Database
from callcenter.db.tables import CustomerPhone, Queue, User
from callcenter.domain.callbacks import (
    CallbackInvalid,
    CallbackOwner,
    CallbackRequest,
    Outcome,
    Priority,
)
from callcenter.domain.users import Actor, Role
from callcenter.services.callbacks import CallbackService

MAX_CALLBACKS = 80
REASONS = (
    "Refund status",
    "Confirm the delivery date",
    "Quote for the upgrade",
    "Explain the invoice",
    "Check the replacement arrived",
    "Follow up on the complaint",
    "Call back after the manager's decision",
    "Book the technician's visit",
)
# What becomes of each: (fate, weight).
FATES = (
    ("later", 5),
    ("due_now", 2),
    ("overdue", 2),
    ("retrying", 2),
    ("done", 4),
    ("failed", 1),
)


def add_demo_callbacks(
    database: Database, actor: Actor, customer_ids: Sequence[int], now: datetime, seed: int = 0
) -> int:
    """Schedule and work up to MAX_CALLBACKS callbacks for demo customers; how many."""
    agents, queues = _staff(database)
    if not customer_ids or not agents:
        return 0
    rng = random.Random(f"{seed}:callbacks")
    count = min(MAX_CALLBACKS, max(20, len(customer_ids) // 10))
    numbers = _numbers(database, rng.sample(list(customer_ids), min(count, len(customer_ids))))
    service = CallbackService(database)
    made = 0
    fates = [fate for fate, weight in FATES for _ in range(weight)]
    for index, (customer_id, number) in enumerate(numbers):
        # The first agent (the one the demo signs in) gets the first few, so their agenda,
        # reminders and next callback have something to show.
        agent = agents[0] if index < 6 else rng.choice(agents)
        fate = fates[index % len(fates)] if index >= 6 else ("due_now", "later")[index % 2]
        try:
            _one(service, rng, agent, queues, customer_id, number, fate, now)
        except CallbackInvalid:
            continue  # a number without a usable zone; the demo simply has one fewer
        made += 1
    # Overdue private callbacks go to their queue, as a desktop's housekeeping would do.
    service.housekeep(actor, now=now)
    return made


def _one(
    service: CallbackService,
    rng: random.Random,
    agent: Actor,
    queues: list[int],
    customer_id: int,
    number: str,
    fate: str,
    now: datetime,
) -> None:
    zones = service.zones_for_number(number)
    zone = zones.default or zones.zones[0]
    rule = service.policy.calling_hours
    offset = {
        "later": timedelta(hours=rng.uniform(1, 72)),
        "due_now": -timedelta(minutes=rng.uniform(0, 20)),
        "overdue": -timedelta(hours=rng.uniform(2, 8)),
        "retrying": -timedelta(days=rng.uniform(1, 3)),
        "done": -timedelta(days=rng.uniform(1, 6)),
    }.get(fate, -timedelta(days=rng.uniform(5, 9)))
    # Within the customer's calling hours (at night the "due now" ones are due in the morning).
    due = rule.next_allowed(now + offset, ZoneInfo(zone))
    created = due - timedelta(hours=rng.uniform(2, 30))
    queue = rng.choice(queues) if queues else None
    private = fate in ("due_now", "later", "overdue") and rng.random() < 0.7
    owner = (
        CallbackOwner.agent(agent.user_id or 0, queue) if private else CallbackOwner.queue(queue)
    )
    request = CallbackRequest(
        customer_id=customer_id,
        number=number,
        when=due,
        owner=owner,
        time_zone=zone,
        reason=rng.choice(REASONS),
        priority=rng.choice((Priority.HIGH, Priority.NORMAL, Priority.NORMAL, Priority.LOW)),
        allow_conflict=True,
    )
    # Scheduled in the past, so checked against the calling hours of that moment.
    callback = service.schedule(agent, request, now=min(created, due))
    at = callback.due_at + timedelta(minutes=rng.uniform(1, 25))
    if fate == "done":
        service.record_attempt(agent, callback.id, Outcome.REACHED, now=at)
    elif fate == "failed":
        for outcome in (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL):
            result = service.record_attempt(agent, callback.id, outcome, now=at)
            at = result.callback.due_at + timedelta(minutes=rng.uniform(1, 10))
    elif fate == "retrying":
        service.record_attempt(agent, callback.id, Outcome.NO_ANSWER, now=now - timedelta(hours=2))


def _staff(database: Database) -> tuple[list[Actor], list[int]]:
    with database.engine.connect() as connection:
        agents = [
            Actor(login, user_id)
            for login, user_id in connection.execute(
                select(User.login, User.id)
                .where(User.active, User.role == Role.AGENT.value)
                .order_by(User.id)
                .limit(12)
            )
        ]
        queues = list(connection.scalars(select(Queue.id).order_by(Queue.id)))
    return agents, queues


def _numbers(database: Database, customer_ids: list[int]) -> list[tuple[int, str]]:
    """Each customer's first number, in the order given."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(CustomerPhone.customer_id, CustomerPhone.number_key)
            .where(CustomerPhone.customer_id.in_(customer_ids))
            .order_by(CustomerPhone.customer_id, CustomerPhone.position, CustomerPhone.id)
        )
        first: dict[int, str] = {}
        for customer_id, key in rows:
            first.setdefault(customer_id, key)
    return [(i, first[i]) for i in customer_ids if i in first]
