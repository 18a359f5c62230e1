"""The screen pop's read path on both backends: found, fresh, threaded, and back after a loss."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from callcenter.bootstrap import Database, open_database
from callcenter.domain.complaints import ComplaintDraft
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import DatabaseUnavailable
from callcenter.domain.phone import normalize
from callcenter.services.complaints import ComplaintService
from callcenter.services.lookup import LookupService
from callcenter.uow import Reader
from tests.support.callbacks import NEW_YORK, build_world


def add(database: Database, actor, name: str, raw: str) -> int:
    number = normalize(raw, "US")
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(
            CustomerDraft(name=name, phones=(PhoneEntry(raw, number.key),))
        )
        uow.commit()
    return customer_id


def ids(service: LookupService, raw: str, actor) -> list[int]:
    return [m.id for m in service.lookup(raw, actor).matches]


def idle_connections(reader: Reader) -> list:
    # White-box: what the reader keeps open between lookups is what these tests break.
    return [reads.connection for reads in reader._idle]


def test_finds_customers_without_a_unit_of_work(database, actor, monkeypatch):
    ada = add(database, actor, "Ada", "(212) 555-0142")
    # The screen pop reads on the reader's connection: it must not open a session per call.
    monkeypatch.setattr(database, "session_factory", None)
    service = LookupService(database, "US")
    assert ids(service, "+1 212 555 0142", actor) == [ada]
    assert ids(service, "sip:+12125550142@10.0.0.1", actor) == [ada]
    assert service.lookup("+1 646 555 0100", actor).matches == ()
    assert service.lookup("anonymous", actor).withheld
    many = service.lookup_many(["2125550142", "x"], actor)
    assert [(r.normalized, [m.id for m in r.matches]) for r in many] == [
        ("+12125550142", [ada]),
        ("", []),
    ]


def test_one_connection_serves_lookup_after_lookup(database, actor):
    add(database, actor, "Ada", "(212) 555-0142")
    # The GUI makes a LookupService per access; the connection belongs to the Database.
    for _ in range(20):
        LookupService(database, "US").lookup("2125550142", actor)
    assert len(idle_connections(database.reader)) == 1


def test_sees_what_another_process_commits_after_it_was_created(database_url, actor):
    # Two Database objects, two pools: as good as two processes for what each one sees.
    screen, other = open_database(database_url), open_database(database_url)
    try:
        service = LookupService(screen, "US")
        assert ids(service, "2125550142", actor) == []
        ada = add(other, actor, "Ada", "(212) 555-0142")
        assert ids(service, "2125550142", actor) == [ada]
        bob = add(other, actor, "Bob", "(212) 555-0142")
        assert sorted(ids(service, "2125550142", actor)) == sorted([ada, bob])
    finally:
        screen.dispose()
        other.dispose()


def test_holds_no_transaction_between_lookups(database, actor):
    add(database, actor, "Ada", "(212) 555-0142")
    LookupService(database, "US").lookup("2125550142", actor)
    with database.engine.connect() as connection:
        if database.backend == "sqlite":
            # A checkpoint cannot finish while any reader holds an old snapshot of the WAL.
            busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            assert busy == 0
        else:
            states = connection.execute(
                text(
                    "SELECT state FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
            assert list(states) == ["idle"]


def test_recovers_after_the_engine_is_disposed(database, actor):
    ada = add(database, actor, "Ada", "(212) 555-0142")
    service = LookupService(database, "US")
    assert ids(service, "2125550142", actor) == [ada]
    database.engine.dispose()
    assert ids(service, "2125550142", actor) == [ada]
    database.reader.close()
    assert idle_connections(database.reader) == []
    assert ids(service, "2125550142", actor) == [ada]


def test_a_lost_connection_is_replaced_on_the_next_lookup(database, database_url, actor):
    ada = add(database, actor, "Ada", "(212) 555-0142")
    service = LookupService(database, "US")
    assert ids(service, "2125550142", actor) == [ada]
    (held,) = idle_connections(database.reader)
    if database.backend == "sqlite":
        held.connection.dbapi_connection.close()
    else:
        # What a server restart does to every client's connection.
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        admin.dispose()
    assert ids(service, "2125550142", actor) == [ada]
    assert idle_connections(database.reader)[0] is not held


def test_an_unreachable_database_says_so(tmp_path: Path, actor):
    # A folder where the file should be: SQLite cannot open it, as with a vanished share.
    (tmp_path / "gone.db").mkdir()
    database = open_database(f"sqlite:///{tmp_path / 'gone.db'}")
    try:
        with pytest.raises(DatabaseUnavailable, match=r"gone\.db"):
            LookupService(database, "US").lookup("2125550142", actor)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_an_unreachable_server_says_so(postgres_server, actor):
    url = f"postgresql+psycopg://postgres:x@127.0.0.1:{postgres_server.port + 1}/nowhere"
    database = open_database(url)
    try:
        with pytest.raises(DatabaseUnavailable, match="Cannot reach the database"):
            LookupService(database, "US").lookup("2125550142", actor)
    finally:
        database.dispose()


def test_worker_threads_look_up_at_the_same_time(database, actor):
    customers = {
        f"21255501{n:02d}": add(database, actor, f"C{n}", f"21255501{n:02d}") for n in range(8)
    }
    service = LookupService(database, "US")
    errors: list[BaseException] = []
    wrong: list[tuple[str, list[int]]] = []
    start = threading.Barrier(6)

    def work(offset: int) -> None:
        try:
            start.wait()
            for i in range(60):
                number = list(customers)[(offset + i) % len(customers)]
                found = ids(service, number, actor)
                if found != [customers[number]]:
                    wrong.append((number, found))
        except BaseException as exc:  # reported by the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == []
    assert 1 <= len(idle_connections(database.reader)) <= Reader.KEEP_IDLE


def test_connections_go_back_to_the_pool_as_they_came(database_url, actor):
    # One pooled connection: the unit of work below gets the very one the reader had.
    database = open_database(database_url, pool_size=1, max_overflow=0)
    try:
        LookupService(database, "US").lookup("2125550142", actor)
        database.reader.close()
        with database.uow(actor) as uow:
            uow.customers.add(CustomerDraft("Never committed"))
        with database.uow(actor) as uow:
            assert uow.customers.count() == 0
    finally:
        database.dispose()


def test_the_pop_counts_open_complaints_and_pending_callbacks(database, actor):
    """What the card shows at once, in the same query: closed ones and done ones do not count."""
    callbacks = build_world(database)
    complaints = ComplaintService(database)
    for subject in ("Broken kettle", "Late refund", "Rude driver"):
        complaints.create(actor, ComplaintDraft(customer_id=callbacks.customer_id, subject=subject))
    callbacks.bulk_pending(2, callbacks.clock.now)
    callbacks.bulk_pending(1, callbacks.clock.now + timedelta(days=1), queue=False)
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE complaints SET status = 'closed' WHERE subject = 'Rude driver'")
        )
        connection.execute(text("UPDATE callbacks SET status = 'done' WHERE id = 1"))
    service = LookupService(database, "US")
    (ada,) = service.lookup(NEW_YORK, actor).matches
    assert (ada.open_complaints, ada.due_callbacks) == (2, 2)
    (charles,) = service.lookup("+12125550199", actor).matches
    assert (charles.open_complaints, charles.due_callbacks) == (0, 0)
