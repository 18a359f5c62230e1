"""The README's screenshot: the main window at 1366x768 during a call with a known customer.

Taken offscreen with the app's own theme. Set CALLCENTER_SCREENSHOTS to a folder (`bash .ci/dev
screenshots` does) to keep the image; otherwise it goes to a temporary folder and is checked.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from callcenter.domain.callbacks import CallbackOwner, CallbackRequest
from callcenter.domain.callbacks import Priority as CallbackPriority
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.complaints import ComplaintDraft, Priority
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor
from callcenter.services.call_log import CallLogService
from callcenter.services.callbacks import CallbackService
from callcenter.services.complaints import ComplaintService
from tests.ui.conftest import ADA_NUMBER
from ui.theme import apply_theme


@pytest.fixture
def light_theme(qapp: QApplication):
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    apply_theme(qapp, "light")
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    if style:
        qapp.setStyle(style)


def _next_weekday_at(now: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The next Monday-to-Friday `hour`:00 in `zone` after `now`: within calling hours."""
    day = now.astimezone(zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), zone)


def _a_customer_with_a_history(database, agent_id: int) -> None:
    admin = Actor("admin")
    with database.uow(admin) as uow:
        ada = uow.customers.search("Ada Lovelace", 1)[0]
        current = uow.customers.get(ada.id)
        office = "+44 20 7946 0018"
        uow.customers.update(
            ada.id,
            CustomerDraft(
                "Ada Lovelace",
                (*current.phones, PhoneEntry(office, normalize(office, "US").key)),
                external_id="CRM-10042",
                company="Analytical Engines Ltd",
                emails=("ada@analytical.example",),
                tier="Gold",
                notes="Prefers calls after 10:00. Billing contact for the London office.",
            ),
            current.version,
        )
        uow.commit()
    now = datetime.now(UTC)
    # What the card shows beside the customer: an open complaint and a callback coming due.
    ComplaintService(database).create(
        admin,
        ComplaintDraft(
            customer_id=ada.id,
            subject="March invoice charged twice",
            description="Billed twice for the March maintenance contract.",
            priority=Priority.HIGH,
        ),
    )
    CallbackService(database, region="US").schedule(
        Actor("alice", agent_id),
        CallbackRequest(
            ada.id,
            normalize(ADA_NUMBER, "US").key,
            _next_weekday_at(now, 11, ZoneInfo("America/New_York")),
            CallbackOwner.agent(agent_id),
            reason="Confirm the refund reached the account",
            priority=CallbackPriority.NORMAL,
            allow_conflict=True,
        ),
    )
    log = CallLogService(database)
    for days, minutes, code in ((2, 7, "resolved"), (9, 4, "information"), (30, 12, "follow_up")):
        start = now - timedelta(days=days, hours=3)
        log.save(
            admin,
            CallRecord(
                f"history-{days}",
                Direction.INBOUND,
                start,
                CallSource.SOFTPHONE,
                customer_id=ada.id,
                agent_id=agent_id,
                caller_raw=ADA_NUMBER,
                caller_key=normalize(ADA_NUMBER, "US").key,
                answered_at=start + timedelta(seconds=15),
                ended_at=start + timedelta(minutes=minutes),
                disposition_code=code,
            ),
        )


def test_the_main_window_during_a_call(
    qtbot, open_desk, sqlite_database, agent, tmp_path, light_theme
):
    _a_customer_with_a_history(sqlite_database, agent.id)
    window = open_desk(wrap_up_mode="mandatory")
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.call_panel.disposition.count() > 1, timeout=3000)
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=5000)
    window.desk.calls.answer()
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Connected", timeout=3000)
    window.call_panel.notes.setPlainText("Asked about the March invoice; resent it by email.")
    window.call_panel.disposition.setCurrentIndex(1)
    qtbot.wait(2100)  # a running call timer, and the history loaded
    # At 1366x768, with callbacks above and complaints below, the details scroll rather than
    # run under the calls.
    details = window.card.details.findChild(QScrollArea, "customerDetails")
    heading = window.card.details.findChild(QLabel, "customerHistoryHeading")
    assert details.geometry().bottom() < heading.geometry().top()
    folder = Path(os.environ.get("CALLCENTER_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "main-window.png"
    assert window.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 37) for y in range(0, 768, 23)}
    assert len(colours) > 8  # drawn, not a blank rectangle
