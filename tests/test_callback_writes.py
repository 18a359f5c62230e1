"""CallbackRepository's writes on both backends: one versioned UPDATE, refused as StaleCallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import CallbackStatus, Outcome, StaleCallback
from callcenter.repositories.callbacks import CallbackRepository
from tests.support.callbacks import MONDAY_10_NY, build_world


@pytest.fixture
def world(database):
    return build_world(database)


def test_a_change_at_a_version_not_the_stored_one_is_stale_and_writes_nothing(world):
    callback = world.service().schedule(world.agents[0], world.request())
    with world.database.uow(world.admin) as uow:
        repository = CallbackRepository(uow.session, uow.actor)
        with pytest.raises(StaleCallback) as stale:
            repository.close(
                callback.id, callback.version + 1, CallbackStatus.CANCELLED, MONDAY_10_NY
            )
        assert stale.value.callback_id == callback.id
    assert world.service().get(world.admin, callback.id) == callback


def test_a_row_changed_between_read_and_write_is_stale_not_a_driver_error(world):
    callback = world.service().schedule(world.agents[0], world.request())
    with world.database.uow(world.admin) as uow:
        repository = CallbackRepository(uow.session, uow.actor)
        # The session holds the row as read; another writer then moves its version on.
        held = uow.session.get(CallbackRow, callback.id)
        table = CallbackRow.__table__
        uow.session.execute(
            update(table).where(table.c.id == callback.id).values(version=callback.version + 1)
        )
        due = MONDAY_10_NY + timedelta(hours=1)
        assert held is not None and held.version == callback.version
        with pytest.raises(StaleCallback):
            repository.retry(
                callback.id,
                callback.version,
                Outcome.BUSY,
                1,
                due,
                None,
                due - timedelta(minutes=5),
            )


def test_closing_sets_the_outcome_and_count_in_one_update(world):
    callback = world.service().schedule(world.agents[0], world.request())
    closed_at = MONDAY_10_NY + timedelta(minutes=3)
    with world.database.uow(world.admin) as uow:
        repository = CallbackRepository(uow.session, uow.actor)
        repository.close(
            callback.id,
            callback.version,
            CallbackStatus.DONE,
            closed_at,
            outcome=Outcome.REACHED,
            attempts=1,
        )
        uow.commit()
    done = world.service().get(world.admin, callback.id)
    assert (done.status, done.last_outcome, done.attempts) == (
        CallbackStatus.DONE,
        Outcome.REACHED,
        1,
    )
    assert (done.closed_at, done.remind_at, done.version) == (closed_at, None, callback.version + 1)
