"""Erlang C staffing (KPIS.md): the published worked example, large pools, and the command."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.cli.staffing import parse_duration, parse_target
from callcenter.kpi.erlang import (
    erlang_b,
    erlang_c,
    required_agents,
    scheduled_agents,
    staffing,
    traffic,
)


def test_the_worked_example():
    """100 calls in 30 min, AHT 180 s, 80/20: 14 agents, P(wait) 17.4 %, SL 88.8 %, ASA 7.8 s."""
    result = required_agents(100, 1800, 180, 0.80, 20)
    assert result.traffic_erlangs == 10.0
    assert result.as_dict() == {
        "agents": 14,
        "traffic_erlangs": 10.0,
        "p_wait_pct": 17.4,
        "service_level_pct": 88.8,
        "asa_s": 7.8,
        "occupancy_pct": 71.4,
        "scheduled_agents": 14,
    }
    # 13 agents fall just short: 79.6 %.
    assert round(100 * staffing(13, 10.0, 180, 20).service_level, 1) == 79.6


def test_erlang_c_against_the_textbook_formula():
    def textbook(n: int, a: float) -> float:
        top = a**n / math.factorial(n) * n / (n - a)
        return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)

    for n, a in ((1, 0.5), (5, 3.2), (14, 10.0), (40, 35.5)):
        assert erlang_c(n, a) == pytest.approx(textbook(n, a), rel=1e-12)
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_c(10, 10.0) == 1.0 and erlang_c(3, 0.0) == 0.0


def test_hundreds_of_agents_do_not_overflow():
    # math.factorial(600) / 500 ** 600 would overflow a float; the recurrence does not.
    p = erlang_c(600, 500.0)
    assert 0 < p < 1
    result = required_agents(20_000, 1800, 300, 0.9, 15)
    assert result.agents > result.traffic_erlangs
    assert result.service_level >= 0.9
    assert staffing(result.agents - 1, result.traffic_erlangs, 300, 15).service_level < 0.9


def test_occupancy_cap_and_shrinkage():
    capped = required_agents(100, 1800, 180, 0.80, 20, max_occupancy=0.65)
    assert capped.agents == 16 and capped.occupancy <= 0.65  # 10 / 16 = 62.5 %; 15 is 66.7 %
    assert required_agents(100, 1800, 180, 0.80, 20, shrinkage=0.30).scheduled == 20
    assert scheduled_agents(14, 0.0) == 14
    with pytest.raises(ValueError):
        scheduled_agents(14, 1.0)


def test_no_calls_need_no_agents():
    assert required_agents(0, 1800, 180, 0.8, 20).agents == 0
    assert traffic(0, 1800, 180) == 0


def test_parsing():
    assert parse_duration("30m") == 1800 and parse_duration("1h") == 3600
    assert parse_duration("900") == 900 and parse_duration("15min") == 900
    assert parse_target("80/20") == (0.8, 20.0)
    for bad in ("0m", "soon"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    with pytest.raises(ValueError):
        parse_target("80")


def test_the_command():
    runner = CliRunner()
    args = ["staffing", "--calls", "100", "--interval", "30m", "--aht", "180", "--target", "80/20"]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert {k: figures[k] for k in ("agents", "p_wait_pct", "service_level_pct", "asa_s")} == {
        "agents": 14,
        "p_wait_pct": 17.4,
        "service_level_pct": 88.8,
        "asa_s": 7.8,
    }
    assert figures["occupancy_pct"] == 71.4 and "scheduled_agents" not in figures
    result = runner.invoke(cli, [*args, "--shrinkage", "30"])
    assert result.exit_code == 0, result.output
    assert "scheduled_agents  20" in result.output and "agents            14" in result.output
    bad = runner.invoke(cli, [*args[:-1], "80"])
    assert bad.exit_code == 2 and "80/20" in bad.output
