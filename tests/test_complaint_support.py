"""Shared set-up for the complaint tests (no tests here): people, a customer, a settable clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from callcenter.bootstrap import Database
from callcenter.domain.complaints import ComplaintDraft, Priority
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor, Role
from callcenter.services.complaints import ComplaintService
from tests.support.clock import SettableClock

# A Monday, 10:00 UTC: inside the seeded calendar's hours (Mon-Fri 09:00-17:00 UTC).
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@dataclass
class World:
    database: Database
    clock: SettableClock
    service: ComplaintService
    customer_id: int
    ids: dict[str, int] = field(default_factory=dict)

    def actor(self, login: str) -> Actor:
        return Actor(login, self.ids[login])

    def open(self, by: str = "alice", **fields: object) -> int:
        values: dict[str, object] = {"customer_id": self.customer_id, "subject": "Broken kettle"}
        values.update(fields)
        draft = ComplaintDraft(**values)  # type: ignore[arg-type]
        return self.service.create(self.actor(by), draft).id


def make_world(database: Database, **service_options: object) -> World:
    admin = Actor("admin")
    with database.uow(admin) as uow:
        ids = {
            "alice": uow.users.add("alice", "Alice Agent", Role.AGENT, team="North").id,
            "bob": uow.users.add("bob", "Bob Agent", Role.AGENT, team="North").id,
            "sue": uow.users.add("sue", "Sue Supervisor", Role.SUPERVISOR, team="North").id,
            "sam": uow.users.add("sam", "Sam Supervisor", Role.SUPERVISOR, team="South").id,
            "carl": uow.users.add("carl", "Carl Agent", Role.AGENT, team="South").id,
        }
        customer_id = uow.customers.add(CustomerDraft("Ada Lovelace", ()))
        uow.commit()
    clock = SettableClock(MONDAY)
    service = ComplaintService(database, clock=clock, **service_options)  # type: ignore[arg-type]
    return World(database, clock, service, customer_id, ids)


@pytest.fixture(name="world")
def world_fixture(database: Database) -> World:
    return make_world(database)


@pytest.fixture(name="sqlite_world")
def sqlite_world_fixture(sqlite_database: Database) -> World:
    return make_world(sqlite_database)


URGENT = Priority.URGENT
