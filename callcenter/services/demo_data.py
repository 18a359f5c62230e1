"""Demo data: a reproducible call center with customers, agents, queues and 90 days of calls."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

from callcenter.bootstrap import Database, open_database
from callcenter.config import load_settings
from callcenter.db import migrate
from callcenter.db.bulk import BIG_CACHE_KIB, indexes_deferred, restore_indexes
from callcenter.domain.errors import CallCenterError
from callcenter.domain.users import Actor
from callcenter.services.demo_callbacks import add_demo_callbacks
from callcenter.services.demo_center import (
    CallParties,
    call_context,
    dispositions,
    tag,
    write_queues,
    write_staff,
)
from callcenter.services.demo_complaints import add_demo_complaints
from callcenter.services.demo_generation import GenerationSetup, produce
from callcenter.services.demo_loading import (
    CallsWritten,
    CustomersWritten,
    KnownCustomers,
    Silent,
    existing_customers,
    write_calls,
    write_customers,
)

# Progress is part of generate's signature, so callers take it from here.
from callcenter.services.demo_loading import Progress as Progress
from callcenter.services.demo_people import (
    BLOCK,
    check_capacity,
    locale_for,
    name_pools,
    number_plan,
)
from callcenter.services.demo_plan import plan_calls
from callcenter.services.demo_rollups import RollingRollups
from callcenter.services.demo_rows import TimestampText
from callcenter.services.passwords import hash_password

DEMO_PASSWORD = "demo-password"
"""Every demo user's password on SQLite; on PostgreSQL demo users get no login role."""

DEFAULT_CUSTOMERS = 5_000
DEFAULT_CALLS = 50_000
DEFAULT_DAYS = 90

_CACHE_KIB = 128 * 1024
# Loads this big (rows to add, against the rows there) build some indexes after the rows.
_DEFER_INDEXES_FROM = 200_000
_PARALLEL_FROM = 200_000


class DemoDataExists(CallCenterError):
    """The database already holds demo data and adding more was not asked for."""


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


def generate(
    database: Database,
    actor: Actor,
    options: DemoOptions,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write one run of demo data; raise DemoDataExists if there is some and `add` is off."""
    progress = progress or Silent()
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
    plan_start = end - options.days * 86400
    plan = plan_calls(
        options.calls,
        options.seed,
        run,
        plan_start,
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
    password_hash = hash_password(DEMO_PASSWORD) if sqlite else None
    staff = write_staff(database, actor, plan.agents, pools, run, rng, password_hash)
    queues = write_queues(database, actor, numbers, options.calls, rng)
    summary.teams, summary.agents, summary.supervisors = staff.teams, plan.agents, staff.supervisors
    summary.logins = staff.logins
    summary.password = DEMO_PASSWORD if password_hash else None
    summary.queues = len(queues.ids)
    known = KnownCustomers()
    if not options.customers and options.calls:
        # Calls on top of customers already there.
        known = existing_customers(database)
    parties = CallParties(
        staff.agent_ids, queues, [d.code for d in dispositions(database, actor)], numbers.spare
    )
    setup = GenerationSetup(
        locale=locale,
        region=options.region,
        seed=options.seed,
        run=run,
        customers=options.customers,
        external_prefix=f"DEMO{tag(run)}-",
        context=call_context(
            options.seed,
            run,
            end,
            actor.login,
            parties,
            known.keys,
            known.raws,
            TimestampText(postgres=not sqlite),
        ),
        staged=sqlite,
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
    cache_kib = BIG_CACHE_KIB if defer else _CACHE_KIB
    summary.seconds["setup"] = round(time.perf_counter() - clock, 2)

    # Shifts start a little before the history's first call.
    rolling = RollingRollups(database.engine, _at(plan_start) - timedelta(days=1), cache_kib)
    results = produce(setup, tasks, parallel)
    try:
        with indexes_deferred(database.engine, defer):
            clock = time.perf_counter()
            customers = write_customers(
                database,
                actor,
                (next(results) for _ in range(blocks)),
                options.customers,
                cache_kib,
                progress,
            )
            summary.seconds["customers"] = round(time.perf_counter() - clock, 2)
            clock = time.perf_counter()
            ids = customers.ids or known.ids
            days: Iterator[Any] = (next(results) for _ in plan.days)
            if plan.calls:
                days = rolling.days(plan.days, days)
            calls = write_calls(database, days, plan.calls, ids, cache_kib, progress)
            summary.seconds["calls"] = round(time.perf_counter() - clock, 2)
            clock = time.perf_counter()
    finally:
        results.close()
    summary.seconds["indexes"] = round(time.perf_counter() - clock, 2) if defer else 0.0
    clock = time.perf_counter()
    if ids and calls.calls:
        with database.uow(actor) as uow:
            uow.customers.refresh_last_contact(min(ids), max(ids))
            uow.commit()
    summary.seconds["last_contact"] = round(time.perf_counter() - clock, 2)
    clock = time.perf_counter()
    if calls.calls:
        progress.start("KPI roll-ups", calls.calls)
        # What the calls stage left: its last week or so; some spans run till now.
        rolling.finish(now)
        progress.finish()
    summary.seconds["rollups"] = round(time.perf_counter() - clock, 2)
    add_demo_complaints(database, actor, ids, now, options.seed + run)
    add_demo_callbacks(database, actor, ids, now, options.seed + run)
    _add_up(summary, customers, calls)
    return summary


def _add_up(summary: DemoSummary, customers: CustomersWritten, calls: CallsWritten) -> None:
    summary.customers = len(customers.ids)
    summary.phones = customers.phones
    summary.companies = customers.companies
    summary.shared_numbers = customers.shared_numbers
    summary.customers_on_shared_numbers = customers.customers_on_shared_numbers
    summary.calls = calls.calls
    summary.agent_states = calls.states
    summary.inbound = calls.inbound
    summary.outbound = calls.calls - calls.inbound
    summary.abandoned = calls.abandoned
    summary.unknown_callers = calls.unknown
    summary.first_call = _parse(calls.first_call)
    summary.last_call = _parse(calls.last_call)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


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
