"""One table model that pages rows from the database as the view scrolls (Qt's fetch more).

`rowCount` counts the rows loaded so far; `canFetchMore` is false while a page is on its way or
once the loader said no more follow; `fetchMore` hands the next page to the runner (off the GUI
thread) and appends it with `beginInsertRows` when it arrives. Every reload starts a new
generation, so a slow answer to an older query never shows under a newer one. The columns are
described declaratively (`Column`); features subclass only for what is theirs (sorting, caches).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ui.models.headers import horizontal_header

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
PAGE_SIZE = 50


class Runner(Protocol):
    """What runs a page fetch: `ui.workers.Background`, or a synchronous stand-in in tests."""

    def run(
        self,
        function: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None: ...


#: (rows loaded so far, page size, the last row loaded or None) -> (the page, more may follow).
#: Runs off the GUI thread.
Loader = Callable[[int, int, Any], tuple[Sequence[Any], bool]]


def keyset(fetch: Callable[[int, Any], Sequence[Any]]) -> Loader:
    """A loader from `(limit, last row or None) -> page`; a short page means no more follow."""

    def load(_offset: int, limit: int, last: Any) -> tuple[Sequence[Any], bool]:
        page = fetch(limit, last)
        return page, len(page) >= limit

    return load


@dataclass(frozen=True)
class Column(Generic[Row]):
    """How one column shows a row; `key` names it for `column_of` (e.g. to sort by it)."""

    header: str
    text: Callable[[Row], str]
    tooltip: Callable[[Row], str | None] | None = None
    decoration: Callable[[Row], Any] | None = None
    alignment: Qt.AlignmentFlag | None = None
    header_tooltip: str | None = None
    key: Hashable = None


class PagedModel(QAbstractTableModel, Generic[Row]):
    """Signals: loading_changed(bool), page_loaded(int rows added), load_failed(str)."""

    loading_changed = Signal(bool)
    page_loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        columns: Sequence[Column[Row]],
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._columns = tuple(columns)
        self._page_size = page_size
        self._loader: Loader | None = None
        self._rows: list[Row] = []
        self._loading = False
        self._exhausted = True
        self._generation = 0

    # -- what to show ----------------------------------------------------------------------

    def set_loader(self, loader: Loader | None) -> None:
        """Page through `loader` from the first page (None: show nothing)."""
        self._loader = loader
        self.reload()

    def reload(self) -> None:
        """Drop the loaded rows and load the first page again (new filter, order, or data)."""
        self.beginResetModel()
        self._generation += 1
        self._rows = []
        self._exhausted = self._loader is None
        self._set_loading(False)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def show_rows(self, rows: Sequence[Row]) -> None:
        """Show a short list loaded at once (an agenda, one customer's items): no paging."""
        self.beginResetModel()
        self._generation += 1
        self._loader = None
        self._rows = list(rows)
        self._exhausted = True
        self._set_loading(False)
        self.endResetModel()
        self.page_loaded.emit(len(self._rows))

    def repaint(self) -> None:
        """What is shown depends on the time (\"in 5 min\"): redraw, nothing reloaded."""
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """Every row has been loaded (or there is nothing to load)."""
        return self._exhausted

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def column_of(self, key: Hashable) -> int:
        """The section whose column has `key`, or -1."""
        return next((i for i, c in enumerate(self._columns) if c.key == key), -1)

    # -- paging ----------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._loader is None:
            return
        loader, offset, limit = self._loader, len(self._rows), self._page_size
        last = self._rows[-1] if self._rows else None
        generation = self._generation
        self._set_loading(True)
        self._runner.run(
            lambda: loader(offset, limit, last),
            lambda page: self._arrived(generation, page),
            lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, page: tuple[Sequence[Row], bool]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # asked for before a reload: not what is shown now
        rows, more = page
        self._exhausted = not more
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._set_loading(False)
        self.page_loaded.emit(len(rows))

    def _failed(self, generation: int, exc: Exception) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._exhausted = True  # no retry loop: reload() tries again
        self._set_loading(False)
        self.load_failed.emit(str(exc))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- the table -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else None
        if role == Qt.ItemDataRole.DecorationRole and column.decoration:
            return column.decoration(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.alignment is not None:
            return int(column.alignment)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return horizontal_header(
            self._columns,
            section,
            orientation,
            role,
            lambda c: c.header,
            lambda c: c.header_tooltip,
        )
