"""The customer page: view and edit a customer's details and numbers, checked, never overwriting
someone else's save (a stale edit is refused and offered as Reload)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import Customer, CustomerDraft, PhoneEntry
from callcenter.domain.errors import ConflictError, NotFound, ValidationError
from callcenter.services.customer_rules import CustomerInvalid, split_emails
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.theme import Severity
from ui.widgets.banner import Banner
from ui.widgets.field_errors import FieldErrors
from ui.widgets.scroll import plain_scroll_area

ENTRY_ROLE = Qt.ItemDataRole.UserRole
TEXT_FIELDS = (
    ("name", QT_TRANSLATE_NOOP("CustomerEditor", "&Name *"), "editorName"),
    ("external_id", QT_TRANSLATE_NOOP("CustomerEditor", "C&ustomer id"), "editorExternalId"),
    ("company", QT_TRANSLATE_NOOP("CustomerEditor", "Compan&y"), "editorCompany"),
    ("tier", QT_TRANSLATE_NOOP("CustomerEditor", "Tie&r"), "editorTier"),
    ("address_line", QT_TRANSLATE_NOOP("CustomerEditor", "&Address"), "editorAddress"),
    ("city", QT_TRANSLATE_NOOP("CustomerEditor", "C&ity"), "editorCity"),
    ("postal_code", QT_TRANSLATE_NOOP("CustomerEditor", "Postal &code"), "editorPostalCode"),
    ("state", QT_TRANSLATE_NOOP("CustomerEditor", "&State"), "editorState"),
    ("country", QT_TRANSLATE_NOOP("CustomerEditor", "C&ountry (ISO code)"), "editorCountry"),
)


class CustomerEditor(QDialog):
    """Signals: saved(Customer) once an edit is stored (the dialog then closes)."""

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        runner: Runner,
        customer: Customer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerEditor")
        self._context = context
        self._runner = runner
        self.customer = customer
        self.errors = FieldErrors("editor")
        self.banner = Banner("editorBanner")
        self.reload_button = QPushButton(icon("refresh-cw"), self.tr("Re&load"))
        self.reload_button.setObjectName("editorReload")
        self.reload_button.setToolTip(self.tr("Show the version saved by someone else"))
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.reload_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit] = {}
        for field, label, name in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            self.fields[field] = edit
            self._add_row(form, self.tr(str(label)), field, edit)
            if field == "tier":
                self._add_emails_and_phones(form)
        self.fields["country"].setMaxLength(2)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("editorNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 5)
        self._add_row(form, self.tr("No&tes"), "notes", self.notes)
        self.meta = QLabel()
        self.meta.setObjectName("editorMeta")
        content = QWidget()
        content.setLayout(form)
        scroll = plain_scroll_area(content)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("editorSave")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(banner_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.meta)
        layout.addWidget(self.buttons)
        self.resize(600, 640)
        self.load(customer)

    def _add_row(
        self,
        form: QFormLayout,
        label: str,
        field: str,
        widget: QWidget,
        focus: QWidget | None = None,
    ) -> None:
        text = QLabel(label)
        text.setBuddy(focus or widget)
        form.addRow(text, self.errors.wrap(field, widget, focus))

    def _add_emails_and_phones(self, form: QFormLayout) -> None:
        self.emails = QLineEdit()
        self.emails.setObjectName("editorEmails")
        self.emails.setPlaceholderText(self.tr("name@example.com; another@example.com"))
        self._add_row(form, self.tr("&E-mail"), "emails", self.emails)
        self.phones = QTableWidget(0, 2)
        self.phones.setObjectName("editorPhones")
        self.phones.setAccessibleName(self.tr("Phone numbers"))
        self.phones.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Label")])
        self.phones.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.phones.verticalHeader().hide()
        self.phones.setTabKeyNavigation(False)
        self.phones.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.phones.setMinimumHeight(self.phones.verticalHeader().defaultSectionSize() * 4)
        self.add_phone_button = QPushButton(self.tr("A&dd number"))
        self.add_phone_button.setObjectName("editorAddPhone")
        self.add_phone_button.clicked.connect(self.add_phone)
        self.remove_phone_button = QPushButton(self.tr("Re&move number"))
        self.remove_phone_button.setObjectName("editorRemovePhone")
        self.remove_phone_button.clicked.connect(self.remove_phone)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_phone_button)
        buttons.addWidget(self.remove_phone_button)
        buttons.addStretch(1)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.phones)
        box_layout.addLayout(buttons)
        self._add_row(form, self.tr("&Phones"), "phones", box, focus=self.phones)

    # -- the form --------------------------------------------------------------------------

    def load(self, customer: Customer) -> None:
        """Show `customer` as stored (on opening, and on Reload)."""
        self.customer = customer
        self.setWindowTitle(self.tr("Customer \u2014 {0}").format(customer.name))
        for field, edit in self.fields.items():
            edit.setText(getattr(customer, field) or "")
        self.emails.setText("; ".join(customer.emails))
        self.notes.setPlainText(customer.notes or "")
        self.phones.setRowCount(0)
        for phone in customer.phones:
            self._append_phone(phone.raw, phone.label or "", phone)
        self.errors.clear()
        updated = customer.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.meta.setText(
            self.tr("Version {0}, last changed by {1} on {2}").format(
                customer.version, customer.updated_by, updated
            )
        )

    def draft(self) -> CustomerDraft:
        phones = []
        for row in range(self.phones.rowCount()):
            number = self.phones.item(row, 0)
            label_item = self.phones.item(row, 1)
            raw = number.text().strip() if number else ""
            label = label_item.text().strip() if label_item else ""
            stored: PhoneEntry | None = number.data(ENTRY_ROLE) if number else None
            if stored is not None and stored.raw == raw:
                phones.append(PhoneEntry(stored.raw, stored.key, stored.extension, label))
            else:
                phones.append(PhoneEntry(raw, "", None, label))
        values = {field: edit.text() for field, edit in self.fields.items()}
        return CustomerDraft(
            phones=tuple(phones),
            emails=split_emails(self.emails.text()),
            notes=self.notes.toPlainText(),
            **values,
        )

    def add_phone(self) -> None:
        row = self._append_phone("", "", None)
        self.phones.setFocus()
        self.phones.setCurrentCell(row, 0)
        item = self.phones.item(row, 0)
        if item is not None:
            self.phones.editItem(item)

    def remove_phone(self) -> None:
        row = self.phones.currentRow()
        if row >= 0:
            self.phones.removeRow(row)

    def _append_phone(self, raw: str, label: str, stored: PhoneEntry | None) -> int:
        row = self.phones.rowCount()
        self.phones.insertRow(row)
        number = QTableWidgetItem(raw)
        number.setData(ENTRY_ROLE, stored)
        if stored is not None:
            number.setToolTip(stored.key)
        self.phones.setItem(row, 0, number)
        self.phones.setItem(row, 1, QTableWidgetItem(label))
        return row

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        context, actor = self._context, self._context.actor
        customer_id, version, draft = self.customer.id, self.customer.version, self.draft()
        self.errors.clear()
        self.banner.clear()
        self.reload_button.hide()
        self.save_button.setEnabled(False)
        self._runner.run(
            lambda: context.customers.update(actor, customer_id, draft, version),
            self._saved,
            self._save_failed,
        )

    def reload(self) -> None:
        context, actor, customer_id = self._context, self._context.actor, self.customer.id
        self.reload_button.setEnabled(False)
        self._runner.run(
            lambda: context.customers.get(actor, customer_id), self._reloaded, self._save_failed
        )

    def _saved(self, customer: Customer) -> None:
        self.save_button.setEnabled(True)
        self.customer = customer
        self.saved.emit(customer)
        self.accept()

    def _reloaded(self, customer: Customer) -> None:
        self.reload_button.setEnabled(True)
        self.reload_button.hide()
        self.save_button.setEnabled(True)
        self.load(customer)
        self.banner.show_message(
            self.tr("Showing the version {0} saved. Apply your changes again, then save.").format(
                customer.updated_by
            ),
            Severity.INFO,
        )

    def _save_failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.reload_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            self.banner.show_message(
                self.tr(
                    "Someone else saved this customer since you opened it. Your changes are "
                    "not saved. Reload to see their version (Alt+L)."
                ),
                Severity.WARNING,
            )
            self.reload_button.show()
            self.reload_button.setFocus()
        elif isinstance(exc, ValidationError) and self.errors.show(exc):
            if isinstance(exc, CustomerInvalid) and exc.index is not None:
                self.phones.selectRow(exc.index)
            self.banner.show_message(self.tr("Not saved: see the marked field."), Severity.ERROR)
        elif isinstance(exc, NotFound):
            self.banner.show_message(self.tr("This customer has been deleted."), Severity.ERROR)
        else:
            self.banner.show_message(self.tr("Not saved: {0}").format(exc), Severity.ERROR)
