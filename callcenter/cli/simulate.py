"""`callcenter simulate`: a simulated queue writing calls and agent states, for demos and load."""

from __future__ import annotations

import math
import random
import re
from dataclasses import asdict
from typing import Any

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option
from callcenter.simulator.desk_ring import DeskRinger
from callcenter.simulator.engine import SimulationConfig
from callcenter.simulator.writer import SimulationResult, SimulationWriter

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600}


def _duration(_ctx: click.Context, _param: click.Parameter, value: str) -> float:
    match = _DURATION.match(value)
    if not match or float(match[1]) <= 0:
        raise click.BadParameter("give seconds, or minutes or hours: 90, 90s, 30m, 8h")
    return float(match[1]) * _UNIT[match[2].lower()]


def _speed(_ctx: click.Context, _param: click.Parameter, value: str) -> float | None:
    if value.strip().lower() in ("max", "fast"):
        return None
    try:
        speed = float(value)
    except ValueError:
        speed = 0
    if speed <= 0:
        raise click.BadParameter("a positive factor (1 real time, 60 an hour a minute) or max")
    return speed


@click.command("simulate")
@click.option("--agents", type=click.IntRange(1, 10000), required=True, help="Agents logged in.")
@click.option(
    "--calls-per-hour",
    type=click.FloatRange(0, min_open=True),
    required=True,
    help="Mean arrival rate (Poisson).",
)
@click.option(
    "--aht",
    type=click.FloatRange(0, min_open=True),
    required=True,
    help="Average handle time in seconds (talk + hold + wrap-up).",
)
@click.option(
    "--patience",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Callers' mean patience in seconds (exponential); without it nobody hangs up.",
)
@click.option(
    "--duration",
    default="1h",
    show_default=True,
    callback=_duration,
    help="How long callers keep arriving (90, 90s, 30m, 8h); the queue then drains.",
)
@click.option(
    "--speed",
    default="1",
    show_default=True,
    callback=_speed,
    help="Times faster than real time (60: an hour a minute), or max: as fast as possible.",
)
@click.option("--queue", default="Simulator", show_default=True, help="The queue's name.")
@click.option(
    "--threshold",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Service-level threshold in seconds, for the summary.",
)
@click.option("--seed", type=int, default=None, help="The same seed gives the same run.")
@click.option(
    "--callers",
    type=click.Choice(["customers", "fictional"]),
    default="customers",
    show_default=True,
    help="customers: mostly existing customers (their cards pop); fictional: 555 numbers.",
)
@click.option(
    "--ring-desktop",
    "ring_desktop",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    metavar="SHARE",
    help="Also ring this share of the callers (0.1: one in ten) on the trainee's running desktop.",
)
@json_option
@pass_context
def simulate(
    context: CliContext,
    agents: int,
    calls_per_hour: float,
    aht: float,
    patience: float | None,
    duration: float,
    speed: float | None,
    queue: str,
    threshold: int,
    seed: int | None,
    callers: str,
    ring_desktop: float | None,
) -> None:
    """Simulate a queue and write its calls and agent states to the database.

    Callers arrive at random (Poisson) at CALLS-PER-HOUR, wait for the first free agent
    (first come, first served) or hang up after their patience, talk, and the agent wraps
    up: handle times are lognormal with mean AHT. Agents are users sim.agent01, sim.agent02,
    ... (created in team Simulator if missing); calls have source simulator. Ctrl+C ends the
    run: waiting callers hang up and the agents log out. The summary compares the service
    level with Erlang C's prediction when patience is unlimited.

    Callers are mostly existing customers (with --callers customers). With --ring-desktop, a
    share of them also ring the training line of this user's running desktop, so a trainee
    takes realistic calls, cards popping, while the supervisor views move.
    """
    if ring_desktop is not None and speed is None:
        raise click.BadParameter(
            "a trainee cannot take calls at --speed max; use 1 (real time)", param_hint="--speed"
        )
    config = SimulationConfig(
        agents=agents,
        calls_per_hour=calls_per_hour,
        aht_s=aht,
        patience_s=patience,
        duration_s=duration,
        seed=seed,
    )
    settings = context.settings
    database = context.database
    with errors():
        writer = SimulationWriter(
            database,
            context.actor,
            config,
            queue=queue,
            threshold_s=threshold,
            region=settings.default_region,
            speed=speed,
            customers_call=callers == "customers",
            desk=None if ring_desktop is None else DeskRinger(ring_desktop, random.Random(seed)),
        )
        if speed is not None and not context.as_json:
            click.echo(
                f"Simulating {_span(duration)} at {speed:g}x on queue {queue} "
                f"with {agents} agents; Ctrl+C to stop.",
                err=True,
            )
        result = writer.run()
    context.emit(result_json(result), lambda: _print(result))


def result_json(result: SimulationResult) -> dict[str, Any]:
    stats = result.stats
    return {
        "run_id": result.run_id,
        "queue": result.queue,
        "agents": result.agents,
        "started_at": result.started_at.isoformat(),
        "ended_at": result.ended_at.isoformat(),
        "interrupted": result.interrupted,
        "offered": stats.offered,
        "answered": stats.answered,
        "abandoned": stats.abandoned,
        "short_abandoned": stats.short_abandoned,
        "service_level": round(stats.service_level, 4),
        "threshold_s": stats.threshold_s,
        "asa_s": round(stats.asa_s, 1),
        "abandon_rate": round(stats.abandon_rate, 4),
        "traffic_erlangs": round(result.traffic_erlangs, 3),
        "erlang_c_service_level": _round(result.erlang_c_service_level, 4),
        "erlang_c_asa_s": _round(result.erlang_c_asa_s, 1),
        "calls_written": result.calls_written,
        "states_written": result.states_written,
        "desktop": None if result.desk is None else asdict(result.desk),
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _span(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def _print(result: SimulationResult) -> None:
    stats = result.stats
    click.echo(
        f"{stats.offered} calls offered, {stats.answered} answered, {stats.abandoned} abandoned"
        f" ({stats.short_abandoned} short); service level {stats.service_level:.1%} in "
        f"{stats.threshold_s:g} s, ASA {stats.asa_s:.1f} s"
        + (" (interrupted)" if result.interrupted else "")
    )
    agents = len(result.agents)
    if result.erlang_c_service_level is not None and agents <= result.traffic_erlangs:
        click.echo(
            f"Erlang C: {agents} agents cannot carry {result.traffic_erlangs:.2f} Erlangs; "
            "the queue grows for as long as callers keep coming"
        )
    elif result.erlang_c_service_level is not None:
        click.echo(
            f"Erlang C for {result.traffic_erlangs:.2f} Erlangs: service level "
            f"{result.erlang_c_service_level:.1%}, ASA {result.erlang_c_asa_s or 0:.1f} s"
        )
    click.echo(
        f"{result.calls_written} calls and {result.states_written} agent states written "
        f"(queue {result.queue}, run {result.run_id})"
    )
    desk = result.desk
    if desk is not None:
        click.echo(
            f"Trainee's desktop: {desk.rung} of {desk.offered} offered calls rang, "
            f"{desk.busy} found it busy, {desk.unreachable} did not reach it"
        )
