"""The customer page (editor): F2 from the card, field-by-field checks, a concurrent edit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor
from callcenter.services.customers import CustomerService

TIMEOUT = 3000


def open_editor(qtbot, pop_window, customer_id):
    pop_window.open_customer(customer_id)
    qtbot.waitUntil(lambda: pop_window.card.customer is not None, timeout=TIMEOUT)
    pop_window.search_box.setFocus()
    qtbot.keyClick(pop_window.search_box, Qt.Key.Key_F2)
    editor = pop_window.card.editor
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow, timeout=TIMEOUT)
    return editor


def retype(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def save(qtbot, editor):
    qtbot.keyClick(editor.fields["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_f2_opens_the_page_and_each_bad_field_is_named(qtbot, pop_window, known_customers):
    editor = open_editor(qtbot, pop_window, known_customers["ada"])
    assert editor.fields["name"].text() == "Ada Lovelace"
    assert editor.fields["company"].text() == "Analytical Engines"
    assert editor.phones.item(0, 0).text() == "(212) 555-0142"
    assert "Version 1" in editor.meta.text()

    retype(qtbot, editor.fields["name"], "  ")
    save(qtbot, editor)
    name_error = editor.errors.label("name")
    qtbot.waitUntil(name_error.isVisible, timeout=TIMEOUT)
    assert "Enter the customer's name." in name_error.text()
    assert editor.fields["name"].hasFocus()
    assert editor.isVisible()

    retype(qtbot, editor.fields["name"], "Ada King")
    retype(qtbot, editor.emails, "ada@example.org; ada(at)example.org")
    save(qtbot, editor)
    email_error = editor.errors.label("emails")
    qtbot.waitUntil(email_error.isVisible, timeout=TIMEOUT)
    assert "\u201cada(at)example.org\u201d is not a valid e-mail address." in email_error.text()
    assert not name_error.isVisible()

    retype(qtbot, editor.emails, "ada@example.org")
    qtbot.mouseClick(editor.add_phone_button, Qt.MouseButton.LeftButton)
    cell = QApplication.focusWidget()  # the number cell, opened for typing
    assert cell is not None and editor.phones.isAncestorOf(cell)
    qtbot.keyClicks(cell, "call me")
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # commits the cell (queued by the delegate)
    qtbot.waitUntil(lambda: editor.phones.item(1, 0).text() == "call me", timeout=TIMEOUT)
    save(qtbot, editor)
    phone_error = editor.errors.label("phones")
    qtbot.waitUntil(phone_error.isVisible, timeout=TIMEOUT)
    assert "Number 2: \u201ccall me\u201d cannot be read as a phone number." in phone_error.text()
    assert editor.phones.currentRow() == 1

    editor.phones.item(1, 0).setText("+44 20 7946 0018")
    editor.phones.item(1, 1).setText("London office")
    with qtbot.waitSignal(editor.saved, timeout=TIMEOUT):
        save(qtbot, editor)
    assert not editor.isVisible()
    card = pop_window.card
    assert card.name.text() == "Ada King"
    assert card.banner.message() == "Changes saved."
    assert card.customer.version == 2
    texts = [b.text() for b in card.details.phone_buttons]
    assert texts[1] == "+44 20 7946 0018  \u00b7  London office"


def test_a_concurrent_edit_is_offered_as_reload_never_overwritten(
    qtbot, pop_window, known_customers, sqlite_database
):
    editor = open_editor(qtbot, pop_window, known_customers["alan"])
    service = CustomerService(sqlite_database)
    theirs = service.get(Actor("colleague"), known_customers["alan"])
    service.update(
        Actor("colleague"),
        theirs.id,
        CustomerDraft("Alan M. Turing", theirs.phones, company="Bletchley Park"),
        theirs.version,
    )

    retype(qtbot, editor.fields["name"], "Alan Mathison Turing")
    save(qtbot, editor)
    qtbot.waitUntil(editor.reload_button.isVisible, timeout=TIMEOUT)
    assert "Someone else saved this customer" in editor.banner.message()
    assert editor.isVisible()
    assert service.get(Actor("tester"), theirs.id).name == "Alan M. Turing"

    qtbot.keyClick(editor.reload_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.fields["name"].text() == "Alan M. Turing", timeout=TIMEOUT)
    assert editor.fields["company"].text() == "Bletchley Park"
    assert "colleague" in editor.banner.message()
    assert "Version 2, last changed by colleague" in editor.meta.text()
    assert not editor.reload_button.isVisible()

    retype(qtbot, editor.fields["tier"], "silver")
    with qtbot.waitSignal(editor.saved, timeout=TIMEOUT):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    alan = service.get(Actor("tester"), theirs.id)
    assert (alan.name, alan.company, alan.tier, alan.version) == (
        "Alan M. Turing",
        "Bletchley Park",
        "silver",
        3,
    )
    assert pop_window.card.details.tier.text() == "silver"


def test_edit_is_disabled_without_a_customer(qtbot, pop_window):
    pop_window.search_box.setFocus()
    qtbot.keyClick(pop_window.search_box, Qt.Key.Key_F2)
    assert pop_window.card.editor is None
    assert not pop_window.card.edit_button.isVisible()
