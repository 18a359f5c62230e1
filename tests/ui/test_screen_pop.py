"""Screen pop on the card, driven as an agent drives it: known, unknown, shared, withheld."""

from __future__ import annotations

from PySide6.QtCore import Qt

from callcenter.services.customers import CustomerService
from callcenter.services.lookup import LookupService

TIMEOUT = 3000


def test_a_known_caller_fills_the_card(qtbot, pop_window, known_customers):
    card = pop_window.card
    pop_window.pop("+1 212 555 0142")
    qtbot.waitUntil(lambda: card.customer is not None, timeout=TIMEOUT)
    assert card.name.text() == "Ada Lovelace"
    assert card.pages.currentWidget() is card.details
    assert "Incoming call from (212) 555-0142" in card.banner.message()
    details = card.details
    assert details.company.text() == "Analytical Engines"
    assert details.tier.text() == "gold"
    assert details.notes.text() == "Prefers mornings."
    assert details.emails.text() == "ada@example.org"
    assert [b.text() for b in details.phone_buttons] == [
        "(212) 555-0142  \u00b7  landline or mobile  (on the line)"
    ]
    assert "New York" in details.place.text() and "local time" in details.place.text()
    assert details.local_time_running
    assert details.complaints.text() == "None open"
    assert details.callbacks.text() == "None due"

    # The last calls, with the disposition's label rather than its code.
    history = details.history.model
    qtbot.waitUntil(lambda: history.rowCount() == 3, timeout=TIMEOUT)
    outcomes = {history.index(r, 5).data() for r in range(3)}
    assert outcomes == {"Resolved", "Sale"}

    with qtbot.waitSignal(card.dial_requested, timeout=TIMEOUT) as dialled:
        qtbot.mouseClick(details.phone_buttons[0], Qt.MouseButton.LeftButton)
    assert dialled.args == ["+12125550142"]


def test_an_unknown_caller_gets_a_new_customer_form_with_the_number(
    qtbot, pop_window, sqlite_database, actor
):
    card = pop_window.card
    form = card.new_customer
    pop_window.pop("303-555-0199")
    qtbot.waitUntil(lambda: card.pages.currentWidget() is form, timeout=TIMEOUT)
    assert card.name.text() == "Unknown caller"
    assert "not in the customer list" in card.banner.message()
    assert form.phone.text() == "+13035550199"
    assert "(303) 555-0199" in form.region.text()
    assert "United States (US)" in form.region.text()
    assert form.name.hasFocus()

    # Saved without a name: the form says which field and why, next to it.
    qtbot.keyClick(form.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    error = form.errors.label("name")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert "Enter the customer's name." in error.text()
    assert form.name.hasFocus()

    qtbot.keyClicks(form.name, "Grace Hopper")
    form.email.setFocus()
    qtbot.keyClicks(form.email, "grace@")
    qtbot.keyClick(form.email, Qt.Key.Key_Return)
    email_error = form.errors.label("emails")
    qtbot.waitUntil(email_error.isVisible, timeout=TIMEOUT)
    assert "\u201cgrace@\u201d is not a valid e-mail address." in email_error.text()
    assert not error.isVisible()

    qtbot.keyClicks(form.email, "navy.mil")
    with qtbot.waitSignal(card.customer_shown, timeout=TIMEOUT):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert card.name.text() == "Grace Hopper"
    assert card.banner.message() == "New customer saved."
    found = LookupService(sqlite_database, "US").lookup("(303) 555-0199", actor)
    assert [m.name for m in found.matches] == ["Grace Hopper"]
    assert card.customer is not None and card.customer.emails == ("grace@navy.mil",)
    assert card.details.phone_buttons[0].text().endswith("(on the line)")
    assert card.edit_action.isEnabled()


def test_an_unknown_number_can_be_attached_to_an_existing_customer(
    qtbot, pop_window, known_customers, sqlite_database, actor
):
    card = pop_window.card
    attach = card.new_customer.attach
    pop_window.pop("+44 20 7946 0018")
    qtbot.waitUntil(lambda: card.pages.currentWidget() is card.new_customer, timeout=TIMEOUT)
    assert "United Kingdom (GB)" in card.new_customer.region.text()
    attach.search_box.setFocus()
    qtbot.keyClicks(attach.search_box, "turing")
    qtbot.waitUntil(lambda: attach.results.count() == 1, timeout=TIMEOUT)
    qtbot.keyClick(attach.search_box, Qt.Key.Key_Return)
    assert attach.results.hasFocus() and attach.results.currentRow() == 0
    with qtbot.waitSignal(card.customer_shown, timeout=TIMEOUT):
        qtbot.keyClick(attach.results, Qt.Key.Key_Return)
    assert card.name.text() == "Alan Turing"
    assert card.banner.message() == "Number added to this customer."
    alan = CustomerService(sqlite_database).get(actor, known_customers["alan"])
    assert [p.key for p in alan.phones] == ["+16465550100", "+442079460018"]
    assert "+44 20 7946 0018" in [b.text().split("  ")[0] for b in card.details.phone_buttons]


def test_a_shared_number_offers_a_keyboard_chooser_most_recent_first(qtbot, pop_window):
    card = pop_window.card
    chooser = card.chooser
    pop_window.pop("415-555-0101")
    qtbot.waitUntil(lambda: card.pages.currentWidget() is chooser, timeout=TIMEOUT)
    assert card.name.text() == "Which customer is calling?"
    assert "2 customers on this number" in card.banner.message()
    names = [chooser.list.item(r).text().splitlines()[0] for r in range(chooser.list.count())]
    assert names == ["Switchboard Two", "Switchboard One"]
    assert chooser.list.hasFocus() and chooser.list.currentRow() == 0

    qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(card.customer_shown, timeout=TIMEOUT):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    assert card.name.text() == "Switchboard One"
    assert "on the line" in card.details.phone_buttons[0].text()


def test_a_shared_number_can_still_be_a_new_customer(qtbot, pop_window):
    card = pop_window.card
    pop_window.pop("415-555-0101")
    qtbot.waitUntil(lambda: card.pages.currentWidget() is card.chooser, timeout=TIMEOUT)
    qtbot.mouseClick(card.chooser.new_button, Qt.MouseButton.LeftButton)
    assert card.pages.currentWidget() is card.new_customer
    assert card.new_customer.phone.text() == "+14155550101"


def test_a_withheld_number_says_so_and_offers_search(qtbot, pop_window):
    card = pop_window.card
    pop_window.pop("anonymous")
    qtbot.waitUntil(lambda: card.pages.currentWidget() is card.withheld, timeout=TIMEOUT)
    assert card.name.text() == "Withheld number"
    assert "withheld" in card.banner.message()
    assert pop_window.search_box.hasFocus()
    card.search_button.setFocus()
    qtbot.keyClick(card.search_button, Qt.Key.Key_Space)
    assert pop_window.search_box.hasFocus()
    assert not card.edit_action.isEnabled()
