"""The callback_claim benchmark runs end to end on a small load, on both backends."""

from __future__ import annotations

import pytest

from callcenter.bench.callback_claims import Load, measure
from tests.conftest import BACKENDS, fresh_database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_claim_benchmark_times_every_claim_and_never_claims_twice(backend, request, tmp_path):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'claims.db'}"
    else:
        # An empty database: the benchmark migrates and fills it itself.
        url = fresh_database_url("postgresql", request, tmp_path)
    figures = measure(url, seed=1, load=Load(pending=300, claimers=2, rounds=4))
    assert figures["n"] == 8
    assert figures["claimed_twice"] == 0
    assert figures["pending"] == 300
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert figures["claimers_are"] == ("threads" if backend == "sqlite" else "processes")
