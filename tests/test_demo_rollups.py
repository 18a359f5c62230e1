"""The demo's roll-ups, refreshed week by week while its calls load, are what a rebuild of
everything from the base rows gives."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from callcenter.db.tables_kpi import (
    agent_blocks,
    agent_hours,
    agent_quarters,
    queue_hours,
    queue_quarters,
)
from callcenter.domain.users import Actor
from callcenter.kpi import rollups
from callcenter.services.demo_data import DemoOptions, generate

NOW = datetime(2026, 3, 18, 15, 30, tzinfo=UTC)
TABLES = (queue_quarters, queue_hours, agent_quarters, agent_hours, agent_blocks)


def everything(database) -> list[list[tuple]]:
    with database.engine.connect() as connection:
        return [
            [tuple(row) for row in connection.execute(select(table).order_by(*table.c))]
            for table in TABLES
        ]


def test_rollups_refreshed_while_the_calls_load_equal_a_full_rebuild(database, monkeypatch):
    refreshed: list[int] = []
    refresh = rollups.refresh

    def counted(connection):
        refreshed.append(1)
        return refresh(connection)

    monkeypatch.setattr(rollups, "refresh", counted)
    # Refreshed from a week before the history: four weeks settle as the calls load (the
    # FCR window and a day or two after them are loaded too), then the rest at the end.
    options = DemoOptions(customers=200, calls=4000, days=35, seed=11, now=NOW, timezone="UTC")
    generate(database, Actor("tester"), options)
    assert len(refreshed) == 5
    loaded = everything(database)
    assert all(loaded)
    with database.engine.begin() as connection:
        for table in TABLES:
            connection.execute(delete(table))
        rollups.mark_everything(connection)
        refresh(connection)
    assert everything(database) == loaded
