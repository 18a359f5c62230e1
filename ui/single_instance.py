"""One desktop per user: a second start hands over to the first, and `callcenter pop` reaches it.

The running desktop listens on a local socket (a QLocalServer at the full path from
callcenter/telephony/pop_link.py). A second `callcenter gui`, or `callcenter pop NUMBER`, writes
one line to it and the desktop answers ``OK``:

- ``POP <number>``: a screen pop of that number. What an agent expects from clicking a ``tel:``
  link in a browser or CRM, and from a softphone that runs ``callcenter pop %number%`` on an
  incoming call, is the same first step: the window comes forward, the card shows who the
  number belongs to (or the new-customer form), and the number waits in the dial box, so one
  Enter there calls it; nothing is dialled by itself. During a call the card stays on the
  caller: the number only goes to the dial box.
- ``SHOW``: bring the window (or the sign-in dialog) forward.
- ``RING <number><TAB><queue>``: the training line rings with a call from that number, as if the
  PBX had offered it (`callcenter simulate --ring-desktop` sends trainees the simulated callers).
  Answered ``BUSY`` while a call is on the desk, ``ERROR`` before anyone signed in.

A number that arrives before anyone has signed in is popped as soon as the main window opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from callcenter.telephony import pop_link

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

RETRY_MS = 300
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})


def hand_over(number: str | None, path: str | None = None) -> bool:
    """Give `number` (or just the focus) to a desktop already running; True if one took it.

    Called before the QApplication exists, so it is plain sockets.
    """
    message = f"POP {number}" if number else "SHOW"
    try:
        return pop_link.send(message, path, timeout=3.0) == "OK"
    except pop_link.NoDesktop:
        return False
    except OSError as exc:  # a desktop that hangs: start afresh rather than wait on it
        log.warning("the running desktop did not answer (%s); starting another", exc)
        return False


class SingleInstance(QObject):
    """The desktop's end of the link.

    Signals:
        pop_requested(str): a number to pop arrived.
        show_requested(): another start asked for the window.
    """

    pop_requested = Signal(str)
    show_requested = Signal()

    def __init__(self, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path or pop_link.socket_path()
        # Answers a RING with OK, BUSY or ERROR: the caller is told, so it is not a signal.
        self.ring_handler: Callable[[str, str], str] | None = None
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Listen; a socket left by a desktop that crashed is removed first.

        Call after `hand_over` found nobody listening there.
        """
        QLocalServer.removeServer(self.path)
        if not self._server.listen(self.path):
            log.warning("cannot listen on %s: %s", self.path, self._server.errorString())
            return False
        return True

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        # Slots are methods of this QObject, not lambdas: Qt disconnects them when it goes.
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(self._ready)
            connection.disconnected.connect(self._gone)
            self._read(connection)

    def _ready(self) -> None:
        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)

    def _gone(self) -> None:
        connection = self.sender()
        if connection is not None:
            connection.deleteLater()

    def _read(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            line = bytes(connection.readLine().data()).decode("utf-8", "replace").strip()
            command, _, argument = line.partition(" ")
            if command == "POP" and pop_link.clean_number(argument):
                reply = b"OK\n"
                self.pop_requested.emit(pop_link.clean_number(argument))
            elif command == "SHOW":
                reply = b"OK\n"
                self.show_requested.emit()
            elif command == "RING" and self.ring_handler is not None:
                number, _, queue = argument.partition("\t")
                reply = f"{self.ring_handler(number, queue.strip())}\n".encode()
            else:
                reply = b"ERROR unknown request\n"
            connection.write(reply)
            connection.flush()
            connection.disconnectFromServer()


class PopRouter(QObject):
    """Brings the window forward and pops numbers on it, or keeps one until it exists."""

    def __init__(
        self, window: Callable[[], MainWindow | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._window = window
        self.pending: str | None = None
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._deliver)

    def pop(self, number: str) -> None:
        self.pending = number
        self._deliver()

    def show(self) -> None:
        window = self._window()
        if window is not None:
            bring_forward(window)
            return
        for widget in QApplication.topLevelWidgets():  # the sign-in dialog
            if widget.isVisible():
                bring_forward(widget)

    def ring(self, number: str, queue: str) -> str:
        """A call offered to the training line, unless one is on the desk already."""
        window = self._window()
        if window is None or not window.isVisible():
            return "ERROR nobody is signed in"
        # The training line knows of a call it rang before the desk does (its events are
        # delivered later, on the GUI thread): a second ring right after the first is busy.
        if window.desk.calls.call is not None or window.desk.training.busy:
            return "BUSY"
        window.desk.training.ring(number, queue=queue or None)
        return "OK"

    def _deliver(self) -> None:
        if self.pending is None:
            self._retry.stop()
            return
        window = self._window()
        if window is None or not window.isVisible():
            self.show()
            if not self._retry.isActive():
                self._retry.start()
            return
        self._retry.stop()
        number, self.pending = self.pending, None
        screen_pop(window, number)


def bring_forward(widget: QWidget) -> None:
    state = widget.windowState() & ~Qt.WindowState.WindowMinimized
    widget.setWindowState(state | Qt.WindowState.WindowActive)
    widget.show()
    if QGuiApplication.platformName() not in HEADLESS_PLATFORMS:  # no window stack to raise in
        widget.raise_()
    widget.activateWindow()


def screen_pop(window: MainWindow, number: str) -> None:
    """The card for `number` (unless a call is on the desk) and the number in the dial box."""
    bring_forward(window)
    window.call_panel.dial_box.setText(number)
    if window.desk.calls.call is None:
        window.pop(number)
    else:
        window.statusBar().showMessage(
            window.tr("{0} is in the dial box; the card stays on the current call").format(number),
            10_000,
        )


def start_link(
    window: Callable[[], MainWindow | None], pending: str | None = None
) -> SingleInstance:
    """Listen for pops and shows for this user's desktop; `pending` pops once signed in."""
    link = SingleInstance(parent=QApplication.instance())
    router = PopRouter(window, link)
    link.pop_requested.connect(router.pop)
    link.show_requested.connect(router.show)
    link.ring_handler = router.ring
    link.listen()
    if pending:
        router.pop(pending)
    return link
