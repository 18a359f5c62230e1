"""Complaint lists as a paged table model (`ui.models.paged`), with SLA clocks that tick."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from callcenter.clock import Clock
from callcenter.domain.complaint_lists import ComplaintFilter, ComplaintSummary, SortKey
from callcenter.domain.complaints import SlaClock
from ui.complaints.clock_view import ClockView, clock_view
from ui.complaints.labels import priority_label, status_label
from ui.models.paged import PAGE_SIZE, Loader, PagedModel, Runner
from ui.models.paged import Column as PagedColumn
from ui.theme import status_colour

Index = QModelIndex | QPersistentModelIndex

#: (filter, offset, limit) -> (rows, more follow); runs off the GUI thread.
ListFetch = Callable[[ComplaintFilter, int, int], tuple[list[ComplaintSummary], bool]]
#: (offset, limit) -> (rows, more follow), for one filter; runs off the GUI thread.
PageFetch = Callable[[int, int], tuple[list[ComplaintSummary], bool]]
#: Moves a row's clocks on to `now` without the database (ComplaintService.sla).
Advance = Callable[[ComplaintSummary, datetime], tuple[SlaClock, ...]]


class Column(enum.Enum):
    REFERENCE = enum.auto()
    STATUS = enum.auto()
    PRIORITY = enum.auto()
    SUBJECT = enum.auto()
    CUSTOMER = enum.auto()
    CATEGORY = enum.auto()
    ASSIGNEE = enum.auto()
    RESPONSE = enum.auto()
    RESOLUTION = enum.auto()
    DUE = enum.auto()
    # The clock nearer its end (the card has room for one).
    SLA = enum.auto()


LIST_COLUMNS = tuple(column for column in Column if column is not Column.SLA)
_CLOCKS = (Column.RESPONSE, Column.RESOLUTION, Column.SLA)
# The orders the database can page in; other columns do not sort.
SORT_KEYS = {
    Column.REFERENCE: SortKey.REFERENCE,
    Column.PRIORITY: SortKey.PRIORITY,
    Column.RESPONSE: SortKey.DUE,
    Column.RESOLUTION: SortKey.DUE,
    Column.DUE: SortKey.DUE,
    Column.SLA: SortKey.DUE,
}


class ComplaintListModel(PagedModel[ComplaintSummary]):
    def __init__(
        self,
        runner: Runner,
        fetch: ListFetch,
        advance: Advance,
        clock: Clock,
        columns: Sequence[Column] = LIST_COLUMNS,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, (), page_size, parent)
        self._list_fetch = fetch
        self._advance = advance
        self._clock = clock
        self._columns = tuple(self._column(column) for column in columns)
        self._now = clock()
        # Clock views as of `_now`, by complaint id: a paint asks for several roles of every
        # visible cell, and each view is worked out on the business calendar.
        self._views: dict[int, tuple[ClockView, ClockView, ClockView]] = {}
        self._row_texts: dict[int, tuple[str, ...]] = {}
        self.criteria = ComplaintFilter()
        # Rows shown again may have changed in the database: work them out afresh.
        self.modelAboutToBeReset.connect(self._forget)

    def show(self, criteria: ComplaintFilter) -> None:
        """List the complaints `criteria` picks, from the first page."""
        self.criteria = criteria
        fetch = self._list_fetch
        self.set_source(lambda offset, limit: fetch(criteria, offset, limit))

    def set_source(self, fetch: PageFetch | None) -> None:
        """Page through `fetch` from the start (None: show nothing)."""
        self.set_loader(_by_offset(fetch) if fetch else None)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Page again in the order clicked (due time, priority or reference)."""
        shown = self._columns[column].key if 0 <= column < len(self._columns) else None
        key = SORT_KEYS.get(shown) if isinstance(shown, Column) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.criteria.sort, self.criteria.descending):
            self.show(replace(self.criteria, sort=key, descending=descending))

    def _forget(self) -> None:
        self._views.clear()
        self._row_texts.clear()

    def tick(self) -> None:
        """Move every shown clock on to now (the database is read again only on reload)."""
        self._now = self._clock()
        self._views.clear()
        for column in _CLOCKS:
            section = self.column_of(column)
            if self.rows and section >= 0:
                self.dataChanged.emit(
                    self.index(0, section), self.index(len(self.rows) - 1, section)
                )

    def row_of(self, complaint_id: int) -> int:
        return next((i for i, row in enumerate(self.rows) if row.id == complaint_id), -1)

    def clocks(self, row: int) -> tuple[ClockView, ClockView, ClockView]:
        """Response, resolution, and whichever of them is nearer its end."""
        summary = self.rows[row]
        views = self._views.get(summary.id)
        if views is None:
            response, resolution = self._advance(summary, self._now)
            running = [c for c in (response, resolution) if c.remaining_s is not None]
            nearest = min(running, key=lambda c: c.remaining_s or 0) if running else resolution
            views = self._views[summary.id] = (
                clock_view(response),
                clock_view(resolution),
                clock_view(nearest, named=True),
            )
        return views

    # -- the table -------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A paint asks for about ten roles of every visible cell: answer the rest at once.
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), self._columns[index.column()].key
        if column in _CLOCKS:
            view = self.clocks(row)[_CLOCKS.index(column)]
            if role == Qt.ItemDataRole.DisplayRole:
                return view.text
            if role == Qt.ItemDataRole.ToolTipRole:
                return view.tooltip
            if view.severity is not None:
                return status_colour(view.severity)  # of the scheme in use: it may change
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.SUBJECT:
            return self.rows[row].subject
        return None

    def _texts(self, row: int) -> tuple[str, ...]:
        summary = self.rows[row]
        texts = self._row_texts.get(summary.id)
        if texts is None:
            texts = tuple(column.text(summary) for column in self._columns)
            self._row_texts[summary.id] = texts
        return texts

    def _column(self, column: Column) -> PagedColumn[ComplaintSummary]:
        def text(summary: ComplaintSummary) -> str:
            return self._text(summary, column)

        return PagedColumn(self._header(column), text, key=column)

    def _header(self, column: Column) -> str:
        return {
            Column.REFERENCE: self.tr("Reference"),
            Column.STATUS: self.tr("Status"),
            Column.PRIORITY: self.tr("Priority"),
            Column.SUBJECT: self.tr("Subject"),
            Column.CUSTOMER: self.tr("Customer"),
            Column.CATEGORY: self.tr("Category"),
            Column.ASSIGNEE: self.tr("Assignee"),
            Column.RESPONSE: self.tr("First response"),
            Column.RESOLUTION: self.tr("Resolution"),
            Column.DUE: self.tr("Due"),
            Column.SLA: self.tr("SLA"),
        }[column]

    def _text(self, summary: ComplaintSummary, column: Column) -> str:
        if column is Column.REFERENCE:
            return summary.reference
        if column is Column.STATUS:
            text = status_label(summary.status)
            if summary.escalation_level:
                text = self.tr("{0} (level {1})").format(text, summary.escalation_level)
            return text
        if column is Column.PRIORITY:
            return priority_label(summary.priority)
        if column is Column.SUBJECT:
            return summary.subject.replace("\n", " ")
        if column is Column.CUSTOMER:
            return summary.customer_name
        if column is Column.CATEGORY:
            parts = [part for part in (summary.category, summary.subcategory) if part]
            return " / ".join(parts)
        if column is Column.ASSIGNEE:
            return summary.assignee_name or summary.assignee or self.tr("Unassigned")
        return local_time(summary.due_at)


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
    }
)


def _by_offset(fetch: PageFetch) -> Loader:
    def load(offset: int, limit: int, _last: Any) -> tuple[list[ComplaintSummary], bool]:
        return fetch(offset, limit)

    return load


def local_time(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at is not None else "\u2014"
