"""Importing customers from a CSV file: streamed, checked in worker processes, idempotent.

A record is matched to an existing customer by external_id; a record without one matches a
live customer that has none, the same folded name and one of the record's numbers (or, with
no number, one of its e-mails). Matched customers are updated only if something differs.

The file decides the fields it has columns for: an empty cell clears the field, a column the
file lacks leaves it alone. Numbers are the exception: the file's come first, and numbers an
agent added in the application are kept after them, so a nightly import does not undo them.

Records are written in batches, each its own transaction: a crash keeps the batches done and
running the import again finishes the rest.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full, Queue

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from callcenter.bootstrap import Database
from callcenter.domain.customers import Customer, CustomerDraft, PhoneEntry
from callcenter.domain.errors import ConflictError
from callcenter.domain.search import fold
from callcenter.domain.users import Actor
from callcenter.services.csv_records import (
    PHONE_COLUMNS,
    Chunk,
    CsvFile,
    CsvFileError,
    Problem,
    Record,
    Rejection,
    Rules,
    check_decodable,
    check_rows,
    check_rows_in_worker,
    start_worker,
)
from callcenter.uow import UnitOfWork

# Records per task for a worker process, and per transaction: few, big transactions, since
# each commit writes every index page it touched (SQLite's cost is mostly there).
CHUNK_SIZE = 2500
BATCH_SIZE = 25_000
# Below this size starting worker processes costs more than it saves.
POOL_MIN_BYTES = 4 << 20
WORKERS = 2
# A batch that collides with a concurrent writer is read again and retried this often.
ATTEMPTS = 3
# SQLite page cache for the import's connection (KiB): the indexes being filled stay in memory.
SQLITE_CACHE_KIB = 1 << 20
SQLITE_CHECKPOINT_PAGES = 50_000

Progress = Callable[[int, int], None]
"""Called with (bytes done, file size) after each batch is written."""

Checked = tuple[list[Record], list[Rejection], int]
CheckedFuture = Future[tuple[list[Record], list[Rejection]]]


@dataclass
class ImportSummary:
    """What an import did; `rejected` is in line order."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)


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
    with CsvFile(path, encoding) as source:
        rules = Rules(source.layout, region, outside_prefix)
        if workers is None:
            workers = WORKERS if source.size >= POOL_MIN_BYTES else 0
        # Enough chunks in flight to keep the workers busy while a batch is written.
        depth = 2 * workers + batch_size // chunk_size
        with _writer(database, actor, source.layout.present, summary) as writer:
            try:
                batch: list[Record] = []
                with _checked(source.chunks(chunk_size), rules, workers, depth) as checked:
                    for records, rejections, end_offset in checked:
                        summary.rejected.extend(rejections)
                        batch += records
                        if len(batch) >= batch_size:
                            writer.write(batch)
                            batch = []
                            if progress is not None:
                                progress(end_offset, source.size)
                writer.write(batch)
                if progress is not None:
                    progress(source.size, source.size)
            except CsvFileError as exc:
                if summary.inserted + summary.updated + summary.unchanged == 0:
                    raise
                raise CsvFileError(
                    exc.problem,
                    f"{exc.reason} (the records before it were imported; "
                    "correct the file and import it again to finish)",
                    exc.line,
                ) from None
    summary.rejected.sort(key=lambda r: r.line)
    return summary


