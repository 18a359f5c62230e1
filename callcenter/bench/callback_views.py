"""What the desktop's callback screens read, timed at 100,000 pending callbacks.

The card's pending callbacks of a customer (read after every screen pop), a backlog page (the
first, one deep in the list, overdue only, one agent's), the reminders the desk polls for and
a day of an agent's agenda: each one `CallbackService` call, as the GUI makes it off its
thread. Runs only when named (`--scenario callback_views`), on databases it builds itself (the
same ones as `callback_claim`): a scratch SQLite file, and PostgreSQL when one can be had.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from callcenter.bench.callback_claims import CUSTOMERS, NOW, PENDING, fill
from callcenter.bench.callback_pg import on_both_backends
from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.timing import clock, summary
from callcenter.bootstrap import open_database
from callcenter.db import migrate
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import AgendaSpan, BacklogCursor, BacklogFilter, CallbackPolicy
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.users import Actor
from callcenter.services.callbacks import CallbackService

SAMPLES = 60  # reads of a few hundred ms at this size on SQLite: enough for p95
PAGE = 100  # the backlog window's page
# What a read behind a click or a pop may take before the agent notices.
TARGET_P99_MS = 50.0


@scenario(
    "callback_views",
    "callback screens: card section, backlog pages, reminders, agenda at 100,000 callbacks",
    on_request=True,
    needs_database=False,
)
def callback_views(context: BenchContext) -> dict[str, Any]:
    """p50/p95/p99 of each read on SQLite and (when available) PostgreSQL."""
    by_kind = on_both_backends(
        context.database,
        "callcenter-bench-views-",
        lambda url: measure(url, context.seed),
    )
    return {"pending": PENDING, "customers": CUSTOMERS, "target_p99_ms": TARGET_P99_MS, **by_kind}


def measure(url: str, seed: int) -> dict[str, Any]:
    """Fill a new database at `url` and time each screen's read SAMPLES times."""
    database = open_database(url)
    try:
        migrate.upgrade(database.engine)
        agents = fill(database, seed)
        with database.engine.connect() as connection:
            customers = list(connection.scalars(select(CallbackRow.customer_id).distinct()))
            cursors: list[BacklogCursor] = [
                (row.due_at, row.id)
                for row in connection.execute(
                    select(CallbackRow.due_at, CallbackRow.id).order_by(CallbackRow.id).limit(2000)
                )
            ]
        service = CallbackService(database, CallbackPolicy(CallingHoursRule()), clock=lambda: NOW)
        rng = random.Random(seed)
        viewer = agents[0]

        def agent() -> Actor:
            return rng.choice(agents)

        def user_id(actor: Actor) -> int:
            assert actor.user_id is not None
            return actor.user_id

        reads: dict[str, Callable[[], object]] = {
            "card_pending": lambda: service.pending_for_customer(viewer, rng.choice(customers)),
            "backlog_first_page": lambda: service.backlog(viewer, BacklogFilter(), PAGE),
            "backlog_deep_page": lambda: service.backlog(
                viewer, BacklogFilter(), PAGE, rng.choice(cursors)
            ),
            "backlog_overdue": lambda: service.backlog(viewer, BacklogFilter(overdue_at=NOW), PAGE),
            "backlog_one_agent": lambda: service.backlog(
                viewer, BacklogFilter(agent_id=user_id(agent())), PAGE
            ),
            "reminders_due": lambda: service.reminders_due(viewer, user_id(agent()), NOW),
            "agenda_day": lambda: service.agenda(
                viewer, user_id(agent()), NOW.date(), "America/New_York", AgendaSpan.DAY
            ),
        }
        figures: dict[str, Any] = {}
        for name, read in reads.items():
            read()  # the connection and the statement cache, outside the timing
            samples = []
            for _ in range(SAMPLES):
                began = clock()
                read()
                samples.append(clock() - began)
            figures[name] = {"n": SAMPLES, **summary(samples)}
        return figures
    finally:
        database.dispose()
