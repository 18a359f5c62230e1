"""Demo data generated ahead of the writer: in order, in a second process for big loads."""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from multiprocessing import get_context
from typing import Any

from callcenter.services.demo_calls import CallContext, simulate_day
from callcenter.services.demo_customer_rows import customer_block
from callcenter.services.demo_people import CustomerFactory, name_pools, number_plan
from callcenter.services.demo_rows import stage

# How many results the worker process may compute before the writer takes them.
AHEAD = 6


@dataclass(frozen=True)
class GenerationSetup:
    """What it takes to recompute everything that is not read back from the database."""

    locale: str
    region: str
    seed: int
    run: int
    customers: int
    external_prefix: str
    context: CallContext
    # Hand customer blocks and days over staged as SQLite databases (demo_customer_rows,
    # demo_rows.stage), as SQLite copies them.
    staged: bool = False


class _Generator:
    """Customer blocks one by one, then call days, customers known by their index."""

    def __init__(self, setup: GenerationSetup) -> None:
        self._factory = CustomerFactory(
            name_pools(setup.locale, setup.seed),
            number_plan(setup.region),
            setup.seed,
            setup.run,
            setup.customers,
            setup.external_prefix,
        )
        self._context = setup.context
        self._staged = setup.staged
        self._keys = list(setup.context.customer_keys)
        self._raws = list(setup.context.customer_raws)

    def run(self, kind: str, argument: Any) -> Any:
        if kind == "block":
            drafts = self._factory.block(argument)
            self._keys += (d.phones[0].key for d in drafts)
            self._raws += (d.phones[0].raw for d in drafts)
            return customer_block(drafts, self._staged)
        if len(self._context.customer_keys) != len(self._keys):
            self._context = replace(
                self._context, customer_keys=self._keys, customer_raws=self._raws
            )
        day = simulate_day(argument, self._context)
        return stage(day) if self._staged else day


_worker: _Generator | None = None


def _start_worker(setup: GenerationSetup) -> None:
    global _worker
    _worker = _Generator(setup)


def _run_in_worker(kind: str, argument: Any) -> Any:
    assert _worker is not None
    return _worker.run(kind, argument)


def produce(
    setup: GenerationSetup, tasks: Sequence[tuple[str, Any]], parallel: bool
) -> Generator[Any, None, None]:
    """The tasks' results in order; in parallel, a worker process computes a few ahead.

    Writing is the slow part and SQLite has one writer, so one process generating while the
    main one writes is what helps; tasks run in order there too, as numbers must stay unique.
    """
    if not parallel:
        generator = _Generator(setup)
        for kind, argument in tasks:
            yield generator.run(kind, argument)
        return
    # Spawned, not forked: the same on every platform, and safe beside the progress thread.
    pool = ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(setup,)
    )
    try:
        pending: deque[Future[Any]] = deque()
        queued = iter(tasks)
        for kind, argument in islice(queued, AHEAD):
            pending.append(pool.submit(_run_in_worker, kind, argument))
        while pending:
            result = pending.popleft().result()
            for kind, argument in islice(queued, 1):
                pending.append(pool.submit(_run_in_worker, kind, argument))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
