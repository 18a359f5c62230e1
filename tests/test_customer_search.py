"""Search box details the benchmark brought up, on both backends."""

from __future__ import annotations

from callcenter.domain.customers import CustomerDraft


def add(database, actor, name, **fields) -> int:
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(CustomerDraft(name=name, **fields))
        uow.commit()
    return customer_id


def test_the_start_of_an_email_with_an_underscore_finds_that_email(database, actor):
    bowman = add(database, actor, "Linda Bowman", emails=("linda_bowman@example.com",))
    smith = add(database, actor, "Linda Smith", company="Bolt Ltd", emails=("ls@example.com",))
    with database.uow(actor) as uow:
        # Typed as one token it is an email, not the words "linda" and "bo".
        assert [c.id for c in uow.customers.search("linda_bo")] == [bowman]
        assert [c.id for c in uow.customers.search("LINDA_BOWMAN@EX")] == [bowman]
        assert sorted(c.id for c in uow.customers.search("linda bo")) == sorted([bowman, smith])
        assert [c.id for c in uow.customers.search("jean-luc")] == []
