"""Demo data: a reproducible call center with customers, agents, queues and 90 days of calls."""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

from callcenter.bootstrap import Database, open_database
from callcenter.config import load_settings
from callcenter.db import migrate
from callcenter.db.bulk import (
    BIG_CACHE_KIB,
    BulkWriter,
    indexes_deferred,
    restore_indexes,
    tune_for_bulk,
)
from callcenter.domain.calls import Disposition
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.errors import CallCenterError
from callcenter.domain.users import Actor, Role
from callcenter.services.demo_calls import (
    CALL_COLUMNS,
    STATE_COLUMNS,
    CallContext,
    CallPlan,
    DayResult,
    TimestampText,
    plan_calls,
)
from callcenter.services.demo_generation import GenerationSetup, produce
from callcenter.services.demo_people import (
    BLOCK,
    NamePools,
    NumberPlan,
    check_capacity,
    locale_for,
    name_pools,
    number_plan,
)
from callcenter.services.passwords import hash_password

DEMO_PASSWORD = "demo-password"
"""Every demo user's password on SQLite; on PostgreSQL demo users get no login role."""

DEFAULT_CUSTOMERS = 5_000
DEFAULT_CALLS = 50_000
DEFAULT_DAYS = 90

# (name, service-level seconds, target %, short-abandon seconds, share of inbound calls)
QUEUES = (
    ("Support", 20, 80, 5, 45.0),
    ("Sales", 15, 85, 5, 25.0),
    ("Billing", 30, 80, 5, 20.0),
    ("Retention", 20, 90, 5, 10.0),
)
TEAMS = ("Team Atlas", "Team Borealis", "Team Comet")
_INBOUND_CODES = {
    "resolved": 40,
    "information": 25,
    "follow_up": 10,
    "complaint": 5,
    "sale": 7,
    "wrong_number": 2,
    "wrap_up_timeout": 3,
}
_OUTBOUND_CODES = {
    "sale": 25,
    "follow_up": 25,
    "information": 20,
    "resolved": 25,
    "complaint": 2,
    "wrap_up_timeout": 3,
}
_OTHER_CODE_WEIGHT = 2
_CACHE_KIB = 128 * 1024
# Loads this big (rows to add, against the rows there) build some indexes after the rows.
_DEFER_INDEXES_FROM = 200_000
_PARALLEL_FROM = 200_000
# Results computed ahead of the writer: bounded, as a day of a big run is tens of megabytes.


class DemoDataExists(CallCenterError):
    """The database already holds demo data and adding more was not asked for."""


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self) -> None: ...


class _Silent:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class DemoOptions:
    customers: int = DEFAULT_CUSTOMERS
    calls: int = DEFAULT_CALLS
    seed: int = 1
    region: str = "US"
    timezone: str = "UTC"
    days: int = DEFAULT_DAYS
    # Add another run on top of existing demo data instead of refusing.
    add: bool = False
    # The end of the call history; now when not given.
    now: datetime | None = None
    batch_size: int = 50_000
    # Generate in a second process while this one writes: None decides by size and CPUs.
    generator_process: bool | None = None
    # Build random-order indexes after the rows (SQLite): None decides by the load's size.
    defer_indexes: bool | None = None


