"""The main window's menus: every action an agent has, each with its keyboard path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui.callbacks.feature import install_callbacks
from ui.complaints.install import install_complaints

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def action(window: MainWindow, text: str, slot: object, *shortcuts: str) -> QAction:
    made = QAction(text, window)
    if shortcuts:
        made.setShortcuts([QKeySequence(s) for s in shortcuts])
    made.triggered.connect(slot)
    # On the window too, so the shortcut works wherever the focus is (and with no menu bar).
    window.addAction(made)
    return made


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    panel = window.call_panel

    file_menu = bar.addMenu(window.tr("&File"))
    file_menu.addAction(action(window, window.tr("Sign &out"), window.sign_out, "Ctrl+Shift+Q"))
    file_menu.addSeparator()
    quit_action = action(window, window.tr("&Quit"), window.close)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    file_menu.addAction(quit_action)

    call_menu = bar.addMenu(window.tr("C&all"))
    for call_action in panel.actions_for_menu:
        call_menu.addAction(call_action)
        window.addAction(call_action)
    call_menu.addAction(
        action(window, window.tr("&Call the customer"), window.call_customer, "Ctrl+Shift+D")
    )
    window.disposition_menu = call_menu.addMenu(window.tr("Dis&position"))
    call_menu.addSeparator()
    call_menu.addAction(
        action(window, window.tr("Change my &state..."), window.open_state_selector, "Ctrl+Shift+S")
    )

    customers = bar.addMenu(window.tr("&Customers"))
    customers.addAction(
        action(window, window.tr("&Search customers"), window.focus_search, "Ctrl+K")
    )
    customers.addAction(window.card.edit_action)
    window.addAction(window.card.edit_action)
    window.customers_menu = customers
    install_complaints(window)  # the Complaints menu, its shortcuts, the unread bell
    install_callbacks(window)  # the Callbacks menu, its shortcuts, the card section

    training = bar.addMenu(window.tr("&Training"))
    training.addAction(
        action(
            window,
            window.tr("Simulate &incoming call..."),
            window.ask_simulated_call,
            "Ctrl+Shift+I",
        )
    )
    training.addAction(
        action(window, window.tr("Simulate the caller &hanging up"), window.simulate_remote_hang_up)
    )

    help_menu = bar.addMenu(window.tr("&Help"))
    help_menu.addAction(
        action(window, window.tr("&Keyboard shortcuts"), window.show_shortcuts, "F1")
    )
    help_menu.addAction(action(window, window.tr("Open &log folder"), window.open_log_folder))
    help_menu.addSeparator()
    help_menu.addAction(action(window, window.tr("&About Call Center"), window.show_about))
