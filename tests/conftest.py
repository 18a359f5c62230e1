"""Fixtures: a fresh migrated database per test, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import create_engine, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from callcenter.bootstrap import Database, open_database
from callcenter.db import migrate
from callcenter.domain.users import Actor
from tests.support.keyrings import MemoryKeyring, NoKeyring
from tests.support.postgres import PostgresServer, start_server

REQUIRE_POSTGRES = os.environ.get("CALLCENTER_TEST_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads the machine's real config files, keyring or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CALLCENTER_SYSTEM_CONFIG", str(home / "system.toml"))
    monkeypatch.setenv("CALLCENTER_USER_CONFIG", str(home / "user.toml"))
    monkeypatch.setenv("CALLCENTER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CALLCENTER_LOG_DIR", str(home / "log"))
    # QSettings (window layout, last sign-in) goes under XDG_CONFIG_HOME on Linux.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))
    for name in (
        "CALLCENTER_DB",
        "CALLCENTER_REGION",
        "CALLCENTER_OUTSIDE_PREFIX",
        "CALLCENTER_TIMEZONE",
        "CALLCENTER_BREAK_REASONS",
        "CALLCENTER_WRAP_UP_MODE",
        "CALLCENTER_WRAP_UP_SECONDS",
        "CALLCENTER_TIMEOUT_DISPOSITION",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except FileNotFoundError as exc:
        if REQUIRE_POSTGRES:
            raise
        pytest.skip(f"PostgreSQL is not installed ({exc}); run the README's test command")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_template(postgres_server: PostgresServer) -> str:
    admin = create_engine(postgres_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE template_callcenter"))
    admin.dispose()
    template = open_database(postgres_server.url("template_callcenter"))
    migrate.upgrade(template.engine)
    template.dispose()
    return "template_callcenter"


def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A newly migrated, empty database of `backend`, copied from a template for speed."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "callcenter.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template_name: str = request.getfixturevalue("_postgres_template")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template_name}"))
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each backend with no schema at all (for migration tests)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"empty_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url(request.param, request, tmp_path)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    db = open_database(fresh_database_url("sqlite", request, tmp_path))
    yield db
    db.dispose()


@pytest.fixture
def actor() -> Actor:
    return Actor("tester")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An OS keyring in memory: what is stored is in `.store`."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A machine with no keyring backend, as a headless Linux box is."""
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)
