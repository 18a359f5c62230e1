"""Hand-made queues, agents, calls and states for the wallboard and console tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from callcenter.bootstrap import Database
from callcenter.domain.calls import AgentState, CallRecord, CallSource, Direction
from callcenter.domain.users import Actor, Role

WRITER = Actor("writer")


def add_people(database: Database) -> dict[str, int]:
    """Queues Sales and Support; agents ann and bob (team Red), supervisor sue."""
    with database.uow(WRITER) as uow:
        ids = {
            "support": uow.queues.ensure("Support").id,
            "sales": uow.queues.ensure("Sales", service_level_threshold_s=30).id,
            "ann": uow.users.add("ann", "Ann Agent", Role.AGENT, team="Red").id,
            "bob": uow.users.add("bob", "Bob Agent", Role.AGENT, team="Red").id,
            "sue": uow.users.add("sue", "Sue Supervisor", Role.SUPERVISOR).id,
        }
        uow.commit()
    return ids


def add_call(
    database: Database,
    queue_id: int | None,
    queued_at: datetime,
    wait_s: float | None = None,
    talk_s: float | None = None,
    agent_id: int | None = None,
    abandon_after_s: float | None = None,
    acw_s: int = 0,
    direction: Direction = Direction.INBOUND,
    caller: str = "+12125550142",
) -> str:
    """An inbound call queued at `queued_at`: answered after `wait_s` (and ended after `talk_s`
    more), abandoned after `abandon_after_s`, or still waiting when both are None."""
    answered = queued_at + timedelta(seconds=wait_s) if wait_s is not None else None
    ended = None
    if answered is not None and talk_s is not None:
        ended = answered + timedelta(seconds=talk_s)
    if abandon_after_s is not None:
        ended = queued_at + timedelta(seconds=abandon_after_s)
    uid = uuid.uuid4().hex
    record = CallRecord(
        call_uid=uid,
        direction=direction,
        started_at=queued_at,
        source=CallSource.SIMULATOR,
        source_call_id=uid,
        queue_id=queue_id,
        agent_id=agent_id,
        caller_raw=caller,
        queued_at=queued_at if direction is Direction.INBOUND else None,
        answered_at=answered,
        ended_at=ended,
        acw_s=acw_s,
    )
    with database.uow(WRITER) as uow:
        uow.begin_write()  # as CallLogService.save does: a console may be writing roll-ups
        uow.calls.save(record)
        uow.commit()
    return uid


def set_state(
    database: Database, agent_id: int, state: AgentState, at: datetime, reason: str | None = None
) -> None:
    with database.uow(WRITER) as uow:
        uow.agent_states.change(agent_id, state, at, reason)
        uow.commit()
