"""The customer repository on both backends: screen-pop lookup, search, edits, versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import ConflictError
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor
from callcenter.services.lookup import LookupService


def phone(raw: str, region: str = "US") -> PhoneEntry:
    number = normalize(raw, region)
    return PhoneEntry(raw=raw, key=number.key, extension=number.extension)


def add(database, actor, name, *raws, **fields) -> int:
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(
            CustomerDraft(name=name, phones=tuple(phone(r) for r in raws), **fields)
        )
        uow.commit()
    return customer_id


US_FORMS = [
    "+12125550142",
    "12125550142",
    "212.555.0142 x12",
    "tel:+1-212-555-0142",
    "sip:+12125550142@10.1.2.3:5060;user=phone",
    "(212) 555-0142",
]


@pytest.mark.parametrize("typed", US_FORMS)
def test_a_customer_is_found_from_any_form_of_their_number(database, actor, typed):
    customer_id = add(database, actor, "Ada Lovelace", "(212) 555-0142")
    result = LookupService(database, "US").lookup(typed, actor)
    assert [m.id for m in result.matches] == [customer_id]
    assert result.normalized == "+12125550142"
    assert result.matches[0].phone == "(212) 555-0142"


def test_shared_number_lists_every_customer_most_recent_contact_first(database, actor):
    older = add(database, actor, "Switchboard Ltd", "+44 20 7946 0018")
    newer = add(database, actor, "Bob at Switchboard", "+44 20 7946 0018")
    never = add(database, actor, "Carol at Switchboard", "+44 20 7946 0018")
    now = datetime.now(UTC)
    with database.uow(actor) as uow:
        uow.customers.touch_last_contact(older, now - timedelta(days=3))
        uow.customers.touch_last_contact(newer, now - timedelta(hours=1))
        uow.commit()
    result = LookupService(database, "US").lookup("011 44 20 7946 0018", actor)
    assert [m.id for m in result.matches] == [newer, older, never]
    assert result.matches[0].last_contact_at.tzinfo is not None


@pytest.mark.parametrize("caller_id", ["anonymous", "Unknown", "restricted", "PRIVATE", ""])
def test_withheld_numbers_do_no_lookup(database, actor, caller_id):
    add(database, actor, "Nobody", "(212) 555-0142")
    result = LookupService(database, "US").lookup(caller_id, actor)
    assert result.withheld
    assert result.matches == ()


def test_unparseable_numbers_are_matched_by_their_digits(database, actor):
    customer_id = add(database, actor, "Internal Desk", "ext 201")
    assert LookupService(database, "US").lookup("201", actor).matches[0].id == customer_id


def test_chinese_numbers_in_region_cn(database, actor):
    with database.uow(actor) as uow:
        mobile = uow.customers.add(CustomerDraft("王伟", phones=(phone("13800138000", "CN"),)))
        landline = uow.customers.add(
            CustomerDraft("李娜", phones=(phone("(020) 8765 4321", "CN"),))
        )
        uow.commit()
    service = LookupService(database, "CN")
    for typed in ("008613800138000", "8613800138000", "+86 138 0013 8000"):
        assert [m.id for m in service.lookup(typed, actor).matches] == [mobile]
    assert [m.id for m in service.lookup("+86 20 8765 4321", actor).matches] == [landline]


def test_outside_line_prefix_is_stripped(database, actor):
    customer_id = add(database, actor, "Ada", "(212) 555-0142")
    service = LookupService(database, "US", outside_prefix="9")
    assert [m.id for m in service.lookup("912125550142", actor).matches] == [customer_id]


def test_search_by_name_prefix_number_fragment_email_company_and_external_id(database, actor):
    ada = add(
        database,
        actor,
        "Ada Lovelace",
        "(212) 555-0142",
        company="Analytical Engines",
        emails=("ada@example.org",),
        external_id="CRM-0001",
    )
    zoe = add(database, actor, "Zoë Ångström", "(646) 555-0199")
    with database.uow(actor) as uow:
        search = uow.customers.search
        assert [c.id for c in search("love")] == [ada]
        assert [c.id for c in search("ada lov")] == [ada]
        assert [c.id for c in search("zoe ang")] == [zoe]
        assert [c.id for c in search("0142")] == [ada]
        assert [c.id for c in search("212 555")] == [ada]
        assert [c.id for c in search("ADA@EXAMPLE")] == [ada]
        assert [c.id for c in search("analyt")] == [ada]
        assert [c.id for c in search("CRM-0001")] == [ada]
        assert search("nobody") == []
        hit = search("lovelace")[0]
        assert (hit.phone, hit.email, hit.company) == (
            "(212) 555-0142",
            "ada@example.org",
            "Analytical Engines",
        )


def test_a_stale_edit_is_refused_not_silently_overwritten(database):
    alice, bob = Actor("alice"), Actor("bob")
    customer_id = add(database, alice, "Ada", "(212) 555-0142")
    with database.uow(alice) as uow:
        seen_by_alice = uow.customers.get(customer_id)
    with database.uow(bob) as uow:
        seen_by_bob = uow.customers.get(customer_id)
        uow.customers.update(
            customer_id, CustomerDraft("Ada King", phones=seen_by_bob.phones), seen_by_bob.version
        )
        uow.commit()
    with database.uow(alice) as uow, pytest.raises(ConflictError, match="bob"):
        uow.customers.update(
            customer_id,
            CustomerDraft("Ada L.", phones=seen_by_alice.phones),
            seen_by_alice.version,
        )
    with database.uow(alice) as uow:
        now = uow.customers.get(customer_id)
        history = uow.audit.entries("customer", customer_id)
    assert (now.name, now.version, now.updated_by, now.created_by) == (
        "Ada King",
        2,
        "bob",
        "alice",
    )
    assert history[-1]["changes"]["name"] == ["Ada", "Ada King"]
    assert history[-1]["actor"] == "bob"


def test_editing_numbers_updates_the_screen_pop(database, actor):
    customer_id = add(database, actor, "Ada", "(212) 555-0142")
    with database.uow(actor) as uow:
        current = uow.customers.get(customer_id)
        uow.customers.update(
            customer_id, CustomerDraft("Ada", phones=(phone("646-555-0100"),)), current.version
        )
        uow.commit()
    service = LookupService(database, "US")
    assert service.lookup("2125550142", actor).matches == ()
    assert service.lookup("6465550100", actor).matches[0].id == customer_id
