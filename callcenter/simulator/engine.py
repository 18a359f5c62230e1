"""The queue itself: Poisson arrivals, lognormal handle times, impatient callers, N agents.

Pure and deterministic for a seed: `simulate(config)` yields what happens, in time order, as
seconds from the start. The writer (simulator/writer.py) turns it into rows and paces it.

- Callers arrive as a Poisson process of `calls_per_hour` until `duration_s`; the queue then
  drains (every caller gets an answer or gives up) and agents log out as they finish.
- Handle times are lognormal with mean `aht_s` and coefficient of variation `handle_cv`
  (1.0 by default: skewed as real handle times are, with the spread of the exponential that
  Erlang C assumes); `acw_share` of each is after-call work, the rest talk (some of it on hold).
- Each caller waits at most their patience, exponential with mean `patience_s` (None: forever).
- First come, first served; a free call goes to the agent idle longest.
"""

from __future__ import annotations

import enum
import heapq
import math
import random
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SimulationConfig:
    agents: int
    calls_per_hour: float
    aht_s: float
    patience_s: float | None = None
    duration_s: float = 3600.0
    handle_cv: float = 1.0
    acw_share: float = 0.15
    hold_share: float = 0.15  # calls put on hold once, for 10-30 % of their talk
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.agents < 1:
            raise ValueError("agents must be at least 1")
        if self.calls_per_hour <= 0 or self.aht_s <= 0 or self.duration_s <= 0:
            raise ValueError("calls per hour, AHT and duration must be positive")
        if self.patience_s is not None and self.patience_s <= 0:
            raise ValueError("patience must be positive")
        if not 0 <= self.acw_share < 1 or self.handle_cv < 0:
            raise ValueError("acw share must be in [0, 1) and the handle-time spread >= 0")


class Kind(enum.Enum):
    LOGGED_IN = "logged_in"  # agent
    JOINED = "joined"  # call
    ANSWERED = "answered"  # call + agent
    ABANDONED = "abandoned"  # call
    TALK_ENDED = "talk_ended"  # call + agent: after-call work starts
    WRAPPED_UP = "wrapped_up"  # call + agent: the agent is free again
    LOGGED_OUT = "logged_out"  # agent


@dataclass(slots=True)
class SimCall:
    """One caller. Times are seconds from the start; filled in as the call goes on."""

    index: int
    queued_at: float
    patience_s: float
    talk_s: float
    acw_s: float
    hold_s: float
    answered_at: float | None = None
    ended_at: float | None = None
    agent: int | None = None

    @property
    def wait_s(self) -> float | None:
        end = self.answered_at if self.answered_at is not None else self.ended_at
        return None if end is None else end - self.queued_at


@dataclass(frozen=True, slots=True)
class SimEvent:
    at: float
    kind: Kind
    call: SimCall | None = None
    agent: int | None = None


# Order of events at the same instant: a freed agent takes a waiting caller before anyone new
# arrives, and a call is answered before an abandon scheduled for that same moment.
_PRIORITY = {"free": 0, "end": 1, "abandon": 3, "arrive": 2}


