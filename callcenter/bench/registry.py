"""The scenario registry: each scenario measures one thing and returns its figures as a dict.

A new scenario is a function decorated with `@scenario("name")` in a module listed in
BUILT_IN; its result appears in the report under that name, in registration order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from callcenter.bootstrap import Database
from callcenter.domain.users import Actor

BUILT_IN = (
    "callcenter.bench.screen_pop",
    "callcenter.bench.search",
    "callcenter.bench.screen_pop_gui",
    "callcenter.bench.importing",
    "callcenter.bench.kpi",
    "callcenter.bench.wallboard",
    "callcenter.bench.callback_claims",
    "callcenter.bench.callback_views",
    "callcenter.bench.complaints",
    "callcenter.bench.complaints_gui",
    "callcenter.bench.charts",
)


@dataclass(frozen=True)
class BenchContext:
    """What every scenario gets: the prepared database and how to read numbers."""

    database: Database
    actor: Actor
    customers: int
    region: str
    outside_prefix: str = ""
    samples: int = 5_000
    seed: int = 1


Scenario = Callable[[BenchContext], dict[str, Any]]


@dataclass(frozen=True)
class Registered:
    name: str
    description: str
    run: Scenario
    # Runs only when named (it is slow, or measures something else than lookups).
    on_request: bool = False
    # Measures the prepared database; without it, the database is not built for it.
    needs_database: bool = True


_SCENARIOS: dict[str, Registered] = {}


def scenario(
    name: str, description: str = "", *, on_request: bool = False, needs_database: bool = True
) -> Callable[[Scenario], Scenario]:
    def register(function: Scenario) -> Scenario:
        _SCENARIOS[name] = Registered(
            name, description or (function.__doc__ or ""), function, on_request, needs_database
        )
        return function

    return register


def load_scenarios() -> dict[str, Registered]:
    for module in BUILT_IN:
        importlib.import_module(module)
    return dict(_SCENARIOS)


def default_scenarios() -> list[str]:
    """What runs when no scenario is named: all but those run only on request."""
    return [name for name, registered in load_scenarios().items() if not registered.on_request]


def run_scenarios(context: BenchContext, names: Sequence[str] = ()) -> dict[str, Any]:
    """`{"customers", "database", <scenario>: {...}, ...}` for the scenarios named (or the
    default ones)."""
    scenarios = load_scenarios()
    unknown = [name for name in names if name not in scenarios]
    if unknown:
        raise ValueError(f"no scenario {', '.join(unknown)} (there are: {', '.join(scenarios)})")
    report: dict[str, Any] = {
        "customers": context.customers,
        "database": context.database.backend,
    }
    for name in names or default_scenarios():
        report[name] = scenarios[name].run(context)
    return report
