"""The staffing tab: for a queue and a day, agents required per interval beside those logged in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.calls import Queue
from callcenter.kpi.forecast import DEFAULT_WEEKS, DayForecast
from callcenter.kpi.intervals import Interval
from ui.console.exports import ask_save_path, write_csv
from ui.console.staffing_model import HEADERS, StaffingModel


class StaffingTab(QWidget):
    """Signals: `requested()` when the day, queue, interval or weeks change (the window loads
    the forecast and calls `show_forecast`); `exported(path)` after the CSV is written."""

    requested = Signal()
    exported = Signal(str)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffingTab")
        self.queue = QComboBox()
        self.queue.setObjectName("staffingQueue")
        self.day = QDateEdit()
        self.day.setObjectName("staffingDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        now = today()
        self.day.setDate(QDate(now.year, now.month, now.day))
        self.interval = QComboBox()
        self.interval.setObjectName("staffingInterval")
        self.interval.addItem(self.tr("15 minutes"), Interval.QUARTER_HOUR)
        self.interval.addItem(self.tr("Hour"), Interval.HOUR)
        self.weeks = QSpinBox()
        self.weeks.setObjectName("staffingWeeks")
        self.weeks.setRange(1, 12)
        self.weeks.setValue(DEFAULT_WEEKS)
        self.weeks.setSuffix(self.tr(" weeks"))
        self.shrinkage = QDoubleSpinBox()
        self.shrinkage.setObjectName("staffingShrinkage")
        self.shrinkage.setRange(0, 90)
        self.shrinkage.setValue(30)
        self.shrinkage.setSuffix(" %")
        self.default_aht = QSpinBox()
        self.default_aht.setObjectName("staffingDefaultAht")
        self.default_aht.setRange(1, 7200)
        self.default_aht.setValue(180)
        self.default_aht.setSuffix(" s")
        self.default_aht.setToolTip(self.tr("AHT used when the recent weeks answered no calls"))
        self.model = StaffingModel(self)
        self.table = QTableView()
        self.table.setObjectName("staffingTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTabKeyNavigation(False)
        self.note = QLabel()
        self.note.setObjectName("staffingNote")
        self.note.setWordWrap(True)
        export = QPushButton(self.tr("Export CSV..."))
        export.setObjectName("export_staffing_csv")
        export.clicked.connect(self._ask_export)
        controls = QHBoxLayout()
        for text, widget in (
            (self.tr("Q&ueue:"), self.queue),
            (self.tr("&Day:"), self.day),
            (self.tr("I&nterval:"), self.interval),
            (self.tr("&Forecast from:"), self.weeks),
            (self.tr("Shrin&kage:"), self.shrinkage),
            (self.tr("Default &AHT:"), self.default_aht),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._queues: dict[int, Queue] = {}
        self._shown: tuple[int, DayForecast] | None = None
        self.queue.currentIndexChanged.connect(lambda _: self.requested.emit())
        self.day.dateChanged.connect(lambda _: self.requested.emit())
        self.interval.currentIndexChanged.connect(lambda _: self.requested.emit())
        self.weeks.valueChanged.connect(lambda _: self.requested.emit())
        self.shrinkage.valueChanged.connect(self.model.set_shrinkage)
        self.default_aht.valueChanged.connect(lambda _: self._replan())
        self.model.refused.connect(self.note.setText)

    def set_queues(self, queues: tuple[Queue, ...]) -> None:
        self._queues = {queue.id: queue for queue in queues}
        current = self.queue.currentData()
        self.queue.blockSignals(True)
        self.queue.clear()
        for queue in queues:
            self.queue.addItem(queue.name, queue.id)
        if current in self._queues:
            self.queue.setCurrentIndex(self.queue.findData(current))
        self.queue.blockSignals(False)
        self.requested.emit()

    def request(self) -> tuple[int, date, Interval, int] | None:
        """(queue id, day, interval, weeks) to forecast, or None without a queue."""
        queue_id = self.queue.currentData()
        if queue_id is None:
            return None
        interval = Interval(self.interval.currentData())  # Qt hands a StrEnum back as a str
        return queue_id, self.day.date().toPython(), interval, self.weeks.value()

    def _replan(self) -> None:
        # A new default AHT: plan the shown forecast again (typed-over values start afresh).
        if self._shown is not None:
            self.show_forecast(*self._shown)

    def show_forecast(self, queue_id: int, forecast: DayForecast) -> None:
        self._shown = (queue_id, forecast)
        queue = self._queues[queue_id]
        self.model.set_forecast(
            forecast, queue, float(self.default_aht.value()), self.shrinkage.value()
        )
        self.note.setText(
            self.tr(
                "{0}: target {1} % within {2} s. Forecast: the same weekday over the {3} weeks "
                "before {4}; type over a forecast or AHT to plan with your own."
            ).format(
                queue.name,
                queue.service_level_target_pct,
                queue.service_level_threshold_s,
                forecast.weeks,
                forecast.day.isoformat(),
            )
        )

    def _ask_export(self) -> None:
        ask_save_path(
            self, self.tr("Export staffing"), self.tr("CSV files (*.csv)"), "csv", self.export_csv
        )

    def export_csv(self, path: str) -> None:
        write_csv(
            path,
            [self.tr(header) for header, _ in HEADERS],
            (self.model.values(row) for row in self.model.rows),
        )
        self.exported.emit(path)
