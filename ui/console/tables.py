"""The tables tab: queue and agent figures for the range, the numbers `callcenter report`
prints; each header's tooltip gives the formula and thresholds, each cell's the sum behind it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.cli.report import AGENT_COLUMNS, QUEUE_COLUMNS, agent_row, queue_row
from callcenter.domain.calls import Queue
from callcenter.kpi.figures import AgentFigures, QueueFigures
from ui.console.exports import ask_save_path, write_csv
from ui.console.formulas import Figure, agent_figures, queue_figures, show
from ui.console.keyed_model import Column, KeyedRowsModel
from ui.console.thresholds import Thresholds


def _columns(
    keys: Sequence[str],
    figures: dict[str, Figure],
    as_row: Callable[[Any], dict[str, Any]],
    notes: dict[str, str],
    thresholds: Thresholds,
) -> list[Column[Any]]:
    columns: list[Column[Any]] = []
    for key in keys:
        figure = figures[key]
        tip = figure.formula
        if key in notes:
            tip += f". {notes[key]}"
        if (threshold := thresholds.get(key)) is not None:
            tip += f". {threshold.describe()}"

        def text(row: Any, _now: datetime, key: str = key, unit: str = figure.unit) -> str:
            if key == "interval_start":  # the report's ISO text, written for people
                return show(row.interval_start)
            return show(as_row(row)[key], unit)

        def level(row: Any, _now: datetime, key: str = key) -> Any:
            return thresholds.level(key, as_row(row)[key])

        def worked(row: Any, figure: Figure = figure) -> str:
            value = show(as_row(row)[figure.key], figure.unit) or "-"
            if figure.worked is None:
                return f"{figure.label}: {figure.formula}"
            return f"{figure.label} = {figure.formula}\n= {figure.worked(row)} = {value}"

        columns.append(
            Column(
                figure.label,
                text,
                level if thresholds.get(key) else None,
                tip,
                align_right=key not in ("queue", "agent", "interval_start"),
                row_tooltip=worked,
            )
        )
    return columns


class TablesTab(QWidget):
    """Signal `exported(path)` after a table is written."""

    exported = Signal(str)

    def __init__(
        self, thresholds: Thresholds, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tablesTab")
        self._thresholds = thresholds
        self._queue_info: tuple[Queue, ...] = ()
        self.queues_model: KeyedRowsModel[QueueFigures] = KeyedRowsModel(
            self._queue_columns(), lambda f: (f.queue_id, f.interval_start), now, self
        )
        self.agents_model: KeyedRowsModel[AgentFigures] = KeyedRowsModel(
            _columns(AGENT_COLUMNS, agent_figures(), agent_row, {}, thresholds),
            lambda f: (f.agent_id, f.interval_start),
            now,
            self,
        )
        self.queues_view = self._view("queueTable", self.queues_model)
        self.agents_view = self._view("agentTable", self.agents_model)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._box(self.tr("Q&ueue figures"), self.queues_view, "queues"))
        splitter.addWidget(self._box(self.tr("&Agent figures"), self.agents_view, "agents"))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _queue_columns(self) -> list[Column[Any]]:
        notes = {}
        if self._queue_info:
            notes["service_level_pct"] = self.tr("T per queue: {0}").format(
                ", ".join(f"{q.name} {q.service_level_threshold_s} s" for q in self._queue_info)
            )
            notes["short_abandoned"] = self.tr("Limits: {0}").format(
                ", ".join(f"{q.name} {q.short_abandon_threshold_s} s" for q in self._queue_info)
            )
        return _columns(QUEUE_COLUMNS, queue_figures(), queue_row, notes, self._thresholds)

    def _view(self, name: str, model: KeyedRowsModel[Any]) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setTabKeyNavigation(False)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return view

    def _box(self, title: str, view: QTableView, which: str) -> QWidget:
        box = QWidget()
        header = QHBoxLayout()
        label = QLabel(title)
        label.setBuddy(view)
        header.addWidget(label)
        header.addStretch(1)
        button = QPushButton(self.tr("Export CSV..."))
        button.setObjectName(f"export_{which}_csv")
        button.clicked.connect(lambda: self._ask_export(which))
        header.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(view, 1)
        return box

    def set_queues(self, queues: tuple[Queue, ...]) -> None:
        self._queue_info = queues
        self.queues_model.set_columns(self._queue_columns())

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self._thresholds = thresholds
        self.queues_model.set_columns(self._queue_columns())
        self.agents_model.set_columns(
            _columns(AGENT_COLUMNS, agent_figures(), agent_row, {}, thresholds)
        )

    def show_rows(
        self, queues: Sequence[QueueFigures], agents: Sequence[AgentFigures], now: datetime
    ) -> None:
        self.queues_model.update(queues, now)
        self.agents_model.update(agents, now)

    def _ask_export(self, which: str) -> None:
        ask_save_path(
            self,
            self.tr("Export table"),
            self.tr("CSV files (*.csv)"),
            "csv",
            lambda path: self.export_csv(which, path),
        )

    def export_csv(self, which: str, path: str) -> None:
        """The columns and numbers of `callcenter report ... --format csv`."""
        if which == "queues":
            write_csv(
                path,
                QUEUE_COLUMNS,
                ([queue_row(r)[c] for c in QUEUE_COLUMNS] for r in self.queues_model.rows()),
            )
        else:
            write_csv(
                path,
                AGENT_COLUMNS,
                ([agent_row(r)[c] for c in AGENT_COLUMNS] for r in self.agents_model.rows()),
            )
        self.exported.emit(path)
