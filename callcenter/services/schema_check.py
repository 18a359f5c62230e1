"""Is this database's schema the one this build expects? What to do when it is not.

A shared PostgreSQL database is only ever migrated by an admin (`callcenter db upgrade`); the
embedded SQLite file belongs to one desktop, which creates it on first use and migrates it
itself, after copying it to a dated backup so an upgrade can always be undone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from callcenter.bootstrap import Database
from callcenter.db import migrate
from callcenter.db.migrate import SchemaState, SchemaStatus
from callcenter.domain.errors import SchemaMismatch


def ensure_current_schema(
    database: Database, now: Callable[[], datetime] = datetime.now
) -> Path | None:
    """Return when the schema is current; the backup made, if an embedded upgrade needed one.

    Raises SchemaMismatch, saying what the user or an admin must do, otherwise.
    """
    status = migrate.schema_status(database.engine)
    if status.state is SchemaState.CURRENT:
        return None
    embedded = database.backend == "sqlite"
    if embedded and status.state is SchemaState.EMPTY:
        migrate.upgrade(database.engine)
        return None
    if embedded and status.state is SchemaState.OLDER:
        backup = _backup_sqlite(database, now())
        migrate.upgrade(database.engine)
        return backup
    raise SchemaMismatch(explain(status))


def explain(status: SchemaStatus) -> str:
    if status.state is SchemaState.EMPTY:
        return "The database has no schema yet; an admin must run `callcenter db upgrade`."
    if status.state is SchemaState.OLDER:
        return (
            f"The database schema is at revision {status.database_revision}, older than this "
            f"version expects ({status.expected_revision}); an admin must run "
            "`callcenter db upgrade`."
        )
    return (
        f"The database schema is at revision {status.database_revision}, newer than this "
        "version knows; install the newer version of Call Center."
    )


def _backup_sqlite(database: Database, at: datetime) -> Path | None:
    name = database.url.database
    if not name or name == ":memory:":
        return None
    source = Path(name)
    backup = source.with_name(f"{source.stem}.{at:%Y%m%d-%H%M%S}.backup{source.suffix}")
    database.dispose()  # no open handle while the file is copied
    shutil.copy2(source, backup)
    for suffix in ("-wal", "-shm"):
        companion = source.with_name(source.name + suffix)
        if companion.exists():
            shutil.copy2(companion, backup.with_name(backup.name + suffix))
    return backup
