"""What every command shares: settings, the database, who is acting, and how to fail."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click

from callcenter.bootstrap import Database, open_database
from callcenter.config import ConfigError, Settings, load_settings
from callcenter.config.credentials import resolve_password
from callcenter.config.secrets import SecretStore
from callcenter.domain.errors import CallCenterError, DatabaseUnavailable, NotFound, ValidationError
from callcenter.domain.users import Actor
from callcenter.services.schema_check import ensure_current_schema

EXIT_FAILURE = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@dataclass
class CliContext:
    flags: dict[str, Any] = field(default_factory=dict)
    as_json: bool = False
    _settings: Settings | None = None
    _database: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(flags=self.flags)
            except ConfigError as exc:
                fail(str(exc))
            for warning in self._settings.warnings:
                click.echo(f"warning: {warning}", err=True)
        return self._settings

    @property
    def actor(self) -> Actor:
        user = self.database.url.username if self.database.backend == "postgresql" else None
        return Actor(user or f"cli:{getpass.getuser()}")

    def open(self, check_schema: bool = True) -> Database:
        """The database, with its schema created (SQLite) or checked against this build."""
        if self._database is None:
            url = self.settings.database_url
            password = resolve_password(url, SecretStore(), interactive=sys.stdin.isatty())
            self._database = open_database(url, password=password)
            with errors():
                self._database.ping()
                if check_schema:
                    ensure_current_schema(self._database)
        return self._database

    @property
    def database(self) -> Database:
        return self.open()

    def emit(self, data: Any, text: Callable[[], None]) -> None:
        """Print `data` as JSON with --json, else call `text` to print it for people."""
        if self.as_json:
            click.echo(json.dumps(data, default=str, ensure_ascii=False))
        else:
            text()

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


@contextmanager
def errors() -> Iterator[None]:
    """Turn the core's user-facing errors into a message and an exit code, never a traceback."""
    try:
        yield
    except (ValidationError, NotFound, ConfigError) as exc:
        fail(str(exc), EXIT_USAGE)
    except DatabaseUnavailable as exc:
        fail(str(exc), EXIT_FAILURE)
    except CallCenterError as exc:
        fail(str(exc), EXIT_FAILURE)


pass_context = click.make_pass_decorator(CliContext)
