"""A customer CSV read ahead of the writer, its chunks checked by worker processes and handed
over in file order."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from queue import Full, Queue

from callcenter.bootstrap import Database
from callcenter.domain.users import Actor
from callcenter.services.csv_records import ABSENT, Chunk
from callcenter.services.customer_records import (
    CheckedChunk,
    Known,
    Record,
    Rejection,
    Rules,
    Stored,
    check_chunk,
    check_chunk_in_worker,
    external_id_of,
    start_worker,
)

Rows = list[tuple[int, list[str]]]
CheckedFuture = Future[CheckedChunk]


@dataclass(frozen=True, slots=True)
class Checked:
    """A chunk of the file: its good records (or the stage holding them), rejections and
    known rows, each in line order; and its rows, for a known row checked after all."""

    records: list[Record]
    rejections: list[Rejection]
    staged: bytes | None
    known: list[Known]
    rows: Rows
    end_offset: int


class StoredDigests:
    """What the database stores for the external ids of a chunk's rows (see check_chunk).

    Looked up while the file is read ahead, before the chunk goes to a worker process.
    """

    def __init__(self, database: Database, actor: Actor, rules: Rules) -> None:
        self._database = database
        self._actor = actor
        self._at = rules.layout.index("external_id")

    def of(self, rows: Rows) -> Stored | None:
        at = self._at
        if at == ABSENT:
            return None
        wanted = {external_id_of(cells, at) for _line, cells in rows}
        wanted.discard("")
        with self._database.uow(self._actor) as uow:
            return uow.customers.import_digests(wanted) or None


@contextmanager
def checked_chunks(
    chunks: Iterator[Chunk], rules: Rules, stored: StoredDigests | None, workers: int, depth: int
) -> Iterator[Iterator[Checked]]:
    """Chunks checked in file order, by `workers` processes while this one writes."""
    if workers <= 0:
        yield (_check_here(chunk, rules, stored) for chunk in chunks)
        return
    # spawn, not fork: the parent may hold threads (tqdm, a GUI) and database connections.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(rules,),
    )
    results = _in_order(pool, chunks, stored, depth)
    try:
        yield results
    finally:
        # Closing the generator stops its reading thread before the file is closed.
        results.close()
        pool.shutdown(wait=True, cancel_futures=True)


def _check_here(chunk: Chunk, rules: Rules, stored: StoredDigests | None) -> Checked:
    checked = check_chunk(chunk.rows, rules, stored.of(chunk.rows) if stored else None)
    return _checked(checked, chunk.rows, chunk.end_offset)


def _checked(checked: CheckedChunk, rows: Rows, end_offset: int) -> Checked:
    # The rows are kept only where a known row may need them.
    return Checked(*checked, rows if checked.known else [], end_offset)


def _in_order(
    pool: ProcessPoolExecutor, chunks: Iterator[Chunk], stored: StoredDigests | None, depth: int
) -> Generator[Checked, None, None]:
    """Results in file order, while a thread keeps reading ahead and feeding the workers.

    Reading in a thread keeps the workers busy while a batch is written (SQLite releases
    the GIL while it works); the bounded queue keeps the file from being read into memory.
    """
    Item = tuple[CheckedFuture, Rows, int]
    queue: Queue[Item | BaseException | None] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Item | BaseException | None) -> bool:
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
                digests = stored.of(chunk.rows) if stored else None
                future = pool.submit(check_chunk_in_worker, chunk.rows, digests)
                if not put((future, chunk.rows, chunk.end_offset)):
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
            future, rows, end_offset = item
            yield _checked(future.result(), rows, end_offset)
    finally:
        stop.set()
        feeder.join()
