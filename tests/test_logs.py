"""Log files: where they go, that they rotate, and that secrets and customer data stay out."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from callcenter import logs
from callcenter.cli.main import cli
from callcenter.config import paths


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "connecting to postgresql+psycopg://agent:s3cr%40t@db.example:5432/cc",
            "connecting to postgresql+psycopg://agent:***@db.example:5432/cc",
        ),
        ("postgresql://:only-pw@host/cc", "postgresql://:***@host/cc"),
        (
            "sip://201:pw@pbx and ami://admin:pw2@pbx:5038",
            "sip://201:***@pbx and ami://admin:***@pbx:5038",
        ),
        ("host=db password=hunter2 dbname=cc", "host=db password=*** dbname=cc"),
        ("{'secret': 'abc def', 'user': 'x'}", "{'secret': ***, 'user': 'x'}"),
        ("AMI Secret: topsecret", "AMI Secret: ***"),
        (
            "(sqlite3.IntegrityError) UNIQUE failed\n[SQL: INSERT INTO customers VALUES (?, ?)]\n"
            "[parameters: ('Ann Smith', 'Angry about bill')]\n(Background on this error at: x)",
            "(sqlite3.IntegrityError) UNIQUE failed\n[SQL: INSERT INTO customers VALUES (?, ?)]\n"
            "[parameters: hidden]\n(Background on this error at: x)",
        ),
    ],
)
def test_redact_masks_secrets(text: str, expected: str) -> None:
    assert logs.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sqlite:////home/ann/.local/share/callcenter/callcenter.db",
        "postgresql://agent@db.example/cc",
        "https://example.com/a:b@c",  # no password before the host: the path is not touched
        "12:30 call from +1 212 555 0142",
    ],
)
def test_redact_leaves_ordinary_text(text: str) -> None:
    assert logs.redact(text) == text


def test_file_log_masks_messages_arguments_and_tracebacks(restore_root: None) -> None:
    path = logs.setup_logging("unit")
    assert path == paths.user_log_dir() / "unit.log"
    log = logging.getLogger("callcenter.test")
    log.info("opening %s", "postgresql://agent:hunter2@db/cc")
    try:
        raise RuntimeError("connect failed: postgresql://agent:hunter2@db/cc")
    except RuntimeError:
        log.exception("sign-in failed")
    logging.getLogger("sqlalchemy.engine").info("INSERT ... ('customer note')")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "hunter2" not in text
    assert "postgresql://agent:***@db/cc" in text
    assert "RuntimeError" in text and "sign-in failed" in text
    assert "customer note" not in text


def test_setting_up_again_replaces_our_handlers(restore_root: None) -> None:
    logs.setup_logging("unit")
    logs.setup_logging("unit", verbose=True)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_callcenter_handler", False)]
    assert len(ours) == 2
    console = next(h for h in ours if not isinstance(h, logging.FileHandler))
    assert console.level == logging.INFO


def test_files_rotate(restore_root: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging("unit")
    assert path is not None
    for n in range(100):
        logging.getLogger("callcenter.test").warning("line %d %s", n, "x" * 50)
    assert path.with_name("unit.log.1").exists()
    assert not path.with_name(f"unit.log.{logs.BACKUP_COUNT + 1}").exists()


def test_unwritable_log_folder_is_not_fatal(
    restore_root: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CALLCENTER_LOG_DIR", str(blocker / "log"))
    assert logs.setup_logging("unit") is None
    assert "not logging to a file" in capsys.readouterr().err
    logging.getLogger("callcenter.test").warning("still works")


def test_the_cli_logs_to_its_file(restore_root: None) -> None:
    result = CliRunner().invoke(cli, ["--db", "sqlite://", "config", "show"])
    assert result.exit_code == 0, result.output
    assert any(
        isinstance(h, logging.FileHandler) and h.baseFilename == str(logs.log_file("cli"))
        for h in logging.getLogger().handlers
    )
