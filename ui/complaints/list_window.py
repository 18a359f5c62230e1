"""The complaint lists: My complaints, My team, All (supervisors), filtered and paged."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaint_lists import ComplaintFilter, ComplaintSummary, Scope
from callcenter.services.users import UserService
from ui.complaints.filter_bar import FilterBar
from ui.complaints.list_model import Column, ComplaintListModel
from ui.icons import icon

if TYPE_CHECKING:
    from ui.complaints.desk import ComplaintsDesk

TICK_MS = 15_000


class ComplaintListWindow(QWidget):
    def __init__(self, desk: ComplaintsDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("complaintListWindow")
        self.setWindowTitle(self.tr("Complaints"))
        self.resize(1100, 560)
        self._desk = desk
        self._fitted = False
        service, actor = desk.service, desk.context.actor

        def fetch(
            criteria: ComplaintFilter, offset: int, limit: int
        ) -> tuple[list[ComplaintSummary], bool]:
            page = service.list(actor, criteria, offset, limit)
            return list(page.items), page.has_more

        self.model = ComplaintListModel(
            desk.background, fetch, service.sla, desk.clock, parent=self
        )
        self.scopes = QTabBar()
        self.scopes.setObjectName("complaintScopes")
        for scope in desk.scopes:
            self.scopes.addTab(
                {
                    Scope.MINE: self.tr("My complaints"),
                    Scope.TEAM: self.tr("My team"),
                    Scope.ALL: self.tr("All"),
                }[scope]
            )
        self.filters = FilterBar(desk.login)
        self.table = QTableView()
        self.table.setObjectName("complaintTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(self.model.column_of(Column.DUE), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("complaintListStatus")
        open_button = QPushButton(icon("edit"), self.tr("&Open (Enter)"))
        open_button.setObjectName("complaintListOpen")
        open_button.clicked.connect(self.open_current)
        refresh_button = QPushButton(icon("refresh-cw"), self.tr("&Refresh (Ctrl+R)"))
        refresh_button.setObjectName("complaintListRefresh")
        refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(refresh_button)
        buttons.addWidget(open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scopes)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.scopes.currentChanged.connect(lambda _tab: self.refresh())
        self.filters.changed.connect(self.refresh)
        self.model.loading_changed.connect(lambda _loading: self._show_status())
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(
            lambda text: self.status.setText(self.tr("Could not load: {0}").format(text))
        )
        desk.changed.connect(self._changed)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.model.tick)
        self._ticker.start()
        self._load_choices()

    @property
    def scope(self) -> Scope:
        return self._desk.scopes[max(self.scopes.currentIndex(), 0)]

    def show_scope(self, scope: Scope) -> None:
        """Show the list `scope` (My complaints, My team, All) and put the focus in it."""
        index = self._desk.scopes.index(scope) if scope in self._desk.scopes else 0
        if index == self.scopes.currentIndex():
            self.refresh()
        else:
            self.scopes.setCurrentIndex(index)
        self.table.setFocus()

    def refresh(self) -> None:
        """Read the list again with the filter as set, in the order shown."""
        criteria = self.filters.criteria(self.scope)
        current = self.model.criteria
        self.model.show(replace(criteria, sort=current.sort, descending=current.descending))

    def _changed(self, _complaint_id: int) -> None:
        if self.isVisible():  # a hidden list reads again when it is shown
            self.refresh()

    def open_current(self) -> None:
        row = self.table.currentIndex().row()
        if row >= 0:
            self._open_row(row)

    def _open_row(self, row: int) -> None:
        self._desk.open_complaint(self.model.row_at(row).id)

    def _page_loaded(self, added: int) -> None:
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if added and not self._fitted:  # once: columns that jump at each filter mislead
            self._fitted = True
            self.table.resizeColumnsToContents()
        self._show_status()

    def _show_status(self) -> None:
        if self.model.loading:
            self.status.setText(self.tr("Loading..."))
            return
        count = self.model.rowCount()
        if not count:
            self.status.setText(self.tr("No complaint matches."))
        elif self.model.exhausted:
            self.status.setText(self.tr("%n complaint(s)", "", count))
        else:
            self.status.setText(self.tr("First %n complaint(s); scroll for more", "", count))

    def _load_choices(self) -> None:
        desk = self._desk
        service, actor, database = desk.service, desk.context.actor, desk.context.database
        desk.background.run(
            lambda: service.categories(actor), self.filters.set_categories, self._failed, self
        )
        desk.background.run(
            lambda: UserService(database).list(actor), self.filters.set_users, self._failed, self
        )

    def _failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("Could not load the filter choices: {0}").format(exc))
