"""The range picker: presets (today, this week, last 30 days) or custom days, `to` exclusive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

PRESETS = ("today", "week", "last30", "custom")


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """[first, last_exclusive) of a preset; a week starts on Monday and ends today."""
    if preset == "today":
        return today, today + timedelta(days=1)
    if preset == "week":
        return today - timedelta(days=today.weekday()), today + timedelta(days=1)
    if preset == "last30":
        return today - timedelta(days=29), today + timedelta(days=1)
    raise ValueError(f"unknown preset {preset!r}")


class RangePicker(QWidget):
    """Signal `changed(first, last_exclusive)` (dates) whenever the range changes."""

    changed = Signal(object, object)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.preset = QComboBox()
        self.preset.setObjectName("rangePreset")
        for key, text in zip(
            PRESETS,
            (self.tr("Today"), self.tr("This week"), self.tr("Last 30 days"), self.tr("Custom")),
            strict=True,
        ):
            self.preset.addItem(text, key)
        self.first = QDateEdit()
        self.first.setObjectName("rangeFirst")
        self.last = QDateEdit()
        self.last.setObjectName("rangeLast")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        label = QLabel(self.tr("&Range:"))
        label.setBuddy(self.preset)
        through = QLabel(self.tr("to"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (label, self.preset, self.first, through, self.last):
            layout.addWidget(widget)
        self._apply_preset()
        self.preset.currentIndexChanged.connect(self._apply_preset)
        self.first.dateChanged.connect(self._custom_changed)
        self.last.dateChanged.connect(self._custom_changed)

    def range(self) -> tuple[date, date]:
        """[first, last_exclusive); the custom "to" day is shown inclusive."""
        first = self.first.date().toPython()
        last = self.last.date().toPython()
        return first, max(first, last) + timedelta(days=1)

    def _apply_preset(self) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)
        if not custom:
            first, last = preset_range(key, self._today())
            for edit, day in ((self.first, first), (self.last, last - timedelta(days=1))):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.changed.emit(*self.range())

    def _custom_changed(self) -> None:
        if self.preset.currentData() == "custom":
            self.changed.emit(*self.range())