@dataclass
class DemoSummary:
    run: int
    seed: int
    region: str
    locale: str
    timezone: str
    customers: int = 0
    phones: int = 0
    shared_numbers: int = 0
    customers_on_shared_numbers: int = 0
    companies: int = 0
    teams: int = 0
    agents: int = 0
    supervisors: int = 0
    queues: int = 0
    calls: int = 0
    inbound: int = 0
    outbound: int = 0
    abandoned: int = 0
    unknown_callers: int = 0
    agent_states: int = 0
    first_call: datetime | None = None
    last_call: datetime | None = None
    logins: list[str] = field(default_factory=list)
    password: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("first_call", "last_call"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        return data


@dataclass(frozen=True)
class ExistingDemoData:
    customers: int
    calls: int
    last_run: int | None


def existing_demo_data(connection: Connection) -> ExistingDemoData:
    """How much demo data the database holds, and the number of the last run that made it."""
    customers = connection.execute(
        text(
            "SELECT count(*), max(external_id) FROM customers "
            "WHERE external_id >= 'DEMO' AND external_id < 'DEMP'"
        )
    ).one()
    calls = connection.execute(
        text("SELECT max(call_uid) FROM calls WHERE call_uid >= 'demo' AND call_uid < 'demp'")
    ).scalar()
    call_count = (
        connection.execute(text("SELECT count(*) FROM calls WHERE source = 'demo'")).scalar()
        if calls
        else 0
    )
    runs = [_run_of(tag) for tag in (customers[1], calls) if tag]
    return ExistingDemoData(int(customers[0] or 0), int(call_count or 0), max(runs, default=None))


def _run_of(tag: str) -> int:
    """`DEMO-0000001` and `demo-000000001` are run 0; `DEMO002-...` is run 2."""
    rest = tag[4:]
    if rest.startswith("-"):
        return 0
    digits = rest.split("-", 1)[0].split(".", 1)[0]
    return int(digits) if digits.isdigit() else 0


def _tag(run: int) -> str:
    return "" if run == 0 else f"{run:03d}"


def generate(
    database: Database,
    actor: Actor,
    options: DemoOptions,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write one run of demo data; raise DemoDataExists if there is some and `add` is off."""
    progress = progress or _Silent()
    clock = time.perf_counter()
    sqlite = database.backend == "sqlite"
    if sqlite:
        restore_indexes(database.engine)
    with database.engine.connect() as connection:
        existing = existing_demo_data(connection)
        rows_there = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM customers) + coalesce((SELECT max(id) FROM calls), 0)"
            )
        ).scalar()
    if (existing.customers or existing.calls) and not options.add:
        raise DemoDataExists(
            f"this database already holds demo data ({existing.customers:,} demo customers, "
            f"{existing.calls:,} demo calls). Use a new database (--db sqlite:///PATH), or "
            "pass --add to add another set on top."
        )
    run = 0 if existing.last_run is None else existing.last_run + 1
    locale = locale_for(options.region)
    pools = name_pools(locale, options.seed)
    numbers = number_plan(options.region)
    check_capacity(numbers, options.customers)
    now = (options.now or datetime.now(UTC)).astimezone(UTC)
    end = int(now.timestamp())
    plan = plan_calls(
        options.calls,
        options.seed,
        run,
        end - options.days * 86400,
        end,
        ZoneInfo(options.timezone),
    )
    summary = DemoSummary(
        run=run,
        seed=options.seed,
        region=options.region,
        locale=locale,
        timezone=options.timezone,
    )
    rng = random.Random(f"{options.seed}:{run}:reference")
    staff = _write_staff(database, actor, plan, pools, run, rng, summary)
    queues = _write_queues(database, actor, numbers, options.calls, rng, summary)
    with database.uow(actor) as uow:
        dispositions = uow.dispositions.list()
    known = _Customers()
    if not options.customers and options.calls:
        # Calls on top of customers already there.
        known = _existing_customers(database)
    setup = GenerationSetup(
        locale=locale,
        region=options.region,
        seed=options.seed,
        run=run,
        customers=options.customers,
        external_prefix=f"DEMO{_tag(run)}-",
        context=_call_context(
            options,
            run,
            end,
            actor,
            staff,
            queues,
            dispositions,
            known,
            numbers,
            TimestampText(postgres=database.backend == "postgresql"),
        ),
    )
    blocks = -(-options.customers // BLOCK)
    tasks: list[tuple[str, Any]] = [("block", b) for b in range(blocks)]
    tasks += [("day", day) for day in plan.days]
    adding = options.customers + options.calls
    parallel = options.generator_process
    if parallel is None:
        parallel = adding >= _PARALLEL_FROM and (os.cpu_count() or 1) > 1
    defer = options.defer_indexes
    if defer is None:
        defer = adding >= _DEFER_INDEXES_FROM and adding >= int(rows_there or 0)
    defer = defer and sqlite
    cache_kib = BIG_CACHE_KIB if defer else _CACHE_KIB
    summary.seconds["setup"] = round(time.perf_counter() - clock, 2)

    results = produce(setup, tasks, parallel)
    try:
        with indexes_deferred(database.engine, defer):
            clock = time.perf_counter()
            customer_blocks = (next(results) for _ in range(blocks))
            ids = _write_customers(
                database, actor, customer_blocks, options, cache_kib, progress, summary
            )
            summary.seconds["customers"] = round(time.perf_counter() - clock, 2)
            clock = time.perf_counter()
            days = (next(results) for _ in plan.days)
            ids = ids or known.ids
            _write_calls(database, days, plan.calls, ids, options, cache_kib, progress, summary)
            summary.seconds["calls"] = round(time.perf_counter() - clock, 2)
            clock = time.perf_counter()
    finally:
        results.close()
    summary.seconds["indexes"] = round(time.perf_counter() - clock, 2) if defer else 0.0
    clock = time.perf_counter()
    if ids and summary.calls:
        with database.uow(actor) as uow:
            uow.customers.refresh_last_contact(min(ids), max(ids))
            uow.commit()
    summary.seconds["last_contact"] = round(time.perf_counter() - clock, 2)
    return summary


def _write_staff(
    database: Database,
    actor: Actor,
    plan: CallPlan,
    pools: NamePools,
    run: int,
    rng: random.Random,
    summary: DemoSummary,
) -> list[int]:
    """Agents and supervisors in teams; the agents' user ids, in roster order."""
    password_hash = hash_password(DEMO_PASSWORD) if database.backend == "sqlite" else None
    teams = TEAMS[: 2 if plan.agents < 8 else 3]
    supervisors = len(teams) + plan.agents // 40
    prefix = f"demo{_tag(run)}"
    people = [
        (f"{prefix}.supervisor{n + 1:02d}", Role.SUPERVISOR, teams[n % len(teams)], f"1{n + 1:03d}")
        for n in range(supervisors)
    ] + [
        (f"{prefix}.agent{n + 1:03d}", Role.AGENT, teams[n % len(teams)], f"2{n + 1:03d}")
        for n in range(plan.agents)
    ]
    ids: list[int] = []
    with database.uow(actor) as uow:
        for login, role, team, extension in people:
            name = pools.full_name(rng.choice(pools.first_names), rng.choice(pools.last_names))
            user = uow.users.find(login) or uow.users.add(
                login, name, role, team=team, extension=extension, password_hash=password_hash
            )
            if role is Role.AGENT:
                ids.append(user.id)
        uow.commit()
    summary.teams = len(teams)
    summary.agents = plan.agents
    summary.supervisors = supervisors
    summary.logins = [people[0][0], people[supervisors][0]]
    summary.password = DEMO_PASSWORD if password_hash else None
    return ids


def _write_queues(
    database: Database,
    actor: Actor,
    numbers: NumberPlan,
    calls: int,
    rng: random.Random,
    summary: DemoSummary,
) -> list[tuple[int, float, tuple[str, str]]]:
    """The queues with their share of calls and the line customers dial to reach them."""
    count = 2 if calls < 1_000 else 3 if calls < 20_000 else 4
    queues = []
    with database.uow(actor) as uow:
        for name, threshold, target, short, share in QUEUES[:count]:
            queue = uow.queues.ensure(name, threshold, target, short)
            queues.append((queue.id, share, rng.choice(numbers.spare).number(rng)))
        uow.commit()
    summary.queues = count
    return queues


@dataclass
class _Customers:
    ids: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)


def _write_customers(
    database: Database,
    actor: Actor,
    blocks: Iterator[list[CustomerDraft]],
    options: DemoOptions,
    cache_kib: int,
    progress: Progress,
    summary: DemoSummary,
) -> list[int]:
    """Customers through the repository, a unit of work per batch; their ids in order."""
    ids: list[int] = []
    on_switchboard: Counter[str] = Counter()
    companies: set[str] = set()
    progress.start("customers", options.customers)
    batch: list[CustomerDraft] = []

    def flush() -> None:
        nonlocal ids
        with database.uow(actor) as uow:
            tune_for_bulk(uow.session.connection(), cache_kib)
            ids += uow.customers.add_many(batch)
            uow.commit()
        progress.advance(len(batch))
        batch.clear()

    for drafts in blocks:
        for draft in drafts:
            summary.phones += len(draft.phones)
            on_switchboard.update(p.key for p in draft.phones if p.label == "switchboard")
            if draft.company:
                companies.add(draft.company)
        batch += drafts
        if len(batch) >= options.batch_size:
            flush()
    if batch:
        flush()
    progress.finish()
    summary.customers = len(ids)
    summary.companies = len(companies)
    summary.shared_numbers = sum(1 for n in on_switchboard.values() if n > 1)
    summary.customers_on_shared_numbers = sum(n for n in on_switchboard.values() if n > 1)
    return ids


def _existing_customers(database: Database) -> _Customers:
    """Live customers and their first number, for calls added without new customers."""
    customers = _Customers()
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT p.customer_id, p.number_key, p.raw FROM customer_phones p "
                "JOIN customers c ON c.id = p.customer_id "
                "WHERE p.position = 0 AND c.deleted_at IS NULL ORDER BY p.customer_id"
            )
        )
        for customer_id, key, raw in rows:
            customers.ids.append(customer_id)
            customers.keys.append(key)
            customers.raws.append(raw)
    return customers


