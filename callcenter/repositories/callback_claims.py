"""Claiming callbacks and sweeping them back, each row changed by exactly one desktop.

Every change is one conditional UPDATE that re-checks the state it moves from, so when several
desktops race for a row only one UPDATE matches it. On PostgreSQL the candidate row is picked
with FOR UPDATE SKIP LOCKED, so claimers pass over rows another claimer holds instead of
queueing behind it; on SQLite the transaction takes the write lock at BEGIN (IMMEDIATE), which
makes the pick and the update one step.

These run on a bare connection with statements built once: a claim is on the agent's critical
path, and a session and statement building would cost more than the database's work. On
PostgreSQL the claim goes straight to the driver (DriverStatement), for the same reason.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql

from callcenter.db.driver_statement import DriverStatement
from callcenter.db.tables import AuditEntry
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import (
    Callback,
    CallbackInvalid,
    CallbackStatus,
    OwnerKind,
    Problem,
)
from callcenter.domain.users import Actor
from callcenter.repositories.callbacks import fetch, select_callbacks, to_callback

C = CallbackRow.__table__.c
PENDING, CLAIMED = CallbackStatus.PENDING.value, CallbackStatus.CLAIMED.value
AGENT, QUEUE = OwnerKind.AGENT.value, OwnerKind.QUEUE.value

# One lock per SQLite file for the writers of this process (see `write_transaction`).
_SQLITE_TURNS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that commits on leaving (rolls back on an error).

    On SQLite the transaction takes the write lock at BEGIN. Threads of one process first
    queue on a lock of their own: SQLite's busy handler polls with sleeps of up to 100 ms, and
    under steady contention a waiter can miss every free moment until its timeout, while a lock
    hands the turn over at once. Other processes still wait in the busy handler.
    """
    sqlite = engine.dialect.name == "sqlite"
    turn: Any = _sqlite_turn(engine) if sqlite else nullcontext()
    with turn, engine.connect() as connection:
        if sqlite:
            connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            yield connection


def _sqlite_turn(engine: Engine) -> threading.Lock:
    with _TURNS_GUARD:
        return _SQLITE_TURNS.setdefault(str(engine.url.database), threading.Lock())


