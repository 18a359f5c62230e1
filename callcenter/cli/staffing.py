"""`callcenter staffing`: agents needed for a service-level target, by Erlang C (KPIS.md)."""

from __future__ import annotations

import re

import click

from callcenter.cli.context import CliContext, pass_context
from callcenter.cli.options import json_option
from callcenter.kpi.erlang import required_agents

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$")


def parse_duration(value: str) -> float:
    """'30m', '1h', '900s' or '900' (seconds) to seconds."""
    match = _DURATION.match(value)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration such as 30m, 1h or 900s")
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number * {"s": 1, "m": 60, "min": 60, "h": 3600}[unit]


def parse_target(value: str) -> tuple[float, float]:
    """'80/20' to (0.8, 20.0): the percentage answered within the seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*", value)
    if not match or not 0 < float(match.group(1)) < 100:
        raise ValueError(f"{value!r} is not a target such as 80/20 (percent / seconds)")
    return float(match.group(1)) / 100, float(match.group(2))


def _percent(value: float | None) -> float | None:
    if value is None:
        return None
    if not 0 <= value < 100:
        raise click.BadParameter("must be a percentage, at least 0 and below 100")
    return value / 100


@click.command()
@click.option("--calls", type=click.FloatRange(min=0), required=True, help="Calls per interval.")
@click.option("--interval", default="30m", show_default=True, help="Interval length (30m, 1h).")
@click.option("--aht", type=click.FloatRange(min=0, min_open=True), required=True, help="AHT, s.")
@click.option("--target", default="80/20", show_default=True, help="Service level: % / seconds.")
@click.option("--shrinkage", type=float, help="Shrinkage in % (breaks, training, absence).")
@click.option("--max-occupancy", type=float, help="Occupancy cap in % (optional).")
@json_option
@pass_context
def staffing(
    context: CliContext,
    calls: float,
    interval: str,
    aht: float,
    target: str,
    shrinkage: float | None,
    max_occupancy: float | None,
) -> None:
    """Agents needed to answer CALLS per INTERVAL of AHT seconds at the TARGET service level.

    Erlang C: traffic A = calls x AHT / interval; the smallest N with
    SL(T) = 1 - P(wait) x exp(-(N - A) x T / AHT) at or above the target; scheduled agents
    = N / (1 - shrinkage).
    """
    try:
        interval_s = parse_duration(interval)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from None
    try:
        level, threshold_s = parse_target(target)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--target") from None
    cap = _percent(max_occupancy)
    if cap == 0:
        raise click.BadParameter("must be above 0", param_hint="--max-occupancy")
    result = required_agents(
        calls, interval_s, aht, level, threshold_s, _percent(shrinkage) or 0.0, cap
    )
    figures = result.as_dict()
    if shrinkage is None:
        figures.pop("scheduled_agents")
    else:
        figures["shrinkage_pct"] = shrinkage

    def text() -> None:
        click.echo(
            f"{calls:g} calls in {interval}, AHT {aht:g} s: {result.traffic_erlangs:.2f} Erlangs; "
            f"target {level * 100:g}% answered within {threshold_s:g} s"
        )
        for key, value in figures.items():
            click.echo(f"{key:<18}{value}")

    context.emit(figures, text)
