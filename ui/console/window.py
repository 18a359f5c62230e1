"""The supervisor console window: Wallboard, Charts, Tables and Staffing tabs.

Only supervisors and admins may open it. Every load runs in the background (the change feed
drives the wallboard; the filters drive charts and tables; the staffing controls drive the
forecast); a busy bar in the status bar shows while one runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from callcenter.kpi.distribution import DistributionService
from callcenter.kpi.forecast import DayForecast, forecast_day
from callcenter.kpi.live import Directory, LiveService, can_supervise, utc_now
from callcenter.kpi.service import KpiService
from callcenter.live.feed import open_feed
from ui.console.charts import ChartsTab
from ui.console.filters import FilterBar
from ui.console.live_updates import FeedFactory, LiveBoard
from ui.console.performance import Performance, load_performance
from ui.console.staffing import StaffingTab
from ui.console.tables import TablesTab
from ui.console.thresholds import Thresholds
from ui.console.thresholds_dialog import ThresholdsDialog
from ui.console.wallboard import TICK_MS, Wallboard
from ui.context import AppContext
from ui.workers import Background, Latest

FILTER_DEBOUNCE_MS = 150


class ConsoleWindow(QMainWindow):
    """Signals: `performance_shown` after charts and tables show a new load; `forecast_shown`
    after the staffing table does."""

    performance_shown = Signal()
    forecast_shown = Signal()

    def __init__(
        self,
        context: AppContext,
        background: Background,
        feed_factory: FeedFactory | None = None,
        clock: Callable[[], datetime] = utc_now,
        tick_ms: int = TICK_MS,
        parent: QWidget | None = None,
    ) -> None:
        role = context.user.role if context.user is not None else None
        if not can_supervise(role):
            raise PermissionError("only supervisors and admins may open the console")
        super().__init__(parent)
        self.setObjectName("consoleWindow")
        self.setWindowTitle(self.tr("Supervisor console"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._background = background
        self._clock = clock
        zone = context.settings.report_timezone
        self._live = LiveService(
            context.database, context.actor, zone, clock, context.settings.default_region
        )
        self._kpi = KpiService(context.database, context.actor, zone)
        self._distribution = DistributionService(context.database, context.actor)
        self._directory: Directory | None = None
        # What is loading, by kind; `Latest` drops stale answers, so a kind ends with its newest.
        self._loading: dict[str, str] = {}
        # Set once closing: loads still running then find the charts taken apart.
        self._closing = False
        self.thresholds = Thresholds.load()
        database = context.database
        board = LiveBoard(
            self._live.snapshot,
            background,
            feed_factory or (lambda on_change: open_feed(database, on_change)),
            self,
        )
        self.wallboard = Wallboard(board, self.thresholds, clock, tick_ms)
        # A change the feed reports may be a new queue, team or agent: the pickers follow.
        board.loaded.connect(lambda _snapshot: self.refresh_directory())
        self._directories = Latest(background, self)
        self.filters = FilterBar(self._today)
        self.charts = ChartsTab()
        self.tables = TablesTab(self.thresholds, clock())
        self.staffing = StaffingTab(self._today)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("consoleTabs")
        self.tabs.addTab(self.wallboard, self.tr("&Wallboard"))
        self.tabs.addTab(self.charts, self.tr("C&harts"))
        self.tabs.addTab(self.tables, self.tr("&Tables"))
        self.tabs.addTab(self.staffing, self.tr("&Staffing"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.filters)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.busy = QProgressBar()
        self.busy.setObjectName("consoleBusy")
        self.busy.setRange(0, 0)  # no known length: a moving bar
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)

        self._performance = Latest(background, self)
        self._forecasts = Latest(background, self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.load_performance)
        self.filters.changed.connect(self._debounce.start)
        self.staffing.requested.connect(self.load_forecast)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.charts.exported.connect(self._exported)
        self.tables.exported.connect(self._exported)
        self.staffing.exported.connect(self._exported)
        self._build_menus()
        self._tab_changed(0)
        self._restore()

    # -- menus and keys ------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], Any], *keys: Any) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(slot)
        self.addAction(action)  # works with the menu bar hidden (full screen)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        console = bar.addMenu(self.tr("&Console"))
        console.addAction(self._action(self.tr("&Reload"), self.reload, "Ctrl+R"))
        console.addSeparator()
        console.addAction(
            self._action(self.tr("&Close"), self.close, QKeySequence.StandardKey.Close)
        )
        view = bar.addMenu(self.tr("&View"))
        self.full_screen_action = self._action(
            self.tr("&Full screen wallboard"), self.toggle_full_screen, "F11"
        )
        view.addAction(self.full_screen_action)
        self.leave_full_screen_action = self._action(
            self.tr("Leave full screen"), self.leave_full_screen, "Esc"
        )
        self.leave_full_screen_action.setEnabled(False)
        view.addSeparator()
        view.addAction(self._action(self.tr("Next tab"), lambda: self._step_tab(1), "Ctrl+PgDown"))
        view.addAction(
            self._action(self.tr("Previous tab"), lambda: self._step_tab(-1), "Ctrl+PgUp")
        )
        view.addSeparator()
        view.addAction(self._action(self.tr("Wallboard &colours..."), self.edit_thresholds))

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _tab_changed(self, index: int) -> None:
        # The filters belong to the charts and the tables.
        self.filters.setVisible(self.tabs.widget(index) in (self.charts, self.tables))

    # -- starting ------------------------------------------------------------------------

    def start(self) -> None:
        self._begin("directory", self.tr("Loading queues and people..."))
        self.refresh_directory()
        self.wallboard.start()

    def refresh_directory(self) -> None:
        self._directories.run(self._live.directory, self._set_directory, self._failed("directory"))

    def reload(self) -> None:
        self.wallboard.reload()
        self.load_performance()
        self.load_forecast()

    def _set_directory(self, directory: Directory) -> None:
        self._end("directory")
        if self._closing or directory == self._directory:
            return
        self._directory = directory
        self.tables.set_queues(directory.queues)
        self.filters.set_directory(directory)
        self.staffing.set_queues(directory.queues)

    def _today(self) -> date:
        return self._clock().astimezone(self._kpi.zone).date()

    # -- loads ---------------------------------------------------------------------------

    def _begin(self, kind: str, text: str) -> None:
        self._loading[kind] = text
        self.busy_label.setText(text)
        self.busy.show()

    def _end(self, kind: str) -> None:
        self._loading.pop(kind, None)
        if self._loading:
            self.busy_label.setText(next(iter(self._loading.values())))
        else:
            self.busy.hide()
            self.busy_label.clear()

    def _failed(self, kind: str) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            self._end(kind)
            self.statusBar().showMessage(self.tr("Could not load: {0}").format(exc), 15_000)

        return failed

    def load_performance(self) -> None:
        if self._directory is None:
            return
        selection = self.filters.selection()
        names = {person.id: person.name for person in self._directory.people}
        kpi, distribution, clock = self._kpi, self._distribution, self._clock
        self._begin("figures", self.tr("Loading figures..."))
        self._performance.run(
            lambda: load_performance(kpi, distribution, selection, names, clock()),
            self._show_performance,
            self._failed("figures"),
        )

    def _show_performance(self, data: Performance) -> None:
        self._end("figures")
        if self._closing:
            return
        labels = {"team": self.tr("Team"), "all": self.tr("Everyone")}
        self.charts.show_performance(data, lambda key: labels.get(key, key))
        self.tables.show_rows(data.queue_table, data.agent_table, self._clock())
        self.performance_shown.emit()

    def load_forecast(self) -> None:
        request = self.staffing.request()
        if request is None:
            return
        queue_id, day, interval, weeks = request
        kpi, clock = self._kpi, self._clock
        self._begin("forecast", self.tr("Loading the forecast..."))
        self._forecasts.run(
            lambda: (queue_id, forecast_day(kpi, queue_id, day, interval, weeks, clock())),
            self._show_forecast,
            self._failed("forecast"),
        )

    def _show_forecast(self, result: tuple[int, DayForecast]) -> None:
        self._end("forecast")
        self.staffing.show_forecast(*result)
        self.forecast_shown.emit()

    def _exported(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved {0}").format(path), 10_000)

    # -- thresholds ----------------------------------------------------------------------

    def edit_thresholds(self) -> None:
        dialog = ThresholdsDialog(self.thresholds, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_thresholds(dialog.thresholds()))
        dialog.open()

    def set_thresholds(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        thresholds.save()
        self.wallboard.set_thresholds(thresholds)
        self.tables.set_thresholds(thresholds)

    # -- full screen ---------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.leave_full_screen()
            return
        self.tabs.setCurrentWidget(self.wallboard)
        for widget in (self.menuBar(), self.statusBar(), self.tabs.tabBar(), self.filters):
            widget.hide()
        self.wallboard.set_big(True)
        self.leave_full_screen_action.setEnabled(True)
        self.showFullScreen()

    def leave_full_screen(self) -> None:
        if not self.isFullScreen():
            return
        self.leave_full_screen_action.setEnabled(False)
        self.wallboard.set_big(False)
        for widget in (self.menuBar(), self.statusBar(), self.tabs.tabBar()):
            widget.show()
        self._tab_changed(self.tabs.currentIndex())
        self.showNormal()

    # -- closing -------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = QSettings().value("console/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.isFullScreen():
            QSettings().setValue("console/geometry", self.saveGeometry())
        self._closing = True
        self.wallboard.stop()
        self.charts.release()
        super().closeEvent(event)
