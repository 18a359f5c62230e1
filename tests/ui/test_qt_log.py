"""Qt's messages reach the Python log (and so gui.log)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType

from ui.qt_log import qt_message


def test_qt_warnings_are_logged_at_their_level(caplog):
    with caplog.at_level(logging.DEBUG, logger="qt"):
        qt_message(QtMsgType.QtWarningMsg, QMessageLogContext(), "QFont: bad size")
        qt_message(QtMsgType.QtCriticalMsg, QMessageLogContext(), "out of handles")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("qt", logging.WARNING, "QFont: bad size"),
        ("qt", logging.ERROR, "out of handles"),
    ]
