"""The customer card: who is calling (or a chooser, a new-customer form, or "withheld")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import Customer, CustomerMatch, LookupResult
from callcenter.domain.phone import format_for_display
from ui.complaints.card_section import CustomerComplaints
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.theme import MARGIN, SPACING, Severity, set_role
from ui.widgets.banner import Banner
from ui.widgets.customer_chooser import CustomerChooser
from ui.widgets.customer_details import CustomerDetails
from ui.widgets.customer_editor import CustomerEditor
from ui.widgets.new_customer import NewCustomerForm


class CustomerCard(QFrame):
    """Signals: dial_requested(str E.164 key) from any number on the card;
    search_requested() when the caller must be found by search (withheld number);
    customer_shown(int) when a customer fills the card (popped, chosen, created, opened)."""

    dial_requested = Signal(str)
    search_requested = Signal()
    customer_shown = Signal(int)

    def __init__(
        self, context: AppContext, background: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self._context = context
        self._runner = background
        self._generation = 0
        self._customer: Customer | None = None
        self._match: CustomerMatch | None = None
        self._caller_key = ""
        self.editor: CustomerEditor | None = None

        self.banner = Banner("customerBanner")
        self.name = QLabel()
        self.name.setObjectName("customerName")
        set_role(self.name, "title")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_action = QAction(self.tr("&Edit customer..."), self)
        self.edit_action.setObjectName("editCustomerAction")
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.edit_action.triggered.connect(self.edit)
        self.addAction(self.edit_action)
        self.edit_button = QPushButton(icon("edit"), self.tr("Edit... (F2)"))
        self.edit_button.setObjectName("customerEditButton")
        self.edit_button.clicked.connect(self.edit)
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)

        self.message = QLabel()
        self.message.setObjectName("customerMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details = CustomerDetails(context, background)
        self.details.dial_requested.connect(self.dial_requested)
        self.chooser = CustomerChooser()
        self.chooser.chosen.connect(self._chosen)
        self.chooser.none_chosen.connect(self._new_customer_instead)
        self.new_customer = NewCustomerForm(context, background)
        self.new_customer.created.connect(
            lambda customer_id: self._load(
                customer_id, self.tr("New customer saved."), None, Severity.OK
            )
        )
        self.new_customer.attached.connect(
            lambda customer_id: self._load(
                customer_id, self.tr("Number added to this customer."), None, Severity.OK
            )
        )
        self.withheld = self._withheld_page()
        self.pages = QStackedWidget()
        self.pages.setObjectName("customerCardPages")
        for page in (self.message, self.details, self.chooser, self.new_customer, self.withheld):
            self.pages.addWidget(page)

        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.banner)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self.complaints = CustomerComplaints(context, background, self)  # open ones, by SLA
        layout.addWidget(self.complaints)
        self.clear()

    def _withheld_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("customerWithheld")
        text = QLabel(
            self.tr(
                "The caller withheld their number. Ask for their name, customer number or "
                "e-mail, and search for them."
            )
        )
        text.setWordWrap(True)
        self.search_button = QPushButton(icon("search"), self.tr("&Search customers (Ctrl+K)"))
        self.search_button.setObjectName("withheldSearchButton")
        self.search_button.clicked.connect(self.search_requested)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text)
        layout.addWidget(self.search_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # -- what the card shows ---------------------------------------------------------------

    @property
    def customer(self) -> Customer | None:
        """The customer on the card, fully loaded; None for anything else."""
        return self._customer

    def clear(self, message: str | None = None) -> None:
        """An empty card (or `message` in the title), e.g. while a caller is looked up."""
        self._generation += 1
        self._set_customer(None)
        self.name.setText(message or self.tr("No customer selected"))
        self.message.setText(
            "" if message else self.tr("Search (Ctrl+K) or take a call to see a customer here.")
        )
        self.details.clear()
        self.banner.clear()
        self.pages.setCurrentWidget(self.message)

    def show_banner(self, text: str, severity: Severity = Severity.INFO) -> None:
        self.banner.show_message(text, severity)

    def show_lookup(self, result: LookupResult) -> None:
        """What a screen pop found: one customer, several, nobody, or a withheld number."""
        self.clear(None)
        self._caller_key = result.normalized
        if result.withheld:
            self.name.setText(self.tr("Withheld number"))
            self.show_banner(self.tr("Incoming call from a withheld number."), Severity.WARNING)
            self.pages.setCurrentWidget(self.withheld)
            self.search_requested.emit()
            return
        shown = format_for_display(result.normalized, self._context.settings.default_region)
        calling = self.tr("Incoming call from {0}").format(shown or result.input)
        if not result.matches:
            self.name.setText(self.tr("Unknown caller"))
            self.show_banner(calling + self.tr(": not in the customer list."), Severity.WARNING)
            self.pages.setCurrentWidget(self.new_customer)
            self.new_customer.start(result.normalized or result.input)
            return
        if len(result.matches) == 1:
            self._load(result.matches[0].id, calling, result.matches[0])
            return
        self.name.setText(self.tr("Which customer is calling?"))
        self.show_banner(
            calling + self.tr(" (%n customers on this number)", "", len(result.matches))
        )
        self.pages.setCurrentWidget(self.chooser)
        self.chooser.show_matches(result.matches)

    def open_customer(self, customer_id: int, banner: str | None = None) -> None:
        """Show a customer (e.g. picked from the search results), loaded off the GUI thread."""
        self._caller_key = ""
        self._load(customer_id, banner, None)

    def _load(
        self,
        customer_id: int,
        banner: str | None,
        match: CustomerMatch | None,
        severity: Severity = Severity.INFO,
    ) -> None:
        """Load the customer and fill the card; `match` is what the screen pop already knows
        (shown at once, with its complaint and callback counts). The caller's number stays."""
        self._generation += 1
        generation = self._generation
        self._match = match
        if banner:
            self.show_banner(banner, severity)
        else:
            self.banner.clear()
        if match is not None:  # what the pop knows, painted at once
            self.name.setText(match.name)
            known = [part for part in (match.company, match.tier) if part]
            self.message.setText("  \u00b7  ".join([*known, self.tr("loading details...")]))
            self.pages.setCurrentWidget(self.message)
        context, actor = self._context, self._context.actor
        self._runner.run(
            lambda: context.customers.get(actor, customer_id),
            lambda customer: self._loaded(generation, customer),
            lambda exc: self._failed(generation, exc),
            owner=self,  # a late answer for a card already gone is dropped
        )

    def edit(self) -> None:
        """Open the customer page (editor) for the customer on the card."""
        customer = self._customer
        if customer is None:
            return
        if self.editor is not None and self.editor.isVisible():
            if self.editor.customer.id == customer.id:
                self.editor.raise_()
                self.editor.activateWindow()
                return
            self.editor.close()
        self.editor = CustomerEditor(self._context, self._runner, customer, self)
        self.editor.saved.connect(self._edited)
        self.editor.show()
        self.editor.activateWindow()

    # -- answers ---------------------------------------------------------------------------

    def _loaded(self, generation: int, customer: Customer) -> None:
        if generation != self._generation:
            return
        self._show_customer(customer)

    def _show_customer(self, customer: Customer) -> None:
        match = self._match if self._match and self._match.id == customer.id else None
        self._set_customer(customer)
        self.name.setText(customer.name)
        self.details.show_customer(
            customer,
            self._caller_key or None,
            match.open_complaints if match else 0,
            match.due_callbacks if match else 0,
        )
        self.pages.setCurrentWidget(self.details)
        self.customer_shown.emit(customer.id)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            message = self.tr("Could not load the customer: {0}").format(exc)
            self.show_banner(message, Severity.ERROR)

    def _chosen(self, match: CustomerMatch) -> None:
        self._load(match.id, self.banner.message() or None, match)

    def _new_customer_instead(self) -> None:
        self.name.setText(self.tr("New customer"))
        self.pages.setCurrentWidget(self.new_customer)
        self.new_customer.start(self._caller_key)

    def _edited(self, customer: Customer) -> None:
        if self._customer is not None and self._customer.id == customer.id:
            self._show_customer(customer)
            self.show_banner(self.tr("Changes saved."), Severity.OK)

    def _set_customer(self, customer: Customer | None) -> None:
        self._customer = customer
        self.edit_action.setEnabled(customer is not None)
        self.edit_button.setVisible(customer is not None)
