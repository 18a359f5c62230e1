"""Help menu: About names the version, the database (masked) and schema; the log folder opens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QUrl
from sqlalchemy.engine import make_url

import ui.main_window
from callcenter import __version__, logs
from callcenter.config import load_settings
from callcenter.db import migrate
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, sqlite_database, actor):
    settings = load_settings(flags={"database.url": str(sqlite_database.url)})
    main = MainWindow(AppContext(settings, sqlite_database, actor))
    qtbot.addWidget(main)
    yield main
    main._background.wait_for_done()


def help_actions(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return {a.text(): a for a in menu.actions() if a.text()}


def test_about_names_version_masked_database_schema_and_log_folder(window, monkeypatch):
    assert "&About Call Center" in help_actions(window)
    text = window.about_text()
    assert __version__ in text
    assert f"Schema revision: {migrate.head_revision()}" in text
    assert str(logs.log_dir()) in text
    shared = make_url("postgresql+psycopg://agent:hunter2@db.example/callcenter")
    monkeypatch.setattr(
        window,
        "_context",
        SimpleNamespace(database=SimpleNamespace(url=shared), actor=SimpleNamespace(login="ann")),
    )
    text = window.about_text()
    assert "hunter2" not in text
    assert "postgresql+psycopg://agent:***@db.example/callcenter" in text


def test_open_log_folder_creates_and_opens_it(window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(
        ui.main_window.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    help_actions(window)["Open &log folder"].trigger()
    assert [url.toLocalFile() for url in opened] == [str(logs.log_dir())]
    assert logs.log_dir().is_dir()


def test_a_folder_nobody_can_open_is_named_in_the_status_bar(window, monkeypatch):
    monkeypatch.setattr(ui.main_window.QDesktopServices, "openUrl", lambda url: False)
    window.open_log_folder()
    assert str(logs.log_dir()) in window.statusBar().currentMessage()
