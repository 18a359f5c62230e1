"""Start the desktop: `callcenter-gui [--db URL]` (what `callcenter gui` runs).

Sign in, work in the main window, sign out (back to the sign-in dialog) or quit.
`--self-test` checks an install without anyone at the keyboard (see ui/self_test.py).
"""

from __future__ import annotations

import argparse
import logging
import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from callcenter import __version__
from callcenter.config import ConfigError, Settings, load_settings
from callcenter.config.secrets import SecretStore
from callcenter.domain.calls import CallSource
from callcenter.logs import log_uncaught, setup_logging
from callcenter.telephony.factory import (
    TelephonyConfig,
    call_source,
    create_telephony,
    stored_ami_secret,
)
from callcenter.telephony.port import EventSink, Telephony
from ui.context import AppContext
from ui.desk import Desk, PhoneFactory
from ui.gui_gc import GuiThreadCollector
from ui.icons import app_icon
from ui.main_window import MainWindow
from ui.qt_log import route_qt_messages
from ui.sign_in import SignInDialog
from ui.single_instance import hand_over, start_link
from ui.theme import apply_theme
from ui.workers import Background

log = logging.getLogger(__name__)


def make_application(qt_args: list[str]) -> QApplication:
    app = QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("CallCenter")
    app.setApplicationName("callcenter")
    app.setApplicationDisplayName("Call Center")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    apply_theme(app)
    GuiThreadCollector(app)
    return app


class DesktopSession:
    """Sign-in dialog and main window, in turn, until the agent quits."""

    def __init__(
        self, settings: Settings, login: str | None = None, demo_password: str | None = None
    ) -> None:
        self._settings = settings
        self._secrets = SecretStore()
        self._login = login
        self._demo_password = demo_password
        self.window: MainWindow | None = None
        self._context: AppContext | None = None

    def sign_in(self) -> bool:
        dialog = SignInDialog(
            self._settings, self._secrets, login=self._login, demo_password=self._demo_password
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
            return False
        session = dialog.session
        settings = self._settings.with_overrides(database_url=str(dialog.profile.currentData()))
        self._context = AppContext(settings, session.database, session.actor, session.user)
        background = Background()
        desk = Desk(self._context, background, phone=self._phone(settings))
        self.window = MainWindow(self._context, background, desk)
        self.window.closed.connect(self._closed)
        self.window.show()
        if session.schema_backup is not None:
            self.window.statusBar().showMessage(
                self.window.tr("The database was upgraded; a backup was kept at {0}").format(
                    session.schema_backup
                ),
                30_000,
            )
        return True

    def _phone(self, settings: Settings) -> tuple[PhoneFactory, CallSource] | None:
        """The configured softphone or PBX line; a broken telephony setting is said, not fatal."""
        try:
            config = TelephonyConfig.from_settings(settings)
            if config.adapter == "none":
                return None
            secret = stored_ami_secret(config, self._secrets)
            create_telephony(config, lambda _event: None, secret)  # checks the settings now
        except ConfigError as exc:
            QMessageBox.warning(
                None,
                "Call Center",
                f"Telephony is not connected: {exc}\nCalls can still be logged by hand.",
            )
            return None

        def factory(sink: EventSink) -> Telephony:
            adapter = create_telephony(config, sink, secret)
            assert adapter is not None  # the adapter was checked above
            return adapter

        return factory, call_source(config)

    def _closed(self, signed_out: bool) -> None:
        window, self.window = self.window, None
        context, self._context = self._context, None
        if window is not None:
            window.deleteLater()
        if context is not None:
            context.database.dispose()
        if not (signed_out and self.sign_in()):
            QApplication.quit()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="callcenter-gui")
    parser.add_argument("--db", metavar="URL", help="database URL (overrides the configuration)")
    parser.add_argument("--login", help="user name to fill in the sign-in dialog")
    parser.add_argument("--demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this install on a temporary database, then exit (0 when all is well)",
    )
    parser.add_argument(
        "--pop", metavar="NUMBER", help="show NUMBER's customer (a running desktop takes it)"
    )
    parser.add_argument("--version", action="version", version=__version__)
    args, qt_args = parser.parse_known_args(argv)
    setup_logging("gui")
    route_qt_messages()
    if sys.excepthook is sys.__excepthook__:  # not when a test harness has its own
        sys.excepthook = log_uncaught
    if args.self_test:
        from ui.self_test import run_self_test

        sys.exit(run_self_test(qt_args))
    if hand_over(args.pop):  # one desktop per user: the running one takes it
        sys.exit(0)
    app = make_application(qt_args)
    # The window closing on sign-out is not the end: the session decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    try:
        settings = load_settings(flags={"database.url": args.db})
    except ConfigError as exc:
        QMessageBox.critical(None, "Call Center", f"The configuration is not valid:\n{exc}")
        sys.exit(2)
    demo_password = None
    if args.demo:
        from callcenter.services.demo_data import DEMO_PASSWORD

        demo_password = DEMO_PASSWORD
    desktop = DesktopSession(settings, login=args.login, demo_password=demo_password)
    start_link(lambda: desktop.window, pending=args.pop)
    if not desktop.sign_in():
        sys.exit(0)
    sys.exit(app.exec())
