"""A small call center for callback tests: customers with numbers, agents and a queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from callcenter.bootstrap import Database
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import CallbackOwner, CallbackPolicy, CallbackRequest
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.users import Actor, Role
from callcenter.repositories.stamps import creation_stamp
from callcenter.services.callbacks import CallbackService
from tests.support.clock import SettableClock

# Monday 23 November 2026, 10:00 in New York (EST, UTC-5).
MONDAY_10_NY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
NEW_YORK = "+12125550142"
TORONTO = "+14165550100"
SPAIN_MOBILE = "+34612345678"  # Madrid or the Canary Islands


@dataclass
class World:
    database: Database
    admin: Actor
    customer_id: int
    other_customer_id: int
    queue_id: int
    agents: list[Actor] = field(default_factory=list)
    clock: SettableClock = field(default_factory=lambda: SettableClock(MONDAY_10_NY))

    def service(self, **policy: object) -> CallbackService:
        return CallbackService(
            self.database,
            CallbackPolicy(CallingHoursRule(), **policy),  # type: ignore[arg-type]
            "US",
            clock=self.clock,
        )

    def request(self, **changes: object) -> CallbackRequest:
        values: dict[str, object] = {
            "customer_id": self.customer_id,
            "number": NEW_YORK,
            "when": self.clock.now + timedelta(hours=1),
            "owner": CallbackOwner.agent(self.agents[0].user_id or 0, self.queue_id),
            "reason": "Refund status",
        }
        values.update(changes)
        return CallbackRequest(**values)  # type: ignore[arg-type]

    def bulk_pending(self, count: int, due: datetime, queue: bool = True) -> None:
        """`count` due callbacks straight into the table, for the claim tests."""
        stamp = creation_stamp(self.admin, due)
        rows = [
            {
                "customer_id": self.customer_id,
                "number_key": NEW_YORK,
                "time_zone": "America/New_York",
                "due_at": due - timedelta(seconds=i),
                "owner_kind": "queue" if queue else "agent",
                "agent_id": None if queue else self.agents[i % len(self.agents)].user_id,
                "queue_id": self.queue_id,
                "reason": "",
                "priority": 1 + i % 4,
                "status": "pending",
                "attempts": 0,
                **stamp,
            }
            for i in range(count)
        ]
        with self.database.engine.begin() as connection:
            connection.execute(insert(CallbackRow), rows)


def build_world(database: Database, agents: int = 2) -> World:
    admin = Actor("tester")
    with database.uow(admin) as uow:
        customer_id = uow.customers.add(
            CustomerDraft(
                name="Ada Lovelace",
                phones=(
                    PhoneEntry(NEW_YORK, NEW_YORK),
                    PhoneEntry(TORONTO, TORONTO),
                    PhoneEntry(SPAIN_MOBILE, SPAIN_MOBILE),
                ),
            )
        )
        other_id = uow.customers.add(
            CustomerDraft(
                name="Charles Babbage", phones=(PhoneEntry("+12125550199", "+12125550199"),)
            )
        )
        queue_id = uow.queues.ensure("Support").id
        people = [
            uow.users.add(f"agent{n:02d}", f"Agent {n:02d}", Role.AGENT) for n in range(agents)
        ]
        uow.commit()
    world = World(database, admin, customer_id, other_id, queue_id)
    world.agents = [Actor(user.login, user.id) for user in people]
    return world
