"""Demo complaints: a realistic spread of states, comments, history, clocks and a few articles.

Each complaint is worked through the real service with the clock set to when each step
happened, so its history, SLA clocks, escalations and notifications are what the product
itself would have written.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from callcenter.bootstrap import Database
from callcenter.db.tables import User
from callcenter.db.tables_complaints import KbArticleRow
from callcenter.domain.complaints import (
    CommentKind,
    ComplaintDraft,
    Priority,
    ResolutionCode,
    Status,
)
from callcenter.domain.users import Actor, Role
from callcenter.services.complaints import ComplaintService
from callcenter.services.knowledge import KnowledgeService

MAX_COMPLAINTS = 60

# (subject, category code, subcategory code, what the customer said)
PROBLEMS = (
    ("Charged twice for one order", "billing", "billing.wrong_charge", "Two identical charges."),
    ("Refund not received", "billing", "billing.refund", "Promised ten days ago."),
    ("Invoice shows the wrong address", "billing", "billing.invoice", "Needs it for taxes."),
    ("Parcel arrived damaged", "delivery", "delivery.damaged", "Box crushed, glass broken."),
    ("Delivery a week late", "delivery", "delivery.late", "Tracking has not moved."),
    ("Wrong item delivered", "delivery", "delivery.wrong_item", "Ordered blue, got red."),
    ("Kettle stopped working", "product", "product.defective", "Bought last month."),
    ("Missing screws in the kit", "product", "product.missing_parts", "Cannot assemble."),
    ("Rude answer on the phone", "service", "service.staff_behaviour", "Wants an apology."),
    ("Cannot sign in to the account", "account", "account.sign_in", "Reset link expired."),
    ("Cancel my contract", "account", "account.cancellation", "Moving abroad."),
    ("Waited 40 minutes in the queue", "service", "service.waiting_time", "Twice this week."),
)
ARTICLES = (
    (
        "Duplicate card charge",
        "The customer sees the same amount charged twice.",
        "The second charge is a pre-authorisation; it disappears within 5 working days. "
        "If it is still there after that, refund it from the payments screen.",
        ("billing.wrong_charge",),
    ),
    (
        "Damaged in transit",
        "The parcel arrived broken or crushed.",
        "Apologise, ask for a photo, and send a replacement at no cost; the carrier is "
        "claimed by the logistics team.",
        ("delivery.damaged",),
    ),
    (
        "Kettle does not heat",
        "The kettle's light comes on but the water does not heat.",
        "Ask the customer to reset the thermal cut-out (button under the base). If it "
        "still fails, replace it under warranty.",
        ("product.defective",),
    ),
    (
        "Password reset link expired",
        "The customer cannot sign in; the reset link says it expired.",
        "Links last 30 minutes. Send a new one while on the call and stay on the line "
        "until the customer has signed in.",
        ("account.sign_in",),
    ),
)


# (what happens to it, its age in days (from, to), its priority or None for any)
FATES: tuple[tuple[str, tuple[float, float], Priority | None], ...] = (
    ("closed", (3, 20), None),
    ("resolved", (1, 10), None),
    ("pending", (1, 10), None),
    ("open", (1, 6), None),
    ("escalated", (0.5, 5), None),
    ("new", (0.02, 0.3), None),
    ("reopened", (1.5, 3), Priority.LOW),
    ("open", (0.05, 0.4), Priority.LOW),
)


@dataclass(frozen=True)
class _People:
    agents: list[Actor]
    supervisor: Actor | None


def add_demo_complaints(
    database: Database, actor: Actor, customer_ids: Sequence[int], now: datetime, seed: int = 0
) -> int:
    """Open and work up to MAX_COMPLAINTS complaints for demo customers; how many."""
    if not customer_ids:
        return 0
    rng = random.Random(f"{seed}:complaints")
    people = _people(database)
    _articles(database, actor)
    clock = _Clock(now)
    service = ComplaintService(database, clock=clock)
    codes = {c.code: c.id for c in service.categories(actor)}
    count = min(MAX_COMPLAINTS, max(5, len(customer_ids) // 20))
    customers = rng.sample(list(customer_ids), min(count, len(customer_ids)))
    for index, customer_id in enumerate(customers):
        _one(service, clock, rng, people, actor, codes, customer_id, index, now)
    clock.now = now
    service.sweep(actor, now)
    return len(customers)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _people(database: Database) -> _People:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(User.login, User.id, User.role).where(User.active).order_by(User.id)
        ).all()
    agents = [Actor(login, user_id) for login, user_id, role in rows if role == Role.AGENT]
    supervisors = [Actor(login, uid) for login, uid, role in rows if role == Role.SUPERVISOR]
    return _People(agents[:12], supervisors[0] if supervisors else None)


def _articles(database: Database, actor: Actor) -> None:
    with database.engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(KbArticleRow)):
            return
    knowledge = KnowledgeService(database)
    service = ComplaintService(database)
    codes = {c.code: c.id for c in service.categories(actor)}
    for title, problem, solution, categories in ARTICLES:
        ids = [codes[c] for c in categories if c in codes]
        knowledge.add(actor, title, problem, solution, ids)


def _one(
    service: ComplaintService,
    clock: _Clock,
    rng: random.Random,
    people: _People,
    actor: Actor,
    codes: dict[str, int],
    customer_id: int,
    index: int,
    now: datetime,
) -> None:
    subject, category, subcategory, said = PROBLEMS[index % len(PROBLEMS)]
    agent = rng.choice(people.agents) if people.agents else actor
    # Fate by position, so every demo has each kind: done, waiting, late, fresh. Those meant
    # to stay Open or Reopened are young and of low priority, or the sweep escalates them.
    fate, (youngest, oldest), priority = FATES[index % len(FATES)]
    clock.now = now - timedelta(days=rng.uniform(youngest, oldest))
    if priority is None:
        priority = rng.choices(list(Priority), [0.15, 0.55, 0.2, 0.1])[0]
    complaint = service.create(
        agent,
        ComplaintDraft(
            customer_id=customer_id,
            subject=subject,
            description=f"Customer says: {said}",
            category_id=codes.get(category),
            subcategory_id=codes.get(subcategory),
            priority=priority,
            assignee=None if fate == "new" else agent.login,
        ),
    )
    if fate == "new":
        return
    step = (now - clock.now) / 6
    clock.now += step
    service.comment(agent, complaint.id, CommentKind.INTERNAL, "Checked the order history.")
    if fate == "open":
        return
    clock.now += step
    service.comment(agent, complaint.id, CommentKind.CUSTOMER, "We are looking into it.")
    complaint = service.get(agent, complaint.id)
    if fate == "pending":
        service.transition(agent, complaint.id, Status.PENDING_CUSTOMER, complaint.version)
        return
    if fate == "escalated":
        clock.now += step
        service.escalate(agent, complaint.id, "Customer asked for a manager.", complaint.version)
        return
    clock.now += step
    complaint = service.resolve(
        agent,
        complaint.id,
        "Sorted out with the customer on the phone.",
        rng.choice([ResolutionCode.FIXED, ResolutionCode.REFUND, ResolutionCode.REPLACEMENT]),
        complaint.version,
    )
    clock.now += step
    if fate == "closed":
        service.close(agent, complaint.id, rng.choice([3, 4, 5, 5, None]), complaint.version)
    elif fate == "reopened":
        service.reopen(agent, complaint.id, "Customer called back: not fixed.", complaint.version)
