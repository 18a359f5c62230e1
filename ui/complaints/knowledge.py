"""Knowledge-base search beside the resolution: find a known problem, use its solution."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import KbArticle
from ui.models.call_history import Runner

TYPING_PAUSE_MS = 250
#: (text, category id) -> matching articles; runs off the GUI thread.
KbSearch = Callable[[str, int | None], list[KbArticle]]


class KnowledgeSearch(QWidget):
    """Signals: solution_chosen(str) when the agent takes an article's solution."""

    solution_chosen = Signal(str)

    def __init__(self, runner: Runner, search: KbSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._search = search
        self._category_id: int | None = None
        self._generation = 0
        self._articles: list[KbArticle] = []
        self.query = QLineEdit()
        self.query.setObjectName("complaintKbSearch")
        self.query.setPlaceholderText(self.tr("Search known problems"))
        self.query.setAccessibleName(self.tr("Search the knowledge base"))
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("complaintKbResults")
        self.results.setAccessibleName(self.tr("Known problems found"))
        self.preview = QLabel()
        self.preview.setObjectName("complaintKbPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton(self.tr("&Use this solution"))
        self.use_button.setObjectName("complaintKbUse")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use_current)
        self.status = QLabel()
        self.status.setObjectName("complaintKbStatus")

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._typing.start)
        self.query.returnPressed.connect(self._search_now)
        self.results.currentRowChanged.connect(self._show_article)
        self.results.itemActivated.connect(lambda _item: self.use_current())

        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.preview)
        layout.addLayout(row)

    def start(self, text: str, category_id: int | None) -> None:
        """Search for `text` (e.g. the subject) among the category's articles first."""
        self._category_id = category_id
        self.query.blockSignals(True)
        self.query.setText(text)
        self.query.blockSignals(False)
        self.run_search()

    def _search_now(self) -> None:
        self._typing.stop()
        self.run_search()
        if self.results.count():
            self.results.setFocus()

    def run_search(self) -> None:
        self._generation += 1
        generation, search = self._generation, self._search
        text, category = self.query.text(), self._category_id
        self.status.setText(self.tr("Searching..."))
        self._runner.run(
            lambda: search(text, category),
            lambda found: self._found(generation, found),
            lambda exc: self._failed(generation, exc),
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        if shiboken6.isValid(self) and generation == self._generation:
            self.status.setText(self.tr("Search failed: {0}").format(exc))

    def _found(self, generation: int, articles: list[KbArticle]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._articles = articles
        self.results.clear()
        for article in articles:
            item = QListWidgetItem(article.title)
            item.setToolTip(article.problem)
            self.results.addItem(item)
        self.status.setText(
            self.tr("%n article(s)", "", len(articles)) if articles else self.tr("Nothing found")
        )
        if articles:
            self.results.setCurrentRow(0)
        else:
            self._show_article(-1)

    def _show_article(self, row: int) -> None:
        article = self._articles[row] if 0 <= row < len(self._articles) else None
        self.use_button.setEnabled(article is not None)
        self.preview.setText(
            self.tr("Problem: {0}\nSolution: {1}").format(article.problem, article.solution)
            if article
            else ""
        )

    def use_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._articles):
            self.solution_chosen.emit(self._articles[row].solution)
