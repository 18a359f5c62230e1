"""Call history as a paged table model (`ui.models.paged`): the columns, and sorting by time.

Sorting by time pages again from the other end; an answer for the older order is dropped.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt

from callcenter.domain.calls import Direction
from callcenter.domain.history import CallHistoryEntry, PageCursor
from callcenter.domain.phone import format_for_display
from ui.icons import icon
from ui.models.paged import PAGE_SIZE, Loader, PagedModel
from ui.models.paged import Column as PagedColumn
from ui.models.paged import Runner as Runner  # the name the widgets import it by

Fetch = Callable[[int, PageCursor | None, bool], list[CallHistoryEntry]]
"""(limit, after, newest_first) -> the page; runs off the GUI thread."""


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


class CallHistoryModel(PagedModel[CallHistoryEntry]):
    """Calls, newest or oldest first; the `Column`s picked, in that order."""

    def __init__(
        self,
        runner: Runner,
        columns: Sequence[Column],
        home_region: str,
        time_style: TimeStyle = TimeStyle.DATE_AND_TIME,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, (), page_size, parent)
        self._home_region = home_region
        self._time_style = time_style
        self._fetch: Fetch | None = None
        self._newest_first = True
        self._columns = tuple(self._column(column) for column in columns)

    def set_source(self, fetch: Fetch | None) -> None:
        """Show the calls `fetch` pages through (None: nothing), from the first page."""
        self._fetch = fetch
        self.set_loader(self._loader_for(fetch) if fetch else None)

    def _loader_for(self, fetch: Fetch) -> Loader:
        newest_first = self._newest_first

        def load(
            _offset: int, limit: int, last: CallHistoryEntry | None
        ) -> tuple[list[CallHistoryEntry], bool]:
            page = fetch(limit, last.cursor if last else None, newest_first)
            return page, len(page) >= limit

        return load

    @property
    def newest_first(self) -> bool:
        return self._newest_first

    def entry_at(self, row: int) -> CallHistoryEntry:
        return self.row_at(row)

    # -- sorting: by time only, re-queried from the database --------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column != self.column_of(Column.WHEN):
            return
        newest_first = order == Qt.SortOrder.DescendingOrder
        if newest_first == self._newest_first:
            return
        self._newest_first = newest_first
        self.set_source(self._fetch)

    # -- the columns -----------------------------------------------------------------------

    def _column(self, column: Column) -> PagedColumn[CallHistoryEntry]:
        if column is Column.WHEN:
            return PagedColumn(
                self.tr("Time"),
                lambda e: self._time(e.started_at),
                header_tooltip=self.tr("Click to show the oldest or the newest calls first"),
                key=column,
            )
        if column is Column.DIRECTION:
            return PagedColumn(self.tr("Direction"), self._direction, decoration=_arrow, key=column)
        if column is Column.NUMBER:
            return PagedColumn(self.tr("Number"), self._number, self._number_tip, key=column)
        if column is Column.CUSTOMER:
            return PagedColumn(
                self.tr("Customer"), lambda e: e.customer_name or self.tr("Unknown"), key=column
            )
        if column is Column.AGENT:
            return PagedColumn(self.tr("Agent"), lambda e: e.agent_name or "", key=column)
        if column is Column.DURATION:
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return PagedColumn(self.tr("Talk"), _talk, alignment=right, key=column)
        if column is Column.DISPOSITION:
            return PagedColumn(self.tr("Outcome"), self._outcome, self._outcome, key=column)
        return PagedColumn(
            self.tr("Notes"),
            lambda e: (e.notes or "").replace("\n", " "),
            lambda e: e.notes or None,
            key=column,
        )

    def _direction(self, entry: CallHistoryEntry) -> str:
        return self.tr("In") if entry.direction is Direction.INBOUND else self.tr("Out")

    def _number(self, entry: CallHistoryEntry) -> str:
        return format_for_display(entry.number, self._home_region) if entry.number else ""

    def _number_tip(self, entry: CallHistoryEntry) -> str | None:
        if not entry.number:
            return None
        return self.tr("{0} (double-click or Enter to call)").format(entry.number)

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


def _arrow(entry: CallHistoryEntry) -> Any:
    inbound = entry.direction is Direction.INBOUND
    return icon("phone-incoming" if inbound else "phone-outgoing")


def _talk(entry: CallHistoryEntry) -> str:
    seconds = entry.talk_seconds
    return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"
