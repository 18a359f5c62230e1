"""Telephony events cross from the adapter's thread to the GUI thread here, by signal."""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

from callcenter.domain.calls import CallSource
from callcenter.telephony.events import ConnectionEvent, ConnectionState, TelephonyEvent
from callcenter.telephony.port import Telephony


class PhoneLine(QObject):
    """One telephony adapter as the GUI sees it: its events and command failures, as signals.

    `sink` is handed to the adapter as its event callback; it may be called from any thread,
    and the signals it emits reach slots in this object's (the GUI) thread queued.
    """

    received = Signal(object)  # TelephonyEvent
    command_failed = Signal(str)

    def __init__(self, name: str, source: CallSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.source = source
        self.adapter: Telephony | None = None
        self.connection: ConnectionEvent | None = None

    def sink(self, event: TelephonyEvent) -> None:
        self.received.emit(event)

    def attach(self, adapter: Telephony) -> None:
        self.adapter = adapter
        self.received.connect(self._remember_connection)

    def _remember_connection(self, event: TelephonyEvent) -> None:
        if isinstance(event, ConnectionEvent):
            self.connection = event

    @property
    def connected(self) -> bool:
        return self.connection is not None and self.connection.state is ConnectionState.CONNECTED

    def command(self, what: str, future: Future[None]) -> None:
        """Report a command that fails (in the adapter's thread) back on the GUI thread."""

        def done(finished: Future[None]) -> None:
            error = finished.exception()
            if error is not None:
                self.command_failed.emit(f"{what}: {error}")

        future.add_done_callback(done)
