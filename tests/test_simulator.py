"""The queue simulator: Erlang C, agreement with it, and what a run writes to the database."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from callcenter.cli.main import cli
from callcenter.db.tables import AgentStateChange, Call
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.phone import normalize
from callcenter.kpi.erlang import erlang_b, erlang_c, staffing, traffic
from callcenter.simulator.desk_ring import DeskRinger
from callcenter.simulator.engine import Kind, SimulationConfig, measure, simulate
from callcenter.simulator.writer import SimulationWriter
from callcenter.telephony import pop_link

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# -- Erlang C ------------------------------------------------------------------------------


def test_erlang_c_matches_published_tables():
    # Erlang C tables: 10 agents, 8 Erlangs -> P(wait) 0.409; 2 agents, 1 Erlang -> 1/3.
    assert erlang_c(10, 8.0) == pytest.approx(0.4092, abs=1e-4)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    # 200 calls an hour at 180 s AHT is 10 Erlangs; 13 agents answer ~79 % within 20 s.
    erlangs = traffic(200, 3600, 180)
    assert erlangs == pytest.approx(10.0)
    thirteen = staffing(13, erlangs, 180, 20)
    assert thirteen.service_level == pytest.approx(0.79, abs=0.01)
    assert thirteen.asa_s == pytest.approx(erlang_c(13, erlangs) * 180 / 3)


def test_erlang_c_is_stable_for_large_centres_and_saturation():
    p = erlang_c(2000, 1950.0)
    assert 0 < p < 1 and math.isfinite(p)
    assert erlang_c(5, 5.0) == 1.0
    assert staffing(5, 6.0, 180, 20).service_level == 0.0
    assert staffing(5, 5.0, 180, 20).asa_s == math.inf
    assert erlang_c(3, 0.0) == 0.0


# -- the engine ----------------------------------------------------------------------------


def test_service_level_agrees_with_erlang_c_with_unlimited_patience():
    """1000 simulated hours, 6 agents at 4 Erlangs: within a few points of Erlang C."""
    config = SimulationConfig(
        agents=6, calls_per_hour=80, aht_s=180, duration_s=1000 * 3600, seed=7
    )
    stats = measure(simulate(config), threshold_s=20)
    predicted = staffing(6, traffic(80, 3600, 180), 180, 20)
    assert stats.offered > 75000
    assert stats.abandoned == 0
    assert stats.service_level == pytest.approx(predicted.service_level, abs=0.03)
    assert stats.asa_s == pytest.approx(predicted.asa_s, rel=0.2)


def test_events_are_in_time_order_and_every_call_and_agent_finishes():
    config = SimulationConfig(
        agents=3, calls_per_hour=60, aht_s=240, patience_s=60, duration_s=4 * 3600, seed=2
    )
    events = list(simulate(config))
    assert [e.at for e in events] == sorted(e.at for e in events)
    joined = {e.call.index for e in events if e.kind is Kind.JOINED}
    ended = {e.call.index for e in events if e.kind in (Kind.WRAPPED_UP, Kind.ABANDONED)}
    assert joined == ended and len(joined) > 100
    assert any(e.kind is Kind.ABANDONED for e in events)
    states: dict[int, list[Kind]] = {}
    for e in events:
        if e.agent is not None:
            states.setdefault(e.agent, []).append(e.kind)
    for kinds in states.values():
        assert kinds[0] is Kind.LOGGED_IN and kinds[-1] is Kind.LOGGED_OUT
        # answered -> talk ended -> wrapped up, one call at a time
        calls = [k for k in kinds if k not in (Kind.LOGGED_IN, Kind.LOGGED_OUT)]
        assert calls == [Kind.ANSWERED, Kind.TALK_ENDED, Kind.WRAPPED_UP] * (len(calls) // 3)
    for e in events:
        if e.kind is Kind.ABANDONED:
            assert e.call.answered_at is None
            assert e.call.ended_at - e.call.queued_at == pytest.approx(e.call.patience_s)


def test_same_seed_same_run():
    config = SimulationConfig(agents=2, calls_per_hour=40, aht_s=120, duration_s=3600, seed=5)
    first = [(e.at, e.kind) for e in simulate(config)]
    assert first == [(e.at, e.kind) for e in simulate(config)]


def test_config_is_checked():
    with pytest.raises(ValueError):
        SimulationConfig(agents=0, calls_per_hour=10, aht_s=100)
    with pytest.raises(ValueError):
        SimulationConfig(agents=1, calls_per_hour=10, aht_s=100, patience_s=0)


# -- written to the database ---------------------------------------------------------------


def _rows(database):
    with database.engine.connect() as connection:
        calls = connection.execute(select(Call)).all()
        states = connection.execute(
            select(
                AgentStateChange.agent_id,
                AgentStateChange.state,
                AgentStateChange.started_at,
                AgentStateChange.ended_at,
            ).order_by(AgentStateChange.agent_id, AgentStateChange.started_at)
        ).all()
    return calls, states


def _check_states(states):
    by_agent: dict[int, list] = {}
    for agent, state, started, ended in states:
        assert ended is not None and ended > started, (state, started, ended)
        by_agent.setdefault(agent, []).append((started, ended))
    for spans in by_agent.values():
        for (_, end), (start, _) in pairwise(spans):
            assert end <= start  # no overlaps
    return by_agent


def test_fast_run_writes_calls_waits_and_agent_states(database, actor):
    config = SimulationConfig(
        agents=4, calls_per_hour=60, aht_s=240, patience_s=90, duration_s=3 * 3600, seed=11
    )
    result = SimulationWriter(database, actor, config, start=START, speed=None).run()
    calls, states = _rows(database)
    stats = result.stats
    assert len(calls) == stats.offered == result.calls_written
    assert {c.source for c in calls} == {"simulator"}
    answered = [c for c in calls if c.answered_at is not None]
    assert len(answered) == stats.answered and stats.abandoned > 0
    assert all(c.agent_id is not None and c.acw_s > 0 for c in answered)
    assert all(c.queued_at is not None and c.ended_at is not None for c in calls)
    within = sum(
        1
        for c in answered
        if (c.answered_at - c.queued_at).total_seconds() <= 20 + 1e-6  # stored to the µs
    )
    assert within == stats.answered_in_threshold
    by_agent = _check_states(states)
    assert len(by_agent) == 4 and result.states_written == len(states)
    assert {s for _a, s, _b, _c in states} == {"available", "on_call", "after_call_work"}
    assert result.agents == ["sim.agent01", "sim.agent02", "sim.agent03", "sim.agent04"]

    # A second run reuses the agents and the queue, and its calls are new ones.
    again = SimulationWriter(database, actor, config, start=START, speed=None).run()
    assert again.run_id != result.run_id
    with database.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Call)) == 2 * stats.offered


def test_paced_run_sleeps_to_the_simulated_clock(sqlite_database, actor):
    database = sqlite_database
    config = SimulationConfig(agents=2, calls_per_hour=30, aht_s=200, duration_s=1800, seed=3)
    clock = {"now": 0.0}
    waiting_seen: list[int] = []

    def sleep(seconds: float) -> None:
        clock["now"] += seconds
        with database.engine.connect() as connection:
            waiting_seen.append(
                connection.scalar(
                    select(func.count()).select_from(Call).where(Call.ended_at.is_(None))
                )
            )

    result = SimulationWriter(
        database, actor, config, start=START, speed=60, sleep=sleep, clock=lambda: clock["now"]
    ).run()
    calls, states = _rows(database)
    assert len(calls) == result.stats.offered > 5
    # An hour a minute: the 30 simulated minutes (and the drain after) took about 30 s.
    assert 25 <= clock["now"] <= (result.ended_at - START).total_seconds() / 60 + 1
    assert max(waiting_seen) >= 1  # calls in progress are visible while the run goes on
    _check_states(states)


def test_interrupted_run_ends_calls_and_logs_agents_out(sqlite_database, actor):
    database = sqlite_database
    config = SimulationConfig(agents=1, calls_per_hour=120, aht_s=300, duration_s=3600, seed=4)
    clock = {"now": 0.0, "sleeps": 0}

    def sleep(seconds: float) -> None:
        clock["sleeps"] += 1
        if clock["sleeps"] == 15:
            raise KeyboardInterrupt
        clock["now"] += seconds

    result = SimulationWriter(
        database, actor, config, start=START, speed=10, sleep=sleep, clock=lambda: clock["now"]
    ).run()
    assert result.interrupted
    calls, states = _rows(database)
    assert calls and all(c.ended_at is not None for c in calls)
    _check_states(states)


def test_cli_simulate_json(database):
    url = database.url.render_as_string(hide_password=False)
    args = ["--agents", "2", "--calls-per-hour", "30", "--aht", "120", "--duration", "30m"]
    result = CliRunner().invoke(
        cli, ["--db", url, "simulate", *args, "--speed", "max", "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["calls_written"] == data["offered"] > 0
    assert data["erlang_c_service_level"] is not None
    bad = CliRunner().invoke(cli, ["--db", url, "simulate", *args, "--speed", "0"])
    assert bad.exit_code == 2 and "--speed" in bad.output


# -- callers and the trainee's desktop -----------------------------------------------------


def _customers_with_numbers(database, actor, count: int) -> set[str]:
    numbers = {f"+1617555{n:04d}" for n in range(count)}
    with database.uow(actor) as uow:
        for n, number in enumerate(sorted(numbers)):
            uow.customers.add(
                CustomerDraft(f"Caller {n}", (PhoneEntry(number, normalize(number, "US").key),))
            )
        uow.commit()
    return numbers


def test_callers_are_mostly_the_centres_customers(database, actor):
    numbers = _customers_with_numbers(database, actor, 30)
    config = SimulationConfig(agents=3, calls_per_hour=120, aht_s=120, duration_s=7200, seed=5)
    SimulationWriter(database, actor, config, start=START, speed=None).run()
    calls, _states = _rows(database)
    known = [c for c in calls if c.caller_raw in numbers]
    assert len(calls) > 150
    # 5 % withhold their number and 10 % of the rest are strangers: about 85 % known.
    assert 0.75 <= len(known) / len(calls) <= 0.95
    assert len({c.caller_raw for c in known}) > 20  # not one number over and over
    assert all(c.caller_key == normalize(c.caller_raw, "US").key for c in known)


def test_fictional_callers_when_asked(database, actor):
    numbers = _customers_with_numbers(database, actor, 5)
    config = SimulationConfig(agents=2, calls_per_hour=60, aht_s=120, duration_s=3600, seed=5)
    SimulationWriter(database, actor, config, start=START, speed=None, customers_call=False).run()
    calls, _states = _rows(database)
    assert calls and not any(c.caller_raw in numbers for c in calls)


def test_desk_ringer_counts_what_the_desktop_answered():
    answers = iter(["OK", "BUSY", "ERROR nobody is signed in"])
    sent: list[tuple[str, str]] = []

    def send(number: str, queue: str) -> str:
        sent.append((number, queue))
        try:
            return next(answers)
        except StopIteration:
            raise pop_link.NoDesktop("gone") from None

    ringer = DeskRinger(1.0, random.Random(1), send=send)
    for caller in ["+16175550001", "anonymous", "+16175550002", "+16175550003", "+1617555004"]:
        ringer.offer(caller, "Sales")
    assert sent[0] == ("+16175550001", "Sales") and len(sent) == 4  # withheld numbers stay
    assert (ringer.counts.offered, ringer.counts.rung, ringer.counts.busy) == (4, 1, 1)
    assert ringer.counts.unreachable == 2
    with pytest.raises(ValueError):
        DeskRinger(0, random.Random(1))


def test_a_trainee_cannot_take_calls_at_full_speed(sqlite_database):
    url = sqlite_database.url.render_as_string(hide_password=False)
    args = ["--agents", "1", "--calls-per-hour", "30", "--aht", "120", "--speed", "max"]
    result = CliRunner().invoke(cli, ["--db", url, "simulate", *args, "--ring-desktop", "0.5"])
    assert result.exit_code == 2 and "--speed" in result.output
