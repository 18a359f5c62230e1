"""`callcenter callbacks`: list the backlog, and run housekeeping from cron or a service."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option
from callcenter.domain.callbacks import BacklogFilter, Callback, CallbackStatus, OwnerKind
from callcenter.services.callbacks import CallbackService


@click.group()
def callbacks() -> None:
    """Callbacks promised to customers."""


def _as_dict(callback: Callback, now: datetime) -> dict[str, object]:
    return {
        "id": callback.id,
        "customer_id": callback.customer_id,
        "customer": callback.customer_name,
        "number": callback.number,
        "time_zone": callback.time_zone,
        "due_at": callback.due_at.isoformat(),
        "latest_at": callback.latest_at.isoformat() if callback.latest_at else None,
        "owner": callback.owner_kind.value,
        "agent": callback.agent_name,
        "queue": callback.queue_name,
        "priority": int(callback.priority),
        "status": callback.status.value,
        "attempts": callback.attempts,
        "overdue": callback.is_overdue(now),
        "reason": callback.reason,
        "waiting_since": callback.waiting_since().isoformat(),
    }


@callbacks.command(name="list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in CallbackStatus]),
    help="Only these statuses (repeatable; default pending and claimed).",
)
@click.option("--owner", type=click.Choice([o.value for o in OwnerKind]), help="Private or queue.")
@click.option("--overdue", is_flag=True, help="Only callbacks past their time.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@json_option
@pass_context
def list_callbacks(
    context: CliContext,
    statuses: tuple[str, ...],
    owner: str | None,
    overdue: bool,
    limit: int,
) -> None:
    """The backlog in due order: who is waiting, since when, due when."""
    now = datetime.now(UTC)
    where = BacklogFilter(
        statuses=tuple(CallbackStatus(s) for s in statuses) or BacklogFilter().statuses,
        owner_kind=OwnerKind(owner) if owner else None,
        overdue_at=now if overdue else None,
    )
    service = CallbackService.from_settings(context.database, context.settings)
    with errors():
        page = service.backlog(context.actor, where, limit)

    def text() -> None:
        for callback in page.items:
            who = callback.agent_name if callback.is_private else callback.queue_name or "anyone"
            late = "  OVERDUE" if callback.is_overdue(now) else ""
            click.echo(
                f"{callback.id:>7} {callback.due_at:%Y-%m-%d %H:%M}Z P{int(callback.priority)} "
                f"{callback.status.value:<9} {callback.customer_name[:28]:<28} "
                f"{callback.number_display:<18} {who or ''}{late}"
            )
        if page.next_cursor is not None:
            click.echo(f"(first {limit}; use --limit for more)")

    context.emit([_as_dict(c, now) for c in page.items], text)


@callbacks.command()
@json_option
@pass_context
def housekeep(context: CliContext) -> None:
    """Return stale claims to the pool and hand overdue private callbacks to their queue.

    Safe to run on many machines at once (each callback is moved once); desktops do it too.
    """
    service = CallbackService.from_settings(context.database, context.settings)
    with errors():
        result = service.housekeep(context.actor)
    context.emit(
        {"released": list(result.released), "to_queue": list(result.escalated)},
        lambda: click.echo(
            f"{len(result.released)} claims returned to the pool, "
            f"{len(result.escalated)} private callbacks handed to their queue."
        ),
    )
