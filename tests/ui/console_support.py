"""Fixtures for the console tests: a supervisor on a SQLite database with hand-made calls, a
clock the test moves, and a console whose change feed polls every 50 ms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import shiboken6

from callcenter.config import load_settings
from callcenter.domain.calls import AgentState
from callcenter.domain.users import Actor
from callcenter.live.feed import open_feed
from tests.support.clock import SettableClock
from tests.support.live_calls import add_call, add_people, set_state
from ui.context import AppContext
from ui.workers import Background

ZONE = "America/New_York"


def _last_noon() -> datetime:
    # Noon in New York most recently past: the test's calls (hours before it) fall on its day,
    # and agents' open state spans are hours old, as in a real center.
    now = datetime.now(ZoneInfo(ZONE))
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon <= now else noon - timedelta(days=1)).astimezone(UTC)


NOW = _last_noon()
POLL_S = 0.05


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


@pytest.fixture
def people(sqlite_database) -> dict[str, int]:
    return add_people(sqlite_database)


@pytest.fixture
def a_day_of_calls(sqlite_database, people) -> dict[str, int]:
    """Today: Support answered twice (10 s and 30 s waits), one abandon and one call waiting
    90 s; ten days ago one more answered call. Ann available, Bob on a call."""
    support, ann, bob = people["support"], people["ann"], people["bob"]
    add_call(sqlite_database, support, ago(3600), wait_s=10, talk_s=120, agent_id=ann, acw_s=20)
    add_call(sqlite_database, support, ago(1800), wait_s=30, talk_s=240, agent_id=bob)
    add_call(sqlite_database, support, ago(1200), abandon_after_s=60)
    add_call(sqlite_database, support, ago(90))
    add_call(sqlite_database, support, ago(10 * 86400), wait_s=5, talk_s=60, agent_id=ann)
    set_state(sqlite_database, ann, AgentState.AVAILABLE, ago(4000))
    set_state(sqlite_database, bob, AgentState.AVAILABLE, ago(4000))
    set_state(sqlite_database, bob, AgentState.ON_CALL, ago(60))
    add_call(sqlite_database, support, ago(80), wait_s=20, agent_id=bob)
    return people


def context_for(database, login: str, user_id: int) -> AppContext:
    settings = load_settings(flags={"database.url": str(database.url)}).with_overrides(
        default_region="US", report_timezone=ZONE
    )
    with database.uow(Actor(login)) as uow:
        user = uow.users.get(login)
    return AppContext(settings, database, Actor(login, user_id), user)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


@pytest.fixture
def open_console(qtbot, sqlite_database, people, clock) -> Iterator[Callable[..., object]]:
    from ui.console.window import ConsoleWindow

    made: list[tuple[ConsoleWindow, Background]] = []

    def make(login: str = "sue", tick_ms: int = 20) -> ConsoleWindow:
        background = Background()
        context = context_for(sqlite_database, login, people[login])
        window = ConsoleWindow(
            context,
            background,
            feed_factory=lambda on_change: open_feed(sqlite_database, on_change, POLL_S),
            clock=clock,
            tick_ms=tick_ms,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.start()
        made.append((window, background))
        return window

    yield make
    for window, background in made:
        if shiboken6.isValid(window):
            window.close()
        background.wait_for_done()
