"""`callcenter import queue-log` on SQLite and PostgreSQL: calls, agent states, idempotence."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import select

from callcenter.cli.main import cli
from callcenter.db.tables import AgentStateChange, Call
from callcenter.domain.calls import AgentState
from callcenter.domain.users import Role
from callcenter.services.queue_log_import import AgentDirectory, import_queue_log

T0 = 1700000000

LOG = """\
{0}|NONE|NONE|NONE|QUEUESTART|
{0}|NONE|support|PJSIP/201|ADDMEMBER|
{0}|NONE|support|SIP/202|ADDMEMBER|
{10}|1700000010.1|NONE|NONE|DID|+12125550100
{10}|1700000010.1|support|NONE|ENTERQUEUE||+12125550142|1
{22}|1700000010.1|support|PJSIP/201|CONNECT|12|1700000022.2|3
{142}|1700000010.1|support|PJSIP/201|COMPLETECALLER|12|120|1
{20}|1700000020.3|support|NONE|ENTERQUEUE|2125550199
{50}|1700000020.3|support|NONE|ABANDON|1|1|30
{30}|1700000030.4|billing|NONE|ENTERQUEUE||+12125550111|1
{40}|1700000030.4|billing|PJSIP/999|CONNECT|10|1700000040.5|2
{100}|1700000030.4|billing|PJSIP/999|COMPLETEAGENT|10|60|1
{60}|1700000060.6|support|NONE|ENTERQUEUE||+12125550122|1
{360}|1700000060.6|support|NONE|EXITWITHTIMEOUT|1|1|300
{200}|NONE|support|PJSIP/201|PAUSE|Lunch
this line is not a record
{500}|NONE|support|PJSIP/201|UNPAUSE|
{900}|1700000900.7|support|NONE|ENTERQUEUE||+12125550133|1
{1000}|NONE|support|PJSIP/201|REMOVEMEMBER|
"""


def log_text() -> str:
    offsets = {0, 10, 20, 22, 30, 40, 50, 60, 100, 142, 200, 360, 500, 900, 1000}
    return LOG.format(*[T0 + i for i in range(0, max(offsets) + 1)])


def at(offset: int) -> datetime:
    return datetime.fromtimestamp(T0 + offset, UTC)


def setup_people(database, actor) -> dict[str, int]:
    with database.uow(actor) as uow:
        alice = uow.users.add("alice", "Alice Martin", Role.AGENT, extension="201")
        bob = uow.users.add("bob", "Bob Stone", Role.AGENT, extension="PJSIP/202")
        uow.queues.ensure("support")
        uow.commit()
    return {"alice": alice.id, "bob": bob.id}


def test_import_writes_calls_and_states_once(database, actor):
    ids = setup_people(database, actor)
    summary = import_queue_log(database, actor, log_text().splitlines(keepends=True))
    assert (summary.calls, summary.unchanged) == (4, 0)
    assert [(i.call_id, i.line) for i in summary.incomplete] == [("1700000900.7", 18)]
    assert [(s.line, s.reason) for s in summary.skipped] == [(16, "fewer than 5 fields")]
    assert summary.new_queues == ["billing"]  # the PBX's queues are added
    agents = {a.name: (a.login, a.calls) for a in summary.agents}
    assert agents == {"PJSIP/201": ("alice", 1), "PJSIP/999": (None, 1), "SIP/202": ("bob", 0)}

    with database.engine.connect() as connection:
        calls = {
            row.source_call_id: row
            for row in connection.execute(select(Call).order_by(Call.source_call_id))
        }
        states = connection.execute(
            select(
                AgentStateChange.agent_id,
                AgentStateChange.state,
                AgentStateChange.reason,
                AgentStateChange.started_at,
                AgentStateChange.ended_at,
            ).order_by(AgentStateChange.agent_id, AgentStateChange.started_at)
        ).all()
    answered = calls["1700000010.1"]
    assert answered.source == "pbx"
    assert answered.direction == "inbound"
    assert answered.agent_id == ids["alice"]
    assert answered.queue_id is not None
    assert answered.caller_key == "+12125550142"
    assert _utc(answered.queued_at) == at(10)
    assert _utc(answered.answered_at) == at(22)
    assert _utc(answered.ended_at) == at(142)
    abandoned = calls["1700000020.3"]
    assert abandoned.answered_at is None and _utc(abandoned.ended_at) == at(50)
    assert abandoned.disposition_code is None
    assert calls["1700000060.6"].disposition_code == "queue_timeout"
    unknown = calls["1700000030.4"]
    assert unknown.agent_id is None and unknown.queue_id is not None
    assert unknown.queue_id != answered.queue_id
    assert unknown.notes == "queue_log: agent PJSIP/999"

    alice = [
        (s, r, _utc(a), _utc(b) if b else None) for i, s, r, a, b in states if i == ids["alice"]
    ]
    assert alice == [
        ("available", None, at(0), at(200)),
        ("break", "Lunch", at(200), at(500)),
        ("available", None, at(500), at(1000)),
    ]
    bob = [(s, _utc(a), b) for i, s, _r, a, b in states if i == ids["bob"]]
    assert bob == [("available", at(0), None)]

    again = import_queue_log(database, actor, log_text().splitlines(keepends=True))
    assert (again.calls, again.unchanged, again.states) == (0, 4, 0)
    with database.engine.connect() as connection:
        assert len(connection.execute(select(Call.id)).all()) == 4
        assert len(connection.execute(select(AgentStateChange.id)).all()) == 4


def test_imported_history_closes_an_open_span_before_it(database, actor):
    ids = setup_people(database, actor)
    with database.uow(actor) as uow:
        uow.agent_states.change(ids["bob"], AgentState.AVAILABLE, at(-100))
        uow.commit()
    import_queue_log(database, actor, log_text().splitlines(keepends=True))
    with database.uow(actor) as uow:
        state, _reason, since = uow.agent_states.current(ids["bob"])  # type: ignore[misc]
    assert (state, since) == (AgentState.AVAILABLE, at(0))


def test_agent_directory_matches_interface_or_its_last_part(database, actor):
    setup_people(database, actor)
    with database.uow(actor) as uow:
        uow.users.add("carol", "Carol Day", Role.AGENT, extension="SIP/301")
        uow.users.add("dave", "Dave Ray", Role.AGENT, extension="PJSIP/301")
        directory = AgentDirectory(uow.users.list())
    found = {
        name: (user.login if user else None)
        for name in ("PJSIP/201", "SIP/201", "201", "Local/201@agents/n", "PJSIP/202", "202")
        for user in [directory.find(name)]
    }
    alice_names = ("PJSIP/201", "SIP/201", "201", "Local/201@agents/n")
    assert found == dict.fromkeys(alice_names, "alice") | {"PJSIP/202": "bob", "202": "bob"}
    # Two users on 301 with different technologies: only the full interface tells them apart.
    assert directory.find("SIP/301").login == "carol"  # type: ignore[union-attr]
    assert directory.find("PJSIP/301").login == "dave"  # type: ignore[union-attr]
    assert directory.find("IAX2/301") is None
    assert directory.find("Alice Martin").login == "alice"  # type: ignore[union-attr]


def test_cli_json_summary_and_rerun(database, actor, tmp_path):
    setup_people(database, actor)
    path = tmp_path / "queue_log"
    path.write_text(log_text(), encoding="utf-8")
    url = database.url.render_as_string(hide_password=False)
    first = CliRunner().invoke(cli, ["--db", url, "import", "queue-log", str(path), "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["calls"] == 4
    assert data["incomplete"] == 1
    assert data["incomplete_calls"][0]["line"] == 18
    assert data["skipped_lines"] == [
        {"line": 16, "reason": "fewer than 5 fields", "text": "this line is not a record"}
    ]
    assert {a["name"]: a["user"] for a in data["agents"]} == {
        "PJSIP/201": "alice",
        "PJSIP/999": None,
        "SIP/202": "bob",
    }
    second = CliRunner().invoke(cli, ["--db", url, "import", "queue-log", str(path)])
    assert second.exit_code == 0, second.output
    assert "0 calls imported, 4 already there, 1 incomplete" in second.output
    assert "line 16: skipped: fewer than 5 fields" in second.output
    assert "agent PJSIP/999: no user with this interface" in second.output


def test_cli_refuses_a_missing_file(database):
    url = database.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", url, "import", "queue-log", "/nonexistent/log"])
    assert result.exit_code == 2


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
