"""The wallboard's colour thresholds (green, amber, red), set by the supervisor and kept in
QSettings, so each console keeps its own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QColor

SETTINGS_GROUP = "console/thresholds"


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


# Light enough for black text, distinct in the three common colour-vision deficiencies when
# read together with the word in the cell's tooltip.
BACKGROUND = {
    Level.GREEN: QColor("#c8e6c9"),
    Level.AMBER: QColor("#ffe0b2"),
    Level.RED: QColor("#ffcdd2"),
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """Amber from `amber`, red from `red`: at or above them when higher is worse, at or below
    them when lower is worse (service level)."""

    figure: str
    label: str
    unit: str
    amber: float
    red: float
    higher_is_worse: bool = True

    def level(self, value: float | None) -> Level | None:
        if value is None:
            return None
        if self.higher_is_worse:
            return (
                Level.RED
                if value >= self.red
                else Level.AMBER
                if value >= self.amber
                else Level.GREEN
            )
        return (
            Level.RED if value <= self.red else Level.AMBER if value <= self.amber else Level.GREEN
        )

    def describe(self) -> str:
        word = "at or above" if self.higher_is_worse else "at or below"
        return _tr("amber {0} {1:g}{3}, red {0} {2:g}{3}").format(
            word, self.amber, self.red, self.unit
        )

    def problem(self) -> str | None:
        """Why this pair makes no sense, or None."""
        if self.amber < 0 or self.red < 0:
            return _tr("{0}: thresholds cannot be negative").format(self.label)
        if self.higher_is_worse and self.red < self.amber:
            return _tr("{0}: red must be at or above amber (higher is worse)").format(self.label)
        if not self.higher_is_worse and self.red > self.amber:
            return _tr("{0}: red must be at or below amber (lower is worse)").format(self.label)
        return None


def _tr(text: str) -> str:
    return QCoreApplication.translate("Thresholds", text)


def defaults() -> tuple[Threshold, ...]:
    return (
        Threshold("waiting", _tr("Calls waiting"), "", 3, 6),
        Threshold("longest_wait_s", _tr("Longest wait"), " s", 20, 60),
        Threshold("service_level_pct", _tr("Service level"), " %", 80, 70, False),
        Threshold("asa_s", _tr("ASA"), " s", 20, 40),
        Threshold("abandon_rate_pct", _tr("Abandon rate"), " %", 5, 10),
        Threshold("after_call_work_s", _tr("Time in after-call work"), " s", 120, 300),
        Threshold("break_s", _tr("Time on break"), " s", 900, 1800),
    )


class Thresholds:
    """The thresholds in use, by figure; `save` keeps them for the next session."""

    def __init__(self, items: tuple[Threshold, ...]) -> None:
        self._items = {item.figure: item for item in items}

    def __iter__(self) -> Iterator[Threshold]:
        return iter(self._items.values())

    def get(self, figure: str) -> Threshold | None:
        return self._items.get(figure)

    def level(self, figure: str, value: float | None) -> Level | None:
        item = self._items.get(figure)
        return item.level(value) if item else None

    @classmethod
    def load(cls) -> Thresholds:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        items = []
        for item in defaults():
            amber = _number(settings.value(f"{item.figure}/amber"), item.amber)
            red = _number(settings.value(f"{item.figure}/red"), item.red)
            changed = replace(item, amber=amber, red=red)
            # A hand-edited settings file with a nonsensical pair falls back to the default.
            items.append(item if changed.problem() else changed)
        settings.endGroup()
        return cls(tuple(items))

    def save(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        for item in self._items.values():
            settings.setValue(f"{item.figure}/amber", item.amber)
            settings.setValue(f"{item.figure}/red", item.red)
        settings.endGroup()
        settings.sync()


def _number(value: object, default: float) -> float:
    try:
        return float(str(value)) if value is not None else default
    except (TypeError, ValueError):
        return default
