"""Validation messages shown next to the field they are about, in the agent's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from callcenter.domain.errors import ValidationError
from callcenter.services.customer_rules import CustomerInvalid, Problem
from ui.theme import Severity, set_severity


def _tr(text: str) -> str:
    return QCoreApplication.translate("FieldErrors", text)


def describe(error: ValidationError) -> str:
    """A sentence saying what is wrong with the field and how to put it right."""
    if not isinstance(error, CustomerInvalid):
        return error.reason
    value = error.value or ""
    messages = {
        Problem.MISSING: _tr("This is required.")
        if error.field != "name"
        else _tr("Enter the customer's name."),
        Problem.TOO_LONG: _tr("Too long ({0}).").format(value),
        Problem.INVALID_EMAIL: _tr("\u201c{0}\u201d is not a valid e-mail address.").format(value),
        Problem.UNPARSEABLE: _tr("\u201c{0}\u201d cannot be read as a phone number.").format(value),
        Problem.IMPOSSIBLE: _tr(
            "\u201c{0}\u201d cannot be a phone number: too short or too long for its country."
        ).format(value),
        Problem.NOT_A_NUMBER: _tr("\u201c{0}\u201d is not a phone number.").format(value),
        Problem.INVALID_COUNTRY: _tr("Use a two-letter country code such as US or GB."),
        Problem.NO_CONTACT: _tr("Give at least a phone number or an e-mail address."),
        Problem.TAKEN: _tr("\u201c{0}\u201d is already used by another customer.").format(value),
    }
    message = messages[error.problem]
    if error.index is not None:
        message = _tr("Number {0}: {1}").format(error.index + 1, message)
    return message


class FieldErrors:
    """Each field gets an error label under it; `show` fills the one a ValidationError names."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def wrap(self, field: str, widget: QWidget, focus: QWidget | None = None) -> QWidget:
        """`widget` with its (hidden) error label under it, to put in a form; an error
        focuses `focus` (default: `widget`)."""
        label = QLabel()
        label.setObjectName(f"{self._prefix}Error_{field}")
        label.setWordWrap(True)
        set_severity(label, Severity.ERROR)
        label.hide()
        self._labels[field] = label
        self._widgets[field] = focus or widget
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(label)
        return box

    def label(self, field: str) -> QLabel:
        return self._labels[field]

    def show(self, error: ValidationError) -> bool:
        """Show `error` next to its field and focus the field; False if no field matches."""
        self.clear()
        label = self._labels.get(error.field)
        if label is None:
            return False
        text = describe(error)
        label.setText("\u26a0 " + text)
        label.show()
        widget = self._widgets[error.field]
        widget.setAccessibleDescription(text)
        widget.setFocus()
        return True

    def clear(self) -> None:
        for field, label in self._labels.items():
            label.clear()
            label.hide()
            self._widgets[field].setAccessibleDescription("")