def handle_time(rng: random.Random, mean: float, cv: float) -> float:
    if cv == 0:
        return mean
    sigma2 = math.log1p(cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


def simulate(config: SimulationConfig, rng: random.Random | None = None) -> Iterator[SimEvent]:
    """Everything that happens, in time order, until the last agent logs out."""
    rng = rng or random.Random(config.seed)
    rate = config.calls_per_hour / 3600.0
    heap: list[tuple[float, int, int, str, int]] = []
    seq = 0

    def push(at: float, what: str, payload: int) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(heap, (at, _PRIORITY[what], seq, what, payload))

    calls: dict[int, SimCall] = {}
    waiting: deque[int] = deque()
    idle: deque[int] = deque(range(config.agents))
    for agent in range(config.agents):
        yield SimEvent(0.0, Kind.LOGGED_IN, agent=agent)
    push(rng.expovariate(rate), "arrive", 0)
    next_index = 0

    def answer(call: SimCall, agent: int, at: float) -> Iterable[SimEvent]:
        call.answered_at = at
        call.agent = agent
        push(at + call.talk_s, "end", call.index)
        yield SimEvent(at, Kind.ANSWERED, call, agent)

    closing = False  # arrivals are over: agents log out as they become free
    while heap:
        at, _priority, _seq, what, payload = heapq.heappop(heap)
        if not closing and at >= config.duration_s:
            closing = True
            for agent in sorted(idle):
                yield SimEvent(config.duration_s, Kind.LOGGED_OUT, agent=agent)
            idle.clear()
        if what == "arrive":
            handle = handle_time(rng, config.aht_s, config.handle_cv)
            acw = handle * config.acw_share
            talk = handle - acw
            hold = talk * rng.uniform(0.1, 0.3) if rng.random() < config.hold_share else 0.0
            patience = (
                math.inf if config.patience_s is None else rng.expovariate(1.0 / config.patience_s)
            )
            call = SimCall(next_index, at, patience, talk, acw, hold)
            calls[call.index] = call
            next_index += 1
            yield SimEvent(at, Kind.JOINED, call)
            if idle and not waiting:
                yield from answer(call, idle.popleft(), at)
            else:
                waiting.append(call.index)
                if patience != math.inf:
                    push(at + patience, "abandon", call.index)
            following = at + rng.expovariate(rate)
            if following < config.duration_s:
                push(following, "arrive", 0)
        elif what == "abandon":
            gone = calls.get(payload)  # None: answered and finished already
            if gone is not None and gone.answered_at is None:
                call = gone
                call.ended_at = at
                waiting.remove(call.index)
                del calls[call.index]
                yield SimEvent(at, Kind.ABANDONED, call)
        elif what == "end":
            call = calls[payload]
            call.ended_at = at
            assert call.agent is not None
            push(at + call.acw_s, "free", call.index)
            yield SimEvent(at, Kind.TALK_ENDED, call, call.agent)
        else:  # free
            call = calls.pop(payload)
            free = call.agent
            assert free is not None
            yield SimEvent(at, Kind.WRAPPED_UP, call, free)
            if waiting:
                yield from answer(calls[waiting.popleft()], free, at)
            elif closing:
                yield SimEvent(at, Kind.LOGGED_OUT, agent=free)
            else:
                idle.append(free)
    for agent in sorted(idle):
        yield SimEvent(config.duration_s, Kind.LOGGED_OUT, agent=agent)


@dataclass
class SimulationStats:
    """The queue figures of a run, by ../shared/KPIS.md."""

    threshold_s: float = 20.0
    short_abandon_s: float = 5.0
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_in_threshold: int = 0
    total_wait_s: float = 0.0
    waits: list[float] = field(default_factory=list, repr=False)

    def add(self, call: SimCall) -> None:
        self.offered += 1
        wait = call.wait_s or 0.0
        if call.answered_at is not None:
            self.answered += 1
            self.total_wait_s += wait
            if wait <= self.threshold_s:
                self.answered_in_threshold += 1
        else:
            self.abandoned += 1
            if wait < self.short_abandon_s:
                self.short_abandoned += 1

    @property
    def service_level(self) -> float:
        counted = self.offered - self.short_abandoned
        return self.answered_in_threshold / counted if counted else 1.0

    @property
    def asa_s(self) -> float:
        return self.total_wait_s / self.answered if self.answered else 0.0

    @property
    def abandon_rate(self) -> float:
        counted = self.offered - self.short_abandoned
        return (self.abandoned - self.short_abandoned) / counted if counted else 0.0


def measure(
    events: Iterable[SimEvent], threshold_s: float = 20.0, short_abandon_s: float = 5.0
) -> SimulationStats:
    """Run the events through and count the finished calls."""
    stats = SimulationStats(threshold_s, short_abandon_s)
    for event in events:
        if event.kind in (Kind.WRAPPED_UP, Kind.ABANDONED):
            assert event.call is not None
            stats.add(event.call)
    return stats
