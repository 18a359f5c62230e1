"""Upgrading a filled database from the first revision to the newest keeps its data; and back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from callcenter.bootstrap import open_database
from callcenter.db import migrate
from callcenter.domain.users import Actor
from callcenter.services.customers import CustomerService


def _to(engine, revision: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = migrate.alembic_config(connection)
        (command.downgrade if down else command.upgrade)(config, revision)


def test_a_filled_first_revision_database_upgrades_to_the_newest_and_back(empty_url):
    database = open_database(empty_url)
    try:
        _to(database.engine, "0001")
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO customers (id, name, emails, version, created_at, created_by, "
                    "updated_at, updated_by) VALUES (7, 'Ada Lovelace', '[]', 1, "
                    "CURRENT_TIMESTAMP, 'old', CURRENT_TIMESTAMP, 'old')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO customer_search_terms (term, customer_id) "
                    "VALUES ('ada', 7), ('lovelace', 7)"
                )
            )
        migrate.upgrade(database.engine)
        assert migrate.schema_status(database.engine).state is migrate.SchemaState.CURRENT
        found = CustomerService(database).search(Actor("tester"), "lovel")
        assert [c.name for c in found] == ["Ada Lovelace"]

        _to(database.engine, "0001", down=True)
        with database.engine.connect() as connection:
            terms = connection.execute(
                text("SELECT term FROM customer_search_terms ORDER BY term")
            ).scalars()
            assert list(terms) == ["ada", "lovelace"]
    finally:
        database.dispose()
