"""A simulated day as the database stores it: call and agent-state rows, timestamps as text.

On SQLite a day also travels packed as a small in-memory database (`stage`): the process that
writes then copies it with one INSERT ... SELECT per table, in SQLite's own code, instead of
binding tens of millions of values one by one from Python (and unpickling them first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from callcenter.db.bulk import serialized_tables
from callcenter.domain.calls import CallSource, Direction

CALL_COLUMNS = (
    "call_uid",
    "direction",
    "queue_id",
    "customer_id",
    "agent_id",
    "caller_raw",
    "caller_key",
    "dialled_raw",
    "dialled_key",
    "started_at",
    "queued_at",
    "answered_at",
    "ended_at",
    "hold_s",
    "acw_s",
    "disposition_code",
    "notes",
    "source",
    "source_call_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
)
STATE_COLUMNS = ("agent_id", "state", "reason", "started_at", "ended_at")
# What a simulated call fills in of its row: who called whom (direction .. dialled_key), then
# how it went (started_at .. notes, times as epoch seconds until the day is finished).
PARTIES = slice(CALL_COLUMNS.index("direction"), CALL_COLUMNS.index("dialled_key") + 1)
COURSE = slice(CALL_COLUMNS.index("started_at"), CALL_COLUMNS.index("notes") + 1)
CUSTOMER = CALL_COLUMNS.index("customer_id")
STARTED = CALL_COLUMNS.index("started_at")
_UID = CALL_COLUMNS.index("call_uid")
_DIRECTION = CALL_COLUMNS.index("direction")
_AGENT = CALL_COLUMNS.index("agent_id")
_QUEUED = CALL_COLUMNS.index("queued_at")
_ANSWERED = CALL_COLUMNS.index("answered_at")
_ENDED = CALL_COLUMNS.index("ended_at")
_HOLD = CALL_COLUMNS.index("hold_s")
_ACW = CALL_COLUMNS.index("acw_s")
_CODE = CALL_COLUMNS.index("disposition_code")
_NOTES = CALL_COLUMNS.index("notes")
_CREATED = CALL_COLUMNS.index("created_at")
_UPDATED = CALL_COLUMNS.index("updated_at")

_INBOUND = Direction.INBOUND.value
_DEMO = CallSource.DEMO.value


def new_call(login: str) -> list[Any]:
    """A call row in CALL_COLUMNS order, with what every demo call has filled in."""
    row: list[Any] = [None] * len(CALL_COLUMNS)
    row[CALL_COLUMNS.index("source")] = _DEMO
    row[CALL_COLUMNS.index("version")] = 1
    row[CALL_COLUMNS.index("created_by")] = login
    row[CALL_COLUMNS.index("updated_by")] = login
    return row


@dataclass
class DayRows:
    """A day's rows ready to write, and what they add up to.

    Calls carry the customer's index in `customer_id` (or None) until the writer swaps in the
    id the database gave the customer. On SQLite the rows may travel as `staged` instead.
    """

    calls: list[list[Any]] = field(default_factory=list)
    states: list[tuple[Any, ...]] = field(default_factory=list)
    inbound: int = 0
    abandoned: int = 0
    unknown: int = 0
    call_count: int = 0
    state_count: int = 0
    first_call: str | None = None
    last_call: str | None = None
    staged: bytes | None = None


def finish_day(
    rows: DayRows,
    calls: list[list[Any]],
    states: list[tuple[Any, ...]],
    first_seq: int,
    uid_prefix: str,
    now: int,
    timestamps: TimestampText,
) -> DayRows:
    """Epoch seconds to text, ids in time order; what had not happened by `now` left out."""
    calls.sort(key=itemgetter(STARTED))
    states.sort(key=itemgetter(3))
    starts = [table[0][index] for table, index in ((calls, STARTED), (states, 3)) if table]
    ends = [row[_ENDED] + row[_ACW] for row in calls] + [row[4] for row in states]
    first = min(starts, default=0)
    ts = timestamps.formatter(first, max(ends, default=first))
    for k, row in enumerate(calls):
        _finish_call(row, f"{uid_prefix}{first_seq + k + 1:09d}", now, ts)
    finished_states = []
    for agent, state, reason, start, end in states:
        if start >= now:
            break
        # The span going on now is left open.
        finished_states.append((agent, state, reason, ts(start), None if end > now else ts(end)))
    rows.calls, rows.states = calls, finished_states
    rows.call_count, rows.state_count = len(calls), len(finished_states)
    if calls:
        rows.first_call, rows.last_call = calls[0][STARTED], calls[-1][STARTED]
    return rows


def _finish_call(row: list[Any], uid: str, now: int, ts: Callable[[int], str]) -> None:
    started, queued, answered, ended = row[STARTED], row[_QUEUED], row[_ANSWERED], row[_ENDED]
    if ended > now:
        # Still going on at the end of the history: waiting, or talking with the agent.
        if answered is not None and answered > now:
            answered = None
            if row[_DIRECTION] == _INBOUND:
                row[_AGENT] = None
        ended = None
        row[_HOLD], row[_ACW], row[_CODE], row[_NOTES] = 0, 0, None, None
    if queued is not None and queued > now:
        queued = None
    row[_UID] = uid
    row[STARTED] = ts(started)
    row[_QUEUED] = None if queued is None else ts(queued)
    row[_ANSWERED] = None if answered is None else ts(answered)
    row[_ENDED] = None if ended is None else ts(ended)
    row[_CREATED] = row[_UPDATED] = ts(ended + row[_ACW] if ended is not None else started)


def stage(rows: DayRows) -> DayRows:
    """The rows packed as a serialized SQLite database (tables `calls`, `agent_states`)."""
    rows.staged = serialized_tables(
        (("calls", CALL_COLUMNS, rows.calls), ("agent_states", STATE_COLUMNS, rows.states))
    )
    rows.calls, rows.states = [], []
    return rows


class TimestampText:
    """Epoch seconds as the text each backend's timestamp column reads and compares.

    SQLAlchemy keeps naive UTC as `YYYY-MM-DD HH:MM:SS.ffffff` on SQLite, and text compares
    right only in exactly that form; PostgreSQL parses an explicit UTC offset. Formatting
    tens of millions of datetimes is slow, so the day and the time of day come from tables.
    """

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self._times: list[str] = []
        self._days: dict[int, str] = {}

    def formatter(self, first: int, last: int) -> Callable[[int], str]:
        """A plain function for epochs between `first` and `last`: the cheapest call there is."""
        if not self._times:
            suffix = "+00" if self.postgres else ".000000"
            self._times = [
                f"{h:02d}:{m:02d}:{s:02d}{suffix}"
                for h in range(24)
                for m in range(60)
                for s in range(60)
            ]
        days: dict[int, str] = {}
        for day in range(first // 86400, last // 86400 + 1):
            prefix = self._days.get(day)
            if prefix is None:
                prefix = self._days[day] = f"{date(1970, 1, 1) + timedelta(days=day)} "
            days[day] = prefix
        times = self._times

        def text(epoch: int) -> str:
            return days[epoch // 86400] + times[epoch % 86400]

        return text
