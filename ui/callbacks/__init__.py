"""Callbacks on the desktop: scheduling, the agenda and backlog, reminders, next callback.

Other screens schedule through `schedule_callback`; the main window installs the feature with
`ui.callbacks.feature.install_callbacks`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.callbacks.feature import CallbacksFeature


def schedule_callback(
    window: QWidget,
    customer_id: int,
    complaint_id: int | None = None,
    number: str | None = None,
    reason: str = "",
) -> QWidget | None:
    """Open the schedule form for a customer (e.g. from a complaint, linked to it); None when
    `window` is not a main window with callbacks installed."""
    feature = window.findChild(CallbacksFeature, "callbacks")
    if feature is None:
        return None
    return feature.open_schedule(customer_id, number, complaint_id, reason)
