"""The agent's main window: search (Ctrl+K), results, the customer card, and screen pop."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.calls import CallRecord
from callcenter.domain.customers import Customer, CustomerSummary, LookupResult
from ui.context import AppContext
from ui.models.search_results import SearchResultsModel
from ui.widgets.customer_card import CustomerCard
from ui.workers import Background, Latest

SEARCH_DEBOUNCE_MS = 200


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, background: Background | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Call Center"))
        self._context = context
        self._background = background or Background(self)
        self._searches = Latest(self._background, self)
        self._cards = Latest(self._background, self)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(
            self.tr("Search customers: name, number, email, company or id  (Ctrl+K)")
        )
        self.search_box.setClearButtonEnabled(True)
        self.results_model = SearchResultsModel(self)
        self.results = QTableView()
        self.results.setObjectName("searchResults")
        self.results.setModel(self.results_model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.verticalHeader().hide()
        self.search_status = QLabel()
        self.search_status.setObjectName("searchStatus")
        self.card = CustomerCard(context.settings.default_region)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.search_status)
        left_layout.addWidget(self.results, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.returnPressed.connect(self._focus_results)
        self.results.selectionModel().currentRowChanged.connect(self._open_current)
        self.results.activated.connect(lambda index: self._open_customer(index.row()))

        self._build_menus()
        backend = context.database.backend
        where = context.database.url.render_as_string(hide_password=True)
        self.database_status = QLabel(self.tr("Database: {0} ({1})").format(backend, where))
        self.database_status.setObjectName("databaseStatus")
        self.statusBar().addPermanentWidget(self.database_status)
        self._restore_layout()

    # -- menus -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        find = QAction(self.tr("&Search customers"), self)
        find.setShortcut(QKeySequence("Ctrl+K"))
        find.triggered.connect(self.focus_search)
        simulate = QAction(self.tr("Simulate &incoming call..."), self)
        simulate.setShortcut(QKeySequence("Ctrl+Shift+I"))
        simulate.triggered.connect(self._ask_simulated_call)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        customers = self.menuBar().addMenu(self.tr("&Customers"))
        customers.addAction(find)
        customers.addSeparator()
        customers.addAction(quit_action)
        training = self.menuBar().addMenu(self.tr("&Training"))
        training.addAction(simulate)
        self.addAction(find)

    # -- search ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _focus_results(self) -> None:
        if self.results_model.rowCount():
            self.results.setFocus()
            self.results.selectRow(0)

    def _run_search(self) -> None:
        text = self.search_box.text().strip()
        if not text:
            self.results_model.replace([])
            self.search_status.clear()
            return
        self.search_status.setText(self.tr("Searching..."))
        context, actor = self._context, self._context.actor
        self._searches.run(
            lambda: context.customers.search(actor, text), self._show_results, self._show_error
        )

    def _show_results(self, rows: list[CustomerSummary]) -> None:
        self.results_model.replace(rows)
        self.results.resizeColumnsToContents()
        self.search_status.setText(
            self.tr("%n customer(s) found", "", len(rows)) if rows else self.tr("No customer found")
        )

    # -- the card --------------------------------------------------------------------------

    def _open_current(self, current: object, _previous: object) -> None:
        row = getattr(current, "row", lambda: -1)()
        if row >= 0:
            self._open_customer(row)

    def _open_customer(self, row: int) -> None:
        self.open_customer(self.results_model.customer_at(row).id)

    def open_customer(self, customer_id: int, banner: str | None = None) -> None:
        context, actor = self._context, self._context.actor

        def load() -> tuple[Customer, list[CallRecord]]:
            service = context.customers
            return service.get(actor, customer_id), service.recent_calls(actor, customer_id)

        def show(result: tuple[Customer, list[CallRecord]]) -> None:
            self.card.show_customer(*result)
            if banner:
                self.card.show_banner(banner)

        self._cards.run(load, show, self._show_error)

    # -- screen pop ------------------------------------------------------------------------

    def _ask_simulated_call(self) -> None:
        number, ok = QInputDialog.getText(
            self, self.tr("Simulate incoming call"), self.tr("Caller's number:")
        )
        if ok:
            self.pop(number)

    def pop(self, caller_id: str) -> None:
        """A call rings: look the caller up off the GUI thread and fill the card."""
        context, actor = self._context, self._context.actor
        self.card.clear(self.tr("Incoming call from {0}...").format(caller_id or "?"))
        self._cards.run(
            lambda: context.lookup.lookup(caller_id, actor), self._popped, self._show_error
        )

    def _popped(self, result: LookupResult) -> None:
        if result.withheld:
            self.card.clear(self.tr("Withheld number"))
            self.card.show_banner(self.tr("The caller withheld their number: search for them."))
            self.focus_search()
            return
        if not result.matches:
            self.card.clear(self.tr("Unknown caller {0}").format(result.normalized or result.input))
            self.search_box.setText(result.normalized or result.input)
            return
        first = result.matches[0]
        others = len(result.matches) - 1
        banner = self.tr("Incoming call from {0}").format(first.phone)
        if others:
            banner += self.tr(" (and %n other customer(s) on this number)", "", others)
            self.search_box.setText(result.normalized)
        self.open_customer(first.id, banner)

    def _show_error(self, exc: Exception) -> None:
        self.statusBar().showMessage(self.tr("Error: {0}").format(exc), 10_000)
        self.search_status.setText(self.tr("Could not load: {0}").format(exc))

    # -- layout persistence ----------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 720)
        splitter = settings.value("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: object) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        super().closeEvent(event)  # type: ignore[arg-type]
