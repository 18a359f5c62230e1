"""Users: local scrypt hashes on SQLite, real login roles on PostgreSQL; who did what."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from callcenter.bootstrap import open_database
from callcenter.domain.errors import AuthenticationError, ValidationError
from callcenter.domain.users import Actor, Role
from callcenter.services.passwords import hash_password, verify_password
from callcenter.services.users import UserService, sign_in

ADMIN = Actor("admin")


def test_password_hashes_are_salted_scrypt():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("anything", None)
    assert not verify_password("anything", "garbage")


def test_add_list_disable_and_sign_in(database):
    service = UserService(database)
    added = service.add(
        ADMIN, "alice", "Alice Agent", Role.AGENT, "alice-password", team="North", extension="201"
    )
    assert (added.login, added.role, added.team, added.active) == (
        "alice",
        Role.AGENT,
        "North",
        True,
    )
    assert [u.login for u in service.list(ADMIN)] == ["alice"]

    session_db, user = sign_in(database, "alice", "alice-password")
    assert user.login == "alice"
    with pytest.raises(AuthenticationError, match="Wrong user name or password"):
        sign_in(database, "alice", "not-her-password")

    service.set_active(ADMIN, "alice", False)
    with pytest.raises(AuthenticationError):
        sign_in(database, "alice", "alice-password")
    if session_db is not database:
        session_db.dispose()


def test_password_change_takes_effect(database):
    service = UserService(database)
    service.add(ADMIN, "bob", "Bob", Role.SUPERVISOR, "first-password")
    service.set_password(ADMIN, "bob", "second-password")
    with pytest.raises(AuthenticationError):
        sign_in(database, "bob", "first-password")
    personal, user = sign_in(database, "bob", "second-password")
    assert user.role is Role.SUPERVISOR
    if personal is not database:
        personal.dispose()


@pytest.mark.parametrize(
    ("login", "password", "field"),
    [
        ("Alice", "long-enough", "login"),
        ("a b", "long-enough", "login"),
        ("carol", "short", "password"),
    ],
)
def test_bad_logins_and_passwords_are_refused_with_the_field(database, login, password, field):
    with pytest.raises(ValidationError) as error:
        UserService(database).add(ADMIN, login, "Someone", Role.AGENT, password)
    assert error.value.field == field


def test_duplicate_login_is_refused_and_nothing_half_saved(database):
    service = UserService(database)
    service.add(ADMIN, "dave", "Dave", Role.AGENT, "dave-password")
    with pytest.raises(ValidationError, match="already exists"):
        service.add(ADMIN, "dave", "Other Dave", Role.ADMIN, "other-password")
    assert [u.display_name for u in service.list(ADMIN)] == ["Dave"]


def test_writes_record_who_made_them(database):
    UserService(database).add(Actor("it-admin"), "erin", "Erin", Role.AGENT, "erin-password")
    with database.uow(ADMIN) as uow:
        entries = uow.audit.entries("user", uow.users.get("erin").id)
    assert entries[0]["actor"] == "it-admin"
    assert entries[0]["changes"]["login"] == [None, "erin"]


@pytest.mark.postgres
def test_on_postgres_each_user_is_a_login_role_in_their_group(request, tmp_path):
    from tests.conftest import fresh_database_url

    admin_db = open_database(fresh_database_url("postgresql", request, tmp_path))
    UserService(admin_db).add(ADMIN, "frank", "Frank", Role.AGENT, "frank-password")
    with admin_db.engine.connect() as connection:
        member_of = connection.scalar(
            text(
                "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE u.rolname = 'frank'"
            )
        )
        assert member_of == "callcenter_agent"
        # The clear password never goes to the server, only libpq's SCRAM verifier.
        assert connection.scalar(
            text("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'frank'")
        )

    personal, _ = sign_in(admin_db, "frank", "frank-password")
    assert personal is not admin_db and personal.url.username == "frank"
    with personal.engine.connect() as connection:
        assert connection.scalar(text("SELECT current_user")) == "frank"
        # The agent's own connection can read customers but cannot rewrite the audit log.
        connection.execute(text("SELECT count(*) FROM customers"))
        with pytest.raises(Exception, match="permission denied"):
            connection.execute(text("DELETE FROM audit_log"))
    personal.dispose()

    UserService(admin_db).set_active(ADMIN, "frank", False)
    with pytest.raises(AuthenticationError):
        sign_in(admin_db, "frank", "frank-password")
    admin_db.dispose()
