"""The wallboard tab: queues and agents live, coloured against the supervisor's thresholds.

The snapshot comes from `LiveBoard`; between snapshots a one-second timer moves only what
follows the clock (longest wait, time in state, call duration), cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.kpi.live import WallboardSnapshot
from ui.console.board_models import (
    AgentBoardModel,
    QueueBoardModel,
    agent_columns,
    queue_columns,
    state_name,
)
from ui.console.live_updates import LiveBoard
from ui.console.thresholds import Thresholds

TICK_MS = 1000
# Full screen on a wall TV: fonts this many times the desktop's, readable across a room.
BIG_FONT_FACTOR = 2.4


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
    return table


class Wallboard(QWidget):
    def __init__(
        self,
        live: LiveBoard,
        thresholds: Thresholds,
        clock: Callable[[], datetime],
        tick_ms: int = TICK_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wallboard")
        self._clock = clock
        self._live = live
        now = clock()
        self.queues_model = QueueBoardModel(thresholds, now, self)
        self.agents_model = AgentBoardModel(thresholds, now, self)
        self.summary = QLabel()
        self.summary.setObjectName("wallboardSummary")
        self.summary.setProperty("role", "heading")
        self.status = QLabel(self.tr("Loading..."))
        self.status.setObjectName("wallboardStatus")
        self.queues_view = _table("wallboardQueues")
        self.queues_view.setModel(self.queues_model)
        self.agents_view = _table("wallboardAgents")
        self.agents_view.setModel(self.agents_model)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.queues_view)
        splitter.addWidget(self.agents_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._normal_font = QFont(self.font())
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        live.loaded.connect(self.show_snapshot)
        live.failed.connect(self._show_failure)

    def start(self) -> None:
        self._timer.start()
        self._live.start()

    def stop(self) -> None:
        self._timer.stop()
        self._live.stop()

    def reload(self) -> None:
        self._live.reload()

    def show_snapshot(self, snapshot: WallboardSnapshot) -> None:
        now = self._clock()
        self.queues_model.update(snapshot.queues, now)
        self.agents_model.update(snapshot.agents, now)
        counts = snapshot.agents_by_state()
        parts = [
            f"{state_name(state)} {counts[state]}"
            for state in ("available", "on_call", "after_call_work", "break")
            if state in counts
        ]
        waiting = sum(queue.waiting for queue in snapshot.queues)
        self.summary.setText(
            self.tr("Waiting {0}  ·  Agents: {1}").format(
                waiting, "  ·  ".join(parts) if parts else self.tr("none logged in")
            )
        )
        how = (
            self.tr("live (server notifications)")
            if self._live.feed_kind == "notify"
            else self.tr("checked for changes every 2 s")
        )
        local = snapshot.taken_at.astimezone(snapshot.day_start.tzinfo)
        self.status.setText(self.tr("Updated {0}, {1}").format(local.strftime("%H:%M:%S"), how))

    def _show_failure(self, message: str) -> None:
        self.status.setText(self.tr("Could not update: {0}").format(message))

    def tick(self) -> None:
        now = self._clock()
        self.queues_model.tick(now)
        self.agents_model.tick(now)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.queues_model.set_columns(queue_columns(thresholds))
        self.agents_model.set_columns(agent_columns(thresholds))

    def set_big(self, big: bool) -> None:
        """Fonts for a wall TV (big) or the desk (normal)."""
        font = QFont(self._normal_font)
        if big:
            font.setPointSizeF(self._normal_font.pointSizeF() * BIG_FONT_FACTOR)
        for widget in (self.summary, self.status, self.queues_view, self.agents_view):
            widget.setFont(font)
        for view in (self.queues_view, self.agents_view):
            view.horizontalHeader().setFont(font)
            view.resizeRowsToContents()
