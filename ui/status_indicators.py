"""The status bar's two lights: the database and the telephone, each with words, not only colour."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from callcenter.bootstrap import Database
from callcenter.telephony.events import (
    Connected,
    Connecting,
    Disconnected,
    TelephonyEvent,
)
from ui.outbox import Outbox
from ui.telephony_bridge import PhoneLine
from ui.workers import Background

PING_MS = 30_000


class DatabaseIndicator(QLabel):
    """Connected, or unreachable with how many changes wait; pings now and then to find out."""

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        background: Background,
        parent: QWidget | None = None,
        ping_ms: int = PING_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("databaseStatus")
        self._database = database
        self._outbox = outbox
        self._background = background
        self._where = f"{database.backend} {database.url.render_as_string(hide_password=True)}"
        self._reachable = True
        self._problem = ""
        self._ping = QTimer(self)
        self._ping.setInterval(ping_ms)
        self._ping.timeout.connect(self.check)
        self._ping.start()
        outbox.failing.connect(self._failing)
        outbox.pending_changed.connect(lambda _n: self._show())
        outbox.drained.connect(self._drained)
        self._show()

    @property
    def reachable(self) -> bool:
        return self._reachable

    def check(self) -> None:
        self._background.run(self._database.ping, self._answered, self._failing, owner=self)

    def _answered(self, _result: object) -> None:
        self._reachable = True
        self._show()
        self._outbox.retry_now()

    def _failing(self, problem: object) -> None:
        self._reachable = False
        self._problem = str(problem).splitlines()[0][:160]
        self._show()

    def _drained(self) -> None:
        self._reachable = True
        self._show()

    def _show(self) -> None:
        waiting = self._outbox.pending
        if self._reachable:
            text = self.tr("● Database connected")
            if waiting:
                text += self.tr(" — saving %n change(s)", "", waiting)
            self.setProperty("severity", "ok")
            self.setToolTip(self._where)
        else:
            text = self.tr("⚠ Database unreachable")
            if waiting:
                text += self.tr(" — %n change(s) kept, retrying", "", waiting)
            self.setProperty("severity", "error")
            self.setToolTip(f"{self._where}\n{self._problem}")
        self.setText(text)
        self.style().polish(self)


class TelephonyIndicator(QLabel):
    def __init__(self, line: PhoneLine | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("telephonyStatus")
        if line is None:
            self.setText(self.tr("○ Telephony: not configured (Training menu for practice calls)"))
            self.setProperty("severity", "warning")
            return
        self.setText(self.tr("… Telephony: connecting"))
        self.setProperty("severity", "warning")
        line.received.connect(self._show)

    def _show(self, event: TelephonyEvent) -> None:
        if isinstance(event, Connected):
            self.setText(self.tr("● Telephony connected ({0})").format(event.address))
            self.setProperty("severity", "ok")
        elif isinstance(event, Connecting):
            self.setText(
                self.tr("… Telephony: connecting to {0} (attempt {1})").format(
                    event.address, event.attempt
                )
            )
            self.setProperty("severity", "warning")
        elif isinstance(event, Disconnected):
            retry = (
                self.tr(", retrying in {0:.0f} s").format(event.retry_in)
                if event.retry_in is not None
                else ""
            )
            self.setText(self.tr("⚠ Telephony disconnected: {0}{1}").format(event.reason, retry))
            self.setProperty("severity", "error")
        else:
            return
        self.style().polish(self)
