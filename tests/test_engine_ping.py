"""PostgreSQL connections are pinged before use only after sitting idle in the pool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from callcenter.bootstrap import Database, open_database
from callcenter.db import engine as engine_module
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return fresh_database_url("postgresql", request, tmp_path)


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    db = open_database(postgres_url)
    yield db
    db.dispose()


@pytest.fixture
def pings(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []
    real = database.engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        seen.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(database.engine.dialect, "do_ping", counted)
    return seen


def backend_pid(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate_everyone_else(url: str) -> None:
    """What a server restart does to every client's connection."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()


def test_a_connection_just_returned_is_used_without_a_ping(database, pings):
    first = backend_pid(database)
    assert backend_pid(database) == first
    assert pings == []


def test_an_idle_connection_is_pinged_and_kept_when_alive(database, pings, monkeypatch):
    first = backend_pid(database)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    assert backend_pid(database) == first
    assert len(pings) == 1


def test_an_idle_connection_the_server_dropped_is_replaced(
    database, postgres_url, pings, monkeypatch
):
    first = backend_pid(database)
    terminate_everyone_else(postgres_url)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    second = backend_pid(database)  # no error: the dead connection never reached the caller
    assert second != first
    assert len(pings) == 1
