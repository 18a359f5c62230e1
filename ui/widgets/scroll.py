"""A scroll area that shows its content on the panel behind it (the card), not a grey box."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def plain_scroll_area(content: QWidget, name: str = "") -> QScrollArea:
    scroll = QScrollArea()
    if name:
        scroll.setObjectName(name)
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # setWidget turns on the content's background fill; the panel's own shows through instead.
    content.setAutoFillBackground(False)
    scroll.viewport().setAutoFillBackground(False)
    return scroll
