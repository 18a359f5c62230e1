"""A table model whose rows are updated in place: rows keep their identity by key, and only
the cells whose text or colour changed are announced (no reset, no rebuild per update)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.console.thresholds import BACKGROUND, Level
from ui.models.headers import horizontal_header

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class Column(Generic[Row]):
    """One column: its header, the text and the level of a cell; `ticks` when it changes with
    the clock alone (recomputed every second, not reloaded)."""

    def __init__(
        self,
        header: str,
        text: Callable[[Row, datetime], str],
        level: Callable[[Row, datetime], Level | None] | None = None,
        tooltip: str = "",
        ticks: bool = False,
        align_right: bool = False,
        row_tooltip: Callable[[Row], str] | None = None,
    ) -> None:
        self.row_tooltip = row_tooltip
        self.header = header
        self.text = text
        self.level = level
        self.tooltip = tooltip
        self.ticks = ticks
        self.align_right = align_right


class KeyedRowsModel(QAbstractTableModel, Generic[Row]):
    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        now: datetime,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[Row] = []
        self._now = now
        # What each cell shows now: (text, level); compared to announce only real changes.
        self._cells: list[list[tuple[str, Level | None]]] = []

    # -- reading -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def rows(self) -> list[Row]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, level = self._cells[index.row()][index.column()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.BackgroundRole and level is not None:
            return BACKGROUND[level]
        if role == Qt.ItemDataRole.ForegroundRole and level is not None:
            return Qt.GlobalColor.black
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.row_tooltip is not None:
                return column.row_tooltip(self._rows[index.row()])
            word = f" ({level.value})" if level is not None else ""
            return f"{column.header}{word}: {column.tooltip}" if column.tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return level.value if level is not None else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return horizontal_header(
            self._columns, section, orientation, role, lambda c: c.header, lambda c: c.tooltip
        )

    # -- updating in place ---------------------------------------------------------------

    def update(self, rows: Sequence[Row], now: datetime) -> None:
        """Show `rows` (in this order): rows gone are removed, new ones inserted, the rest
        changed in place; only changed cells are announced."""
        self._now = now
        wanted = [self._key(row) for row in rows]
        wanted_set = set(wanted)
        for position in range(len(self._rows) - 1, -1, -1):
            if self._key(self._rows[position]) not in wanted_set:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                del self._cells[position]
                self.endRemoveRows()
        by_key = {self._key(row): row for row in rows}
        for target, key in enumerate(wanted):
            current = self._position(key, target)
            if current is None:
                self.beginInsertRows(QModelIndex(), target, target)
                self._rows.insert(target, by_key[key])
                self._cells.insert(target, self._render(by_key[key]))
                self.endInsertRows()
                continue
            if current != target:
                self.beginMoveRows(QModelIndex(), current, current, QModelIndex(), target)
                self._rows.insert(target, self._rows.pop(current))
                self._cells.insert(target, self._cells.pop(current))
                self.endMoveRows()
            self._rows[target] = by_key[key]
            self._refresh(target, range(len(self._columns)))

    def set_columns(self, columns: Sequence[Column[Row]]) -> None:
        """New columns of the same headers (new thresholds): every cell is worked out again."""
        self._columns = list(columns)
        for position in range(len(self._rows)):
            self._refresh(position, range(len(self._columns)))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def tick(self, now: datetime) -> None:
        """The clock moved: recompute only the columns that follow it."""
        self._now = now
        ticking = [i for i, column in enumerate(self._columns) if column.ticks]
        for position in range(len(self._rows)):
            self._refresh(position, ticking)

    def _position(self, key: Hashable, start: int) -> int | None:
        for position in range(start, len(self._rows)):
            if self._key(self._rows[position]) == key:
                return position
        return None

    def _render(self, row: Row) -> list[tuple[str, Level | None]]:
        return [
            (column.text(row, self._now), column.level(row, self._now) if column.level else None)
            for column in self._columns
        ]

    def _refresh(self, position: int, columns: Sequence[int] | range) -> None:
        row = self._rows[position]
        changed = []
        for index in columns:
            column = self._columns[index]
            cell = (
                column.text(row, self._now),
                column.level(row, self._now) if column.level else None,
            )
            if cell != self._cells[position][index]:
                self._cells[position][index] = cell
                changed.append(index)
        if changed:
            self.dataChanged.emit(
                self.index(position, min(changed)), self.index(position, max(changed))
            )
