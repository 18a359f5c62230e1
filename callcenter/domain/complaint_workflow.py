"""The complaint workflow: which status may follow which, and why a move is refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from callcenter.domain.complaints import Complaint, RefusalReason, Status, TransitionRefused

NEXT: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.ESCALATED}),
    Status.OPEN: frozenset({Status.PENDING_CUSTOMER, Status.ESCALATED, Status.RESOLVED}),
    Status.PENDING_CUSTOMER: frozenset({Status.OPEN, Status.ESCALATED, Status.RESOLVED}),
    Status.ESCALATED: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.REOPENED: frozenset(
        {Status.OPEN, Status.PENDING_CUSTOMER, Status.ESCALATED, Status.RESOLVED}
    ),
    Status.CLOSED: frozenset(),
}
"""Every move the workflow allows; some need more (see `check`)."""

# Moves that need more than a status: their own service methods carry what they need.
NEEDS_METHOD = {
    Status.RESOLVED: (
        RefusalReason.NEEDS_RESOLUTION,
        "Resolving needs a resolution note and code.",
    ),
    Status.ESCALATED: (RefusalReason.USE_ESCALATE, "Escalating needs a reason."),
    Status.REOPENED: (RefusalReason.NEEDS_REASON, "Reopening needs a reason."),
}


class WorkflowFields(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def assignee_id(self) -> int | None: ...
    @property
    def merged_into_id(self) -> int | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...


class _View:
    """WorkflowFields of a domain complaint (it names the assignee, not their id)."""

    def __init__(
        self,
        status: str,
        assigned: bool,
        merged_into_id: int | None,
        resolved_at: datetime | None,
    ) -> None:
        self.status = status
        self.assignee_id = 1 if assigned else None
        self.merged_into_id = merged_into_id
        self.resolved_at = resolved_at


def check(
    row: WorkflowFields,
    wanted: Status,
    now: datetime,
    reopen_days: int,
    *,
    by_method: bool = False,
) -> None:
    """Raise TransitionRefused unless `row` may move to `wanted` now.

    `by_method` is set by resolve/escalate/reopen/close, which bring what the move needs.
    """
    current = Status(row.status)
    if row.merged_into_id is not None:
        raise TransitionRefused(
            current, wanted, RefusalReason.MERGED, "This complaint was merged into another one."
        )
    if current is Status.CLOSED:
        raise TransitionRefused(
            current, wanted, RefusalReason.CLOSED, "A closed complaint cannot change."
        )
    if wanted not in NEXT[current]:
        raise TransitionRefused(
            current,
            wanted,
            RefusalReason.NOT_ALLOWED,
            f"A complaint that is {_words(current)} cannot become {_words(wanted)}.",
        )
    if not by_method and wanted in NEEDS_METHOD:
        reason, message = NEEDS_METHOD[wanted]
        raise TransitionRefused(current, wanted, reason, message)
    if wanted is Status.OPEN and row.assignee_id is None:
        raise TransitionRefused(
            current,
            wanted,
            RefusalReason.NEEDS_ASSIGNEE,
            "Assign the complaint to someone before opening it.",
        )
    if wanted is Status.REOPENED:
        resolved = row.resolved_at
        if resolved is None or now - resolved > timedelta(days=reopen_days):
            raise TransitionRefused(
                current,
                wanted,
                RefusalReason.REOPEN_WINDOW_PASSED,
                f"It was resolved more than {reopen_days} days ago and can no longer be "
                "reopened; open a new complaint instead.",
            )


def allowed(complaint: Complaint, now: datetime, reopen_days: int) -> tuple[Status, ...]:
    """The statuses the complaint may move to now, by any method, in workflow order."""
    view = _View(
        complaint.status,
        complaint.assignee is not None,
        complaint.merged_into_id,
        complaint.resolved_at,
    )
    result = []
    for status in Status:
        try:
            check(view, status, now, reopen_days, by_method=True)
        except TransitionRefused:
            continue
        result.append(status)
    return tuple(result)


def _words(status: Status) -> str:
    return status.value.replace("_", " ")