@contextmanager
def _checked(
    chunks: Iterator[Chunk], rules: Rules, workers: int, depth: int
) -> Iterator[Iterator[Checked]]:
    """Chunks checked in order, by `workers` processes while this one writes."""
    if workers <= 0:
        yield ((*check_rows(chunk.rows, rules), chunk.end_offset) for chunk in chunks)
        return
    # spawn, not fork: the parent may hold threads (tqdm, a GUI) and database connections.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(rules,),
    )
    results = _in_order(pool, chunks, depth)
    try:
        yield results
    finally:
        # Closing the generator stops its reading thread before the file is closed.
        results.close()
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    pool: ProcessPoolExecutor, chunks: Iterator[Chunk], depth: int
) -> Generator[Checked, None, None]:
    """Results in file order, while a thread keeps reading ahead and feeding the workers.

    Reading in a thread keeps the workers busy while a batch is written (SQLite releases
    the GIL while it works); the bounded queue keeps the file from being read into memory.
    """
    queue: Queue[tuple[CheckedFuture, int] | BaseException | None] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[CheckedFuture, int] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def feed() -> None:
        try:
            for chunk in chunks:
                future = pool.submit(check_rows_in_worker, chunk.rows)
                if not put((future, chunk.end_offset)):
                    return
            put(None)
        except BaseException as exc:  # handed to the consuming thread, raised there
            put(exc)

    feeder = threading.Thread(target=feed, name="csv-reader", daemon=True)
    feeder.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            future, end_offset = item
            yield (*future.result(), end_offset)
    finally:
        stop.set()
        feeder.join()


@contextmanager
def _writer(
    database: Database, actor: Actor, columns: frozenset[str], summary: ImportSummary
) -> Iterator[_Writer]:
    # One connection for the whole import, so the larger page cache set on it keeps serving.
    with database.engine.connect() as connection:
        restore = _tune_for_bulk(connection)
        try:
            yield _Writer(connection, actor, columns, summary)
        finally:
            # After a lost connection there is nothing to restore, and the first error matters.
            with suppress(SQLAlchemyError):
                restore()


def _tune_for_bulk(connection: Connection) -> Callable[[], None]:
    if connection.dialect.name != "sqlite":
        return lambda: None
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    checkpoint = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    # Index pages touched by many batches are copied back to the database file once, not
    # after every batch.
    connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
    connection.commit()
    # Take the write lock when a batch begins: reading first and then writing could fail on
    # a snapshot another writer made stale, instead of waiting for it.
    connection.execution_options(sqlite_begin="IMMEDIATE")

    def restore() -> None:
        connection.rollback()
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
        connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {int(checkpoint or 1000)}")
        connection.commit()

    return restore


class _Writer:
    """Writes checked records batch by batch, matching them to existing customers."""

    def __init__(
        self, connection: Connection, actor: Actor, columns: frozenset[str], summary: ImportSummary
    ) -> None:
        self._sessions = sessionmaker(bind=connection, expire_on_commit=False)
        self._actor = actor
        self._columns = columns
        self._summary = summary

    def write(self, records: list[Record]) -> None:
        """Write in batches where no two records could be the same customer.

        A record repeated in the file lands in a later batch, so it updates the first one
        as a re-import would, instead of colliding with it.
        """
        batch: list[Record] = []
        external_ids: set[str] = set()
        identities: set[tuple[str, str]] = set()
        for record in records:
            if record.external_id:
                repeated = record.external_id in external_ids
            else:
                identity = _identity(record)
                repeated = not identities.isdisjoint(identity)
            if repeated:
                self._write_batch(batch)
                batch = []
                external_ids.clear()
                identities.clear()
            batch.append(record)
            if record.external_id:
                external_ids.add(record.external_id)
            else:
                identities.update(identity)
        self._write_batch(batch)

    def _write_batch(self, records: list[Record]) -> None:
        while records:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    with UnitOfWork(self._sessions, self._actor) as uow:
                        done, counts, rejected = self._apply(uow, records)
                        uow.commit()
                    break
                except (IntegrityError, ConflictError):
                    # Someone added or changed one of these customers meanwhile: read again.
                    if attempt == ATTEMPTS:
                        raise ConflictError(
                            f"the records from line {records[0].line} on kept colliding with "
                            "changes others made at the same time; import the file again"
                        ) from None
            self._summary.inserted += counts[0]
            self._summary.updated += counts[1]
            self._summary.unchanged += counts[2]
            self._summary.rejected.extend(rejected)
            records = records[done:]

    def _apply(
        self, uow: UnitOfWork, records: list[Record]
    ) -> tuple[int, tuple[int, int, int], list[Rejection]]:
        """Write what it can of `records`: how many, (inserted, updated, unchanged), rejected.

        Stops before a record that matches a customer already changed in this batch, since
        that update is checked against the version read before it.
        """
        customers = uow.customers
        external_ids = [r.external_id for r in records if r.external_id]
        by_external_id = customers.by_external_ids(external_ids)
        deleted = customers.deleted_external_ids(by_external_id) if by_external_id else set()
        others = _index_without_external_id(uow, [r for r in records if not r.external_id])

        new: list[CustomerDraft] = []
        changes: list[tuple[Customer, CustomerDraft]] = []
        rejected: list[Rejection] = []
        matched: set[int] = set()
        done = 0
        for record in records:
            if record.external_id:
                match = by_external_id.get(record.external_id)
                if record.external_id in deleted:
                    rejected.append(
                        Rejection(record.line, record.external_id, "external_id", Problem.DELETED)
                    )
                    done += 1
                    continue
            else:
                match = next((others[k] for k in _identity(record) if k in others), None)
            if match is None:
                new.append(_draft(record))
            elif match.id in matched:
                break
            else:
                matched.add(match.id)
                changes.append((match, _merged(match, record, self._columns)))
            done += 1
        customers.add_many(new)
        updated = len(customers.update_many(changes))
        return done, (len(new), updated, len(changes) - updated), rejected


