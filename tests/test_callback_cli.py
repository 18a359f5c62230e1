"""`callcenter callbacks list|housekeep` on both backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.domain.callbacks import CallbackOwner
from tests.support.callbacks import build_world


def invoke(url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_list_shows_the_backlog_and_housekeep_moves_overdue_callbacks(database, database_url):
    world = build_world(database)
    # Scheduled on last week's Monday at 10:00 New York, so it is long overdue now.
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday() + 7)
    world.clock.now = datetime.combine(monday, time(15), UTC)
    service = world.service()
    agent = world.agents[0]
    when = world.clock.now + timedelta(hours=1)
    private = service.schedule(agent, world.request(when=when))
    pool = service.schedule(
        agent,
        world.request(when=when + timedelta(hours=1), owner=CallbackOwner.queue(world.queue_id)),
    )

    listed = invoke(database_url, "--json", "callbacks", "list", "--overdue")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["id"], r["owner"], r["overdue"]) for r in rows] == [
        (private.id, "agent", True),
        (pool.id, "queue", True),
    ]
    assert rows[0]["customer"] == "Ada Lovelace" and rows[0]["agent"] == "Agent 00"

    text = invoke(database_url, "callbacks", "list")
    assert text.exit_code == 0 and "OVERDUE" in text.output and "Ada Lovelace" in text.output

    housekept = invoke(database_url, "--json", "callbacks", "housekeep")
    assert housekept.exit_code == 0, housekept.output
    assert json.loads(housekept.output) == {"released": [], "to_queue": [private.id]}
    again = invoke(database_url, "callbacks", "housekeep")
    assert "0 claims returned to the pool, 0 private callbacks" in again.output

    done = invoke(database_url, "--json", "callbacks", "list", "--status", "done")
    assert json.loads(done.output) == []
