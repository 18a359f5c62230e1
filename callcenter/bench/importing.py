"""Importing customers: a fresh import, then a re-import, of a CSV of `customers` rows.

Runs only when asked for by name (`--scenario import`): it writes its own file and database,
in a temporary folder, and at a million rows takes a few minutes. The database is a scratch
SQLite file whatever the configured backend: SQLite is what the import's target is set for.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from callcenter.bench.customer_csv import write_customer_csv
from callcenter.bench.registry import BenchContext, scenario
from callcenter.bootstrap import Database, open_database
from callcenter.db import migrate
from callcenter.services.customer_import import ImportSummary, import_customers

# What the product promises (issue 2): a million rows in under a minute on SQLite.
TARGET_S = 60.0


@scenario(
    "import",
    "`import customers` of a realistic CSV into a new SQLite database, then again",
    on_request=True,
    needs_database=False,
)
def import_csv(context: BenchContext) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="callcenter-bench-import-") as folder:
        path = Path(folder) / "customers.csv"
        started = time.perf_counter()
        bad = write_customer_csv(path, context.customers, context.region, context.seed)
        written_s = time.perf_counter() - started
        database = open_database(f"sqlite:///{Path(folder) / 'import.db'}")
        try:
            migrate.upgrade(database.engine)
            fresh, fresh_s = _timed_import(context, database, path)
            again, again_s = _timed_import(context, database, path)
        finally:
            database.dispose()
        size = path.stat().st_size
    return {
        "database": "sqlite",
        "rows": context.customers,
        "bytes": size,
        "bad_rows": bad,
        "write_csv_s": round(written_s, 2),
        "fresh_s": round(fresh_s, 2),
        "reimport_s": round(again_s, 2),
        "rows_per_s": round(context.customers / fresh_s) if fresh_s else 0,
        "target_s": TARGET_S,
        "fresh": _counts(fresh),
        "reimport": _counts(again),
    }


def _timed_import(
    context: BenchContext, database: Database, path: Path
) -> tuple[ImportSummary, float]:
    started = time.perf_counter()
    summary = import_customers(
        database,
        context.actor,
        path,
        region=context.region,
        outside_prefix=context.outside_prefix,
    )
    return summary, time.perf_counter() - started


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": len(summary.rejected),
    }
