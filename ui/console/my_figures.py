"""An agent's own figures today: handled, AHT, occupancy, calls per hour (nobody else's)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from callcenter.kpi.figures import AgentFigures
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService
from ui.console.formulas import agent_figures, show
from ui.context import AppContext
from ui.workers import Background

SHOWN = ("handled", "aht_s", "occupancy_pct", "calls_per_hour")


def my_figures_today(context: AppContext, agent_id: int, now: datetime) -> AgentFigures:
    """The signed-in agent's figures for today in the report time zone."""
    kpi = KpiService(context.database, context.actor, context.settings.report_timezone)
    today: date = now.astimezone(kpi.zone).date()
    buckets = kpi.plan(today, today + timedelta(days=1), Interval.RANGE)
    (figures,) = kpi.agents(buckets, AgentGrouping.AGENT, agent_ids=[agent_id], now=now)
    return figures


class MyFiguresDialog(QDialog):
    def __init__(
        self, context: AppContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("myFigures")
        self.setWindowTitle(self.tr("My figures today"))
        self._context = context
        self._background = background
        figures = agent_figures()
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in SHOWN:
            value = QLabel("...")
            value.setObjectName(f"my_{key}")
            value.setToolTip(figures[key].formula)
            form.addRow(figures[key].label + ":", value)
            self.values[key] = value
        self.status = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        refresh = buttons.addButton(self.tr("&Refresh"), QDialogButtonBox.ButtonRole.ActionRole)
        refresh.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        agent_id = self._context.actor.user_id
        if agent_id is None:
            self.status.setText(self.tr("Not signed in as a person: no figures of your own."))
            return
        context = self._context
        self.status.setText(self.tr("Loading..."))
        self._background.run(
            lambda: my_figures_today(context, agent_id, datetime.now(UTC)),
            self._show,
            lambda exc: self.status.setText(self.tr("Could not load: {0}").format(exc)),
            owner=self,
        )

    def _show(self, figures: AgentFigures) -> None:
        units = {key: f.unit for key, f in agent_figures().items()}
        for key, label in self.values.items():
            label.setText(show(getattr(figures, key), units[key]) or "-")
        self.status.clear()
