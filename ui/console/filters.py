"""What the charts and tables show: the range, the interval, and which queue, team and agents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callcenter.kpi.intervals import Interval
from callcenter.kpi.live import Directory
from ui.console.range_picker import RangePicker


@dataclass(frozen=True, slots=True)
class Selection:
    first: date
    last_exclusive: date
    interval: Interval
    queue_id: int | None  # None: every queue
    team_id: int | None  # None: every team
    agent_ids: tuple[int, ...]  # empty: the team (or everyone) as one


class FilterBar(QWidget):
    """Signal `changed()` whenever the selection changes."""

    changed = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consoleFilters")
        self.range_picker = RangePicker(today)
        self.interval = QComboBox()
        self.interval.setObjectName("intervalChoice")
        for text, value in (
            (self.tr("15 minutes"), Interval.QUARTER_HOUR),
            (self.tr("Hour"), Interval.HOUR),
            (self.tr("Day"), Interval.DAY),
        ):
            self.interval.addItem(text, value)
        self.interval.setCurrentIndex(1)
        self.queue = QComboBox()
        self.queue.setObjectName("queueChoice")
        self.team = QComboBox()
        self.team.setObjectName("teamChoice")
        self.agents = QListWidget()
        self.agents.setObjectName("agentChoice")
        self.agents.setMaximumHeight(70)
        self.agents.setToolTip(self.tr("Tick agents (Space) to chart them one by one"))
        row = QHBoxLayout()
        row.addWidget(self.range_picker)
        for text, widget in (
            (self.tr("&Interval:"), self.interval),
            (self.tr("&Queue:"), self.queue),
            (self.tr("T&eam:"), self.team),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addStretch(1)
        agents_label = QLabel(self.tr("A&gents:"))
        agents_label.setBuddy(self.agents)
        agents_row = QHBoxLayout()
        agents_row.addWidget(agents_label, 0, Qt.AlignmentFlag.AlignTop)
        agents_row.addWidget(self.agents, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(agents_row)
        self._directory: Directory | None = None
        self.range_picker.changed.connect(lambda *_: self.changed.emit())
        self.interval.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.queue.currentIndexChanged.connect(lambda _: self.changed.emit())
        self.team.currentIndexChanged.connect(self._team_changed)
        self.agents.itemChanged.connect(lambda _: self.changed.emit())

    def set_directory(self, directory: Directory) -> None:
        """Offers the directory's queues, teams and agents; what was chosen stays chosen while
        it still exists, and `changed` is emitted only when the selection itself changed."""
        before = self.selection() if self._directory is not None else None
        self._directory = directory
        _refill(self.queue, self.tr("All queues"), [(q.id, q.name) for q in directory.queues])
        _refill(self.team, self.tr("All teams"), list(directory.teams))
        self._fill_agents(set(before.agent_ids) if before is not None else set())
        if self.selection() != before:
            self.changed.emit()

    def selection(self) -> Selection:
        first, last = self.range_picker.range()
        checked = tuple(
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.agents.item(i) for i in range(self.agents.count()))
            if item.checkState() == Qt.CheckState.Checked
        )
        return Selection(
            first,
            last,
            # Qt hands a StrEnum back as its string.
            Interval(self.interval.currentData()),
            self.queue.currentData(),
            self.team.currentData(),
            checked,
        )

    def _team_changed(self) -> None:
        self._fill_agents(set())
        self.changed.emit()

    def _fill_agents(self, checked: set[int]) -> None:
        self.agents.blockSignals(True)
        current = self.agents.currentItem()
        current_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.agents.clear()
        team_id = self.team.currentData()
        for person in self._directory.people if self._directory else ():
            if person.role != "agent" or (team_id is not None and person.team_id != team_id):
                continue
            item = QListWidgetItem(person.name)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = person.id in checked
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.agents.addItem(item)
            if person.id == current_id:
                self.agents.setCurrentItem(item)
        self.agents.blockSignals(False)


def _refill(combo: QComboBox, everything: str, entries: list[tuple[int, str]]) -> None:
    """`everything` (None) then the entries; the current one is kept while it is offered."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for entry_id, name in entries:
        combo.addItem(name, entry_id)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
