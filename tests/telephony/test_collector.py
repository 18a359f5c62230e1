"""`callcenter collector`: AMI queue events into calls and pauses, once, through an outage."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from callcenter.cli.main import cli
from callcenter.db.tables import AgentStateChange, Call
from callcenter.domain.calls import AgentState
from callcenter.domain.errors import DatabaseUnavailable
from callcenter.domain.users import Role
from callcenter.services.queue_collector import CollectorWriter
from callcenter.telephony.events import (
    AgentCompleted,
    AgentConnected,
    QueueCallerAbandoned,
    QueueCallerJoined,
    QueueCallerLeft,
    QueueMemberPaused,
)
from callcenter.telephony.queue_collector import CallChange, QueueCollector
from callcenter.telephony.queue_log import Outcome
from tests.telephony import ami_script
from tests.telephony.ami_server import ScriptedAmi

T0 = datetime.fromtimestamp(1700000000, UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_collector_turns_queue_events_into_call_changes():
    collect = QueueCollector(grace_s=3)
    joined = collect.feed(QueueCallerJoined(queue="support", at=at(0), unique_id="u1", caller="1"))
    assert joined == [CallChange("u1", "support", create=True, caller="1", queued_at=at(0))]
    # Asterisk may send the caller's Leave before AgentConnect: not an exit yet.
    assert collect.feed(QueueCallerLeft(queue="support", at=at(4), unique_id="u1")) == []
    connected = collect.feed(
        AgentConnected(queue="support", at=at(4), interface="PJSIP/201", unique_id="u1")
    )
    assert connected[0].answered_at == at(4) and connected[0].agent == "PJSIP/201"
    assert collect.due(at(100)) == []
    done = collect.feed(
        AgentCompleted(queue="support", at=at(94), interface="PJSIP/201", unique_id="u1")
    )
    assert (done[0].ended_at, done[0].outcome) == (at(94), Outcome.ANSWERED)

    collect.feed(QueueCallerJoined(queue="sales", at=at(10), unique_id="u2"))
    abandoned = collect.feed(QueueCallerAbandoned(queue="sales", at=at(40), unique_id="u2"))
    assert abandoned[0].outcome is Outcome.ABANDONED
    assert collect.feed(QueueCallerLeft(queue="sales", at=at(40), unique_id="u2")) == []

    # Left with no answer and no abandon: a timeout (or a key, or an empty queue).
    collect.feed(QueueCallerJoined(queue="sales", at=at(50), unique_id="u2"))  # visit 2
    collect.feed(QueueCallerLeft(queue="sales", at=at(80), unique_id="u2"))
    assert collect.due(at(81)) == []
    (left,) = collect.due(at(84))
    assert (left.call_id, left.ended_at, left.disposition) == ("u2/2", at(80), "queue_timeout")
    assert collect.waiting == 0

    paused = collect.feed(
        QueueMemberPaused(
            queue="support", at=at(5), interface="PJSIP/202", paused=True, reason="Lunch"
        )
    )
    assert paused[0].agent == "PJSIP/202" and paused[0].reason == "Lunch"


@pytest.fixture
def people(database, actor):
    with database.uow(actor) as uow:
        alice = uow.users.add("alice", "Alice Martin", Role.AGENT, extension="PJSIP/201")
        bob = uow.users.add("bob", "Bob Stone", Role.AGENT, extension="202")
        uow.queues.ensure("support")
        uow.commit()
    return {"alice": alice.id, "bob": bob.id}


def _calls(database):
    with database.engine.connect() as connection:
        return {row.source_call_id: row for row in connection.execute(select(Call))}


def _states(database):
    with database.engine.connect() as connection:
        return connection.execute(
            select(
                AgentStateChange.agent_id, AgentStateChange.state, AgentStateChange.reason
            ).order_by(AgentStateChange.id)
        ).all()


def test_writer_keeps_changes_through_an_outage_and_writes_them_once(
    database, actor, people, monkeypatch
):
    writer = CollectorWriter(database, actor)
    collect = QueueCollector()
    real_uow = database.uow
    down = {"on": True}

    def uow(who):
        if down["on"]:
            raise DatabaseUnavailable("the database server is not answering")
        return real_uow(who)

    monkeypatch.setattr(database, "uow", uow)
    writer.submit(
        collect.feed(QueueCallerJoined(queue="support", at=at(0), unique_id="u1", caller="555"))
    )
    writer.submit(
        collect.feed(
            AgentConnected(queue="support", at=at(4), interface="PJSIP/201", unique_id="u1")
        )
    )
    writer.submit(
        collect.feed(
            QueueMemberPaused(queue="support", at=at(5), interface="PJSIP/202", paused=True)
        )
    )
    assert not writer.flush()
    assert writer.kept == 3
    down["on"] = False
    assert writer.flush() and writer.kept == 0
    writer.submit(
        collect.feed(
            AgentCompleted(queue="support", at=at(94), interface="PJSIP/201", unique_id="u1")
        )
    )
    # The pause again, from the queue's other members: written once.
    writer.submit(
        collect.feed(QueueMemberPaused(queue="sales", at=at(5), interface="PJSIP/202", paused=True))
    )
    assert writer.flush()
    calls = _calls(database)
    assert list(calls) == ["u1"]
    call = calls["u1"]
    assert call.agent_id == people["alice"] and call.source == "pbx"
    assert call.answered_at is not None and call.ended_at is not None
    assert _states(database) == [(people["bob"], "break", None)]
    assert [r.source_call_id for r in writer.finished] == ["u1"]


def test_pauses_follow_what_the_desktop_wrote_and_never_cut_a_call(database, actor, people):
    """The desktop and the collector both write Bob's states: the database is the truth."""
    writer = CollectorWriter(database, actor)
    collect = QueueCollector()

    def pause(paused: bool, second: float) -> None:
        writer.submit(
            collect.feed(
                QueueMemberPaused(
                    queue="support", at=at(second), interface="PJSIP/202", paused=paused
                )
            )
        )
        assert writer.flush()

    pause(True, 5)
    # Bob's desktop makes him available again, then he takes a call on it.
    with database.uow(actor) as uow:
        uow.agent_states.change(people["bob"], AgentState.AVAILABLE, at(20))
        uow.commit()
    pause(True, 30)  # not "the same pause as before": the desktop changed it meanwhile
    with database.uow(actor) as uow:
        uow.agent_states.change(people["bob"], AgentState.ON_CALL, at(40))
        uow.commit()
    pause(False, 50)  # pressed during the call: the call's state stays
    assert _states(database) == [
        (people["bob"], "break", None),
        (people["bob"], "available", None),
        (people["bob"], "break", None),
        (people["bob"], "on_call", None),
    ]


