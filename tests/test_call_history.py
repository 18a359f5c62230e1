"""Call history pages on both backends: keyset order, ties, both directions, labels, since."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Role
from callcenter.services.call_history import CallHistoryService, start_of_day
from callcenter.services.users import UserService

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def seed(database, actor, count=7):
    """`count` calls of one customer by one agent, two of them at the same second."""
    agent_id = UserService(database).add(actor, "hana", "Hana Ito", Role.AGENT, "hana-password").id
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(CustomerDraft("Ada Lovelace"))
        other_id = uow.customers.add(CustomerDraft("Alan Turing"))
        records = [
            CallRecord(
                call_uid=f"c{i}",
                direction=Direction.INBOUND if i % 2 else Direction.OUTBOUND,
                started_at=T0 + timedelta(minutes=min(i, 5)),  # c5 and c6 tie
                source=CallSource.DEMO,
                customer_id=customer_id,
                agent_id=agent_id,
                caller_key=f"+1212555010{i}",
                dialled_key=f"+1646555010{i}",
                answered_at=T0 + timedelta(minutes=min(i, 5), seconds=5),
                ended_at=T0 + timedelta(minutes=min(i, 5), seconds=65),
                disposition_code="resolved" if i % 3 else None,
            )
            for i in range(count)
        ]
        records.append(
            CallRecord("other", Direction.INBOUND, T0, CallSource.DEMO, customer_id=other_id)
        )
        uow.calls.add_many(records)
        uow.commit()
    return customer_id, agent_id


def read_all(fetch, page_size, newest_first):
    pages, after = [], None
    while True:
        page = fetch(page_size, after, newest_first)
        pages.append(page)
        if len(page) < page_size:
            return pages
        after = page[-1].cursor


def test_customer_pages_meet_without_gaps_or_repeats_in_both_orders(database, actor):
    customer_id, _ = seed(database, actor)
    service = CallHistoryService(database)

    def fetch(limit, after, newest_first):
        return service.for_customer(actor, customer_id, limit, after, newest_first)

    newest = [e for page in read_all(fetch, 3, True) for e in page]
    oldest = [e for page in read_all(fetch, 3, False) for e in page]
    assert len(newest) == 7
    assert [e.id for e in newest] == [e.id for e in reversed(oldest)]
    keys = [e.cursor for e in newest]
    assert keys == sorted(keys, reverse=True)
    assert newest[0].started_at.tzinfo is not None


def test_entries_carry_names_labels_and_the_other_partys_number(database, actor):
    customer_id, _ = seed(database, actor, count=3)
    entries = CallHistoryService(database).for_customer(actor, customer_id, 10)
    by_uid_number = {e.number: e for e in entries}
    inbound = by_uid_number["+12125550101"]
    assert inbound.direction is Direction.INBOUND
    assert (inbound.disposition_code, inbound.disposition_label) == ("resolved", "Resolved")
    assert (inbound.customer_name, inbound.agent_name) == ("Ada Lovelace", "Hana Ito")
    assert inbound.talk_seconds == 60
    outbound = by_uid_number["+16465550100"]
    assert outbound.direction is Direction.OUTBOUND
    assert outbound.disposition_label is None


def test_agent_pages_start_at_since(database, actor):
    _, agent_id = seed(database, actor)
    service = CallHistoryService(database)
    since = T0 + timedelta(minutes=4)
    entries = service.for_agent(actor, agent_id, since, limit=10)
    assert [e.started_at for e in entries] == [T0 + timedelta(minutes=m) for m in (5, 5, 4)]
    first = service.for_agent(actor, agent_id, since, limit=2, newest_first=False)
    rest = service.for_agent(actor, agent_id, since, 2, first[-1].cursor, newest_first=False)
    assert [e.id for e in first + rest] == [e.id for e in reversed(entries)]


def test_disposition_labels_include_retired_codes(database, actor):
    labels = CallHistoryService(database).disposition_labels(actor)
    assert labels["wrap_up_timeout"] == "Wrap-up timed out"


def test_start_of_day_is_local_midnight_even_on_a_clock_change():
    midnight = start_of_day("Europe/Paris", date(2026, 3, 29))
    assert midnight.astimezone(UTC) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert start_of_day("UTC").tzinfo is not None
