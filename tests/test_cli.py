"""The `callcenter` command as IT uses it: clear output, JSON for scripts, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.db import migrate
from callcenter.domain.customers import CustomerDraft, PhoneEntry


@pytest.fixture
def run(database_url):
    def invoke(*args: str, input: str | None = None, db: str | None = database_url):
        prefix = ["--db", db] if db else []
        return CliRunner().invoke(cli, [*prefix, *args], input=input)

    return invoke


def test_db_upgrade_and_current(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    runner = CliRunner()
    before = runner.invoke(cli, ["--db", url, "--json", "db", "current"])
    assert json.loads(before.output)["state"] == "empty"
    upgraded = runner.invoke(cli, ["--db", url, "db", "upgrade", "--json"])
    assert upgraded.exit_code == 0, upgraded.output
    assert json.loads(upgraded.output) == {"from": None, "to": migrate.head_revision()}
    again = runner.invoke(cli, ["--db", url, "db", "upgrade"])
    assert "already at the newest revision" in again.output
    after = json.loads(runner.invoke(cli, ["--db", url, "--json", "db", "current"]).output)
    assert (after["revision"], after["state"]) == (migrate.head_revision(), "current")


def test_users_add_list_disable(run):
    added = run(
        "users",
        "add",
        "alice",
        "--name",
        "Alice Agent",
        "--role",
        "agent",
        "--team",
        "North",
        "--password-stdin",
        input="alice-password\n",
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(run("--json", "users", "list").output)
    assert listed == [
        {
            "login": "alice",
            "name": "Alice Agent",
            "role": "agent",
            "team": "North",
            "extension": None,
            "active": True,
        }
    ]
    assert run("users", "disable", "alice").exit_code == 0
    assert json.loads(run("users", "list", "--json").output)[0]["active"] is False


@pytest.mark.parametrize(
    ("args", "input", "message"),
    [
        (
            ["users", "add", "Bad Login", "--name", "X", "--role", "agent", "--password-stdin"],
            "long-password\n",
            "login",
        ),
        (
            ["users", "add", "x", "--name", "X", "--role", "agent", "--password-stdin"],
            "short\n",
            "password",
        ),
        (["users", "add", "x", "--name", "X", "--role", "boss", "--password-stdin"], "", "role"),
        (["users", "disable", "nobody"], None, "no user called 'nobody'"),
        (["lookup", "--region", "XX", "123"], None, "region"),
        (["lookup"], None, "NUMBER"),
    ],
)
def test_user_mistakes_exit_2_with_a_message_and_no_traceback(run, args, input, message):
    result = run(*args, input=input)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_lookup_json_one_object_per_input_in_order(run, database, actor):
    with database.uow(actor) as uow:
        ada = uow.customers.add(
            CustomerDraft(
                "Ada Lovelace",
                phones=(PhoneEntry("(212) 555-0142", "+12125550142"),),
                company="Engines",
                external_id="A-1",
            )
        )
        uow.commit()
    result = run(
        "lookup", "tel:+1-212-555-0142", "anonymous", "--stdin", "--json", input="646 555 0100\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["input"] for line in lines] == ["tel:+1-212-555-0142", "anonymous", "646 555 0100"]
    assert lines[0]["normalized"] == "+12125550142" and not lines[0]["withheld"]
    match = lines[0]["matches"][0]
    assert (match["id"], match["name"], match["company"], match["external_id"]) == (
        ada,
        "Ada Lovelace",
        "Engines",
        "A-1",
    )
    assert lines[1] == {"input": "anonymous", "normalized": "", "withheld": True, "matches": []}
    assert lines[2]["matches"] == []


def test_config_show_says_where_each_value_came_from(tmp_path, monkeypatch):
    user_file = tmp_path / "user.toml"
    user_file.write_text('[phone]\ndefault_region = "GB"\n')
    monkeypatch.setenv("CALLCENTER_USER_CONFIG", str(user_file))
    monkeypatch.setenv("CALLCENTER_DB", "postgresql://bob:hunter2@db.example/cc")
    result = CliRunner().invoke(cli, ["--json", "config", "show"])
    assert result.exit_code == 0, result.output
    rows = {row["key"]: row for row in json.loads(result.output)["settings"]}
    assert rows["phone.default_region"]["value"] == "GB"
    assert rows["phone.default_region"]["source"] == f"user file {user_file}"
    assert rows["database.url"]["source"] == "environment"
    assert "hunter2" not in result.output
    assert rows["reports.timezone"]["source"] == "default"
    text = CliRunner().invoke(cli, ["config", "show"]).output
    assert "hunter2" not in text and "phone.default_region" in text


def test_unreachable_database_is_a_message_not_a_traceback():
    result = CliRunner().invoke(
        cli, ["--db", "postgresql://nobody@127.0.0.1:1/none", "users", "list"]
    )
    assert result.exit_code == 1
    assert "Cannot reach the database" in result.output
    assert "Traceback" not in result.output


def test_a_database_newer_than_this_build_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    runner = CliRunner()
    runner.invoke(cli, ["--db", url, "db", "upgrade"])
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = runner.invoke(cli, ["--db", url, "users", "list"])
    assert result.exit_code == 1
    assert "newer than this version" in result.output


def test_db_password_is_stored_in_the_keyring_and_used(monkeypatch):
    import keyring

    from callcenter.config.credentials import resolve_password
    from callcenter.config.secrets import SecretStore
    from tests.support.keyrings import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        url = "postgresql://alice@db.example/cc"
        monkeypatch.setenv("CALLCENTER_DB", url)
        result = CliRunner().invoke(cli, ["db", "password"], input="pg-secret\n")
        assert result.exit_code == 0, result.output
        assert backend.store == {("callcenter", "alice@db.example:5432/cc"): "pg-secret"}
        assert resolve_password(url, SecretStore(), interactive=False) == "pg-secret"
    finally:
        keyring.set_keyring(previous)
