"""Desktop sign-in: each failure is said plainly; the embedded database upgrades itself."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from callcenter.db import migrate
from callcenter.domain.errors import AuthenticationError, DatabaseUnavailable, SchemaMismatch
from callcenter.domain.users import Actor, Role
from callcenter.services.desk_session import start_session
from callcenter.services.schema_check import ensure_current_schema
from callcenter.services.users import UserService

ADMIN = Actor("admin")


def _add_agent(database, login: str = "alice", password: str = "alice-password") -> None:
    UserService(database).add(ADMIN, login, "Alice Agent", Role.AGENT, password)


def test_an_agent_signs_in_as_themself(database, database_url):
    _add_agent(database)
    session = start_session(database_url, " Alice ", "alice-password")
    try:
        assert session.user.login == "alice"
        assert session.actor == Actor("alice", session.user.id)
        if database.backend == "postgresql":
            with session.database.engine.connect() as connection:
                assert connection.execute(text("SELECT current_user")).scalar() == "alice"
    finally:
        session.database.dispose()


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        ("alice", "wrong-password", "Wrong user name or password"),
        ("", "x", "Enter your user name and password"),
        ("alice", "", "Enter your user name and password"),
    ],
)
def test_wrong_or_missing_credentials_are_refused(database, database_url, login, password, message):
    _add_agent(database)
    with pytest.raises(AuthenticationError, match=message):
        start_session(database_url, login, password)


def test_a_disabled_account_is_refused(database, database_url):
    _add_agent(database)
    UserService(database).set_active(ADMIN, "alice", False)
    with pytest.raises(AuthenticationError, match="disabled"):
        start_session(database_url, "alice", "alice-password")


def test_an_unreachable_server_is_named():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DatabaseUnavailable, match=f"127.0.0.1:{port}"):
        start_session(f"postgresql://alice@127.0.0.1:{port}/cc", "alice", "alice-password")


def test_a_new_embedded_database_is_created_on_first_sign_in(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    with pytest.raises(AuthenticationError, match="Wrong user name or password"):
        start_session(url, "alice", "alice-password")
    engine = create_engine(url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_a_newer_schema_is_refused(database, database_url):
    _add_agent(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    with pytest.raises(SchemaMismatch, match="newer than this version"):
        start_session(database_url, "alice", "alice-password")


def test_an_older_shared_schema_needs_an_admin(database, monkeypatch):
    if database.backend != "postgresql":
        pytest.skip("the embedded database upgrades itself")
    monkeypatch.setattr(migrate, "head_revision", lambda: "ffffffffffff")
    with pytest.raises(SchemaMismatch, match="an admin must run `callcenter db upgrade`"):
        ensure_current_schema(database)


def test_an_older_embedded_database_is_backed_up_then_upgraded(sqlite_database, monkeypatch):
    path = Path(sqlite_database.url.database or "")
    _add_agent(sqlite_database)
    upgraded: list[str] = []
    monkeypatch.setattr(migrate, "head_revision", lambda: "ffffffffffff")
    monkeypatch.setattr(
        migrate, "upgrade", lambda engine, revision="head": upgraded.append(revision)
    )
    backup = ensure_current_schema(sqlite_database, now=lambda: datetime(2026, 11, 24, 9, 30))
    assert backup == path.with_name(f"{path.stem}.20261124-093000.backup{path.suffix}")
    assert upgraded == ["head"]
    copy = create_engine(f"sqlite:///{backup}")
    with copy.connect() as connection:
        assert connection.execute(text("SELECT login FROM users")).scalars().all() == ["alice"]
    copy.dispose()
