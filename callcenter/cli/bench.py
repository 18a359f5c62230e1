"""`callcenter bench`: how long agents wait for the screen pop and the search box."""

from __future__ import annotations

import getpass
import sys
from typing import Any

import click

from callcenter.bench import BenchContext, load_scenarios, run_scenarios
from callcenter.bench.registry import default_scenarios
from callcenter.bench.scratch import bench_database, customer_counts, fill, remove_scratch
from callcenter.bootstrap import Database, open_database
from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option
from callcenter.cli.progress import CliProgress
from callcenter.config.credentials import resolve_password
from callcenter.config.secrets import SecretStore
from callcenter.db import migrate
from callcenter.domain.users import Actor
from callcenter.services.schema_check import ensure_current_schema

DEFAULT_CUSTOMERS = 1_000_000
# What the product promises at a million customers (see README, "Benchmarks").
TARGETS = {
    "screen_pop": ("p99_ms", 2.0),
    "search": ("p95_ms", 30.0),
    "screen_pop_gui": ("p99_ms", 100.0),
    "kpi": ("p50_ms", 300.0),
    "callback_claim": ("p99_ms", 20.0),
    "complaints": ("p99_ms", 100.0),
}


@click.command()
@click.option(
    "--customers",
    type=click.IntRange(min=1),
    default=DEFAULT_CUSTOMERS,
    show_default=True,
    help="Customers in the benchmark database (built once, then reused).",
)
@click.option(
    "--lookups",
    type=click.IntRange(min=1),
    default=5_000,
    hidden=True,
    help="Samples per scenario.",
)
@click.option("--calls", type=click.IntRange(min=0), hidden=True, help="Calls when building.")
@click.option("--seed", type=int, default=1, hidden=True, help="Seed of the samples.")
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    help=(
        "Run only this scenario (repeatable). Without it: screen_pop, search, screen_pop_gui. "
        "Only when named: import, kpi, wallboard, callback_claim, callback_views, complaints, "
        "complaints_gui, charts (see README, Benchmarks)."
    ),
)
@json_option
@pass_context
def bench(
    context: CliContext,
    customers: int,
    lookups: int,
    calls: int | None,
    seed: int,
    scenarios: tuple[str, ...],
) -> None:
    """Measure the screen-pop lookup and customer search on a database of CUSTOMERS.

    On SQLite the database is a scratch file in the user data folder, built with demo data
    the first time and reused; on PostgreSQL it is the database given (--db).
    """
    settings = context.settings
    known = load_scenarios()
    for name in scenarios:
        if name not in known:
            raise click.BadParameter(
                f"no scenario {name!r} ({', '.join(known)})", param_hint="--scenario"
            )
    selected = list(scenarios) or default_scenarios()
    if not any(known[name].needs_database for name in selected):
        report = _run_without_database(context, customers, lookups, seed, selected)
        context.emit(report, lambda: print_report(report))
        return
    target = bench_database(settings, customers)
    if target.scratch is not None:
        click.echo(f"benchmark database: {target.scratch}", err=True)
    password = resolve_password(target.url, SecretStore(), interactive=sys.stdin.isatty())
    database = open_database(target.url, password=password)
    # Not context.actor: that opens the configured database, which may not be this one.
    actor = Actor(database.url.username or f"cli:{getpass.getuser()}")
    try:
        with errors():
            database.ping()
            if target.scratch is not None and _scratch_size(database) not in (None, customers):
                # Ours and of another size (a build cut short): start again.
                database.dispose()
                remove_scratch(target.scratch)
                database = open_database(target.url)
            # An empty SQLite file gets the schema; a shared database must be upgraded already.
            ensure_current_schema(database)
            have, done = fill(
                database,
                actor,
                customers,
                customers // 4 if calls is None else calls,
                settings.default_region,
                settings.report_timezone,
                CliProgress(),
            )
            if done != "reused":
                click.echo(f"benchmark database {done}: {have:,} customers", err=True)
            report = run_scenarios(
                BenchContext(
                    database=database,
                    actor=actor,
                    customers=have,
                    region=settings.default_region,
                    outside_prefix=settings.outside_line_prefix,
                    samples=lookups,
                    seed=seed,
                ),
                scenarios,
            )
    except ValueError as exc:
        fail(str(exc))
    finally:
        database.dispose()
    context.emit(report, lambda: print_report(report))


def _run_without_database(
    context: CliContext, customers: int, lookups: int, seed: int, names: list[str]
) -> dict[str, Any]:
    """Scenarios that make their own database: the configured one is named, never opened."""
    settings = context.settings
    database = open_database(settings.database_url)
    try:
        with errors():
            return run_scenarios(
                BenchContext(
                    database=database,
                    actor=Actor(f"cli:{getpass.getuser()}"),
                    customers=customers,
                    region=settings.default_region,
                    outside_prefix=settings.outside_line_prefix,
                    samples=lookups,
                    seed=seed,
                ),
                names,
            )
    finally:
        database.dispose()


def _scratch_size(database: Database) -> int | None:
    if migrate.current_revision(database.engine) is None:
        return None
    return customer_counts(database)[0]


def print_report(report: dict[str, Any]) -> None:
    click.echo(f"{report['customers']:,} customers on {report['database']}")
    if any(isinstance(figures, dict) and "p50_ms" in figures for figures in report.values()):
        click.echo(f"{'':<22}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  target")
    for name, figures in report.items():
        if not isinstance(figures, dict):
            continue
        if name == "import":
            _print_import(figures)
            continue
        verdict = ""
        if name in TARGETS:
            key, limit = TARGETS[name]
            ok = figures[key] <= limit
            verdict = f"{key[:3]} <= {limit:g} ms: {'met' if ok else 'MISSED'}"
        _row(name.replace("_", " "), figures, "", verdict)
        if name == "screen_pop":
            _row("  hand-written SQL", figures, "baseline_")
            _row("  with normalising", figures, "lookup_")
            _row("  normalising alone", figures, "normalize_")
            _row("  unit of work each", figures, "uow_")
            click.echo(
                f"  p99 over the hand-written SQL's: {figures['p99_over_baseline']}x "
                f"(target 1.5x); {figures['uow_p99_over_baseline']}x with a unit of work each"
            )
            click.echo(
                f"  {figures['found']:,} found, {figures['not_found']:,} unknown, "
                f"{figures['mismatches']} disagreements"
            )
        for kind, kind_figures in figures.get("by_kind", {}).items():
            _row(f"  {kind.replace('_', ' ')}", kind_figures, "")


def _print_import(figures: dict[str, Any]) -> None:
    met = "met" if figures["fresh_s"] < figures["target_s"] else "MISSED"
    click.echo(
        f"import of {figures['rows']:,} CSV rows ({figures['bytes'] / 1e6:.0f} MB, "
        f"{figures['bad_rows']:,} bad) into new SQLite: {figures['fresh_s']:.1f} s "
        f"({figures['rows_per_s']:,} rows/s), again {figures['reimport_s']:.1f} s  "
        f"target < {figures['target_s']:g} s: {met}"
    )


def _row(label: str, figures: dict[str, Any], prefix: str, note: str = "") -> None:
    n = f"{figures['n']:,}" if "n" in figures and not prefix else ""
    values = "".join(f"{figures[f'{prefix}p{q}_ms']:>10.3f}" for q in (50, 95, 99))
    click.echo(f"{label:<22}{n:>7}{values}  {note}".rstrip())
