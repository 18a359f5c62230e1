"""Fixtures for the desktop: known customers and a window for them; a signed-in agent and a
main window with its desk (phone lines, state, outbox) for the call tests."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from callcenter.config import load_settings
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor, Role
from callcenter.services.users import UserService
from tests.ui.callback_support import (  # noqa: F401 (fixtures for the callback tests)
    ada_customer_id,
    callback_clock,
    callback_desk,
)
from tests.ui.customer_support import ADA, ALAN, SHARED, add_calls, phone
from ui.context import AppContext
from ui.desk import Desk
from ui.gui_gc import GuiThreadCollector
from ui.main_window import MainWindow
from ui.workers import Background


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_gui_thread(qapp):
    """As the desktop does (ui/gui_gc.py): a collection on a worker thread can deadlock Qt."""
    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def collect_after_each_test():
    """Windows a test closed are collected here, on the GUI thread, not on a later worker."""
    yield
    gc.collect()


@pytest.fixture
def known_customers(sqlite_database, actor):
    with sqlite_database.uow(actor) as uow:
        ids = {
            "ada": uow.customers.add(
                CustomerDraft(
                    "Ada Lovelace",
                    (phone(ADA),),
                    company="Analytical Engines",
                    tier="gold",
                    emails=("ada@example.org",),
                    notes="Prefers mornings.",
                )
            ),
            "alan": uow.customers.add(CustomerDraft("Alan Turing", (phone(ALAN),))),
            "shared1": uow.customers.add(CustomerDraft("Switchboard One", (phone(SHARED),))),
            "shared2": uow.customers.add(CustomerDraft("Switchboard Two", (phone(SHARED),))),
        }
        now = datetime.now(UTC)
        uow.customers.touch_last_contact(ids["shared1"], now - timedelta(days=3))
        uow.customers.touch_last_contact(ids["shared2"], now - timedelta(hours=1))
        uow.commit()
    add_calls(sqlite_database, actor, ids["ada"], 3, datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    return ids


@pytest.fixture
def ui_context(sqlite_database, actor):
    settings = load_settings(flags={"database.url": str(sqlite_database.url)}).with_overrides(
        default_region="US"
    )
    return AppContext(settings, sqlite_database, actor)


@pytest.fixture
def pop_window(qtbot, ui_context, known_customers):
    main = MainWindow(ui_context)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.card.editor is not None:
        main.card.editor.close()
    main.close()
    main._background.wait_for_done()


# -- the agent's desk: a signed-in agent, and a main window with its desk ---------------

ADA_NUMBER = "(212) 555-0142"


@pytest.fixture
def agent(sqlite_database):
    user = UserService(sqlite_database).add(
        Actor("admin"), "alice", "Alice Agent", Role.AGENT, "alice-password"
    )
    with sqlite_database.uow(Actor("admin")) as uow:
        uow.customers.add(
            CustomerDraft(
                "Ada Lovelace", (PhoneEntry(ADA_NUMBER, normalize(ADA_NUMBER, "US").key),)
            )
        )
        uow.queues.ensure("Support")
        uow.commit()
    return user


@pytest.fixture
def open_desk(qtbot, sqlite_database, agent) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(**settings_overrides: object) -> MainWindow:
        settings = load_settings(flags={"database.url": str(sqlite_database.url)})
        settings = settings.with_overrides(default_region="US", **settings_overrides)
        context = AppContext(settings, sqlite_database, Actor("alice", agent.id), agent)
        background = Background()
        desk = Desk(context, background, training_answer_after=0.0, retry_ms=100)
        window = MainWindow(context, background, desk)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        # Shortcuts go to the active window only.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if not shiboken6.isValid(window):
            continue
        window.desk.calls.finish_now()  # hung up, so the window may close
        window.close()
        # Closing waits for the outbox; pytest-qt may already have deleted the window.
        qtbot.waitUntil(
            lambda w=window: not shiboken6.isValid(w) or not w.isVisible(), timeout=5000
        )
        if shiboken6.isValid(window):
            window.background.wait_for_done()
