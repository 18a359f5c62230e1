"""Qt's own messages (plugins, fonts, widgets) into the Python log, so gui.log has them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
log = logging.getLogger("qt")


def qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    log.log(_LEVELS.get(mode, logging.WARNING), "%s", message)


def route_qt_messages() -> None:
    """From now on Qt's messages go to the `qt` logger (and so to gui.log and stderr)."""
    qInstallMessageHandler(qt_message)
