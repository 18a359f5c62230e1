"""A table of callbacks paged from the database (`ui.models.paged`), coloured by urgency."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from callcenter.domain.callbacks import Callback
from ui.models.paged import PAGE_SIZE, Column, PagedModel, Runner, keyset
from ui.theme import Severity, status_colour

Index = QModelIndex | QPersistentModelIndex

Fetch = Callable[[int, Callback | None], list[Callback]]
"""(limit, the last row loaded or None) -> the next page; runs off the GUI thread."""


class PagedTableModel(PagedModel[Callback]):
    """Overdue rows in bold red, rows due soon in amber (as `severity` says)."""

    def __init__(
        self,
        runner: Runner,
        columns: Sequence[Column[Callback]],
        severity: Callable[[Callback], Severity | None] = lambda _row: None,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, columns, page_size, parent)
        self._severity = severity

    def set_source(self, fetch: Fetch | None) -> None:
        """Show what `fetch` pages through (None: nothing), from the first page."""
        self.set_loader(keyset(fetch) if fetch else None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            severity = self._severity(self.row_at(index.row()))
            return status_colour(severity) if severity is not None else None
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            return _bold() if self._severity(self.row_at(index.row())) is Severity.ERROR else None
        return super().data(index, role)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
