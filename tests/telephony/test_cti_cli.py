"""`callcenter cti monitor` and `cti secret` as IT uses them, against a scripted Asterisk."""

from __future__ import annotations

import json

import keyring
import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from tests.support.keyrings import MemoryKeyring
from tests.telephony import ami_script
from tests.telephony.ami_server import ScriptedAmi


@pytest.fixture
def ada(sqlite_database, actor):
    with sqlite_database.uow(actor) as uow:
        customer = uow.customers.add(
            CustomerDraft(
                "Ada Lovelace",
                (PhoneEntry("(212) 555-0142", "+12125550142"),),
                company="Engines",
            )
        )
        uow.commit()
    return customer


@pytest.fixture
def pbx(monkeypatch):
    server = ScriptedAmi(
        after_login=ami_script.queue_call_rings()
        + ami_script.queue_call_answered()
        + ami_script.queue_call_held_and_ended()
    )
    monkeypatch.setenv("CALLCENTER_AMI_USER", "desk")
    monkeypatch.setenv("CALLCENTER_AMI_SECRET", "s3cret")
    yield server
    server.close()


def run(database, *args):
    return CliRunner().invoke(cli, ["--db", str(database.url), *args])


def monitor(database, pbx, *more):
    return run(
        database,
        *("cti", "monitor", "--adapter", "ami", "--address", pbx.address),
        *("--extension", "PJSIP/201", "--region", "US", "--duration", "10", *more),
    )


def test_monitor_json_prints_each_event_and_the_lookup_as_lookup_gives_it(
    sqlite_database, ada, pbx
):
    result = monitor(sqlite_database, pbx, "--json", "--count", "1")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["event"] for line in lines] == [
        "connecting",
        "connected",
        "queue_caller_joined",
        "ringing",  # --count 1: the first ringing call ends the watch
    ]
    ringing = lines[-1]
    assert (ringing["call_id"], ringing["direction"], ringing["queue"]) == (
        "1700000000.17",
        "inbound",
        "support",
    )
    assert ringing["at"] == "2023-11-14T22:13:21+00:00"
    alone = run(sqlite_database, "lookup", "--json", "--region", "US", "+12125550142")
    assert ringing["lookup"] == json.loads(alone.output)
    assert ringing["lookup"]["matches"][0]["id"] == ada


def test_monitor_text_follows_the_whole_call(sqlite_database, ada, pbx):
    result = monitor(sqlite_database, pbx, "--duration", "1")
    assert result.exit_code == 0, result.output
    text = result.output
    assert (
        'ringing inbound call 1700000000.17 from +12125550142 "ADA LOVELACE" (queue support): '
        f"#{ada} Ada Lovelace, Engines"
    ) in text
    for word in ("answered inbound", "held inbound", "resumed inbound", "ended inbound"):
        assert word in text
    assert "agent_completed in support: interface=PJSIP/201" in text


def test_monitor_exits_1_when_asterisk_refuses_the_secret(sqlite_database, pbx, monkeypatch):
    monkeypatch.setenv("CALLCENTER_AMI_SECRET", "wrong")
    result = monitor(sqlite_database, pbx)
    assert result.exit_code == 1
    assert "Authentication failed" in result.output and "Traceback" not in result.output


def test_monitor_without_an_adapter_or_an_interface_is_a_usage_error(sqlite_database, pbx):
    result = run(sqlite_database, "cti", "monitor")
    assert result.exit_code == 2 and "--adapter" in result.output
    result = run(sqlite_database, "cti", "monitor", "--adapter", "ami", "--address", pbx.address)
    assert result.exit_code == 2 and "PJSIP/201" in result.output


def test_secret_is_stored_in_the_keyring_under_the_ami_user_and_address(monkeypatch):
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        monkeypatch.setenv("CALLCENTER_AMI_USER", "desk")
        result = CliRunner().invoke(
            cli, ["cti", "secret", "--address", "pbx.example", "--stdin"], input="s3cret\n"
        )
        assert result.exit_code == 0, result.output
        assert backend.store == {("callcenter", "ami:desk@pbx.example:5038"): "s3cret"}
    finally:
        keyring.set_keyring(previous)
