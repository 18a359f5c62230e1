"""Importing customers from a CSV file: streamed, checked in worker processes, idempotent.

How records are matched and merged is in import_writer; how they are checked, in
customer_records. Records are written in batches, each its own transaction: a crash keeps
the batches done and running the import again finishes the rest.

What makes a million rows quick: worker processes check records (numbers above all) while
this process writes; a re-import skips checking the records whose customer stores their
digest; and a big import into a small database builds the number-search indexes once at
the end instead of keeping them up (see db/bulk.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from callcenter.bootstrap import Database
from callcenter.db import bulk
from callcenter.db.tables import Customer as CustomerRow
from callcenter.domain.users import Actor
from callcenter.gc_pause import no_cycle_collection
from callcenter.services.csv_records import Chunk, CsvFile, CsvFileError, check_decodable
from callcenter.services.customer_records import Rules
from callcenter.services.import_pipeline import StoredDigests, checked_chunks
from callcenter.services.import_writer import ImportSummary, ImportWriter

__all__ = ["ImportSummary", "Progress", "import_customers"]

# Records per task for a worker process (on SQLite also per stage: a stage's records are
# written before the next is attached), and per transaction: few, big transactions, since
# each commit writes every index page it touched. Reading ahead holds a few chunks.
CHUNK_SIZE = 50_000
BATCH_SIZE = 50_000
FIRST_CHUNK_DIVISOR = 8
# Below this size starting worker processes costs more than it saves.
POOL_MIN_BYTES = 4 << 20
WORKERS = 2
# A load this big into a database with fewer customers builds some indexes afterwards.
DEFER_INDEXES_FROM = 200_000

Progress = Callable[[int, int], None]
"""Called with (bytes done, file size) as records are written."""


def import_customers(
    database: Database,
    actor: Actor,
    path: Path,
    *,
    region: str,
    outside_prefix: str = "",
    encoding: str = "utf-8",
    progress: Progress | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import the customers in the CSV file at `path`; bad records are reported, not fatal.

    Raises CsvFileError (nothing imported) when the file cannot be read, is not text in
    `encoding`, or its header names unknown columns. `workers` = 0 checks records in this
    process; None chooses by the file's size.
    """
    check_decodable(path, encoding)
    summary = ImportSummary()
    with no_cycle_collection(), CsvFile(path, encoding) as source:
        rules = Rules(source.layout, region, outside_prefix, stage=database.backend == "sqlite")
        if workers is None:
            workers = WORKERS if source.size >= POOL_MIN_BYTES else 0
        # Enough chunks in flight to keep the workers busy while one is written.
        depth = workers + max(2, batch_size // chunk_size)
        # Small chunks first: the workers' first results come sooner, and the writer waits
        # less for them.
        chunks = source.chunks(chunk_size, first=max(1, chunk_size // FIRST_CHUNK_DIVISOR))
        first = next(chunks, None)
        chunks = itertools.chain([first] if first else [], chunks)
        existing, digests = _existing_customers(database)
        stored = StoredDigests(database, actor, rules) if digests else None
        defer = _should_defer(database, source.size, first, existing)
        if database.backend == "sqlite" and not defer:
            # Indexes an import killed while it deferred them are missing until built again.
            bulk.restore_indexes(database.engine, bulk.IMPORT_DEFERRED_INDEX_COLUMNS)
        with (
            bulk.indexes_deferred(database.engine, defer, bulk.IMPORT_DEFERRED_INDEX_COLUMNS),
            database.engine.connect() as connection,
            bulk.tuned_for_import(connection),
        ):
            writer = ImportWriter(connection, actor, rules, summary, batch_size)
            try:
                with checked_chunks(chunks, rules, stored, workers, depth) as checked:
                    batches = 0
                    for chunk in checked:
                        writer.add(chunk)
                        # Reported once what was read is written (or known unchanged).
                        done = writer.batches > batches or not writer.pending
                        if progress is not None and done:
                            batches = writer.batches
                            progress(chunk.end_offset, source.size)
                writer.flush()
                if progress is not None:
                    progress(source.size, source.size)
            except CsvFileError as exc:
                if summary.inserted + summary.updated + summary.unchanged + writer.pending == 0:
                    raise
                # What was read before the bad record is good: write it, as the message says.
                writer.flush()
                raise CsvFileError(
                    exc.problem,
                    f"{exc.reason} (the records before it were imported; "
                    "correct the file and import it again to finish)",
                    exc.line,
                ) from None
    summary.rejected.sort(key=lambda r: r.line)
    return summary


def _existing_customers(database: Database) -> tuple[int, bool]:
    """(about how many customers there are, whether any stores an import digest)."""
    with database.engine.connect() as connection:
        # max(id) reads one index entry; count(*) would read them all.
        highest = connection.scalar(select(func.max(CustomerRow.id)))
        digest = connection.scalar(
            select(CustomerRow.id).where(CustomerRow.import_digest.is_not(None)).limit(1)
        )
    return int(highest or 0), digest is not None


def _should_defer(database: Database, size: int, first: Chunk | None, existing: int) -> bool:
    """Whether the file brings many customers, over twice what the database holds (so not
    on a re-import), on SQLite.

    PostgreSQL keeps its indexes up well enough; they are left alone there.
    """
    if database.backend != "sqlite" or first is None or not first.end_offset:
        return False
    estimated = size * len(first.rows) // first.end_offset
    return estimated >= DEFER_INDEXES_FROM and estimated > 2 * existing
