"""Benchmarks of what agents wait for: a registry of scenarios run on a scratch database."""

from callcenter.bench.registry import (
    BenchContext,
    Scenario,
    load_scenarios,
    run_scenarios,
    scenario,
)

__all__ = ["BenchContext", "Scenario", "load_scenarios", "run_scenarios", "scenario"]