def _identity(record: Record) -> set[tuple[str, str]]:
    """The keys a record without external id is matched by: its name with each number."""
    if record.phones:
        return {(record.folded_name, key) for _, key, _ in record.phones}
    return {(record.folded_name, "@" + fold(email)) for email in record.emails}


def _index_without_external_id(
    uow: UnitOfWork, records: list[Record]
) -> dict[tuple[str, str], Customer]:
    if not records:
        return {}
    numbers = [key for r in records for _, key, _ in r.phones]
    emails = [email for r in records if not r.phones for email in r.emails]
    candidates = uow.customers.without_external_id_by_numbers(numbers)
    candidates += uow.customers.without_external_id_by_emails(emails)
    index: dict[tuple[str, str], Customer] = {}
    # The oldest customer wins when several share a name and a number.
    for customer in sorted(candidates, key=lambda c: c.id):
        name = " ".join(fold(customer.name).split())
        for phone in customer.phones:
            index.setdefault((name, phone.key), customer)
        for email in customer.emails:
            index.setdefault((name, "@" + fold(email)), customer)
    return index


def _file_phones(record: Record, labels: dict[str, str | None]) -> list[PhoneEntry]:
    if len(record.phones) == 1:
        raw, key, extension = record.phones[0]
        return [PhoneEntry(raw, key, extension, labels.get(key))]
    phones: dict[str, PhoneEntry] = {}
    for raw, key, extension in record.phones:
        phones.setdefault(key, PhoneEntry(raw, key, extension, labels.get(key)))
    return list(phones.values())


def _draft(record: Record) -> CustomerDraft:
    return CustomerDraft(
        name=record.name,
        phones=tuple(_file_phones(record, {})),
        external_id=record.external_id,
        company=record.company,
        emails=record.emails,
        tier=record.tier,
        notes=record.notes,
    )


def _merged(existing: Customer, record: Record, columns: frozenset[str]) -> CustomerDraft:
    """The customer as the file says it is, keeping what the file has no column for."""
    phones = existing.phones
    if columns.intersection(PHONE_COLUMNS):
        from_file = _file_phones(record, {p.key: p.label for p in existing.phones})
        listed = {p.key for p in from_file}
        phones = (*from_file, *(p for p in existing.phones if p.key not in listed))
    return CustomerDraft(
        name=record.name,
        phones=phones,
        external_id=existing.external_id,
        company=record.company if "company" in columns else existing.company,
        emails=record.emails if "email" in columns else existing.emails,
        tier=record.tier if "tier" in columns else existing.tier,
        notes=record.notes if "notes" in columns else existing.notes,
        address_line=existing.address_line,
        city=existing.city,
        postal_code=existing.postal_code,
        state=existing.state,
        country=existing.country,
    )
