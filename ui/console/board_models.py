"""The wallboard's two tables: queues (waiting now, today's figures) and agents by state."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject

from callcenter.kpi.live import AgentLive, QueueLive
from ui.console.formulas import duration, show
from ui.console.keyed_model import Column, KeyedRowsModel
from ui.console.thresholds import Level, Thresholds


def _tr(text: str) -> str:
    return QCoreApplication.translate("Wallboard", text)


STATE_NAMES = {
    "available": "Available",
    "on_call": "On call",
    "after_call_work": "After-call work",
    "break": "Break",
}


def state_name(state: str) -> str:
    return _tr(STATE_NAMES.get(state, state))


def queue_columns(thresholds: Thresholds) -> list[Column[QueueLive]]:
    def tip(figure: str, formula: str) -> str:
        item = thresholds.get(figure)
        return f"{formula}. {_tr('Colours')}: {item.describe()}" if item else formula

    level = thresholds.level
    return [
        Column(
            _tr("Queue"),
            lambda q, _now: q.queue.name,
            row_tooltip=lambda q: _tr(
                "{0}: service-level target {1} % answered within {2} s; abandons under {3} s "
                "are short (left out of service level and abandon rate)"
            ).format(
                q.queue.name,
                q.queue.service_level_target_pct,
                q.queue.service_level_threshold_s,
                q.queue.short_abandon_threshold_s,
            ),
        ),
        Column(
            _tr("Waiting"),
            lambda q, _now: str(q.waiting),
            lambda q, _now: level("waiting", q.waiting),
            tip("waiting", _tr("Calls in the queue now")),
            align_right=True,
        ),
        Column(
            _tr("Longest wait"),
            lambda q, now: duration(q.longest_wait_s(now)) or "-",
            lambda q, now: level("longest_wait_s", q.longest_wait_s(now)),
            tip("longest_wait_s", _tr("Now - the oldest waiting call's queue time")),
            ticks=True,
            align_right=True,
        ),
        Column(
            _tr("Service level"),
            lambda q, _now: show(q.today.service_level_pct, " %") or "-",
            lambda q, _now: level("service_level_pct", q.today.service_level_pct),
            tip(
                "service_level_pct",
                _tr(
                    "Today: answered with wait <= the queue's threshold / (offered - short "
                    "abandons); the target and threshold are in the queue name's tooltip"
                ),
            ),
            align_right=True,
        ),
        Column(
            _tr("ASA"),
            lambda q, _now: show(q.today.asa_s, " s") or "-",
            lambda q, _now: level("asa_s", q.today.asa_s),
            tip("asa_s", _tr("Today: total wait of answered calls / answered calls")),
            align_right=True,
        ),
        Column(
            _tr("Abandon rate"),
            lambda q, _now: show(q.today.abandon_rate_pct, " %") or "-",
            lambda q, _now: level("abandon_rate_pct", q.today.abandon_rate_pct),
            tip(
                "abandon_rate_pct",
                _tr("Today: (abandoned - short abandons) / (offered - short abandons)"),
            ),
            align_right=True,
        ),
        Column(
            _tr("Answered"),
            lambda q, _now: str(q.today.answered),
            tooltip=_tr("Today: offered calls connected to an agent"),
            align_right=True,
        ),
        Column(
            _tr("Abandoned"),
            lambda q, _now: str(q.today.abandoned),
            tooltip=_tr("Today: offered calls the caller ended before answer"),
            align_right=True,
        ),
    ]


def _call_text(agent: AgentLive, now: datetime) -> str:
    call = agent.call
    if call is None:
        return ""
    parts = [call.queue or (_tr("outbound") if call.direction == "outbound" else "")]
    parts += [
        call.customer or call.number or "",
        duration(int((now - call.connected_at).total_seconds())),
    ]
    return " · ".join(part for part in parts if part)


def _state_level(thresholds: Thresholds, agent: AgentLive, now: datetime) -> Level | None:
    if agent.state == "after_call_work":
        return thresholds.level("after_call_work_s", agent.seconds_in_state(now))
    if agent.state == "break":
        return thresholds.level("break_s", agent.seconds_in_state(now))
    return None


def agent_columns(thresholds: Thresholds) -> list[Column[AgentLive]]:
    state_tip = _tr("Colours: after-call work {0}; break {1}").format(
        *(
            item.describe() if (item := thresholds.get(name)) else "-"
            for name in ("after_call_work_s", "break_s")
        )
    )
    return [
        Column(_tr("Agent"), lambda a, _now: a.name),
        Column(_tr("Team"), lambda a, _now: a.team or ""),
        Column(
            _tr("State"),
            lambda a, _now: state_name(a.state) + (f" ({a.reason})" if a.reason else ""),
        ),
        Column(
            _tr("Time in state"),
            lambda a, now: duration(a.seconds_in_state(now)),
            lambda a, now: _state_level(thresholds, a, now),
            state_tip,
            ticks=True,
            align_right=True,
        ),
        Column(
            _tr("Current call"),
            _call_text,
            tooltip=_tr("Queue (or outbound) · customer or number · time since connected"),
            ticks=True,
        ),
    ]


class QueueBoardModel(KeyedRowsModel[QueueLive]):
    def __init__(
        self, thresholds: Thresholds, now: datetime, parent: QObject | None = None
    ) -> None:
        super().__init__(queue_columns(thresholds), lambda q: q.queue.id, now, parent)


class AgentBoardModel(KeyedRowsModel[AgentLive]):
    def __init__(
        self, thresholds: Thresholds, now: datetime, parent: QObject | None = None
    ) -> None:
        super().__init__(agent_columns(thresholds), lambda a: a.agent_id, now, parent)
