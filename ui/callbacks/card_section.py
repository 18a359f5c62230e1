"""The customer card's pending callbacks: loaded after the card shows, closed with F4 when the
customer has called in themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from callcenter.domain.callbacks import Callback
from ui.callbacks.columns import CallbackColumns
from ui.callbacks.paged_model import PagedTableModel
from ui.theme import set_role

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature

VISIBLE_ROWS = 3


class CardCallbacks(QFrame):
    """Shown on the card above the details while the customer has open callbacks."""

    def __init__(self, feature: CallbacksFeature) -> None:
        super().__init__()
        self.setObjectName("customerPendingCallbacks")
        self._feature = feature
        self._card = feature.window.card
        self._customer_id: int | None = None
        self._generation = 0
        columns = CallbackColumns(feature.agent_zone, feature.now)
        self.model = PagedTableModel(
            feature.background,
            (
                columns.due(),
                columns.customer_time(),
                columns.relative(),
                columns.owner(),
                columns.status(),
                columns.reason(),
            ),
            columns.severity,
            parent=self,
        )
        self.heading = QLabel()
        self.heading.setObjectName("customerPendingCallbacksHeading")
        set_role(self.heading, "heading")
        self.table = QTableView()
        self.table.setObjectName("customerPendingCallbacksTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Few rows and the reason last: no scroll bars eating the rows' room.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setAccessibleName(self.tr("Pending callbacks"))
        self.table.activated.connect(lambda index: self._dial(index.row()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.hide()

        card_layout = self._card.layout()
        assert isinstance(card_layout, QVBoxLayout)
        card_layout.insertWidget(card_layout.indexOf(self._card.pages), self)
        self._card.customer_shown.connect(self.show_customer)
        self._card.pages.currentChanged.connect(self._page_changed)
        feature.changed.connect(self.reload)

    def show_customer(self, customer_id: int) -> None:
        """The card settled on a customer: load their open callbacks in the background."""
        self._customer_id = customer_id
        self.reload()

    def reload(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            return
        self._generation += 1
        generation, actor = self._generation, self._feature.context.actor
        self._feature.run(
            lambda service: service.pending_for_customer(actor, customer_id),
            lambda rows: self._loaded(generation, rows),
            owner=self,
        )

    def _loaded(self, generation: int, rows: list[Callback]) -> None:
        if generation != self._generation or self._customer_id is None:
            return
        self.model.show_rows(rows)
        if not rows:
            self._card.details.callbacks.setText(self.tr("None due"))
            self.hide()
            return
        self.heading.setText(
            self.tr(
                "\u260e Pending callbacks: %n  (F4: the customer called in, close it)",
                "",
                len(rows),
            )
        )
        rows_shown = min(len(rows), VISIBLE_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + rows_shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.table.setFixedHeight(height)
        self._show_count(rows)
        self.show()

    def _show_count(self, rows: list[Callback]) -> None:
        """The details' "Callbacks" line says the same as this list: how many, how late."""
        overdue = sum(1 for row in rows if row.is_overdue(self._feature.now()))
        text = self.tr("%n due", "", len(rows))  # the words the pop's count is shown in
        if overdue:
            text += self.tr(", %n overdue", "", overdue)
        self._card.details.callbacks.setText(text)

    def _page_changed(self, _index: int) -> None:
        if self._card.pages.currentWidget() is not self._card.details:
            self._generation += 1  # an answer for the customer before is no longer wanted
            self._customer_id = None
            self.model.show_rows([])
            self.hide()

    def _dial(self, row: int) -> None:
        """Enter on a callback: call it now, claimed and ready for its outcome like F9's."""
        self._feature.next.call(self.model.row_at(row))

    def close_selected(self) -> None:
        """F4: close the selected callback (else the first) as "customer called in"."""
        if not self.isVisible() or not self.model.rowCount():
            self._feature.say(self.tr("The customer on the card has no pending callback."))
            return
        selected = self.table.selectionModel().selectedRows()
        callback = self.model.row_at(selected[0].row() if selected else 0)
        actor = self._feature.context.actor
        self._feature.run(
            lambda service: service.close_customer_called_in(actor, callback.id),
            self._closed,
            owner=self,
        )

    def _closed(self, callback: Callback) -> None:
        self._feature.say(
            self.tr("Callback to {0} closed: the customer called in.").format(
                callback.customer_name
            )
        )
        self._feature.changed.emit()
