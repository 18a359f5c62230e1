"""The README's picture of the supervisor console: the wallboard at 1366x768 on a busy morning.

Taken offscreen like the agent's screenshot (tests/ui/test_screenshot.py): kept when
CALLCENTER_SCREENSHOTS names a folder (`bash .ci/dev screenshots`), otherwise checked in a
temporary folder.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from PySide6.QtGui import QImage

from callcenter.domain.calls import AgentState
from callcenter.domain.users import Role
from tests.support.live_calls import WRITER, add_call, set_state
from tests.ui import console_support, test_screenshot
from tests.ui.console_support import ago

# Fixtures shared with the console's and the agent screenshot's tests.
clock = console_support.clock
open_console = console_support.open_console
people = console_support.people
light_theme = test_screenshot.light_theme

AGENTS = ("Cara", "Dev", "Eli", "Fay", "Gus", "Hana")


def _a_busy_morning(database, people: dict[str, int]) -> None:
    """Three queues, eight agents in every state, four hours of calls and some waiting now."""
    with database.uow(WRITER) as uow:
        queues = [people["support"], people["sales"], uow.queues.ensure("Billing").id]
        agents = [people["ann"], people["bob"]] + [
            uow.users.add(name.lower(), f"{name} Agent", Role.AGENT, team="Blue").id
            for name in AGENTS
        ]
        uow.commit()
    rng = random.Random(7)
    for agent in agents:
        set_state(database, agent, AgentState.AVAILABLE, ago(4 * 3600))
    for minute in range(4 * 60, 2, -2):
        queue = rng.choice(queues)
        if rng.random() < 0.08:
            add_call(database, queue, ago(minute * 60), abandon_after_s=rng.randint(3, 120))
            continue
        add_call(
            database,
            queue,
            ago(minute * 60),
            wait_s=rng.choice((3, 5, 8, 10, 12, 14, 16, 19, 24, 45)),
            talk_s=rng.randint(90, 420),
            agent_id=rng.choice(agents),
            acw_s=rng.randint(5, 40),
        )
    states = (
        AgentState.ON_CALL,
        AgentState.ON_CALL,
        AgentState.ON_CALL,
        AgentState.AVAILABLE,
        AgentState.AFTER_CALL_WORK,
        AgentState.ON_CALL,
        AgentState.BREAK,
        AgentState.AVAILABLE,
    )
    for seconds, (agent, state) in enumerate(zip(agents, states, strict=True)):
        set_state(database, agent, state, ago(45 + 37 * seconds))
        if state is AgentState.ON_CALL:
            add_call(database, rng.choice(queues), ago(60 + 37 * seconds), wait_s=12,
                     agent_id=agent)  # fmt: skip
    for waiting_s in (95, 40, 12):
        add_call(database, queues[waiting_s % 3], ago(waiting_s))


def test_the_wallboard_on_a_busy_morning(
    qtbot, open_console, sqlite_database, people, tmp_path, light_theme
):
    _a_busy_morning(sqlite_database, people)
    window = open_console()
    window.resize(1366, 768)
    board = window.wallboard
    qtbot.waitUntil(lambda: board.queues_model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: board.agents_model.rowCount() == 8, timeout=5000)
    qtbot.wait(300)
    folder = Path(os.environ.get("CALLCENTER_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "console-wallboard.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 37) for y in range(0, 768, 23)}
    assert len(colours) > 8  # drawn, not a blank rectangle
