"""The main window driven as an agent drives it: keys, clicks, and a simulated call."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from callcenter.config import load_settings
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.phone import normalize
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.search_results import SearchResultsModel


def phone(raw):
    return PhoneEntry(raw, normalize(raw, "US").key)


@pytest.fixture
def customers(sqlite_database, actor):
    with sqlite_database.uow(actor) as uow:
        ids = {
            "ada": uow.customers.add(
                CustomerDraft(
                    "Ada Lovelace",
                    (phone("(212) 555-0142"),),
                    company="Analytical Engines",
                    tier="gold",
                )
            ),
            "alan": uow.customers.add(CustomerDraft("Alan Turing", (phone("(646) 555-0100"),))),
            "shared1": uow.customers.add(
                CustomerDraft("Switchboard One", (phone("(415) 555-0101"),))
            ),
            "shared2": uow.customers.add(
                CustomerDraft("Switchboard Two", (phone("(415) 555-0101"),))
            ),
        }
        uow.commit()
    return ids


@pytest.fixture
def window(qtbot, sqlite_database, actor, customers):
    settings = load_settings(flags={"database.url": str(sqlite_database.url)}).with_overrides(
        default_region="US"
    )
    main = MainWindow(AppContext(settings, sqlite_database, actor))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main._background.wait_for_done()


def test_ctrl_k_focuses_search_and_typing_finds_customers(qtbot, window):
    window.results.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "lovel")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=3000)
    assert window.results_model.customer_at(0).name == "Ada Lovelace"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=3000)
    assert window.card.details.phone_buttons[0].text().startswith("(212) 555-0142")
    assert "New York" in window.card.details.place.text()


def test_typing_fast_shows_only_the_newest_search(qtbot, window):
    for text in ("a", "al", "ala", "alan"):
        window.search_box.setText(text)
    qtbot.waitUntil(lambda: window.search_status.text().endswith("found"), timeout=3000)
    names = [
        window.results_model.customer_at(r).name for r in range(window.results_model.rowCount())
    ]
    assert names == ["Alan Turing"]


def test_the_gui_thread_keeps_turning_while_a_slow_query_runs(qtbot, window):
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    done = []
    window._background.run(lambda: time.sleep(0.5) or "slow", done.append, pytest.fail)
    qtbot.waitUntil(lambda: done == ["slow"], timeout=3000)
    timer.stop()
    assert len(ticks) >= 20


def test_search_results_model_passes_the_model_tester(
    qtmodeltester, customers, sqlite_database, actor
):
    model = SearchResultsModel()
    with sqlite_database.uow(actor) as uow:
        model.replace(uow.customers.search("switchboard"))
    assert model.rowCount() == 2
    qtmodeltester.check(model)
