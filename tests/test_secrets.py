"""Passwords live in the OS keyring, and life goes on without one."""

from __future__ import annotations

import logging

from callcenter.config.credentials import keyring_account, resolve_password
from callcenter.config.secrets import SecretStore

URL = "postgresql://alice@db.example:5433/cc"


def test_a_stored_password_is_used_for_the_database(memory_keyring):
    store = SecretStore()
    assert store.set(keyring_account(URL), "s3cret-pass")
    assert keyring_account(URL) == "alice@db.example:5433/cc"
    assert resolve_password(URL, store, interactive=False) == "s3cret-pass"


def test_no_keyring_is_said_once_and_the_password_is_asked(no_keyring, caplog, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "typed-in")
    store = SecretStore()
    with caplog.at_level(logging.WARNING):
        assert not store.set("x", "y")
        assert store.get("x") is None
        assert resolve_password(URL, store, interactive=True) == "typed-in"
    assert [r.message for r in caplog.records].count(store.last_problem) == 1
    assert "asked for each time" in store.last_problem
    assert not store.available


def test_sqlite_and_urls_with_passwords_need_no_secret(no_keyring):
    store = SecretStore()
    assert resolve_password("sqlite:///x.db", store, interactive=True) is None
    assert resolve_password("postgresql://a:b@h/d", store, interactive=True) is None
