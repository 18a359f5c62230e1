"""The console's place in the main window: a Supervisor menu (Ctrl+Shift+W) for supervisors and
admins; for agents only "My figures today"."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from callcenter.kpi.live import can_supervise
from ui.console.my_figures import MyFiguresDialog
from ui.context import AppContext
from ui.workers import Background

CONSOLE_SHORTCUT = "Ctrl+Shift+W"


class ConsoleLauncher(QObject):
    """Opens the console (one per main window) and the agent's own figures."""

    def __init__(self, window: QMainWindow, context: AppContext, background: Background) -> None:
        super().__init__(window)
        self.setObjectName("consoleLauncher")
        self._window = window
        self._context = context
        self._background = background
        self.console: QMainWindow | None = None

    def open_console(self) -> None:
        if self.console is not None and shiboken6.isValid(self.console):
            if self.console.isMinimized():
                self.console.showNormal()
            self.console.raise_()
            self.console.activateWindow()
            return
        # Imported on first use: pyqtgraph and numpy would slow every agent's start-up.
        from ui.console.window import ConsoleWindow

        # Parented to the main window, so it closes with it; a window of its own for a TV.
        self.console = ConsoleWindow(self._context, self._background, parent=self._window)
        self.console.show()
        self.console.start()

    def open_my_figures(self) -> None:
        dialog = MyFiguresDialog(self._context, self._background, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def install_console(window: QMainWindow, context: AppContext, background: Background) -> None:
    """Add the Supervisor menu (or, for agents, Reports) to `window`'s menu bar."""
    launcher = ConsoleLauncher(window, context, background)
    bar = window.menuBar()
    supervises = can_supervise(context.user.role if context.user is not None else None)
    menu = QMenu(window.tr("Super&visor") if supervises else window.tr("&Reports"), window)
    menu.setObjectName("supervisorMenu" if supervises else "reportsMenu")
    if supervises:
        console = QAction(window.tr("&Console (wallboard, charts, staffing)..."), window)
        console.setShortcut(QKeySequence(CONSOLE_SHORTCUT))
        console.triggered.connect(launcher.open_console)
        window.addAction(console)
        menu.addAction(console)
    if context.actor.user_id is not None:
        mine = QAction(window.tr("My &figures today..."), window)
        mine.triggered.connect(launcher.open_my_figures)
        menu.addAction(mine)
    if menu.isEmpty():
        return
    # Before Help, which stays last where people look for it.
    help_menu = next((a for a in bar.actions() if a.text() == window.tr("&Help")), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