@pytest.fixture
def pbx(monkeypatch):
    server = ScriptedAmi(
        after_login=ami_script.queue_call_rings()
        + ami_script.queue_call_answered()
        + ami_script.queue_call_held_and_ended()
        + ami_script.bobs_call()
        + ami_script.abandoned_caller()
    )
    monkeypatch.setenv("CALLCENTER_AMI_USER", "desk")
    monkeypatch.setenv("CALLCENTER_AMI_SECRET", "s3cret")
    yield server
    server.close()


def test_collector_command_writes_calls_and_pauses_idempotently(database, people, pbx):
    url = database.url.render_as_string(hide_password=False)
    args = ["--db", url, "collector", "--ami", pbx.address, "--duration", "1.5", "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in first.output.splitlines()]
    finished = {line["call_id"]: line["outcome"] for line in lines if line["event"] == "call"}
    assert finished == {"1700000000.16": "answered", "1700000000.32": "abandoned"}
    assert lines[0]["event"] == "connecting"

    calls = _calls(database)
    answered = calls["1700000000.16"]
    assert answered.agent_id == people["alice"]
    assert answered.caller_key == "+12125550142"
    assert answered.queued_at.replace(tzinfo=UTC) == at(0)
    assert answered.answered_at.replace(tzinfo=UTC) == at(4)
    assert answered.ended_at.replace(tzinfo=UTC) == at(94)
    abandoned = calls["1700000000.32"]
    assert abandoned.answered_at is None and abandoned.ended_at.replace(tzinfo=UTC) == at(75)
    assert abandoned.queue_id is not None and abandoned.queue_id != answered.queue_id
    assert _states(database) == [(people["bob"], "break", "Lunch")]

    # Asterisk replays the same events (say, the collector restarted): nothing new.
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert len(_calls(database)) == 2
    assert _states(database) == [(people["bob"], "break", "Lunch")]


def test_collector_exits_1_when_asterisk_refuses_the_secret(database, pbx, monkeypatch):
    monkeypatch.setenv("CALLCENTER_AMI_SECRET", "wrong")
    url = database.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli, ["--db", url, "collector", "--ami", pbx.address, "--duration", "5"]
    )
    assert result.exit_code == 1
    assert "Authentication failed" in result.output