def _call_context(
    options: DemoOptions,
    run: int,
    end: int,
    actor: Actor,
    staff: Sequence[int],
    queues: Sequence[tuple[int, float, tuple[str, str]]],
    dispositions: Sequence[Disposition],
    known: _Customers,
    numbers: NumberPlan,
    timestamp: TimestampText,
) -> CallContext:
    codes = [d.code for d in dispositions]

    def weighted(weights: dict[str, int], leave_out: set[str]) -> tuple[list[str], list[float]]:
        chosen = [c for c in codes if c not in leave_out]
        return chosen, [float(weights.get(c, _OTHER_CODE_WEIGHT)) for c in chosen]

    inbound_codes, inbound_weights = weighted(_INBOUND_CODES, {"no_answer"})
    outbound_codes, outbound_weights = weighted(_OUTBOUND_CODES, {"no_answer", "wrong_number"})
    return CallContext(
        seed=options.seed,
        run=run,
        now=end,
        uid_prefix=f"demo{_tag(run)}-",
        login=actor.login,
        queue_ids=[q[0] for q in queues],
        queue_weights=[q[1] for q in queues],
        queue_lines=[q[2] for q in queues],
        agent_ids=staff,
        customer_keys=known.keys,
        customer_raws=known.raws,
        unknown_numbers=numbers.spare,
        inbound_codes=inbound_codes or [""],
        inbound_weights=inbound_weights or [1.0],
        outbound_codes=outbound_codes or [""],
        outbound_weights=outbound_weights or [1.0],
        no_answer_code="no_answer" if "no_answer" in codes else None,
        timeout_code="wrap_up_timeout" if "wrap_up_timeout" in codes else None,
        timestamp=timestamp,
    )


