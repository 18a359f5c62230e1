"""`callcenter collector`: Asterisk's queue events into the shared database, headless."""

from __future__ import annotations

import json
import queue
import sys
import time
from datetime import UTC, datetime
from typing import Any

import click

from callcenter.cli.context import EXIT_FAILURE, CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option, region_option
from callcenter.config.secrets import SecretStore
from callcenter.domain.calls import CallRecord
from callcenter.services.queue_collector import CollectorWriter
from callcenter.telephony.ami import AmiTelephony
from callcenter.telephony.events import (
    Connected,
    ConnectionEvent,
    Disconnected,
    QueueEvent,
    TelephonyEvent,
)
from callcenter.telephony.factory import TelephonyConfig, ami_secret_account, stored_ami_secret
from callcenter.telephony.queue_collector import QueueCollector

# The adapter follows one phone's calls as well; the collector wants none of them.
NO_INTERFACE = "Local/callcenter-collector"
RETRY_FIRST_S = 0.5
RETRY_MAX_S = 30.0


@click.command("collector")
@click.option("--ami", "address", metavar="HOST:PORT", help="Asterisk's AMI (default: settings).")
@click.option("--username", help="The manager.conf user (default: telephony.ami_username).")
@click.option(
    "--duration", type=click.FloatRange(min=0, min_open=True), help="Exit after S seconds."
)
@region_option(help="Region for caller ids without a country code.")
@json_option
@pass_context
def collector(
    context: CliContext,
    address: str | None,
    username: str | None,
    duration: float | None,
    region: str | None,
) -> None:
    """Write every queue's calls and agents' pauses from Asterisk to the database.

    One per site, headless. Each caller's visit to a queue becomes a call record (source pbx,
    keyed by Asterisk's unique id, so it is written once however often it is seen): waiting
    from the moment it joins, then answered by an agent (matched by the interface in their
    extension) and ended, abandoned, or left unanswered. A member's pause in a queue is a break
    (with its reason) and unpausing makes them available. While the database is unreachable
    the changes are kept in order and written when it is back. Ctrl+C stops.
    """
    settings = context.settings
    if username:
        settings = settings.with_overrides(ami_username=username)
    with errors():
        config = TelephonyConfig.from_settings(settings, "ami", address)
    if not config.ami_username:
        fail("give --username or set telephony.ami_username (the manager.conf user)")
    secret = stored_ami_secret(config, SecretStore())
    if secret is None:
        if not sys.stdin.isatty():
            fail(f"no AMI secret for {ami_secret_account(config)}: `callcenter cti secret`")
        secret = click.prompt(f"AMI secret for {ami_secret_account(config)}", hide_input=True)
    database = context.database
    writer = CollectorWriter(
        database,
        context.actor,
        region or settings.default_region,
        settings.outside_line_prefix,
    )
    events: queue.Queue[TelephonyEvent] = queue.Queue()
    adapter = AmiTelephony(
        config.host,
        config.port,
        events.put,
        username=config.ami_username,
        secret=secret,
        interface=NO_INTERFACE,
    )
    collect = QueueCollector()
    say = _printer(context.as_json)
    deadline = None if duration is None else time.monotonic() + duration
    retry_at, retry_in = 0.0, RETRY_FIRST_S
    adapter.start()
    try:
        while deadline is None or time.monotonic() < deadline:
            try:
                event: TelephonyEvent | None = events.get(timeout=0.2)
            except queue.Empty:
                event = None
            if isinstance(event, QueueEvent):
                writer.submit(collect.feed(event))
            elif isinstance(event, ConnectionEvent):
                say(_connection(event))
                if isinstance(event, Disconnected) and event.retry_in is None:
                    fail(event.reason, EXIT_FAILURE)  # the login was refused
            writer.submit(collect.due(datetime.now(UTC)))
            if writer.kept and time.monotonic() >= retry_at:
                if writer.flush():
                    retry_in = RETRY_FIRST_S
                    for record in writer.finished:
                        say(_finished(record))
                else:
                    retry_at = time.monotonic() + retry_in
                    say(
                        {
                            "event": "database_unreachable",
                            "kept": writer.kept,
                            "retry_in": retry_in,
                        }
                    )
                    retry_in = min(retry_in * 2, RETRY_MAX_S)
    except KeyboardInterrupt:
        pass
    finally:
        adapter.stop()
    if writer.kept and not writer.flush():
        fail(f"the database is unreachable: {writer.kept} changes were not written", EXIT_FAILURE)
    for record in writer.finished:
        say(_finished(record))


def _connection(event: ConnectionEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"event": type(event).__name__.lower(), "address": event.address}
    if isinstance(event, Disconnected):
        data.update(reason=event.reason, retry_in=event.retry_in)
    if isinstance(event, Connected):
        data["event"] = "connected"
    return data


def _finished(record: CallRecord) -> dict[str, Any]:
    if record.answered_at is not None:
        outcome = "answered"
    elif record.disposition_code:
        outcome = "left"
    else:
        outcome = "abandoned"
    waited = (record.answered_at or record.ended_at or record.started_at) - (
        record.queued_at or record.started_at
    )
    return {
        "event": "call",
        "call_id": record.source_call_id,
        "outcome": outcome,
        "agent_id": record.agent_id,
        "queue_id": record.queue_id,
        "caller": record.caller_raw,
        "wait_s": round(waited.total_seconds()),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
    }


def _printer(as_json: bool) -> Any:
    def say(data: dict[str, Any]) -> None:
        if as_json:
            click.echo(json.dumps(data, default=str, ensure_ascii=False))
            return
        when = datetime.now().strftime("%H:%M:%S")
        kind = data["event"]
        if kind == "call":
            click.echo(
                f"{when} call {data['call_id']} {data['outcome']} after {data['wait_s']} s wait"
            )
        elif kind == "database_unreachable":
            click.echo(
                f"{when} database unreachable: {data['kept']} changes kept, "
                f"retrying in {data['retry_in']:g} s"
            )
        elif kind == "disconnected":
            retry = data.get("retry_in")
            more = f"; retrying in {retry:.1f} s" if retry is not None else ""
            click.echo(f"{when} disconnected from {data['address']}: {data['reason']}{more}")
        else:
            click.echo(f"{when} {kind} to {data['address']}")

    return say
