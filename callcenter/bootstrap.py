"""The one place that wires settings, engine, sessions and services together."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from callcenter.db.engine import make_engine
from callcenter.domain.errors import AuthenticationError, DatabaseUnavailable
from callcenter.domain.users import Actor
from callcenter.uow import Reader, UnitOfWork


@dataclass
class Database:
    """An open connection pool to the shared database: units of work, and the short-read reader."""

    engine: Engine
    session_factory: sessionmaker[Session]
    # Made here, not on first use, so two threads never each make one.
    reader: Reader = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.reader = Reader(self.engine, lambda exc: _explain(exc, self.engine.url))

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> URL:
        return self.engine.url

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.session_factory, actor)

    def ping(self) -> None:
        """Raise DatabaseUnavailable (or AuthenticationError) unless the database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise _explain(exc, self.engine.url) from None

    def dispose(self) -> None:
        self.reader.close()
        self.engine.dispose()


def open_database(
    url: str | URL, password: str | None = None, **engine_options: object
) -> Database:
    """Connect lazily to `url`; `password` overrides any in the URL (it comes from the keyring)."""
    parsed = make_url(url)
    if password is not None:
        parsed = parsed.set(password=password)
    engine = make_engine(parsed, **engine_options)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def _explain(exc: DBAPIError, url: URL) -> Exception:
    message = str(exc.orig or exc).strip().splitlines()[0] if (exc.orig or exc) else ""
    where = url.render_as_string(hide_password=True)
    if "password authentication failed" in message or "no password supplied" in message:
        return AuthenticationError(f"Wrong user name or password for {where}.")
    if "is not permitted to log in" in message:
        return AuthenticationError(f"This account is disabled; ask an administrator ({where}).")
    return DatabaseUnavailable(f"Cannot reach the database {where}: {message}")
