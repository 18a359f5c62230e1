"""The backlog: every pending callback, who is waiting and since when, overdue in red; filtered
and paged from the database as the table scrolls."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from callcenter.domain.callbacks import (
    OPEN_STATUSES,
    BacklogFilter,
    Callback,
    CallbackStatus,
    OwnerKind,
    Priority,
)
from callcenter.services.callback_views import OwnerChoices, owner_choices
from callcenter.services.callbacks import CallbackService
from ui.callbacks.columns import CallbackColumns
from ui.callbacks.paged_model import PagedTableModel
from ui.callbacks.table_view import callback_table
from ui.callbacks.texts import priority_text

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature

PAGE_SIZE = 100


class Backlog(QDialog):
    """Filters: whose (all, mine, queue callbacks, private), queue, priority, status, overdue
    only, the customer on the card. Enter shows the row's customer on the card."""

    def __init__(self, feature: CallbacksFeature) -> None:
        super().__init__(feature.window)
        self.setObjectName("callbackBacklog")
        self.setWindowTitle(self.tr("Callback backlog"))
        self.setModal(False)
        self._feature = feature
        columns = CallbackColumns(feature.agent_zone, feature.now)
        self.model = PagedTableModel(
            feature.background,
            (
                columns.customer(),
                columns.waiting(),
                columns.due(),
                columns.customer_time(),
                columns.relative(),
                columns.owner(),
                columns.priority(),
                columns.status(),
                columns.attempts(),
                columns.number(),
                columns.reason(),
            ),
            columns.severity,
            page_size=PAGE_SIZE,
            parent=self,
        )
        self.table = callback_table(self.model, "callbackBacklogTable", feature.open_callback)

        self.whose = self._combo("callbackBacklogWhose", self.tr("Whose"))
        me = feature.context.actor.user_id
        self.whose.addItem(self.tr("Everyone's"), None)
        if me is not None:
            self.whose.addItem(self.tr("Mine"), ("agent", me))
        self.whose.addItem(self.tr("Queue callbacks (anyone may take)"), ("kind", OwnerKind.QUEUE))
        self.whose.addItem(self.tr("Private to an agent"), ("kind", OwnerKind.AGENT))
        self.queue = self._combo("callbackBacklogQueue", self.tr("Queue"))
        self.queue.addItem(self.tr("All queues"), None)
        self.priority = self._combo("callbackBacklogPriority", self.tr("Priority"))
        self.priority.addItem(self.tr("Any priority"), None)
        for priority in list(Priority)[:-1]:
            self.priority.addItem(
                self.tr("{0} or more urgent").format(priority_text(priority)), priority
            )
        self.status_filter = self._combo("callbackBacklogStatus", self.tr("Status"))
        self.status_filter.addItem(self.tr("Open"), OPEN_STATUSES)
        self.status_filter.addItem(self.tr("Pending"), (CallbackStatus.PENDING,))
        self.status_filter.addItem(self.tr("Being called"), (CallbackStatus.CLAIMED,))
        self.status_filter.addItem(
            self.tr("Closed"),
            (CallbackStatus.DONE, CallbackStatus.FAILED, CallbackStatus.CANCELLED),
        )
        self.overdue = QCheckBox(self.tr("&Overdue only"))
        self.overdue.setObjectName("callbackBacklogOverdue")
        self.overdue.toggled.connect(lambda _on: self.reload())
        self.this_customer = QCheckBox(self.tr("Only the &customer on the card"))
        self.this_customer.setObjectName("callbackBacklogThisCustomer")
        self.this_customer.toggled.connect(lambda _on: self.reload())
        feature.window.card.customer_shown.connect(
            lambda _id: self.reload() if self.this_customer.isChecked() else None
        )
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setObjectName("callbackBacklogRefresh")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.reload)
        self.status = QLabel()
        self.status.setObjectName("callbackBacklogStatusText")

        bar = QHBoxLayout()
        for label, widget in (
            (self.tr("&Whose"), self.whose),
            (self.tr("&Queue"), self.queue),
            (self.tr("&Priority"), self.priority),
            (self.tr("&Status"), self.status_filter),
        ):
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            bar.addWidget(buddy)
            bar.addWidget(widget)
        bar.addWidget(self.overdue)
        bar.addWidget(self.this_customer)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.resize(1100, 520)
        self.table.setFocus()  # arrows and Enter work at once

        self.model.loading_changed.connect(lambda _loading: self._show_status())
        self.model.page_loaded.connect(lambda _count: self._show_status())
        self.model.load_failed.connect(
            lambda text: self.status.setText(self.tr("\u26a0 Could not load: {0}").format(text))
        )
        for combo in (self.whose, self.queue, self.priority, self.status_filter):
            combo.currentIndexChanged.connect(lambda _row: self.reload())
        feature.changed.connect(self.reload)
        actor = feature.context.actor
        feature.run(
            lambda _s: owner_choices(feature.context.database, actor), self._owners, owner=self
        )
        self.reload()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        return combo

    def _owners(self, choices: OwnerChoices) -> None:
        self.queue.blockSignals(True)
        for queue in choices.queues:
            self.queue.addItem(queue.name, queue.id)
        self.queue.blockSignals(False)

    def where(self, now: datetime) -> BacklogFilter:
        """The filter the bar describes."""
        whose: Any = self.whose.currentData()
        agent_id = whose[1] if whose and whose[0] == "agent" else None
        kind = whose[1] if whose and whose[0] == "kind" else None
        customer = self._feature.window.card.customer
        return BacklogFilter(
            customer_id=customer.id if customer and self.this_customer.isChecked() else None,
            statuses=tuple(self.status_filter.currentData() or OPEN_STATUSES),
            queue_id=self.queue.currentData(),
            agent_id=agent_id,
            owner_kind=kind,
            max_priority=self.priority.currentData(),
            overdue_at=now if self.overdue.isChecked() else None,
        )

    def reload(self) -> None:
        where, actor = self.where(self._feature.now()), self._feature.context.actor
        service: CallbackService = self._feature.service

        def fetch(limit: int, last: Callback | None) -> list[Callback]:
            page = service.backlog(actor, where, limit, last.cursor if last else None)
            return list(page.items)

        self.model.set_source(fetch)

    def _show_status(self) -> None:
        rows = self.model.rowCount()
        if self.model.loading:
            text = self.tr("Loading callbacks...")
        elif rows == 0:
            text = self.tr("No callback matches.")
        elif self.model.exhausted:
            text = self.tr("Callbacks: %n", "", rows)
        else:
            text = self.tr("Callbacks shown: %n (scroll for more)", "", rows)
        overdue = sum(1 for row in self.model.rows if row.is_overdue(self._feature.now()))
        if overdue:
            text += self.tr(" \u00b7 %n overdue", "", overdue)
        self.status.setText(text)
