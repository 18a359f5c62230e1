"""My agenda (Ctrl+Shift+A): my callbacks for a day or a week, in my time and the customer's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from callcenter.domain.callbacks import AgendaSpan, Callback
from ui.callbacks.columns import CallbackColumns
from ui.callbacks.paged_model import PagedTableModel
from ui.callbacks.table_view import callback_table

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature


class Agenda(QDialog):
    """Alt+D day, Alt+W week, Alt+P / Alt+N the previous / next one, Alt+T today;
    Enter shows the row's customer on the card."""

    def __init__(self, feature: CallbacksFeature) -> None:
        super().__init__(feature.window)
        self.setObjectName("callbackAgenda")
        self.setWindowTitle(self.tr("My callbacks"))
        self.setModal(False)
        self._feature = feature
        self.span = AgendaSpan.DAY
        self.day = feature.now().astimezone(feature.agent_zone).date()
        self._generation = 0
        columns = CallbackColumns(feature.agent_zone, feature.now)
        self.model = PagedTableModel(
            feature.background,
            (
                columns.due(),
                columns.customer_time(),
                columns.customer(),
                columns.number(),
                columns.status(),
                columns.priority(),
                columns.reason(),
            ),
            columns.severity,
            parent=self,
        )
        self.table = callback_table(self.model, "callbackAgendaTable", feature.open_callback)
        self.heading = QLabel()
        self.heading.setObjectName("callbackAgendaHeading")
        self.status = QLabel()
        self.status.setObjectName("callbackAgendaStatus")
        bar = QHBoxLayout()
        self.day_button = self._button(
            self.tr("&Day"), lambda: self.show_span(AgendaSpan.DAY), checkable=True
        )
        self.week_button = self._button(
            self.tr("&Week"), lambda: self.show_span(AgendaSpan.WEEK), checkable=True
        )
        self.day_button.setObjectName("callbackAgendaDay")
        self.week_button.setObjectName("callbackAgendaWeek")
        for widget in (
            self.day_button,
            self.week_button,
            self._button(self.tr("\u25c0 &Previous"), lambda: self.step(-1)),
            self._button(self.tr("&Today"), self.today),
            self._button(self.tr("&Next \u25b6"), lambda: self.step(1)),
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.resize(820, 440)
        self.table.setFocus()  # arrows and Enter work at once
        feature.changed.connect(self.reload)
        self.reload()

    def _button(self, text: str, slot: Callable[[], None], checkable: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.setCheckable(checkable)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def show_span(self, span: AgendaSpan) -> None:
        self.span = span
        self.reload()

    def step(self, steps: int) -> None:
        self.day += timedelta(days=steps * (7 if self.span is AgendaSpan.WEEK else 1))
        self.reload()

    def today(self) -> None:
        self.day = self._feature.now().astimezone(self._feature.agent_zone).date()
        self.reload()

    def reload(self) -> None:
        agent_id = self._feature.context.actor.user_id
        self.day_button.setChecked(self.span is AgendaSpan.DAY)
        self.week_button.setChecked(self.span is AgendaSpan.WEEK)
        self.heading.setText(self._range_text())
        if agent_id is None:
            self.status.setText(self.tr("Sign in to see your callbacks."))
            return
        self._generation += 1
        generation, actor = self._generation, self._feature.context.actor
        day, span, zone = self.day, self.span, self._feature.agent_zone.key
        self.status.setText(self.tr("Loading..."))
        self._feature.run(
            lambda service: service.agenda(actor, agent_id, day, zone, span),
            lambda rows: self._loaded(generation, rows),
            owner=self,
        )

    def _loaded(self, generation: int, rows: list[Callback]) -> None:
        if generation != self._generation:
            return
        self.model.show_rows(rows)
        now = self._feature.now()
        overdue = sum(1 for row in rows if row.is_overdue(now))
        text = self.tr("%n callback(s)", "", len(rows)) if rows else self.tr("No callbacks")
        if overdue:
            text += self.tr(", %n overdue", "", overdue)
        self.status.setText(text)

    def _range_text(self) -> str:
        if self.span is AgendaSpan.DAY:
            return self.day.strftime("%A %d %B %Y")
        monday: date = self.day - timedelta(days=self.day.weekday())
        sunday = monday + timedelta(days=6)
        return self.tr("Week of {0} to {1}").format(
            monday.strftime("%a %d %b"), sunday.strftime("%a %d %b %Y")
        )
