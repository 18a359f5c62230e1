"""The schema comes only from migrations, matches the models, and knows its own revision."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from callcenter.bootstrap import open_database
from callcenter.db import migrate
from callcenter.db.models import Base


def test_migrated_schema_equals_the_models(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migration_creates_every_table_and_seeds_dispositions(database, actor):
    tables = set(inspect(database.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    with database.uow(actor) as uow:
        codes = [d.code for d in uow.dispositions.list()]
    assert "resolved" in codes and "wrap_up_timeout" in codes


def test_schema_status_tells_empty_current_older_and_newer(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    assert migrate.schema_status(database.engine).state is migrate.SchemaState.EMPTY
    migrate.upgrade(database.engine)
    assert migrate.schema_status(database.engine).state is migrate.SchemaState.CURRENT
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_future'"))
    status = migrate.schema_status(database.engine)
    assert (status.state, status.database_revision) == (
        migrate.SchemaState.NEWER,
        "ffff_from_future",
    )
    database.dispose()


def test_sqlite_is_set_up_for_several_processes(sqlite_database):
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@pytest.mark.postgres
def test_postgres_group_roles_exist_and_the_audit_log_is_append_only(
    postgres_server, request, tmp_path
):
    from tests.conftest import fresh_database_url

    url = fresh_database_url("postgresql", request, tmp_path)
    engine = create_engine(url)
    with engine.connect() as connection:
        roles = set(
            connection.scalars(
                text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'callcenter_%'")
            )
        )
        assert roles == {"callcenter_agent", "callcenter_supervisor", "callcenter_admin"}
        may = connection.execute(
            text(
                "SELECT has_table_privilege('callcenter_agent', 'audit_log', 'INSERT'),"
                " has_table_privilege('callcenter_agent', 'audit_log', 'UPDATE'),"
                " has_table_privilege('callcenter_agent', 'customers', 'UPDATE'),"
                " has_table_privilege('callcenter_agent', 'alembic_version', 'UPDATE')"
            )
        ).one()
        assert tuple(may) == (True, False, True, False)
    engine.dispose()
