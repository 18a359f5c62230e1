"""Column headers of the table models: the column's name, and its tooltip where it has one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt

C = TypeVar("C")


def horizontal_header(
    columns: Sequence[C],
    section: int,
    orientation: Qt.Orientation,
    role: int,
    header: Callable[[C], str],
    tooltip: Callable[[C], str | None],
) -> Any:
    """What QAbstractItemModel.headerData answers for `columns` across the top (rows have
    no header)."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return header(columns[section])
    if role == Qt.ItemDataRole.ToolTipRole:
        return tooltip(columns[section]) or None
    return None
