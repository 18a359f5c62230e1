"""The agent's main window: the call panel, search (Ctrl+K), the customer card, screen pop.

The working parts (state, calls, phone lines, the outbox) live in `ui.desk.Desk`; the menus in
`ui.window_menus`. This class lays them out and connects them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from callcenter import __version__, logs
from callcenter.db import migrate
from callcenter.domain.calls import Disposition
from callcenter.domain.customers import CustomerSummary, LookupResult
from ui.agent_status import AgentStateSelector
from ui.call_panel import CallPanel
from ui.console.install import install_console
from ui.context import AppContext
from ui.desk import Desk
from ui.icons import app_icon
from ui.models.search_results import SearchResultsModel
from ui.shortcuts_dialog import ShortcutsDialog
from ui.status_indicators import DatabaseIndicator, TelephonyIndicator
from ui.widgets.call_history import MyCallsToday
from ui.widgets.customer_card import CustomerCard
from ui.window_menus import build_menus
from ui.workers import Background, Latest

SEARCH_DEBOUNCE_MS = 200
CLOSE_WAIT_MS = 5000


class MainWindow(QMainWindow):
    #: The window has closed; True when the agent signed out (the app asks for a sign-in again).
    closed = Signal(bool)

    disposition_menu: QMenu
    customers_menu: QMenu

    def __init__(
        self,
        context: AppContext,
        background: Background | None = None,
        desk: Desk | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Call Center"))
        self.setWindowIcon(app_icon())
        self._context = context
        self._background = background or Background(self)
        self._searches = Latest(self._background, self)
        self._cards = Latest(self._background, self)
        self.desk = desk or Desk(context, self._background)
        self.desk.setParent(self)
        self._closing = False
        self._discarding = False
        self._signing_out = False

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
        self.card = CustomerCard(context, self._background)
        self.card.search_requested.connect(self.focus_search)

        self.my_calls = MyCallsToday(context, self._background)
        my_calls_box = QWidget()
        my_calls_layout = QVBoxLayout(my_calls_box)
        my_calls_layout.setContentsMargins(0, 0, 0, 0)
        my_calls_heading = QLabel(self.tr("My calls today"))
        my_calls_heading.setProperty("role", "heading")
        my_calls_layout.addWidget(my_calls_heading)
        my_calls_layout.addWidget(self.my_calls, 1)
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.setObjectName("leftSplitter")
        self.left_splitter.addWidget(self.results)
        self.left_splitter.addWidget(my_calls_box)
        self.left_splitter.setStretchFactor(0, 3)
        self.left_splitter.setStretchFactor(1, 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.search_status)
        left_layout.addWidget(self.left_splitter, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.card)
        self.call_panel = CallPanel(self.desk.calls, context.settings.default_region)
        self.splitter.addWidget(self.call_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.setCentralWidget(self.splitter)
        self.state_selector = AgentStateSelector(self.desk.status, context.settings.break_reasons)
        toolbar = QToolBar(self.tr("Agent"))
        toolbar.setObjectName("agentToolBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.state_selector)
        self.addToolBar(toolbar)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.returnPressed.connect(self._focus_results)
        self.results.selectionModel().currentRowChanged.connect(self._open_current)
        self.results.activated.connect(lambda index: self._open_customer(index.row()))
        self.results.doubleClicked.connect(self._dial_from_results)

        build_menus(self)
        install_console(self, context, self._background)
        self.database_status = DatabaseIndicator(
            context.database, self.desk.outbox, self._background
        )
        self.telephony_status = TelephonyIndicator(self.desk.phone_line)
        self.statusBar().addPermanentWidget(self.telephony_status)
        self.statusBar().addPermanentWidget(self.database_status)
        self.desk.calls.pop_requested.connect(self.pop)
        self.card.customer_shown.connect(self._link_caller)
        self.card.dial_requested.connect(self.call_panel.dial_number)
        self.my_calls.dial_requested.connect(self.call_panel.dial_number)
        self.desk.calls.saved.connect(lambda _uid: self.my_calls.refresh())
        self.desk.status.sign_out_requested.connect(self.sign_out)
        self.desk.outbox.rejected.connect(self._show_rejected)
        self.desk.outbox.drained.connect(self._drained)
        self._restore_layout()
        self._load_dispositions()
        self.desk.start()

    @property
    def background(self) -> Background:
        return self._background

    # -- menus and the desk ----------------------------------------------------------------

    def _load_dispositions(self) -> None:
        context, actor = self._context, self._context.actor
        self._background.run(
            lambda: context.call_log.dispositions(actor),
            self._show_dispositions,
            self._show_error,
            owner=self,
        )

    def _show_dispositions(self, dispositions: list[Disposition]) -> None:
        self.disposition_menu.clear()
        for shortcut_action in self.call_panel.set_dispositions(dispositions):
            self.disposition_menu.addAction(shortcut_action)
            self.addAction(shortcut_action)

    def _dial_from_results(self, index: QModelIndex) -> None:
        if index.column() == SearchResultsModel.PHONE_COLUMN:
            phone = self.results_model.customer_at(index.row()).phone
            if phone:
                self.call_panel.dial_number(phone)

    def call_customer(self) -> None:
        """Dial the customer on the card (their first number), else the selected search result."""
        customer = self.card.customer
        if customer is not None and customer.phones:
            self.call_panel.dial_number(customer.phones[0].key or customer.phones[0].raw)
            return
        row = self.results.currentIndex().row()
        if row >= 0 and (phone := self.results_model.customer_at(row).phone):
            self.call_panel.dial_number(phone)

    def _link_caller(self, customer_id: int) -> None:
        """The first customer the card shows in a call (popped, chosen, created) is the caller."""
        call, customer = self.desk.calls.call, self.card.customer
        if call is not None and call.customer_id is None and customer is not None:
            self.desk.calls.link_customer(customer_id, customer.name)

    def open_state_selector(self) -> None:
        self.state_selector.combo.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.state_selector.combo.showPopup()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.menuBar(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Call Center"), self.about_text())

    def about_text(self) -> str:
        """Version, database (password masked), schema revision, signed-in user, log folder."""
        # The sign-in checked the schema is exactly this build's head revision.
        return self.tr(
            "Call Center {0}\nDatabase: {1}\nSchema revision: {2}\nSigned in as {3}\n"
            "Log folder: {4}"
        ).format(
            __version__,
            self._context.database.url.render_as_string(hide_password=True),
            migrate.head_revision(),
            self._context.actor.login,
            logs.log_dir(),
        )

    def open_log_folder(self) -> None:
        folder = logs.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.statusBar().showMessage(
                self.tr("No file manager could open the log folder: {0}").format(folder), 30_000
            )

    def _show_rejected(self, text: str) -> None:
        # Not modal: the agent may be on the next call already; the notice waits for them.
        notice = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not saved"), text, parent=self)
        notice.setObjectName("rejectedNotice")
        notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        notice.setModal(False)
        notice.show()
        self.statusBar().showMessage(text, 30_000)

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
        """Show a customer on the card (loaded off the GUI thread by the card)."""
        self.card.open_customer(customer_id, banner)

    # -- screen pop ------------------------------------------------------------------------

    def ask_simulated_call(self) -> None:
        number, ok = QInputDialog.getText(
            self, self.tr("Simulate incoming call"), self.tr("Caller's number:")
        )
        if ok:
            self.desk.training.ring(number, queue=self.tr("Training"))

    def simulate_remote_hang_up(self) -> None:
        call = self.desk.calls.call
        if call is not None and call.source.value == "simulator":
            self.desk.training.remote_hang_up(call.source_call_id)

    def pop(self, caller_id: str) -> None:
        """A call rings: look the caller up off the GUI thread and fill the card."""
        context, actor = self._context, self._context.actor
        self.card.clear(self.tr("Incoming call from {0}...").format(caller_id or "?"))
        self._cards.run(
            lambda: context.lookup.lookup(caller_id, actor), self._popped, self._show_error
        )

    def _popped(self, result: LookupResult) -> None:
        """The card shows the customer, a chooser, a new-customer form, or "withheld" (which
        asks for the search box through `card.search_requested`)."""
        self.card.show_lookup(result)

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
        left = settings.value("main/leftSplitter")
        if left is not None:
            self.left_splitter.restoreState(left)

    def sign_out(self) -> None:
        self._signing_out = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Log the agent out and let the outbox save everything before the window goes."""
        if not self._closing:
            call = self.desk.calls.call
            if call is not None and call.phase.value != "wrap_up":
                # Closing mid-call would drop the customer; say so instead of a blocking dialog.
                self.call_panel.show_message(self.tr("You are on a call: hang up before closing."))
                self._signing_out = False
                event.ignore()
                return
            self._closing = True
            settings = QSettings()
            settings.setValue("main/geometry", self.saveGeometry())
            settings.setValue("main/splitter", self.splitter.saveState())
            settings.setValue("main/leftSplitter", self.left_splitter.saveState())
            self.desk.stop()
            if self.desk.outbox.pending and not self._discarding:
                event.ignore()
                self.statusBar().showMessage(self.tr("Saving before closing..."))
                QTimer.singleShot(CLOSE_WAIT_MS, self._close_anyway)
                return
        self._closed(event)

    def _drained(self) -> None:
        if self._closing:
            self.close()

    def _close_anyway(self) -> None:
        """The outbox did not drain in time: ask before dropping what the database never got."""
        waiting = self.desk.outbox.pending
        if not self.isVisible() or not waiting:
            self.close()
            return
        question = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Changes not saved"),
            self.tr(
                "%n change(s) could not be saved because the database is unreachable. "
                "Close anyway and lose them?",
                "",
                waiting,
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Retry,
            self,
        )
        question.setObjectName("unsavedOnClose")
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.finished.connect(self._answered_unsaved)
        question.open()

    def _answered_unsaved(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Discard:
            self._discarding = True
            self.close()
            return
        self.desk.outbox.retry_now()
        QTimer.singleShot(CLOSE_WAIT_MS, self._close_anyway)

    def _closed(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit(self._signing_out)
