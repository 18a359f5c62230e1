"""The table every callback list uses: whole rows, read-only, Enter opens the row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from callcenter.domain.callbacks import Callback
from ui.callbacks.paged_model import PagedTableModel

MAX_COLUMN_WIDTH = 260
RELATIVE_REFRESH_MS = 30_000


def callback_table(
    model: PagedTableModel,
    name: str,
    on_activated: Callable[[Callback], None],
    parent: QWidget | None = None,
) -> QTableView:
    """A table of `model`; Enter or a double-click on a row calls `on_activated` with it.
    Times shown relative to now ("in 5 min") are redrawn every half minute."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)

    def activated(index: QModelIndex) -> None:
        if index.isValid():
            on_activated(model.row_at(index.row()))

    def fit(count: int) -> None:
        if count and model.rowCount() == count:  # the first page: fit the columns once
            for section in range(model.columnCount() - 1):
                table.resizeColumnToContents(section)
                header.resizeSection(section, min(header.sectionSize(section), MAX_COLUMN_WIDTH))
            if table.currentIndex().row() < 0:
                table.selectRow(0)

    table.activated.connect(activated)
    model.page_loaded.connect(fit)
    ticker = QTimer(table)
    ticker.setInterval(RELATIVE_REFRESH_MS)
    ticker.timeout.connect(model.repaint)
    ticker.start()
    return table
