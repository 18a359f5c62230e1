"""Creating and editing customers through the service, on both backends: checks and conflicts."""

from __future__ import annotations

import pytest

from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import ConflictError
from callcenter.domain.users import Actor
from callcenter.services.customer_rules import CustomerInvalid, Problem, split_emails
from callcenter.services.customers import CustomerService
from callcenter.services.lookup import LookupService


def typed(*raws: str) -> tuple[PhoneEntry, ...]:
    """Numbers as an agent types them: no key yet."""
    return tuple(PhoneEntry(raw, "") for raw in raws)


@pytest.fixture
def service(database):
    return CustomerService(database, "US")


def test_create_normalises_numbers_and_trims_fields(database, actor, service):
    customer_id = service.create(
        actor,
        CustomerDraft(
            "  Grace Hopper ",
            typed("(212) 555-0142 x7", "", "+44 20 7946 0018"),
            company=" ",
            emails=("grace@navy.mil", "GRACE@navy.mil"),
            country="us",
        ),
    )
    grace = service.get(actor, customer_id)
    assert grace.name == "Grace Hopper"
    assert [(p.key, p.extension) for p in grace.phones] == [
        ("+12125550142", "7"),
        ("+442079460018", None),
    ]
    assert grace.company is None
    assert grace.emails == ("grace@navy.mil",)
    assert grace.country == "US"
    found = LookupService(database, "US").lookup("212-555-0142", actor)
    assert [m.id for m in found.matches] == [customer_id]


@pytest.mark.parametrize(
    ("draft", "field", "problem", "index"),
    [
        (CustomerDraft("   ", typed("2125550142")), "name", Problem.MISSING, None),
        (
            CustomerDraft("Ada", typed("2125550142"), emails=("ada@",)),
            "emails",
            Problem.INVALID_EMAIL,
            None,
        ),
        (CustomerDraft("Ada", typed("2125550142", "call me")), "phones", Problem.UNPARSEABLE, 1),
        (CustomerDraft("Ada", typed("12")), "phones", Problem.IMPOSSIBLE, 0),
        (CustomerDraft("Ada", typed("anonymous")), "phones", Problem.NOT_A_NUMBER, 0),
        (CustomerDraft("Ada"), "phones", Problem.NO_CONTACT, None),
        (CustomerDraft("Ada", typed("2125550142"), tier="x" * 51), "tier", Problem.TOO_LONG, None),
        (
            CustomerDraft("Ada", typed("2125550142"), country="USA"),
            "country",
            Problem.INVALID_COUNTRY,
            None,
        ),
    ],
)
def test_a_refused_draft_names_the_field_and_why(service, actor, draft, field, problem, index):
    with pytest.raises(CustomerInvalid) as caught:
        service.create(actor, draft)
    assert (caught.value.field, caught.value.problem, caught.value.index) == (
        field,
        problem,
        index,
    )
    assert caught.value.reason.startswith(problem.value)


def test_a_taken_external_id_is_refused_on_that_field(service, actor):
    service.create(actor, CustomerDraft("Ada", typed("2125550142"), external_id="C-1"))
    with pytest.raises(CustomerInvalid) as caught:
        service.create(actor, CustomerDraft("Alan", typed("6465550100"), external_id="C-1"))
    assert (caught.value.field, caught.value.problem) == ("external_id", Problem.TAKEN)


def test_update_saves_and_bumps_the_version(service, actor):
    customer_id = service.create(actor, CustomerDraft("Ada", typed("2125550142")))
    before = service.get(actor, customer_id)
    kept = before.phones[0]
    saved = service.update(
        actor,
        customer_id,
        CustomerDraft("Ada Lovelace", (kept, *typed("646 555 0100")), emails=("ada@x.org",)),
        before.version,
    )
    assert saved.version == before.version + 1
    assert saved.name == "Ada Lovelace"
    assert [p.key for p in saved.phones] == ["+12125550142", "+16465550100"]
    assert service.get(actor, customer_id) == saved


def test_a_concurrent_edit_is_refused_not_overwritten(service, actor):
    customer_id = service.create(actor, CustomerDraft("Ada", typed("2125550142")))
    opened = service.get(actor, customer_id)
    other = Actor("colleague")
    service.update(other, customer_id, CustomerDraft("Ada (theirs)", opened.phones), 1)
    with pytest.raises(ConflictError):
        service.update(actor, customer_id, CustomerDraft("Ada (mine)", opened.phones), 1)
    reloaded = service.get(actor, customer_id)
    assert (reloaded.name, reloaded.updated_by) == ("Ada (theirs)", "colleague")


def test_attach_number_adds_it_once_and_the_pop_then_finds_the_customer(database, service, actor):
    customer_id = service.create(actor, CustomerDraft("Ada", typed("2125550142")))
    version = service.get(actor, customer_id).version
    phone = service.attach_number(actor, customer_id, "020 7946 0018", "GB")
    assert phone.key == "+442079460018"
    service.attach_number(actor, customer_id, "+44 20 7946 0018")
    ada = service.get(actor, customer_id)
    assert [p.key for p in ada.phones] == ["+12125550142", "+442079460018"]
    assert ada.version == version + 1
    found = LookupService(database, "US").lookup("+44 20 7946 0018", actor)
    assert [m.id for m in found.matches] == [customer_id]


def test_attach_number_refuses_what_is_not_a_number(service, actor):
    customer_id = service.create(actor, CustomerDraft("Ada", typed("2125550142")))
    with pytest.raises(CustomerInvalid) as caught:
        service.attach_number(actor, customer_id, "not a number")
    assert (caught.value.field, caught.value.problem) == ("phone", Problem.UNPARSEABLE)


def test_split_emails_takes_any_separator():
    assert split_emails(" a@x.org; b@y.org,c@z.org  d@w.org ") == (
        "a@x.org",
        "b@y.org",
        "c@z.org",
        "d@w.org",
    )
