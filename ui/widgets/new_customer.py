"""A caller nobody knows: a new-customer form with their number, or attach it to someone."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import ValidationError
from callcenter.domain.phone import format_for_display, normalize, place_of
from callcenter.services.customer_rules import split_emails
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.widgets.attach_number import AttachNumberPanel
from ui.widgets.field_errors import FieldErrors
from ui.widgets.scroll import plain_scroll_area


def region_text(raw: str, home_region: str) -> str:
    """How a typed number reads: its display form, country and place, or why it cannot be."""
    number = normalize(raw, home_region)
    if not raw.strip() or number.withheld or not number.parsed:
        return ""
    parts = [format_for_display(number.key, home_region)]
    if number.region:
        territory = QLocale.codeToTerritory(number.region)
        parts.append(f"{QLocale.territoryToString(territory)} ({number.region})")
    place = place_of(number.key)
    if place and place.location and place.location not in parts[-1]:
        parts.append(place.location)
    return "  \u00b7  ".join(parts)


class NewCustomerForm(QWidget):
    """Signals: created(int customer id), attached(int customer id)."""

    created = Signal(int)
    attached = Signal(int)

    def __init__(self, context: AppContext, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCustomer")
        self._context = context
        self._runner = runner
        self._home_region = context.settings.default_region
        self.errors = FieldErrors("newCustomer")
        self.name = QLineEdit()
        self.name.setObjectName("newCustomerName")
        self.company = QLineEdit()
        self.company.setObjectName("newCustomerCompany")
        self.email = QLineEdit()
        self.email.setObjectName("newCustomerEmail")
        self.email.setPlaceholderText(self.tr("name@example.com; another@example.com"))
        self.phone = QLineEdit()
        self.phone.setObjectName("newCustomerPhone")
        self.region = QLabel()
        self.region.setObjectName("newCustomerPhoneRegion")
        self.region.setWordWrap(True)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("newCustomerNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4)
        self.save_button = QPushButton(icon("user-plus"), self.tr("Sa&ve new customer"))
        self.save_button.setObjectName("newCustomerSave")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.status = QLabel()
        self.status.setObjectName("newCustomerStatus")
        self.status.setWordWrap(True)

        phone_box = QWidget()
        phone_layout = QVBoxLayout(phone_box)
        phone_layout.setContentsMargins(0, 0, 0, 0)
        phone_layout.setSpacing(2)
        phone_layout.addWidget(self.phone)
        phone_layout.addWidget(self.region)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (
            (self.tr("&Name *"), "name", self.name, self.name),
            (self.tr("Ph&one"), "phones", phone_box, self.phone),
            (self.tr("Co&mpany"), "company", self.company, self.company),
            (self.tr("&E-mail"), "emails", self.email, self.email),
            (self.tr("Note&s"), "notes", self.notes, self.notes),
        )
        for text, field, box, focus in rows:
            label = QLabel(text)
            label.setBuddy(focus)
            form.addRow(label, self.errors.wrap(field, box, focus))
        save_row = QHBoxLayout()
        save_row.addWidget(self.status, 1)
        save_row.addWidget(self.save_button)
        self.attach = AttachNumberPanel(context, runner, self.phone.text)
        self.attach.attached.connect(self.attached)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setSpacing(8)
        intro = QLabel(self.tr("Not in the customer list. Add them as a new customer:"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(save_row)
        layout.addWidget(line)
        layout.addWidget(self.attach, 1)
        scroll = plain_scroll_area(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.phone.textChanged.connect(self._show_region)
        self.save_button.clicked.connect(self.save)
        for line_edit in (self.name, self.company, self.email, self.phone):
            line_edit.returnPressed.connect(self.save)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)

    def start(self, number_key: str) -> None:
        """A fresh form for the caller on `number_key` (E.164), the name field focused."""
        for field in (self.name, self.company, self.email):
            field.clear()
        self.notes.clear()
        self.errors.clear()
        self.status.clear()
        self.save_button.setEnabled(True)
        self.phone.setText(number_key)
        self.attach.reset()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def draft(self) -> CustomerDraft:
        phone = self.phone.text().strip()
        return CustomerDraft(
            name=self.name.text(),
            phones=(PhoneEntry(phone, ""),) if phone else (),
            company=self.company.text(),
            emails=split_emails(self.email.text()),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return  # a save is under way
        context, actor, draft = self._context, self._context.actor, self.draft()
        self.errors.clear()
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving..."))
        self._runner.run(lambda: context.customers.create(actor, draft), self._saved, self._failed)

    def _saved(self, customer_id: int) -> None:
        self.save_button.setEnabled(True)
        self.status.clear()
        self.created.emit(customer_id)

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError) and self.errors.show(exc):
            self.status.setText(self.tr("\u26a0 Not saved: see the marked field."))
        else:
            self.status.setText(self.tr("\u26a0 Not saved: {0}").format(exc))

    def _show_region(self, text: str) -> None:
        number = normalize(text, self._home_region)
        if text.strip() and not number.withheld and not number.parsed:
            self.region.setText(self.tr("\u26a0 Not a phone number yet"))
        else:
            self.region.setText(region_text(text, self._home_region))
