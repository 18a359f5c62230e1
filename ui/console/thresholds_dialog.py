"""Where the supervisor sets the wallboard's colour thresholds; a wrong pair is named, not saved."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.console.thresholds import Threshold, Thresholds


class ThresholdsDialog(QDialog):
    def __init__(self, thresholds: Thresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thresholdsDialog")
        self.setWindowTitle(self.tr("Wallboard colours"))
        self._items = list(thresholds)
        self.spins: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Figure")), 0, 0)
        grid.addWidget(QLabel(self.tr("Amber from")), 0, 1)
        grid.addWidget(QLabel(self.tr("Red from")), 0, 2)
        for row, item in enumerate(self._items, start=1):
            label = QLabel(
                item.label
                + (
                    self.tr(" (higher is worse)")
                    if item.higher_is_worse
                    else self.tr(" (lower is worse)")
                )
            )
            amber, red = self._spin(item, item.amber), self._spin(item, item.red)
            amber.setObjectName(f"{item.figure}_amber")
            red.setObjectName(f"{item.figure}_red")
            label.setBuddy(amber)
            grid.addWidget(label, row, 0)
            grid.addWidget(amber, row, 1)
            grid.addWidget(red, row, 2)
            self.spins[item.figure] = (amber, red)
        self.error = QLabel()
        self.error.setObjectName("thresholdsError")
        self.error.setStyleSheet("color: #b71c1c")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _spin(self, item: Threshold, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 100 if item.unit == " %" else 86_400)
        spin.setDecimals(1 if item.unit == " %" else 0)
        spin.setSuffix(item.unit)
        spin.setValue(value)
        return spin

    def thresholds(self) -> Thresholds:
        return Thresholds(
            tuple(
                replace(
                    item,
                    amber=self.spins[item.figure][0].value(),
                    red=self.spins[item.figure][1].value(),
                )
                for item in self._items
            )
        )

    def accept(self) -> None:
        problems = [p for item in self.thresholds() if (p := item.problem())]
        if problems:
            self.error.setText("\n".join(problems))
            return
        super().accept()
