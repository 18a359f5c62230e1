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


def test_the_window_stays_usable_while_a_slow_search_runs(qtbot, window, monkeypatch):
    """A search that takes 0.8 s (a loaded server) must not freeze typing or the event loop."""
    from PySide6.QtCore import QTimer

    from callcenter.services.customers import CustomerService

    real_search = CustomerService.search

    def slow_search(self, actor, text, limit=50):
        time.sleep(0.8)
        return real_search(self, actor, text, limit)

    monkeypatch.setattr(CustomerService, "search", slow_search)
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    qtbot.keyClicks(window.search_box, "alan")
    qtbot.waitUntil(lambda: window.search_status.text() == "Searching...", timeout=3000)
    qtbot.keyClicks(window.search_box, " t")  # typing goes on while the query runs
    assert window.search_box.text() == "alan t"
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=5000)
    timer.stop()
    assert window.results_model.customer_at(0).name == "Alan Turing"
    assert max(gaps) < 0.25, f"the event loop stalled for {max(gaps):.2f} s"


def test_search_results_model_passes_the_model_tester(
    qtmodeltester, customers, sqlite_database, actor
):
    model = SearchResultsModel()
    with sqlite_database.uow(actor) as uow:
        model.replace(uow.customers.search("switchboard"))
    assert model.rowCount() == 2
    qtmodeltester.check(model)
