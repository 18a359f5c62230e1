"""Asking where to save an export, without blocking: a file dialog opened window-modal."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget, caption: str, name_filter: str, suffix: str, save: Callable[[str], None]
) -> QFileDialog:
    """Open a save dialog; `save(path)` runs once a file is chosen."""
    dialog = QFileDialog(parent, caption, "", name_filter)
    dialog.setObjectName("exportDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.fileSelected.connect(save)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def write_csv(path: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """UTF-8 with a BOM (as Excel reads it), CRLF line ends; None written as empty."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
