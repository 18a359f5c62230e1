"""Each figure's name, formula (KPIS.md) and how it is written, for headers, cells and tooltips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Formulas", text)


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    formula: str
    unit: str = ""
    # The formula with this row's numbers filled in, for a cell's tooltip.
    worked: Callable[[object], str] | None = None


def _q(text: str, *names: str) -> Callable[[object], str]:
    def worked(row: object) -> str:
        return text.format(*(getattr(row, name) for name in names))

    return worked


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g} s"


def queue_figures() -> dict[str, Figure]:
    return {
        f.key: f
        for f in (
            Figure("queue", _tr("Queue"), _tr("The queue the calls entered")),
            Figure(
                "interval_start",
                _tr("Interval"),
                _tr("Calls count in the interval in which they entered the queue"),
            ),
            Figure("offered", _tr("Offered"), _tr("Inbound calls that entered the queue")),
            Figure("answered", _tr("Answered"), _tr("Offered calls connected to an agent")),
            Figure(
                "abandoned", _tr("Abandoned"), _tr("Offered calls the caller ended before answer")
            ),
            Figure(
                "short_abandoned",
                _tr("Short abandons"),
                _tr("Abandoned with a wait under the queue's short-abandon limit (5 s default)"),
            ),
            Figure(
                "service_level_pct",
                _tr("Service level"),
                _tr("Answered with wait <= T / (offered - short abandons)"),
                " %",
                _q("{0} / ({1} - {2})", "answered_in_threshold", "offered", "short_abandoned"),
            ),
            Figure(
                "asa_s",
                _tr("ASA"),
                _tr("Average speed of answer: total wait of answered calls / answered calls"),
                " s",
                lambda r: f"{_seconds(r.answered_wait_ms)} / {r.answered}",
            ),
            Figure(
                "abandon_rate_pct",
                _tr("Abandon rate"),
                _tr("(Abandoned - short abandons) / (offered - short abandons)"),
                " %",
                _q(
                    "({0} - {1}) / ({2} - {1})",
                    "abandoned",
                    "short_abandoned",
                    "offered",
                ),
            ),
            Figure(
                "aht_s",
                _tr("AHT"),
                _tr("Average handle time: (talk + hold + after-call work) / answered calls ended"),
                " s",
                lambda r: f"{_seconds(r.handle_ms)} / {r.completed}",
            ),
        )
    }


def agent_figures() -> dict[str, Figure]:
    return {
        f.key: f
        for f in (
            Figure("agent", _tr("Agent"), _tr("The agent's login")),
            Figure(
                "interval_start",
                _tr("Interval"),
                _tr("Calls count in the interval in which they were answered or dialled"),
            ),
            Figure(
                "handled", _tr("Handled"), _tr("Answered inbound calls + connected outbound calls")
            ),
            Figure(
                "aht_s",
                _tr("AHT"),
                _tr("Average handle time: (talk + hold + after-call work) / handled calls ended"),
                " s",
                lambda r: f"{_seconds(r.handle_ms)} / {r.completed}",
            ),
            Figure(
                "occupancy_pct",
                _tr("Occupancy"),
                _tr("Time on call and in after-call work / (that time + time available)"),
                " %",
                lambda r: (
                    f"{_seconds(r.occupied_ms)} / ({_seconds(r.occupied_ms)} + "
                    f"{_seconds(r.available_ms)})"
                ),
            ),
            Figure(
                "calls_per_hour",
                _tr("Calls per hour"),
                _tr("Handled / staffed hours (logged in, breaks included)"),
                "",
                lambda r: f"{r.handled} / {r.staffed_ms / 3_600_000:.2f} h",
            ),
            Figure(
                "fcr_pct",
                _tr("FCR"),
                _tr(
                    "First-contact resolution: answered inbound calls with no further inbound "
                    "call from the customer within 7 days / answered inbound calls whose "
                    "7-day window has closed (unknown callers left out)"
                ),
                " %",
                _q("{0} / {1}", "fcr_resolved", "fcr_calls"),
            ),
            Figure(
                "csat_pct",
                _tr("CSAT"),
                _tr("Survey answers scoring 4 or 5 (of 1-5) / all survey answers"),
                " %",
                _q("{0} / {1}", "surveys_satisfied", "surveys"),
            ),
        )
    }


def show(value: object, unit: str = "") -> str:
    """A figure as the tables write it: empty for "nothing to divide by"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:g}{unit}"
    return f"{value}{unit}"


def duration(seconds: int | None) -> str:
    """m:ss, or h:mm:ss from an hour on; empty for None."""
    if seconds is None:
        return ""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
