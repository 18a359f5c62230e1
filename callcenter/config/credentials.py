"""Database passwords: from the URL given on the command line, the keyring, or the user."""

from __future__ import annotations

import getpass

from sqlalchemy.engine import make_url

from callcenter.config.secrets import SecretStore


def keyring_account(url: str) -> str:
    """The keyring entry for a database login: `user@host:port/database`."""
    parsed = make_url(url)
    return f"{parsed.username}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def resolve_password(url: str, secrets: SecretStore, interactive: bool) -> str | None:
    """The password to connect with, or None to connect without one (SQLite, trust, peer)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not parsed.username or parsed.password:
        return None
    stored = secrets.get(keyring_account(url))
    if stored is not None:
        return stored
    if interactive:
        return getpass.getpass(f"Password for {keyring_account(url)}: ")
    return None
