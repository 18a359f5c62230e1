"""A complaint's editable fields: subject, category, priority, channel, description.

`edits()` is what the agent changed since the complaint was shown; after a conflict the form
shows the newer version with those edits applied again, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from callcenter.domain.complaints import (
    MAX_SUBJECT,
    Category,
    Channel,
    Complaint,
    ComplaintChanges,
    Priority,
)
from ui.complaints.labels import channel_label, priority_label
from ui.widgets.field_errors import FieldErrors

FIELDS = ("subject", "category_id", "subcategory_id", "priority", "channel", "description")


class ComplaintFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors("complaint")
        self._base: Complaint | None = None
        self._categories: list[Category] = []
        self.subject = QLineEdit()
        self.subject.setObjectName("complaintSubject")
        self.subject.setMaxLength(MAX_SUBJECT)
        self.category = QComboBox()
        self.category.setObjectName("complaintCategory")
        self.subcategory = QComboBox()
        self.subcategory.setObjectName("complaintSubcategory")
        self.priority = QComboBox()
        self.priority.setObjectName("complaintPriority")
        for priority in Priority:
            self.priority.addItem(priority_label(priority), priority.value)
        self.channel = QComboBox()
        self.channel.setObjectName("complaintChannel")
        for channel in Channel:
            self.channel.addItem(channel_label(channel), channel.value)
        self.description = QPlainTextEdit()
        self.description.setObjectName("complaintDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 4)
        self.category.currentIndexChanged.connect(lambda _row: self._fill_subcategories(None))

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, widget in (
            (self.tr("Sub&ject *"), "subject", self.subject),
            (self.tr("Ca&tegory"), "category", self.category),
            (self.tr("Subcategory"), "subcategory", self.subcategory),
            (self.tr("Priorit&y"), "priority", self.priority),
            (self.tr("C&hannel"), "channel", self.channel),
            (self.tr("&Description"), "description", self.description),
        ):
            text = QLabel(label)
            text.setBuddy(widget)
            form.addRow(text, self.errors.wrap(field, widget))

    # -- categories ------------------------------------------------------------------------

    def set_categories(self, categories: list[Category]) -> None:
        keep = self.values()
        self._categories = categories
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(self.tr("\u2014 none \u2014"), None)
        for category in categories:
            if category.parent_id is None:
                self.category.addItem(category.name, category.id)
        self.category.blockSignals(False)
        self._set_value("category_id", keep["category_id"])
        self._fill_subcategories(keep["subcategory_id"])

    def _fill_subcategories(self, keep: int | None) -> None:
        parent = self.category.currentData()
        self.subcategory.clear()
        self.subcategory.addItem(self.tr("\u2014 none \u2014"), None)
        for category in self._categories:
            if parent is not None and category.parent_id == parent:
                self.subcategory.addItem(category.name, category.id)
        self.subcategory.setEnabled(self.subcategory.count() > 1)
        self.subcategory.setCurrentIndex(max(self.subcategory.findData(keep), 0))

    # -- values ----------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "subject": self.subject.text(),
            "category_id": self.category.currentData(),
            "subcategory_id": self.subcategory.currentData(),
            "priority": self.priority.currentData(),
            "channel": self.channel.currentData(),
            "description": self.description.toPlainText(),
        }

    def load(self, complaint: Complaint, reapply: dict[str, Any] | None = None) -> None:
        """Show `complaint`; `reapply` (from `edits()`) goes back over it."""
        self._base = complaint
        stored = stored_values(complaint)
        stored.update(reapply or {})
        for field in FIELDS:
            self._set_value(field, stored[field])
        self.errors.clear()

    def _set_value(self, field: str, value: Any) -> None:
        if field == "subject":
            self.subject.setText(value or "")
        elif field == "description":
            if self.description.toPlainText() != (value or ""):
                self.description.setPlainText(value or "")
        elif field == "category_id":
            self.category.setCurrentIndex(max(self.category.findData(value), 0))
        elif field == "subcategory_id":
            self._fill_subcategories(value)
        else:
            combo = self.priority if field == "priority" else self.channel
            combo.setCurrentIndex(max(combo.findData(value), 0))

    def edits(self) -> dict[str, Any]:
        """The fields changed since the complaint was shown, with what the agent typed."""
        if self._base is None:
            return {}
        stored, now = stored_values(self._base), self.values()
        return {field: now[field] for field in FIELDS if now[field] != stored[field]}

    def changes(self) -> ComplaintChanges:
        edits = self.edits()
        if "priority" in edits:
            edits["priority"] = Priority(edits["priority"])
        if "channel" in edits:
            edits["channel"] = Channel(edits["channel"])
        if "category_id" in edits and "subcategory_id" not in edits:
            edits["subcategory_id"] = self.subcategory.currentData()
        return ComplaintChanges(**edits)

    def set_read_only(self, read_only: bool) -> None:
        self.subject.setReadOnly(read_only)
        self.description.setReadOnly(read_only)
        for combo in (self.category, self.subcategory, self.priority, self.channel):
            combo.setEnabled(not read_only)


def stored_values(complaint: Complaint) -> dict[str, Any]:
    return {
        "subject": complaint.subject,
        "category_id": complaint.category_id,
        "subcategory_id": complaint.subcategory_id,
        "priority": complaint.priority.value,
        "channel": complaint.channel.value,
        "description": complaint.description,
    }
