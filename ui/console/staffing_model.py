"""The staffing table: per interval the forecast (editable), Erlang C's answer and who is in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from callcenter.domain.calls import Queue
from callcenter.kpi.forecast import DayForecast, StaffingRow, plan_staffing

Index = QModelIndex | QPersistentModelIndex
CALLS, AHT = 1, 2
HEADERS = (
    ("Interval", "Start of the interval, in the report time zone"),
    ("Forecast calls", "Average offered calls in this interval on the same weekday over the "
     "recent weeks (editable: type your own)"),
    ("AHT (s)", "Average handle time of those weeks' calls in this interval, else over the "
     "whole day, else the default (editable)"),
    ("Required", "Erlang C: the smallest N with SL(T) = 1 - P(wait) exp(-(N - A) T / AHT) "
     ">= the queue's target, A = calls x AHT / interval length"),
    ("Scheduled", "Required / (1 - shrinkage), rounded up"),
    ("Logged in", "Agents logged in on the day (breaks included), on average over the interval"),
    ("Gap", "Logged in - scheduled: negative means short of staff"),
    ("SL %", "Service level the required agents give"),
    ("ASA (s)", "P(wait) x AHT / (N - A)"),
    ("Occupancy %", "A / N"),
)  # fmt: skip


class StaffingModel(QAbstractTableModel):
    """Signal `refused(message)`: a typed value was not taken, and why."""

    refused = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StaffingRow] = []
        self._queue: Queue | None = None
        self._shrinkage_pct = 30.0

    @property
    def rows(self) -> list[StaffingRow]:
        return list(self._rows)

    def set_forecast(
        self, forecast: DayForecast, queue: Queue, default_aht_s: float, shrinkage_pct: float
    ) -> None:
        self.beginResetModel()  # a new day or queue: every row is new
        self._queue = queue
        self._shrinkage_pct = shrinkage_pct
        aht_fallback = forecast.overall_aht_s or default_aht_s
        self._rows = self._plan(
            [(f, round(f.calls, 2), round(f.aht_s or aht_fallback, 1)) for f in forecast.intervals]
        )
        self.endResetModel()

    def set_shrinkage(self, shrinkage_pct: float) -> None:
        self._shrinkage_pct = shrinkage_pct
        self._rows = self._plan([(r.forecast, r.calls, r.aht_s) for r in self._rows])
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )

    def _plan(self, rows: Sequence[Any]) -> list[StaffingRow]:
        assert self._queue is not None
        return plan_staffing(
            rows,
            self._queue.service_level_target_pct,
            self._queue.service_level_threshold_s,
            self._shrinkage_pct,
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section][0])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(HEADERS[section][1])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() in (CALLS, AHT) else flags

    def values(self, row: StaffingRow) -> list[Any]:
        staffing = row.staffing
        logged_in = round(row.forecast.logged_in, 1)
        served = staffing.agents > 0
        return [
            row.forecast.start.strftime("%H:%M"),
            row.calls,
            row.aht_s,
            staffing.agents,
            staffing.scheduled,
            logged_in,
            round(logged_in - staffing.scheduled, 1),
            round(100 * staffing.service_level, 1) if served else None,
            round(staffing.asa_s, 1) if served else None,
            round(100 * staffing.occupancy, 1) if served else None,
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.values(self._rows[index.row()])[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if value is None else (f"{value:g}" if isinstance(value, float) else value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and value < 0:
            return Qt.GlobalColor.darkRed
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A typed forecast: calls >= 0, AHT > 0; anything else is refused with `refused`."""
        if role != Qt.ItemDataRole.EditRole or index.column() not in (CALLS, AHT):
            return False
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            self.refused.emit(
                self.tr("{0}: not a number: {1}").format(self.tr(HEADERS[index.column()][0]), value)
            )
            return False
        if number < 0 or (index.column() == AHT and number <= 0) or number > 100_000:
            self.refused.emit(
                self.tr("{0}: must be {1}").format(
                    self.tr(HEADERS[index.column()][0]),
                    self.tr("0 to 100000") if index.column() == CALLS else self.tr("above 0"),
                )
            )
            return False
        row = self._rows[index.row()]
        calls = number if index.column() == CALLS else row.calls
        aht = number if index.column() == AHT else row.aht_s
        (self._rows[index.row()],) = self._plan([(row.forecast, calls, aht)])
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        return True
