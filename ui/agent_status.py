"""The agent's state: what it is now, since when, and every change recorded through the outbox.

Agents choose Available, a Break (with its reason) or Logged out; On call and After-call work
follow the phone. A choice made during a call waits until its wrap-up is done, as on an ACD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from callcenter.clock import utc_now
from callcenter.domain.calls import AgentState
from callcenter.services.agent_state import AgentStateService
from ui.context import AppContext
from ui.outbox import Outbox

BUSY = (AgentState.ON_CALL, AgentState.AFTER_CALL_WORK)


@dataclass(frozen=True)
class StatusSnapshot:
    state: AgentState
    reason: str | None
    since: datetime
    next_state: tuple[AgentState, str | None] | None = None


class AgentStatus(QObject):
    changed = Signal(object)  # StatusSnapshot
    sign_out_requested = Signal()

    def __init__(
        self,
        context: AppContext,
        outbox: Outbox,
        parent: QObject | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._outbox = outbox
        self._clock = clock
        self._snapshot = StatusSnapshot(AgentState.LOGGED_OUT, None, clock())

    @property
    def snapshot(self) -> StatusSnapshot:
        return self._snapshot

    @property
    def state(self) -> AgentState:
        return self._snapshot.state

    def choose(self, state: AgentState, reason: str | None = None) -> None:
        """The agent's own choice; during a call it becomes the state after wrap-up."""
        if self.state in BUSY:
            self._snapshot = StatusSnapshot(
                self.state, self._snapshot.reason, self._snapshot.since, (state, reason)
            )
            self.changed.emit(self._snapshot)
            return
        self._apply(state, reason)
        if state is AgentState.LOGGED_OUT:
            self.sign_out_requested.emit()

    def phone(self, state: AgentState) -> None:
        """On call / after-call work, as the phone says; the agent's choice is kept for later."""
        self._apply(state, None, keep_next=True)

    def call_finished(self) -> None:
        """Wrap-up is done: the state the agent asked for during the call, else Available."""
        state, reason = self._snapshot.next_state or (AgentState.AVAILABLE, None)
        self._apply(state, reason)
        if state is AgentState.LOGGED_OUT:
            self.sign_out_requested.emit()

    def log_out(self) -> None:
        """Leaving the desk (window closed, signed out): recorded, whatever the state was."""
        self._apply(AgentState.LOGGED_OUT, None)

    def _apply(self, state: AgentState, reason: str | None, keep_next: bool = False) -> None:
        if state == self.state and reason == self._snapshot.reason:
            return
        at = self._clock()
        next_state = self._snapshot.next_state if keep_next else None
        self._snapshot = StatusSnapshot(state, reason, at, next_state)
        self.changed.emit(self._snapshot)
        self._record(state, reason, at)

    def _record(self, state: AgentState, reason: str | None, at: datetime) -> None:
        agent_id = self._context.actor.user_id
        if agent_id is None:
            return
        service, actor = AgentStateService(self._context.database), self._context.actor
        label = state_label(state, reason)
        self._outbox.submit(
            f"state change to {label}",
            lambda: service.change(actor, agent_id, state, reason, at=at),
        )


def state_label(state: AgentState, reason: str | None = None) -> str:
    names = {
        AgentState.AVAILABLE: "Available",
        AgentState.ON_CALL: "On call",
        AgentState.AFTER_CALL_WORK: "After-call work",
        AgentState.BREAK: "Break",
        AgentState.LOGGED_OUT: "Logged out",
    }
    return f"{names[state]} — {reason}" if reason else names[state]


# Text marks the state as well as colour: a shape per state, readable without colour vision.
STATE_MARKS = {
    AgentState.AVAILABLE: "●",
    AgentState.ON_CALL: "☎",
    AgentState.AFTER_CALL_WORK: "✎",
    AgentState.BREAK: "❚❚",
    AgentState.LOGGED_OUT: "○",
}


class AgentStateSelector(QWidget):
    """A combo of the states an agent may choose, and the time spent in the current one."""

    def __init__(
        self, status: AgentStatus, break_reasons: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._status = status
        self.combo = QComboBox()
        self.combo.setObjectName("agentStateSelector")
        self.combo.setAccessibleName(self.tr("Agent state"))
        self.combo.setToolTip(self.tr("Your state (Ctrl+Shift+S)"))
        self._choices: list[tuple[AgentState, str | None]] = []
        for state, reason in (
            (AgentState.AVAILABLE, None),
            (AgentState.ON_CALL, None),
            (AgentState.AFTER_CALL_WORK, None),
            *((AgentState.BREAK, r) for r in break_reasons),
            (AgentState.LOGGED_OUT, None),
        ):
            self._choices.append((state, reason))
            self.combo.addItem(f"{STATE_MARKS[state]}  {state_label(state, reason)}")
        model = self.combo.model()
        assert isinstance(model, QStandardItemModel)
        for row, (state, _reason) in enumerate(self._choices):
            if state in BUSY:  # the phone sets these, not the agent
                # setEnabled, not setFlags: PySide 6.12's setFlags drops a reference to None.
                model.item(row).setEnabled(False)
        self.elapsed = QLabel()
        self.elapsed.setObjectName("agentStateTimer")
        self.elapsed.setAccessibleName(self.tr("Time in state"))
        self.after = QLabel()
        self.after.setObjectName("agentNextState")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("State:")))
        layout.addWidget(self.combo)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.after)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self.combo.activated.connect(self._chosen)
        status.changed.connect(self._show)
        self._show(status.snapshot)

    def _chosen(self, row: int) -> None:
        state, reason = self._choices[row]
        self._status.choose(state, reason)
        self._show(self._status.snapshot)

    def _show(self, snapshot: StatusSnapshot) -> None:
        key = (snapshot.state, snapshot.reason)
        if key not in self._choices:  # a break reason no longer in the configured list
            self._choices.append(key)
            self.combo.addItem(f"{STATE_MARKS[snapshot.state]}  {state_label(*key)}")
        self.combo.setCurrentIndex(self._choices.index(key))
        self.combo.setProperty("agentState", snapshot.state.value)
        self.combo.style().polish(self.combo)
        if snapshot.next_state:
            self.after.setText(self.tr("then {0}").format(state_label(*snapshot.next_state)))
        else:
            self.after.clear()
        self._tick()

    def _tick(self) -> None:
        seconds = int((utc_now() - self._status.snapshot.since).total_seconds())
        self.elapsed.setText(format_duration(seconds))


def format_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
