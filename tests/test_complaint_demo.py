"""Demo complaints: every state, clocks at risk and breached, history, articles; and the
`demo-data` run makes them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from callcenter.db.tables_complaints import ComplaintHistory, ComplaintRow, KbArticleRow
from callcenter.domain.complaint_lists import ComplaintFilter, Scope
from callcenter.domain.complaints import SlaState, Status
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from callcenter.services.demo_complaints import add_demo_complaints
from callcenter.services.demo_data import DemoOptions, generate
from tests.test_complaint_support import World, sqlite_world_fixture  # noqa: F401 - fixture

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)


def test_demo_complaints_cover_the_workflow(sqlite_world: World) -> None:
    database = sqlite_world.database
    with database.uow(Actor("admin")) as uow:
        ids = [uow.customers.add(CustomerDraft(f"Customer {i}", ())) for i in range(200)]
        uow.commit()
    made = add_demo_complaints(database, Actor("demo"), ids, NOW, seed=3)
    assert made == 10
    service = ComplaintService(database, clock=lambda: NOW)
    page = service.list(Actor("sue"), ComplaintFilter(scope=Scope.ALL), limit=100)
    statuses = Counter(c.status for c in page.items)
    assert set(statuses) == set(Status)
    states = {c.resolution.state for c in page.items} | {c.response.state for c in page.items}
    assert SlaState.BREACHED in states and SlaState.MET in states
    with database.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(KbArticleRow)) == 4
        history = connection.scalar(select(func.count()).select_from(ComplaintHistory))
    assert history > 3 * made
    assert service.unread_count(Actor("sue")) > 0
    # A second run adds complaints, not articles.
    add_demo_complaints(database, Actor("demo"), ids, NOW, seed=4)
    with database.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(KbArticleRow)) == 4
        assert connection.scalar(select(func.count()).select_from(ComplaintRow)) == 2 * made


def test_the_demo_data_command_makes_complaints(sqlite_database) -> None:  # type: ignore[no-untyped-def]
    generate(sqlite_database, Actor("demo"), DemoOptions(customers=60, calls=100, now=NOW))
    with sqlite_database.engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(ComplaintRow))
        assigned = connection.scalar(
            select(func.count())
            .select_from(ComplaintRow)
            .where(ComplaintRow.assignee_id.is_not(None))
        )
    assert count == 5 and assigned == 5
