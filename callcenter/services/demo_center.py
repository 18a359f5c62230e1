"""The demo call center itself: its teams of agents and supervisors, its queues and codes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from callcenter.bootstrap import Database
from callcenter.domain.calls import Disposition
from callcenter.domain.users import Actor, Role
from callcenter.services.demo_calls import CallContext
from callcenter.services.demo_people import NamePools, NumberPlan, NumberRange
from callcenter.services.demo_rows import TimestampText

# (name, service-level seconds, target %, short-abandon seconds, share of inbound calls)
QUEUES = (
    ("Support", 20, 80, 5, 45.0),
    ("Sales", 15, 85, 5, 25.0),
    ("Billing", 30, 80, 5, 20.0),
    ("Retention", 20, 90, 5, 10.0),
)
TEAMS = ("Team Atlas", "Team Borealis", "Team Comet")
_INBOUND_CODES = {
    "resolved": 40,
    "information": 25,
    "follow_up": 10,
    "complaint": 5,
    "sale": 7,
    "wrong_number": 2,
    "wrap_up_timeout": 3,
}
_OUTBOUND_CODES = {
    "sale": 25,
    "follow_up": 25,
    "information": 20,
    "resolved": 25,
    "complaint": 2,
    "wrap_up_timeout": 3,
}
_OTHER_CODE_WEIGHT = 2


def tag(run: int) -> str:
    """What sets a run's logins, external ids and call ids apart: nothing for the first."""
    return "" if run == 0 else f"{run:03d}"


@dataclass(frozen=True)
class Staff:
    # The agents' user ids, in roster order (the plan's agent n is agent_ids[n]).
    agent_ids: list[int]
    teams: int
    supervisors: int
    # A supervisor's and an agent's login, to sign in with.
    logins: list[str]


def write_staff(
    database: Database,
    actor: Actor,
    agents: int,
    pools: NamePools,
    run: int,
    rng: random.Random,
    password_hash: str | None,
) -> Staff:
    """Agents and supervisors in teams, made users (or found, if a run made them before)."""
    teams = TEAMS[: 2 if agents < 8 else 3]
    supervisors = len(teams) + agents // 40
    prefix = f"demo{tag(run)}"
    people = [
        (f"{prefix}.supervisor{n + 1:02d}", Role.SUPERVISOR, teams[n % len(teams)], f"1{n + 1:03d}")
        for n in range(supervisors)
    ] + [
        (f"{prefix}.agent{n + 1:03d}", Role.AGENT, teams[n % len(teams)], f"2{n + 1:03d}")
        for n in range(agents)
    ]
    ids: list[int] = []
    with database.uow(actor) as uow:
        for login, role, team, extension in people:
            name = pools.full_name(rng.choice(pools.first_names), rng.choice(pools.last_names))
            user = uow.users.find(login) or uow.users.add(
                login, name, role, team=team, extension=extension, password_hash=password_hash
            )
            if role is Role.AGENT:
                ids.append(user.id)
        uow.commit()
    return Staff(ids, len(teams), supervisors, [people[0][0], people[supervisors][0]])


@dataclass(frozen=True)
class Queues:
    ids: list[int]
    # Each queue's share of inbound calls, and the line customers dial to reach it.
    shares: list[float]
    lines: list[tuple[str, str]]


def write_queues(
    database: Database, actor: Actor, numbers: NumberPlan, calls: int, rng: random.Random
) -> Queues:
    """The queues a center of this size has (fewer for a small history)."""
    count = 2 if calls < 1_000 else 3 if calls < 20_000 else 4
    queues = Queues([], [], [])
    with database.uow(actor) as uow:
        for name, threshold, target, short, share in QUEUES[:count]:
            queue = uow.queues.ensure(name, threshold, target, short)
            queues.ids.append(queue.id)
            queues.shares.append(share)
            queues.lines.append(rng.choice(numbers.spare).number(rng))
        uow.commit()
    return queues


def dispositions(database: Database, actor: Actor) -> list[Disposition]:
    with database.uow(actor) as uow:
        return uow.dispositions.list()


@dataclass(frozen=True)
class CallParties:
    """Who the calls of a run are between, besides the customers."""

    agent_ids: Sequence[int]
    queues: Queues
    codes: Sequence[str]
    unknown_numbers: Sequence[NumberRange]


def call_context(
    seed: int,
    run: int,
    end: int,
    login: str,
    parties: CallParties,
    customer_keys: Sequence[str],
    customer_raws: Sequence[str],
    timestamp: TimestampText,
) -> CallContext:
    """What the day simulation draws from, disposition codes weighted by direction."""
    codes = parties.codes

    def weighted(weights: dict[str, int], leave_out: set[str]) -> tuple[list[str], list[float]]:
        chosen = [c for c in codes if c not in leave_out]
        return chosen, [float(weights.get(c, _OTHER_CODE_WEIGHT)) for c in chosen]

    inbound_codes, inbound_weights = weighted(_INBOUND_CODES, {"no_answer"})
    outbound_codes, outbound_weights = weighted(_OUTBOUND_CODES, {"no_answer", "wrong_number"})
    return CallContext(
        seed=seed,
        run=run,
        now=end,
        uid_prefix=f"demo{tag(run)}-",
        login=login,
        queue_ids=parties.queues.ids,
        queue_weights=parties.queues.shares,
        queue_lines=parties.queues.lines,
        agent_ids=parties.agent_ids,
        customer_keys=customer_keys,
        customer_raws=customer_raws,
        unknown_numbers=parties.unknown_numbers,
        inbound_codes=inbound_codes or [""],
        inbound_weights=inbound_weights or [1.0],
        outbound_codes=outbound_codes or [""],
        outbound_weights=outbound_weights or [1.0],
        no_answer_code="no_answer" if "no_answer" in codes else None,
        timeout_code="wrap_up_timeout" if "wrap_up_timeout" in codes else None,
        timestamp=timestamp,
    )
