"""People: adding, disabling and re-passwording users, and signing them in.

On SQLite a user has a local scrypt hash. On PostgreSQL each user is a login role, member of the
group role of their app role, and the database itself checks their password when they connect.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from callcenter.bootstrap import Database, open_database
from callcenter.db.pg_roles import GROUP_ROLES
from callcenter.domain.errors import AuthenticationError, NotFound, ValidationError
from callcenter.domain.users import Actor, Role, User
from callcenter.services.passwords import hash_password, verify_password

LOGIN_PATTERN = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
MIN_PASSWORD_LENGTH = 8


def check_login(login: str) -> str:
    if not LOGIN_PATTERN.match(login):
        raise ValidationError(
            "login",
            f"{login!r} must start with a lower-case letter or _, and hold only lower-case "
            "letters, digits, '_', '.' or '-' (at most 63)",
        )
    return login


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    return password


class UserService:
    def __init__(self, database: Database) -> None:
        self._database = database

    @property
    def _postgres(self) -> bool:
        return self._database.backend == "postgresql"

    def add(
        self,
        actor: Actor,
        login: str,
        display_name: str,
        role: Role,
        password: str | None,
        team: str | None = None,
        extension: str | None = None,
    ) -> User:
        check_login(login)
        if not display_name.strip():
            raise ValidationError("name", "must not be empty")
        if password is not None:
            check_password(password)
        with self._database.uow(actor) as uow:
            user = uow.users.add(
                login,
                display_name.strip(),
                role,
                team=team,
                extension=extension,
                password_hash=None
                if self._postgres or password is None
                else hash_password(password),
            )
            if self._postgres:
                _create_login_role(uow.session.connection(), login, role, password)
            uow.commit()
        return user

    def list(self, actor: Actor) -> list[User]:
        with self._database.uow(actor) as uow:
            return uow.users.list()

    def set_active(self, actor: Actor, login: str, active: bool) -> User:
        with self._database.uow(actor) as uow:
            user = uow.users.set_active(login, active)
            if self._postgres:
                connection = uow.session.connection()
                option = "LOGIN" if active else "NOLOGIN"
                connection.exec_driver_sql(f"ALTER ROLE {_quote(connection, login)} {option}")
            uow.commit()
        return user

    def set_password(self, actor: Actor, login: str, password: str) -> None:
        check_password(password)
        with self._database.uow(actor) as uow:
            if uow.users.find(login) is None:
                raise NotFound(f"no user called {login!r}")
            if self._postgres:
                connection = uow.session.connection()
                verifier = _encrypt(connection, login, password)
                connection.exec_driver_sql(
                    f"ALTER ROLE {_quote(connection, login)} PASSWORD {verifier}"
                )
                uow.users.set_password_hash(login, None)
            else:
                uow.users.set_password_hash(login, hash_password(password))
            uow.commit()


def sign_in(database: Database, login: str, password: str) -> tuple[Database, User]:
    """Check the credentials; on PostgreSQL the answer is a connection as that user."""
    connected = connect_as(database, login, password)
    try:
        return connected, authenticate(connected, login, password)
    except Exception:
        if connected is not database:
            connected.dispose()
        raise


def connect_as(database: Database, login: str, password: str) -> Database:
    """The database as this person reaches it: on PostgreSQL, their own login role.

    Raises AuthenticationError for a wrong password and DatabaseUnavailable when nothing answers.
    """
    if database.backend != "postgresql":
        database.ping()
        return database
    personal = open_database(database.url.set(username=login), password=password)
    try:
        personal.ping()
    except Exception:
        personal.dispose()
        raise
    return personal


def authenticate(database: Database, login: str, password: str) -> User:
    """The user behind `login`, once their password (SQLite) and account are checked."""
    actor = Actor(login)
    with database.uow(actor) as uow:
        user = uow.users.find(login)
        stored = uow.users.password_hash(login) if user else None
    if database.backend == "sqlite" and not verify_password(password, stored):
        raise AuthenticationError("Wrong user name or password.")
    if user is None:
        raise AuthenticationError(f"{login!r} can connect but is not a user of this call center.")
    if not user.active:
        raise AuthenticationError(f"The account {login!r} is disabled; ask an administrator.")
    return user


def _quote(connection: Connection, identifier: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(identifier)


def _encrypt(connection: Connection, login: str, password: str) -> str:
    """The SCRAM verifier libpq computes, so the clear password never reaches the server's logs."""
    pgconn = connection.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    verifier: bytes = pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
    return "'" + verifier.decode().replace("'", "''") + "'"


def _create_login_role(
    connection: Connection, login: str, role: Role, password: str | None
) -> None:
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}
    ).first()
    name = _quote(connection, login)
    # Roles are cluster-wide: one made earlier (by a DBA, or for another database) is adopted.
    connection.exec_driver_sql(f"{'ALTER' if exists else 'CREATE'} ROLE {name} LOGIN")
    if password is not None:
        connection.exec_driver_sql(
            f"ALTER ROLE {name} PASSWORD {_encrypt(connection, login, password)}"
        )
    connection.exec_driver_sql(f"GRANT {GROUP_ROLES[role.value]} TO {name}")
