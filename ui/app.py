"""Start the desktop: `callcenter-gui [--db URL]` (what `callcenter gui` runs)."""

from __future__ import annotations

import argparse
import getpass
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from callcenter import __version__
from callcenter.bootstrap import open_database
from callcenter.config import ConfigError, load_settings
from callcenter.config.credentials import resolve_password
from callcenter.config.secrets import SecretStore
from callcenter.domain.users import Actor
from ui.context import AppContext
from ui.main_window import MainWindow


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="callcenter-gui")
    parser.add_argument("--db", metavar="URL", help="database URL (overrides the configuration)")
    parser.add_argument("--version", action="version", version=__version__)
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("CallCenter")
    app.setApplicationName("callcenter")
    app.setApplicationVersion(__version__)
    try:
        settings = load_settings(flags={"database.url": args.db})
    except ConfigError as exc:
        QMessageBox.critical(None, "Call Center", f"The configuration is not valid:\n{exc}")
        sys.exit(2)
    password = resolve_password(settings.database_url, SecretStore(), interactive=False)
    database = open_database(settings.database_url, password=password)
    window = MainWindow(AppContext(settings, database, Actor(getpass.getuser())))
    window.show()
    code = app.exec()
    database.dispose()
    sys.exit(code)
