"""Call history as a table model that pages from the database as the view scrolls (fetch more).

`rowCount` counts the rows loaded so far; `fetchMore` asks the background runner for the page
after the last row and inserts it on the GUI thread when it arrives. Sorting by time starts
again from the other end; an answer for an older query or order is dropped.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from callcenter.domain.calls import Direction
from callcenter.domain.history import CallHistoryEntry, PageCursor
from callcenter.domain.phone import format_for_display
from ui.icons import icon

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 50

Fetch = Callable[[int, PageCursor | None, bool], list[CallHistoryEntry]]
"""(limit, after, newest_first) -> the page; runs off the GUI thread."""


class Runner(Protocol):
    """What runs a page fetch: `ui.workers.Background`, or a synchronous stand-in in tests."""

    def run(
        self,
        function: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None: ...


class Column(enum.Enum):
    WHEN = enum.auto()
    DIRECTION = enum.auto()
    NUMBER = enum.auto()
    CUSTOMER = enum.auto()
    AGENT = enum.auto()
    DURATION = enum.auto()
    DISPOSITION = enum.auto()
    NOTES = enum.auto()


class TimeStyle(enum.Enum):
    DATE_AND_TIME = enum.auto()
    TIME_ONLY = enum.auto()


class CallHistoryModel(QAbstractTableModel):
    """Signals: loading_changed(bool), page_loaded(int rows added), load_failed(str)."""

    loading_changed = Signal(bool)
    page_loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        columns: Sequence[Column],
        home_region: str,
        time_style: TimeStyle = TimeStyle.DATE_AND_TIME,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._columns = tuple(columns)
        self._home_region = home_region
        self._time_style = time_style
        self._page_size = page_size
        self._fetch: Fetch | None = None
        self._rows: list[CallHistoryEntry] = []
        self._newest_first = True
        self._loading = False
        self._exhausted = True
        self._generation = 0

    # -- what to show ----------------------------------------------------------------------

    def set_source(self, fetch: Fetch | None) -> None:
        """Show the calls `fetch` pages through (None: nothing), from the first page."""
        self._fetch = fetch
        self.refresh()

    def refresh(self) -> None:
        """Drop what is loaded and load the first page again (e.g. after a call is saved)."""
        self.beginResetModel()
        self._generation += 1
        self._rows = []
        self._exhausted = self._fetch is None
        self._set_loading(False)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    @property
    def newest_first(self) -> bool:
        return self._newest_first

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """Every row has been loaded (or there is no source)."""
        return self._exhausted

    def entry_at(self, row: int) -> CallHistoryEntry:
        return self._rows[row]

    def column_of(self, column: Column) -> int:
        """The section showing `column`, or -1."""
        return self._columns.index(column) if column in self._columns else -1

    # -- paging ----------------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        fetch, limit, newest_first = self._fetch, self._page_size, self._newest_first
        after = self._rows[-1].cursor if self._rows else None
        generation = self._generation
        self._set_loading(True)
        self._runner.run(
            lambda: fetch(limit, after, newest_first),
            lambda page: self._page_arrived(generation, page),
            lambda exc: self._page_failed(generation, exc),
        )

    def _page_arrived(self, generation: int, page: list[CallHistoryEntry]) -> None:
        if generation != self._generation:
            return  # asked for before a refresh or a new order: not what is shown now
        if len(page) < self._page_size:
            self._exhausted = True
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self._set_loading(False)
        self.page_loaded.emit(len(page))

    def _page_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._exhausted = True  # no retry loop; refresh() tries again
        self._set_loading(False)
        self.load_failed.emit(str(exc))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # -- sorting: by time only, re-queried from the database --------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column != self.column_of(Column.WHEN):
            return
        newest_first = order == Qt.SortOrder.DescendingOrder
        if newest_first == self._newest_first:
            return
        self._newest_first = newest_first
        self.refresh()

    # -- the table -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        entry = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.DIRECTION:
            inbound = entry.direction is Direction.INBOUND
            return icon("phone-incoming" if inbound else "phone-outgoing")
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header(self._columns[section])
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section] is Column.WHEN:
            return self.tr("Click to show the oldest or the newest calls first")
        return None

    def _header(self, column: Column) -> str:
        return {
            Column.WHEN: self.tr("Time"),
            Column.DIRECTION: self.tr("Direction"),
            Column.NUMBER: self.tr("Number"),
            Column.CUSTOMER: self.tr("Customer"),
            Column.AGENT: self.tr("Agent"),
            Column.DURATION: self.tr("Talk"),
            Column.DISPOSITION: self.tr("Outcome"),
            Column.NOTES: self.tr("Notes"),
        }[column]

    def _text(self, entry: CallHistoryEntry, column: Column) -> str:
        if column is Column.WHEN:
            return self._time(entry.started_at)
        if column is Column.DIRECTION:
            if entry.direction is Direction.INBOUND:
                return self.tr("In")
            return self.tr("Out")
        if column is Column.NUMBER:
            return format_for_display(entry.number, self._home_region) if entry.number else ""
        if column is Column.CUSTOMER:
            return entry.customer_name or self.tr("Unknown")
        if column is Column.AGENT:
            return entry.agent_name or ""
        if column is Column.DURATION:
            seconds = entry.talk_seconds
            return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"
        if column is Column.DISPOSITION:
            return self._outcome(entry)
        return (entry.notes or "").replace("\n", " ")

    def _tooltip(self, entry: CallHistoryEntry, column: Column) -> str | None:
        if column is Column.NUMBER and entry.number:
            return self.tr("{0} (double-click or Enter to call)").format(entry.number)
        if column is Column.NOTES and entry.notes:
            return entry.notes
        if column is Column.DISPOSITION:
            return self._outcome(entry)
        return None

    def _outcome(self, entry: CallHistoryEntry) -> str:
        if entry.disposition_code:
            return entry.disposition_label or entry.disposition_code
        if entry.answered_at is None:
            return self.tr("Not answered")
        return "\u2014"

    def _time(self, at: datetime) -> str:
        moment = QDateTime.fromMSecsSinceEpoch(int(at.timestamp() * 1000))
        locale = QLocale()
        if self._time_style is TimeStyle.TIME_ONLY:
            return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
        return moment.toString("yyyy-MM-dd HH:mm")  # unambiguous in every locale
