"""Calls and the agent's states: the facts every figure is computed from."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallSource(enum.StrEnum):
    MANUAL = "manual"
    SOFTPHONE = "softphone"
    PBX = "pbx"
    IMPORT = "import"
    SIMULATOR = "simulator"
    DEMO = "demo"


class AgentState(enum.StrEnum):
    LOGGED_OUT = "logged_out"
    AVAILABLE = "available"
    ON_CALL = "on_call"
    AFTER_CALL_WORK = "after_call_work"
    BREAK = "break"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call as written by whoever saw it; `call_uid` makes a retried save land on one row."""

    call_uid: str
    direction: Direction
    started_at: datetime
    source: CallSource
    source_call_id: str | None = None
    queue_id: int | None = None
    customer_id: int | None = None
    agent_id: int | None = None
    caller_raw: str | None = None
    caller_key: str | None = None
    dialled_raw: str | None = None
    dialled_key: str | None = None
    queued_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hold_s: int = 0
    acw_s: int = 0
    disposition_code: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Queue:
    id: int
    name: str
    service_level_threshold_s: int
    service_level_target_pct: int
    short_abandon_threshold_s: int


@dataclass(frozen=True, slots=True)
class Disposition:
    code: str
    label: str
    position: int
    active: bool
