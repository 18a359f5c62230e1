"""Demo rows into the database: customers staged or not alike, then day after day exactly as
simulated, customers made ids."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from callcenter.bootstrap import open_database
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Role
from callcenter.services.demo_customer_rows import customer_block
from callcenter.services.demo_loading import Silent, write_calls, write_customers
from callcenter.services.demo_people import CustomerFactory, name_pools, number_plan
from callcenter.services.demo_rows import (
    CALL_COLUMNS,
    COURSE,
    PARTIES,
    DayRows,
    TimestampText,
    finish_day,
    new_call,
    stage,
)
from tests.conftest import fresh_database_url

NOON = 1_773_835_200  # 2026-03-18 12:00 UTC


def a_day(index: int, calls: int, agent: int, queue: int, postgres: bool) -> DayRows:
    """`calls` calls a minute apart, every other one from customer index `index`, and the
    agent's spans around each."""
    start = NOON + index * 86400
    rows, states = [], []
    for k in range(calls):
        at = start + k * 60
        row = new_call("tester")
        customer = None if k % 2 else index
        row[PARTIES] = ("inbound", queue, customer, agent, "+12125550142", None, "1", "+1")
        row[COURSE] = (at, at + 5, at + 10, at + 40, 0, 10, "resolved", f"day {index} call {k}")
        rows.append(row)
        states += [
            (agent, "on_call", None, at + 10, at + 40),
            (agent, "after_call_work", None, at + 40, at + 50),
            (
                agent,
                "break" if k % 7 == 6 else "available",
                "lunch" if k % 7 == 6 else None,
                at + 50,
                at + 70,
            ),
        ]
    return finish_day(
        DayRows(inbound=calls, unknown=calls // 2),
        rows,
        states,
        first_seq=index * 1000,
        uid_prefix="demo-",
        now=start + 86400,
        timestamps=TimestampText(postgres),
    )


@pytest.mark.parametrize("order", ["as_numbered", "shuffled"])
def test_days_are_written_as_simulated_with_customer_indexes_made_ids(database, actor, order):
    with database.uow(actor) as uow:
        agent = uow.users.add("agent", "Agent", Role.AGENT).id
        queue = uow.queues.ensure("Support").id
        first, second, third = uow.customers.add_many(
            [CustomerDraft("A"), CustomerDraft("B"), CustomerDraft("C")]
        )
        uow.commit()
    postgres = database.backend == "postgresql"
    # A small day, then big ones: each day's staged database is laid out differently.
    days = [a_day(i, calls, agent, queue, postgres) for i, calls in enumerate((2, 400, 300))]
    expected = [(row[0], row[3], row[16], row[5]) for day in days for row in day.calls]
    states_expected = sum(day.state_count for day in days)
    spans = [day.states for day in days]
    if not postgres:
        days = [stage(day) for day in days]
    # Customer ids need not follow the order the customers were drafted in.
    by_index = [first, second, third] if order == "as_numbered" else [third, first, second]
    written = write_calls(database, iter(days), 702, by_index, 0, Silent())

    assert (written.calls, written.states, written.inbound, written.unknown) == (
        702,
        2106,
        702,
        351,
    )
    assert states_expected == 2106
    with database.engine.connect() as connection:
        calls = connection.execute(
            text(f"SELECT {', '.join(CALL_COLUMNS)} FROM calls ORDER BY id")
        ).all()
        states = connection.execute(
            text("SELECT agent_id, state, reason FROM agent_states ORDER BY id")
        ).all()
    assert [(c.call_uid, c.customer_id, c.notes, c.caller_raw) for c in calls] == [
        (uid, None if customer is None else by_index[customer], notes, raw)
        for uid, customer, notes, raw in expected
    ]
    assert {(c.source, c.version, c.created_by, c.direction) for c in calls} == {
        ("demo", 1, "tester", "inbound")
    }
    assert states == [(agent, span[1], span[2]) for day in spans for span in day]


CUSTOMER_ROWS = (
    "SELECT id, external_id, name, company, emails, tier, notes, address_line, city, "
    "postal_code, state, country, version, created_by, updated_by FROM customers ORDER BY id",
    "SELECT customer_id, raw, number_key, national, digits_rev, extension, label, position "
    "FROM customer_phones ORDER BY customer_id, position",
    "SELECT customer_id, term FROM customer_search_terms ORDER BY customer_id, term",
)


def test_blocks_of_customers_are_written_as_add_many_writes_them(
    database, actor, request, tmp_path
):
    # Two blocks, so the second's ids follow the first's; a customer there already too.
    # SQLite copies them packed (staged), PostgreSQL with COPY.
    factory = CustomerFactory(name_pools("fr_FR", 5), number_plan("FR"), 5, 0, 1500, "DEMO-")
    drafts = [*factory.block(0)]
    half = len(drafts) // 2
    (tmp_path / "ref").mkdir()
    reference = open_database(fresh_database_url(database.backend, request, tmp_path / "ref"))
    for target in (reference, database):
        with target.uow(actor) as uow:
            uow.customers.add_many([CustomerDraft("There already")])
            uow.commit()
    with reference.uow(actor) as uow:
        assert uow.customers.add_many(drafts) == list(range(2, 1502))
        uow.commit()
    staged = database.backend == "sqlite"
    blocks = [customer_block(part, staged) for part in (drafts[:half], drafts[half:])]
    assert all((b.staged is not None) == staged and (b.rows is None) == staged for b in blocks)
    written = write_customers(database, actor, iter(blocks), 1500, 0, Silent())
    assert written.ids == list(range(2, 1502))
    assert written.companies > 10 and written.shared_numbers > 0
    for sql in CUSTOMER_ROWS:
        expected = rows_of(reference, sql)
        assert rows_of(database, sql) == expected
        assert len(expected) >= 1501
    reference.dispose()
    if staged:
        # The writer's connection went back to the pool checking foreign keys again.
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    else:
        # The sequence moved past them: the next customer added gets a new id.
        with database.uow(actor) as uow:
            assert uow.customers.add(CustomerDraft("After")) == 1502
            uow.commit()


def rows_of(database, sql: str) -> list[tuple]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]