def _pick(condition: Any) -> Any:
    """The most urgent row matching `condition`: priority, then longest due, then id."""
    return (
        select(C.id)
        .where(condition)
        .order_by(C.priority, C.due_at, C.id)
        .limit(1)
        # Compiled away on SQLite, whose immediate transaction already excludes other writers.
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def _claim(pool: Any) -> Any:
    """One UPDATE claiming the agent's own most urgent due callback, else the pool's.

    COALESCE evaluates its second pick only when the first finds nothing (on both backends),
    so the agent's own callbacks come first and a claim is a single statement.
    """
    return (
        update(CallbackRow)
        .where(C.id == func.coalesce(_pick(_OWN), _pick(pool)), C.status == PENDING)
        .values(
            status=CLAIMED,
            claimed_by=bindparam("p_agent"),
            claimed_at=bindparam("p_now"),
            version=C.version + 1,
            updated_at=bindparam("p_now"),
            updated_by=bindparam("p_login"),
        )
    )


def _claim_and_read(claim: Any) -> Any:
    """PostgreSQL: the claim, its audit entry and the claimed callback in one statement.

    A claim is on the agent's critical path and its database work is a fraction of a
    millisecond; as separate statements in a transaction it would wait for seven round trips.
    Run alone (autocommit), the statement is its own transaction.
    """
    claimed = claim.returning(*CallbackRow.__table__.c).cte("claimed")
    audit = (
        insert(AuditEntry)
        .from_select(
            ["at", "actor", "entity", "entity_id", "action", "changes"],
            select(
                bindparam("p_now", type_=AuditEntry.__table__.c.at.type),
                bindparam("p_login", type_=String),
                literal("callback"),
                cast(claimed.c.id, String),
                literal("claim"),
                bindparam("p_changes", type_=JSON),
            ).select_from(claimed),
        )
        .cte("audit")
    )
    # The statement's own transaction commits without waiting for its WAL to reach the disk
    # (still atomic and in order). Waiting is most of a claim's time; a claim lost in a server
    # crash only leaves the callback in the pool, as an expired claim would.
    not_durable = select(func.set_config("synchronous_commit", "off", True)).scalar_subquery()
    return select_callbacks(claimed).add_cte(audit).where(not_durable == "off")


_DUE = and_(C.status == PENDING, C.due_at <= bindparam("p_now", type_=C.due_at.type))
_OWN = and_(_DUE, C.owner_kind == AGENT, C.agent_id == bindparam("p_agent"))
_FROM_ANY_QUEUE = _claim(and_(_DUE, C.owner_kind == QUEUE))


def _from_queues(among: Any) -> Any:
    return _claim(and_(_DUE, C.owner_kind == QUEUE, or_(C.queue_id.is_(None), among)))


# (statement on SQLite, statement on PostgreSQL), for any queue and for the agent's queues.
# PostgreSQL's is run on the driver (see DriverStatement), so its queue list is an array.
_CLAIMS = {
    False: (_FROM_ANY_QUEUE.returning(C.id), DriverStatement(_claim_and_read(_FROM_ANY_QUEUE))),
    True: (
        _from_queues(C.queue_id.in_(bindparam("p_queues", expanding=True))).returning(C.id),
        DriverStatement(
            _claim_and_read(
                _from_queues(
                    C.queue_id == any_(bindparam("p_queues", type_=postgresql.ARRAY(Integer)))
                )
            )
        ),
    ),
}
_UNCLAIM = {
    "status": PENDING,
    "claimed_by": None,
    "claimed_at": None,
    "version": C.version + 1,
    "updated_at": bindparam("p_now", type_=C.updated_at.type),
    "updated_by": bindparam("p_login"),
}
_CLAIM_THIS = (
    update(CallbackRow)
    .where(
        C.id == bindparam("p_id"),
        C.status == PENDING,
        or_(C.owner_kind == QUEUE, C.agent_id == bindparam("p_agent")),
    )
    .values(
        status=CLAIMED,
        claimed_by=bindparam("p_agent"),
        claimed_at=bindparam("p_now", type_=C.claimed_at.type),
        version=C.version + 1,
        updated_at=bindparam("p_now", type_=C.updated_at.type),
        updated_by=bindparam("p_login"),
    )
    .returning(C.id)
)
_RELEASE = (
    update(CallbackRow)
    .where(C.id == bindparam("p_id"), C.status == CLAIMED, C.claimed_by == bindparam("p_agent"))
    .values(**_UNCLAIM)
    .returning(C.id)
)
_RELEASE_STALE = (
    update(CallbackRow)
    .where(
        # Both owner kinds named, so the (owner_kind, status, ...) index finds the claimed rows.
        C.owner_kind.in_([AGENT, QUEUE]),
        C.status == CLAIMED,
        C.claimed_at < bindparam("p_cutoff", type_=C.claimed_at.type),
    )
    .values(**_UNCLAIM)
    .returning(C.id)
)
_ESCALATE = (
    update(CallbackRow)
    .where(
        C.status == PENDING,
        C.owner_kind == AGENT,
        C.due_at < bindparam("p_cutoff", type_=C.due_at.type),
        or_(C.latest_at.is_(None), C.latest_at < bindparam("p_cutoff", type_=C.due_at.type)),
    )
    .values(
        owner_kind=QUEUE,
        escalated_at=bindparam("p_now", type_=C.escalated_at.type),
        version=C.version + 1,
        updated_at=bindparam("p_now", type_=C.updated_at.type),
        updated_by=bindparam("p_login"),
    )
    .returning(C.id)
)


def claim_next(
    engine: Engine,
    actor: Actor,
    agent_id: int,
    queue_ids: Sequence[int] | None,
    now: datetime,
    region: str,
) -> Callback | None:
    """Claim the agent's most urgent due callback, their own before the queue's."""
    params: dict[str, Any] = {"p_agent": agent_id, "p_now": now, "p_login": actor.login}
    if queue_ids is not None:
        params["p_queues"] = list(queue_ids)
    on_sqlite, on_postgres = _CLAIMS[queue_ids is not None]
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            params["p_changes"] = {"status": [PENDING, CLAIMED]}
            row = on_postgres.one_or_none(connection, params)
            return to_callback(row, region) if row is not None else None
    with write_transaction(engine) as connection:
        claimed = connection.execute(on_sqlite, params).scalar_one_or_none()
        if claimed is None:
            return None
        _audit(connection, actor, now, [claimed], "claim", {"status": [PENDING, CLAIMED]})
        return fetch(connection, claimed, region)


def claim_this(
    connection: Connection,
    actor: Actor,
    callback_id: int,
    agent_id: int,
    now: datetime,
    region: str,
) -> Callback:
    """Claim one named callback (the agent's own, or their queue's), due or not.

    Already claimed by this agent: it comes back as it is. CallbackInvalid (field "status")
    if it is closed, another agent's private callback, or claimed by another agent.
    """
    params = {"p_id": callback_id, "p_agent": agent_id, "p_now": now, "p_login": actor.login}
    if connection.execute(_CLAIM_THIS, params).scalar_one_or_none() is not None:
        _audit(connection, actor, now, [callback_id], "claim", {"status": [PENDING, CLAIMED]})
        return fetch(connection, callback_id, region)
    callback = fetch(connection, callback_id, region)
    if callback.status is CallbackStatus.CLAIMED and callback.claimed_by == agent_id:
        return callback
    if not callback.status.is_open:
        raise CallbackInvalid(
            "status", Problem.NOT_OPEN, f"the callback is already {callback.status.value}"
        )
    if callback.status is CallbackStatus.CLAIMED:
        raise CallbackInvalid(
            "status", Problem.NOT_YOUR_CLAIM, "another agent is working this callback"
        )
    raise CallbackInvalid(
        "status", Problem.NOT_YOUR_CLAIM, "this callback is another agent's to make"
    )


def release(
    connection: Connection, actor: Actor, callback_id: int, agent_id: int, now: datetime
) -> bool:
    """The agent gives a claim back to the pool; False if it is not (or no longer) theirs."""
    params = {"p_id": callback_id, "p_agent": agent_id, "p_now": now, "p_login": actor.login}
    released = connection.execute(_RELEASE, params).scalar_one_or_none() is not None
    if released:
        _audit(connection, actor, now, [callback_id], "release", {"status": [CLAIMED, PENDING]})
    return released


def release_stale(
    connection: Connection, actor: Actor, cutoff: datetime, now: datetime
) -> list[int]:
    """Claims taken before `cutoff` and not worked since go back to the pool; their ids."""
    params = {"p_cutoff": cutoff, "p_now": now, "p_login": actor.login}
    ids = sorted(connection.execute(_RELEASE_STALE, params).scalars())
    _audit(connection, actor, now, ids, "claim_expired", {"status": [CLAIMED, PENDING]})
    return ids


def escalate_overdue(
    connection: Connection, actor: Actor, cutoff: datetime, now: datetime
) -> list[int]:
    """Private callbacks still pending though due before `cutoff` become the queue's."""
    params = {"p_cutoff": cutoff, "p_now": now, "p_login": actor.login}
    ids = sorted(connection.execute(_ESCALATE, params).scalars())
    _audit(connection, actor, now, ids, "to_queue", {"owner_kind": [AGENT, QUEUE]})
    return ids


def _audit(
    connection: Connection,
    actor: Actor,
    now: datetime,
    ids: Sequence[int],
    action: str,
    changes: dict[str, Any],
) -> None:
    if not ids:
        return
    connection.execute(
        insert(AuditEntry),
        [
            {
                "at": now,
                "actor": actor.login,
                "entity": "callback",
                "entity_id": str(i),
                "action": action,
                "changes": changes,
            }
            for i in ids
        ],
    )
