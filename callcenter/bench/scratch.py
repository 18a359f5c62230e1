"""The database a benchmark runs on, filled with demo data up to the size asked for.

On SQLite that is a scratch file per size in the user data folder, never the user's own
database (unless --db names a file). On PostgreSQL it is the database given; demo customers
are added to it only if it holds no other customers, so a real database is only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from callcenter.bootstrap import Database
from callcenter.config.paths import user_data_dir
from callcenter.config.settings import Settings
from callcenter.domain.errors import CallCenterError
from callcenter.domain.users import Actor
from callcenter.services.demo_data import DemoOptions, Progress, generate


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    # A file of ours: rebuilt from nothing when it is not the size asked for.
    scratch: Path | None


def bench_database(settings: Settings, customers: int) -> BenchDatabase:
    url = make_url(settings.database_url)
    explicit = settings.sources.get("database.url") == "command line"
    if url.get_backend_name() == "postgresql" or explicit:
        return BenchDatabase(settings.database_url, None)
    path = user_data_dir() / "bench" / f"customers-{customers}.db"
    return BenchDatabase(f"sqlite:///{path}", path)


def remove_scratch(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def customer_counts(database: Database) -> tuple[int, int]:
    """(live customers, customers that are not demo data)."""
    with database.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT count(*), sum(CASE WHEN external_id >= 'DEMO' AND external_id < 'DEMP' "
                "THEN 0 ELSE 1 END) FROM customers WHERE deleted_at IS NULL"
            )
        ).one()
    return int(row[0] or 0), int(row[1] or 0)


def fill(
    database: Database,
    actor: Actor,
    customers: int,
    calls: int,
    region: str,
    timezone: str,
    progress: Progress | None = None,
) -> tuple[int, str]:
    """Make sure the database has `customers` customers; (how many it has, what was done)."""
    have, not_demo = customer_counts(database)
    if have >= customers:
        return have, "reused"
    if not_demo:
        raise CallCenterError(
            f"the database has {have:,} customers, fewer than {customers:,}, and {not_demo:,} "
            "of them are not demo data: bench adds demo customers only to a database that "
            "holds nothing else. Give --db an empty database, or ask for fewer customers."
        )
    generate(
        database,
        actor,
        DemoOptions(
            customers=customers - have,
            calls=calls,
            region=region,
            timezone=timezone,
            add=True,
        ),
        progress,
    )
    return customers, "filled" if not have else "topped up"
