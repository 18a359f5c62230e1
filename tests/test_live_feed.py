"""The change feed: a write by another session reaches the callback, on both backends; the
PostgreSQL listener survives losing its connection; migration 0006 on and off."""

from __future__ import annotations

import queue
import time
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from callcenter.bootstrap import open_database
from callcenter.db import migrate
from callcenter.domain.calls import AgentState
from callcenter.live.feed import open_feed
from callcenter.live.pg_listener import PostgresListener
from tests.support.live_calls import add_call, add_people, set_state

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def drain(received: queue.Queue[str]) -> None:
    while not received.empty():
        received.get_nowait()


@pytest.fixture
def feed_events(database):
    """A started feed on `database` (polling every 50 ms on SQLite); what it reports."""
    received: queue.Queue[str] = queue.Queue()
    feed = open_feed(database, received.put, poll_interval_s=0.05)
    feed.start()
    # Said once the feed watches: a load started after it misses nothing.
    assert received.get(timeout=5) == "ready"
    yield feed, received
    feed.stop()


def test_a_call_written_by_another_session_is_announced(database, feed_events):
    ids = add_people(database)
    feed, received = feed_events
    time.sleep(0.2)  # the writes above may be announced; only what follows counts
    drain(received)
    writer = open_database(str(database.url.render_as_string(hide_password=False)))
    try:
        add_call(writer, ids["support"], NOW)
    finally:
        writer.dispose()
    started = time.monotonic()
    what = received.get(timeout=2)
    # PG: within the 1 s promise with room to spare; SQLite: within one poll.
    assert time.monotonic() - started < 1.0
    assert what == ("calls" if feed.kind == "notify" else "changed")


def test_a_state_change_is_announced(database, feed_events):
    ids = add_people(database)
    feed, received = feed_events
    time.sleep(0.2)
    drain(received)
    set_state(database, ids["ann"], AgentState.AVAILABLE, NOW)
    what = received.get(timeout=2)
    assert what == ("agent_states" if feed.kind == "notify" else "changed")


def test_nothing_is_announced_when_nothing_changes(database, feed_events):
    _, received = feed_events
    time.sleep(0.3)
    drain(received)
    time.sleep(0.3)
    assert received.empty()


def test_a_stopped_feed_calls_back_no_more(database):
    ids = add_people(database)
    received: queue.Queue[str] = queue.Queue()
    feed = open_feed(database, received.put, poll_interval_s=0.05)
    feed.start()
    feed.stop()
    drain(received)
    add_call(database, ids["support"], NOW)
    time.sleep(0.3)
    assert received.empty()


@pytest.mark.postgres
def test_the_listener_reconnects_after_losing_its_connection(postgres_server, request, tmp_path):
    from tests.conftest import fresh_database_url

    database = open_database(fresh_database_url("postgresql", request, tmp_path))
    ids = add_people(database)
    received: queue.Queue[str] = queue.Queue()
    listener = PostgresListener(database, received.put, backoff_first_s=0.05)
    listener.start()
    try:
        assert received.get(timeout=5) == "ready"
        pid = listener.backend_pid
        with database.engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert received.get(timeout=5) == "reconnected"
        assert listener.listening.wait(5) and listener.backend_pid != pid
        add_call(database, ids["support"], NOW)
        assert received.get(timeout=2) == "calls"
    finally:
        listener.stop()
        database.dispose()


def _revision(engine, revision: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = migrate.alembic_config(connection)
        (command.downgrade if down else command.upgrade)(config, revision)


def _triggers(connection) -> set[str]:
    return set(
        connection.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%live_notify'")
        ).scalars()
    )


@pytest.mark.postgres
def test_the_migration_adds_the_triggers_and_takes_them_away(postgres_server, request, tmp_path):
    from tests.conftest import fresh_database_url

    database = open_database(fresh_database_url("postgresql", request, tmp_path))
    try:
        with database.engine.connect() as connection:
            assert "calls_live_notify" in _triggers(connection)
        _revision(database.engine, "0005", down=True)
        with database.engine.connect() as connection:
            assert _triggers(connection) == set()
            assert (
                connection.execute(
                    text("SELECT count(*) FROM pg_proc WHERE proname = 'callcenter_live_notify'")
                ).scalar_one()
                == 0
            )
        _revision(database.engine, "head")
        with database.engine.connect() as connection:
            assert _triggers(connection) == {
                f"{t}_live_notify" for t in ("calls", "agent_states", "queues", "users", "teams")
            }
    finally:
        database.dispose()


def test_the_migration_does_nothing_on_sqlite(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    schema = text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    _revision(engine, "0005")
    with engine.connect() as connection:
        before = connection.execute(schema).all()
    _revision(engine, "0006")
    with engine.connect() as connection:
        assert connection.execute(schema).all() == before
    _revision(engine, "0005", down=True)
    with engine.connect() as connection:
        assert connection.execute(schema).all() == before
    engine.dispose()
