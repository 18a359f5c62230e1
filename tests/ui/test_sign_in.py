"""The sign-in dialog, typed into: wrong password, unreachable server, remember me, no keyring."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from callcenter.config import load_settings
from callcenter.config.secrets import SecretStore
from callcenter.domain.users import Actor, Role
from callcenter.services.desk_session import desk_keyring_account
from callcenter.services.users import UserService
from ui.sign_in import SignInDialog


@pytest.fixture
def url(sqlite_database) -> str:
    UserService(sqlite_database).add(
        Actor("admin"), "alice", "Alice Agent", Role.AGENT, "alice-password"
    )
    return str(sqlite_database.url)


def open_dialog(qtbot, url: str, **kwargs) -> SignInDialog:
    settings = load_settings(flags={"database.url": url})
    dialog = SignInDialog(settings, SecretStore(), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_credentials(qtbot, dialog: SignInDialog, login: str, password: str) -> None:
    dialog.login.clear()
    qtbot.keyClicks(dialog.login, login)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)


def test_a_wrong_password_is_said_and_the_password_field_is_ready_again(qtbot, url, memory_keyring):
    dialog = open_dialog(qtbot, url)
    type_credentials(qtbot, dialog, "alice", "not-her-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "Wrong user name or password" in dialog.error.text()
    assert dialog.password.isEnabled() and not dialog.progress.isVisible()
    assert dialog.session is None and dialog.isVisible()


def test_signing_in_with_remember_me_stores_the_password_for_next_time(qtbot, url, memory_keyring):
    dialog = open_dialog(qtbot, url)
    type_credentials(qtbot, dialog, "Alice", "alice-password")
    qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)
    assert dialog.remember.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.session is not None and dialog.session.user.login == "alice"
    assert memory_keyring.store == {
        ("callcenter", desk_keyring_account(url, "alice")): "alice-password"
    }

    again = open_dialog(qtbot, url)
    assert again.login.text() == "alice"  # remembered from the last sign-in
    assert again.password.text() == "alice-password" and again.remember.isChecked()
    assert again.password.hasFocus() or again.sign_in_button.isEnabled()


def test_unticking_remember_me_forgets_the_password(qtbot, url, memory_keyring):
    memory_keyring.store[("callcenter", desk_keyring_account(url, "alice"))] = "alice-password"
    dialog = open_dialog(qtbot, url, login="alice")
    assert dialog.remember.isChecked()
    qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert memory_keyring.store == {}


def test_without_a_keyring_the_dialog_asks_every_time(qtbot, url, no_keyring):
    dialog = open_dialog(qtbot, url, login="alice")
    assert not dialog.remember.isEnabled()
    assert "asked each time" in dialog.remember.toolTip()
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "alice-password")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_an_unreachable_database_is_named(qtbot, memory_keyring):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = open_dialog(qtbot, f"postgresql://alice@127.0.0.1:{port}/cc", login="alice")
    qtbot.keyClicks(dialog.password, "alice-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert "Cannot reach the database" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()


def test_the_demo_fills_in_its_agent(qtbot, url, memory_keyring):
    dialog = open_dialog(qtbot, url, login="alice", demo_password="alice-password")
    assert dialog.hint.isVisible() and "alice" in dialog.hint.text()
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
