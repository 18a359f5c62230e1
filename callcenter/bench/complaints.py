"""Complaint lists on 100,000 complaints: the filters agents and supervisors use, a page each."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.timing import clock, summary
from callcenter.bootstrap import Database
from callcenter.db.tables import Customer, User
from callcenter.db.tables_complaints import ComplaintCategory, ComplaintRow
from callcenter.domain.complaint_lists import ComplaintFilter, Scope, SlaFilter, SortKey
from callcenter.domain.complaint_sla import FAR_FUTURE
from callcenter.domain.complaints import ACTIVE_STATUSES, Priority, Status
from callcenter.domain.users import Actor, Role
from callcenter.repositories.stamps import creation_stamp
from callcenter.services.complaints import ComplaintService

COMPLAINTS = 100_000
AGENTS = 60
TEAMS = 6
PAGE = 50
BATCH = 5_000
WARM_UP = 3
RUNS = 30
WORDS = [
    "kettle",
    "refund",
    "invoice",
    "delivery",
    "late",
    "damaged",
    "parcel",
    "login",
    "password",
    "charge",
    "broken",
    "missing",
    "wrong",
    "order",
    "account",
    "cancel",
    "contract",
    "meter",
    "reading",
    "bill",
]
# Most complaints are done: as in a helpdesk a year in, a fifth are still being worked.
STATUS_SHARES = (
    (Status.CLOSED, 0.55),
    (Status.RESOLVED, 0.25),
    (Status.OPEN, 0.09),
    (Status.NEW, 0.03),
    (Status.PENDING_CUSTOMER, 0.04),
    (Status.ESCALATED, 0.03),
    (Status.REOPENED, 0.01),
)
TARGET_HOURS = {Priority.URGENT: 8, Priority.HIGH: 24, Priority.NORMAL: 40, Priority.LOW: 80}


@scenario(
    "complaints",
    "complaint lists on 100,000 complaints: a page of each typical filter",
    on_request=True,
)
def complaints(context: BenchContext) -> dict[str, Any]:
    """ComplaintService.list, one page of 50, for each filter below (target: 100 ms)."""
    database = context.database
    rng = random.Random(context.seed + 5)
    count = fill(database, rng)
    now = datetime.now(UTC)
    service = ComplaintService(database, clock=lambda: now)
    with database.engine.connect() as connection:
        agents = list(
            connection.execute(
                select(User.login, User.id).where(User.login.like("bench_agent_%"))
            ).all()
        )
        supervisor = connection.scalar(
            select(User.login).where(User.login.like("bench_supervisor_%")).limit(1)
        )
        customer_ids = list(
            connection.scalars(
                select(ComplaintRow.customer_id).order_by(ComplaintRow.id).limit(200)
            )
        )
        category_ids = list(
            connection.scalars(
                select(ComplaintCategory.id).where(ComplaintCategory.parent_id.is_(None))
            )
        )
    boss = Actor(str(supervisor))
    active = frozenset(ACTIVE_STATUSES)
    kinds: dict[str, Callable[[], ComplaintFilter]] = {
        "mine, open": lambda: ComplaintFilter(Scope.MINE, statuses=active),
        "my team, open": lambda: ComplaintFilter(Scope.TEAM, statuses=active),
        "all, open": lambda: ComplaintFilter(Scope.ALL, statuses=active),
        "all, everything": lambda: ComplaintFilter(Scope.ALL),
        "all, breached": lambda: ComplaintFilter(Scope.ALL, sla=SlaFilter.BREACHED),
        "all, at risk": lambda: ComplaintFilter(Scope.ALL, sla=SlaFilter.AT_RISK),
        "all, urgent open": lambda: ComplaintFilter(
            Scope.ALL, statuses=active, priorities=frozenset({Priority.URGENT})
        ),
        "all, category": lambda: ComplaintFilter(Scope.ALL, category_id=rng.choice(category_ids)),
        "all, assignee": lambda: ComplaintFilter(Scope.ALL, assignee=rng.choice(agents)[0]),
        "all, customer": lambda: ComplaintFilter(Scope.ALL, customer_id=rng.choice(customer_ids)),
        "all, text": lambda: ComplaintFilter(Scope.ALL, text=rng.choice(WORDS)),
        "all, newest first": lambda: ComplaintFilter(
            Scope.ALL, sort=SortKey.CREATED, descending=True
        ),
    }
    by_kind: dict[str, list[int]] = defaultdict(list)
    everything: list[int] = []
    rows: dict[str, int] = {}
    for kind, make in kinds.items():
        for run in range(WARM_UP + RUNS):
            actor = Actor(rng.choice(agents)[0]) if kind.startswith(("mine", "my")) else boss
            criteria = make()
            start = clock()
            page = service.list(actor, criteria, 0, PAGE)
            elapsed = clock() - start
            if run >= WARM_UP:
                by_kind[kind].append(elapsed)
                everything.append(elapsed)
            rows[kind] = len(page.items)
    return {
        "n": len(everything),
        **summary(everything),
        "complaints": count,
        "page": PAGE,
        "by_kind": {
            kind: {"n": len(times), **summary(times), "rows": rows[kind]}
            for kind, times in by_kind.items()
        },
    }


def fill(database: Database, rng: random.Random) -> int:
    """Bring the database to COMPLAINTS complaints (kept for the next run); how many."""
    with database.engine.connect() as connection:
        have = connection.scalar(select(func.count()).select_from(ComplaintRow)) or 0
    if have >= COMPLAINTS:
        return have
    actor = Actor("bench")
    with database.uow(actor) as uow:
        existing = {u.login for u in uow.users.list()}
        for index in range(AGENTS):
            login = f"bench_agent_{index:03d}"
            if login not in existing:
                uow.users.add(login, f"Agent {index}", Role.AGENT, team=f"Bench {index % TEAMS}")
        for index in range(TEAMS):
            login = f"bench_supervisor_{index}"
            if login not in existing:
                uow.users.add(login, f"Supervisor {index}", Role.SUPERVISOR, team=f"Bench {index}")
        uow.commit()
    with database.engine.begin() as connection:
        users = connection.execute(
            select(User.id, User.team_id).where(User.login.like("bench_agent_%"))
        ).all()
        customers = list(connection.scalars(select(Customer.id).limit(20_000)))
        if not customers:
            connection.execute(
                insert(Customer),
                [
                    {"name": f"Bench customer {i}", "emails": [], **creation_stamp(actor)}
                    for i in range(2_000)
                ],
            )
            customers = list(connection.scalars(select(Customer.id)))
        categories = connection.execute(
            select(ComplaintCategory.id, ComplaintCategory.parent_id)
        ).all()
        calendar_id = 1
        subcategories = [(c, p) for c, p in categories if p is not None]
        now = datetime.now(UTC)
        for start in range(have, COMPLAINTS, BATCH):
            rows = [
                _row(n, rng, now, users, customers, subcategories, calendar_id)
                for n in range(start, min(start + BATCH, COMPLAINTS))
            ]
            connection.execute(insert(ComplaintRow), rows)
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE complaints")
        else:
            connection.exec_driver_sql("ANALYZE")
    return COMPLAINTS


def _row(
    n: int,
    rng: random.Random,
    now: datetime,
    users: Sequence[Any],
    customers: list[int],
    subcategories: list[tuple[int, int]],
    calendar_id: int,
) -> dict[str, Any]:
    statuses = [s for s, _ in STATUS_SHARES]
    status = rng.choices(statuses, [share for _, share in STATUS_SHARES])[0]
    priority = rng.choices(list(Priority), [0.1, 0.6, 0.2, 0.1])[0]
    created = now - timedelta(days=rng.uniform(0, 365 if status not in ACTIVE_STATUSES else 20))
    assignee_id, team_id = rng.choice(users) if status is not Status.NEW else (None, None)
    sub, parent = rng.choice(subcategories)
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
    reference = f"C-{created.year}-{n + 1:06d}"
    target_s = TARGET_HOURS[priority] * 3600
    running = status in ACTIVE_STATUSES and status is not Status.PENDING_CUSTOMER
    # Running clocks fall due from two days ago to two weeks ahead: some breached, some at risk.
    due = now + timedelta(hours=rng.uniform(-48, 24 * 14)) if running else None
    at_risk = due - timedelta(seconds=target_s * 0.25 * 3) if due else None
    stamp = creation_stamp(Actor("bench"), created)
    return {
        "reference": reference,
        "customer_id": rng.choice(customers),
        "category_id": parent,
        "subcategory_id": sub,
        "priority": priority.value,
        "channel": "phone",
        "subject": subject,
        "search_text": f"{reference} {subject}".casefold(),
        "description": subject + ". " + " ".join(rng.choice(WORDS) for _ in range(30)),
        "assignee_id": assignee_id,
        "team_id": team_id,
        "status": status.value,
        "calendar_id": calendar_id,
        "response_target_s": target_s // 8,
        "resolution_target_s": target_s,
        "response_used_s": 0,
        "resolution_used_s": 0,
        "clock_started_at": created if running else None,
        "responded_at": created + timedelta(hours=1),
        "resolution_due_at": due,
        "resolution_at_risk_at": at_risk,
        "due_at": due,
        "due_order": due or FAR_FUTURE,
        "at_risk_at": at_risk,
        "sweep_due_at": None,
        "escalation_level": 0,
        "resolved_at": None if status in ACTIVE_STATUSES else created + timedelta(days=2),
        "closed_at": created + timedelta(days=4) if status is Status.CLOSED else None,
        **stamp,
    }