def _write_calls(
    database: Database,
    days: Iterator[DayResult],
    total: int,
    customer_ids: Sequence[int],
    options: DemoOptions,
    cache_kib: int,
    progress: Progress,
    summary: DemoSummary,
) -> None:
    """Calls and agent states by executemany (SQLite) or COPY (PostgreSQL)."""
    batch_size = options.batch_size * 2
    with database.engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        writer = BulkWriter(connection)
        progress.start("calls", total)
        calls: list[list[Any]] = []
        states: list[tuple[Any, ...]] = []
        first: str | None = None
        last: str | None = None

        def flush() -> None:
            with connection.begin():
                tune_for_bulk(connection, cache_kib)
                writer.insert("calls", CALL_COLUMNS, calls)
                writer.insert("agent_states", STATE_COLUMNS, states)
            summary.calls += len(calls)
            summary.agent_states += len(states)
            progress.advance(len(calls))
            calls.clear()
            states.clear()

        for result in days:
            for row in result.calls:
                if row[3] is not None:
                    row[3] = customer_ids[row[3]]
            if result.calls:
                first = first or result.calls[0][9]
                last = result.calls[-1][9]
            calls += result.calls
            states += result.states
            summary.inbound += result.inbound
            summary.abandoned += result.abandoned
            summary.unknown_callers += result.unknown
            if len(calls) >= batch_size:
                flush()
        flush()
        progress.finish()
        summary.outbound = summary.calls - summary.inbound
        summary.first_call = _parse(first)
        summary.last_call = _parse(last)


def _parse(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value.endswith("+00"):
        value += ":00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ensure_demo_database(
    url: str,
    options: DemoOptions | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
) -> DemoSummary | None:
    """Create and migrate the database at `url` and fill it, unless it holds demo data already.

    Region and time zone come from the settings unless `options` are given. The summary of
    what was written comes back, or None when the demo data was there already.
    """
    if options is None:
        settings = load_settings()
        options = DemoOptions(region=settings.default_region, timezone=settings.report_timezone)
    database = open_database(url)
    try:
        migrate.upgrade(database.engine)
        with database.engine.connect() as connection:
            existing = existing_demo_data(connection)
        if existing.customers or existing.calls:
            return None
        return generate(database, actor or Actor("demo"), options, progress)
    finally:
        database.dispose()
