"""The agent's working parts behind the window: the outbox, their state, phone lines, calls.

The window shows these; it does not own their logic. A desk has the training line always (the
Training menu raises calls on it) and the configured softphone or PBX line when there is one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from callcenter.domain.calls import AgentState, CallSource
from callcenter.telephony.port import EventSink, Telephony
from callcenter.telephony.training import TrainingLine
from ui.agent_status import AgentStatus
from ui.call_controller import CallController
from ui.context import AppContext
from ui.outbox import RETRY_MS, Outbox
from ui.telephony_bridge import PhoneLine
from ui.workers import Background

log = logging.getLogger(__name__)

#: Builds the configured adapter around the sink it must deliver events to.
PhoneFactory = Callable[[EventSink], Telephony]


class Desk(QObject):
    def __init__(
        self,
        context: AppContext,
        background: Background,
        phone: tuple[PhoneFactory, CallSource] | None = None,
        training_answer_after: float = 2.0,
        retry_ms: int = RETRY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.outbox = Outbox(background, self, retry_ms=retry_ms)
        self.status = AgentStatus(context, self.outbox, self)
        self.calls = CallController(context, self.status, self.outbox, self)
        self.training_line = PhoneLine("training", CallSource.SIMULATOR, self)
        self.training = TrainingLine(self.training_line.sink, answer_after=training_answer_after)
        self.training_line.attach(self.training)
        self.calls.add_line(self.training_line)
        self.phone_line: PhoneLine | None = None
        if phone is not None:
            factory, source = phone
            self.phone_line = PhoneLine("phone", source, self)
            self.phone_line.attach(factory(self.phone_line.sink))
            self.calls.add_line(self.phone_line)
        self._started = False

    @property
    def lines(self) -> list[PhoneLine]:
        return self.calls.lines

    def start(self) -> None:
        """Connect the phone lines and make the agent available."""
        if self._started:
            return
        self._started = True
        for line in self.lines:
            if line.adapter is not None:
                line.adapter.start()
        self.status.choose(AgentState.AVAILABLE)

    def stop(self) -> None:
        """Record the log-out and disconnect the lines; the outbox still has to drain."""
        if not self._started:
            return
        self._started = False
        if self.calls.call is not None:
            self.calls.finish_now()
        self.status.log_out()
        for line in self.lines:
            if line.adapter is not None:
                try:
                    line.adapter.stop(timeout=2.0)
                except Exception:  # a line that cannot stop cleanly must not keep the app open
                    log.warning("phone line %s did not stop cleanly", line.name, exc_info=True)
