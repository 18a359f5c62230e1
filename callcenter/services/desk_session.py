"""Signing an agent in at the desktop: connect as them, check the schema, check the account.

What the sign-in dialog runs off the GUI thread. Each way it can fail is a CallCenterError
with a message for the person at the keyboard: wrong password, database unreachable, schema
too old or too new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from callcenter.bootstrap import Database, open_database
from callcenter.config.credentials import keyring_account
from callcenter.domain.errors import AuthenticationError
from callcenter.domain.users import Actor, User
from callcenter.services.schema_check import ensure_current_schema
from callcenter.services.users import authenticate, connect_as


@dataclass(frozen=True)
class DeskSession:
    """Who is signed in, and the database as they reach it."""

    database: Database
    user: User
    schema_backup: Path | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.user.login, self.user.id)


def desk_keyring_account(url: str, login: str) -> str:
    """The keyring entry of a person's password for one database: `login@where`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return keyring_account(parsed.set(username=login).render_as_string(hide_password=True))
    return f"{login}@sqlite:{parsed.database}"


def start_session(url: str, login: str, password: str) -> DeskSession:
    login = login.strip().lower()
    if not login or not password:
        raise AuthenticationError("Enter your user name and password.")
    database = open_database(url)
    try:
        personal = connect_as(database, login, password)
    finally:
        if database.backend == "postgresql":
            database.dispose()  # only the personal connection is kept
    try:
        backup = ensure_current_schema(personal)
        user = authenticate(personal, login, password)
    except Exception:
        personal.dispose()
        raise
    return DeskSession(personal, user, backup)
