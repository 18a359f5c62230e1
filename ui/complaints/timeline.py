"""A complaint's timeline (every change and note, oldest first) and the box to add a note."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import Comment, CommentKind, HistoryEntry
from ui.complaints.labels import priority_label, status_label
from ui.widgets.field_errors import FieldErrors

PREVIEW_CHARS = 500


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class Timeline(QWidget):
    """Signals: comment_requested(CommentKind, str) when the agent adds a note (Ctrl+Return
    in the note box)."""

    comment_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors("complaintComment")
        self.entries = QListWidget()
        self.entries.setObjectName("complaintTimeline")
        self.entries.setAccessibleName(self.tr("Timeline"))
        self.entries.setWordWrap(True)
        self.entries.setAlternatingRowColors(True)
        self.kind = QComboBox()
        self.kind.setObjectName("complaintCommentKind")
        self.kind.setAccessibleName(self.tr("Kind of note"))
        self.kind.addItem(self.tr("Internal note"), CommentKind.INTERNAL.value)
        self.kind.addItem(self.tr("Note to the customer"), CommentKind.CUSTOMER.value)
        self.text = QPlainTextEdit()
        self.text.setObjectName("complaintCommentText")
        self.text.setAccessibleName(self.tr("Note"))
        self.text.setPlaceholderText(self.tr("Write a note; Ctrl+Return adds it"))
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4)
        self.add_button = QPushButton(self.tr("&Add note"))
        self.add_button.setObjectName("complaintCommentAdd")
        self.add_button.clicked.connect(self.add)
        QShortcut(
            QKeySequence("Ctrl+Return"),
            self.text,
            self.add,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        heading = QLabel(self.tr("Timeline"))
        heading.setBuddy(self.entries)
        heading.setProperty("role", "heading")
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.errors.wrap("comment", self.text))
        layout.addLayout(row)

    def add(self) -> None:
        self.errors.clear()
        self.comment_requested.emit(CommentKind(self.kind.currentData()), self.text.toPlainText())

    def comment_saved(self) -> None:
        self.text.clear()

    def show_timeline(self, history: list[HistoryEntry], comments: list[Comment]) -> None:
        lines: list[tuple[datetime, int, str, str]] = []
        for entry in history:
            lines.append((entry.when, 0, self._change(entry), entry.who))
        for comment in comments:
            lines.append((comment.created_at, 1, self._comment(comment), comment.author))
        self.entries.clear()
        for when, _order, text, who in sorted(lines, key=lambda line: (line[0], line[1])):
            item = QListWidgetItem(f"{_when(when)}  \u00b7  {who}\n{text}")
            self.entries.addItem(item)
        self.entries.scrollToBottom()

    def _comment(self, comment: Comment) -> str:
        body = comment.body
        if len(body) > PREVIEW_CHARS:
            body = body[:PREVIEW_CHARS] + self.tr("\u2026 ({0:,} characters)").format(len(body))
        if comment.kind is CommentKind.CUSTOMER:
            return self.tr("Note to the customer: {0}").format(body)
        return self.tr("Internal note: {0}").format(body)

    def _change(self, entry: HistoryEntry) -> str:
        old, new = entry.old, entry.new
        if entry.field == "status":
            old = status_label(old) if old else old
            new = status_label(new) if new else new
        elif entry.field == "priority":
            old = priority_label(old) if old else old
            new = priority_label(new) if new else new
        field = entry.field.replace("_", " ")
        if old is None:
            return self.tr("{0}: {1}").format(field, _short(new))
        return self.tr("{0}: {1} \u2192 {2}").format(field, _short(old), _short(new))


def _short(value: str | None) -> str:
    if value is None:
        return "\u2014"
    value = value.replace("\n", " ")
    return value if len(value) <= 120 else value[:120] + "\u2026"
