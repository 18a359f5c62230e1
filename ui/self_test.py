"""`callcenter gui --self-test`: is this install able to pop a caller and log a call?

On a temporary SQLite database: sign in as a test agent, open the main window, ring a
simulated call from a known customer, check that the card shows them, answer, hang up, wrap
up with a disposition, and check that the call record reached the database. Prints each step;
exits 0 when all went well, 1 with the reason otherwise. IT runs it after an install.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop

from callcenter.bootstrap import open_database
from callcenter.config import load_settings
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor, Role
from callcenter.services.desk_session import start_session
from callcenter.services.schema_check import ensure_current_schema
from callcenter.services.users import UserService
from ui.context import AppContext

CUSTOMER = "Self Test Customer"
NUMBER = "+1 212 555 0142"
LOGIN, PASSWORD = "selftest", "self-test-password"
STEP_TIMEOUT_S = 15.0


class SelfTestFailed(Exception):
    pass


def wait_until(condition: Callable[[], bool], what: str, timeout: float = STEP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def _prepare(url: str) -> None:
    database = open_database(url)
    try:
        ensure_current_schema(database)
        admin = Actor("self-test")
        UserService(database).add(admin, LOGIN, "Self Test", Role.AGENT, PASSWORD)
        with database.uow(admin) as uow:
            key = normalize(NUMBER, "US").key
            uow.customers.add(CustomerDraft(CUSTOMER, (PhoneEntry(NUMBER, key),)))
            uow.commit()
    finally:
        database.dispose()


def _step(text: str) -> None:
    print(f"self-test: {text}", flush=True)


def run_self_test(qt_args: list[str]) -> int:
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application(qt_args)
    with tempfile.TemporaryDirectory(prefix="callcenter-self-test-") as folder:
        url = f"sqlite:///{Path(folder) / 'self-test.db'}"
        window: MainWindow | None = None
        try:
            _prepare(url)
            _step("temporary database ready")
            session = start_session(url, LOGIN, PASSWORD)
            _step(f"signed in as {session.user.login}")
            settings = load_settings(flags={"database.url": url}).with_overrides(
                default_region="US", wrap_up_mode="mandatory"
            )
            context = AppContext(settings, session.database, session.actor, session.user)
            window = MainWindow(context)
            window.show()
            desk = window.desk
            desk.training.ring(NUMBER, queue="Self test")
            wait_until(lambda: window.card.name.text() == CUSTOMER, "the card to show the caller")
            _step("screen pop shows the customer")
            wait_until(lambda: desk.calls.call is not None, "the call on the desk")
            desk.calls.answer()
            wait_until(lambda: desk.calls.call.answered_at is not None, "the answer")  # type: ignore[union-attr]
            desk.calls.hang_up()
            wait_until(lambda: desk.calls.call.ended_at is not None, "the hang-up")  # type: ignore[union-attr]
            saved: list[str] = []
            desk.calls.saved.connect(saved.append)
            desk.calls.set_disposition("resolved")
            if not desk.calls.finish_wrap_up():
                raise SelfTestFailed("wrap-up was refused")
            wait_until(lambda: bool(saved), "the call record to be saved")
            with session.database.uow(session.actor) as uow:
                record = uow.calls.get(saved[0])
            if record is None or record.answered_at is None or record.ended_at is None:
                raise SelfTestFailed("the saved call record is incomplete")
            _step("call logged with answer and end times")
            window.close()
            wait_until(lambda: not window.isVisible(), "the window to close")  # type: ignore[union-attr]
        except Exception as exc:  # every failure is reported, never a traceback to IT
            print(f"self-test FAILED: {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            if window is not None:
                window.deleteLater()
            app.processEvents()
        session.database.dispose()
    _step("passed")
    return 0
