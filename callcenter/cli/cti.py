"""`callcenter cti`: watch the phone system as the desktop would, and store the AMI secret."""

from __future__ import annotations

import json
import queue
import re
import sys
import time
from dataclasses import fields
from typing import Any

import click

from callcenter.cli.context import EXIT_FAILURE, CliContext, errors, fail, pass_context
from callcenter.cli.lookup import result_json
from callcenter.cli.options import json_option, region_option
from callcenter.config.secrets import SecretStore
from callcenter.config.settings import ConfigError
from callcenter.domain.customers import LookupResult
from callcenter.services.lookup import LookupService
from callcenter.telephony.events import (
    CallEvent,
    CallRinging,
    Connecting,
    ConnectionEvent,
    Disconnected,
    TelephonyEvent,
)
from callcenter.telephony.factory import (
    TelephonyConfig,
    ami_secret_account,
    create_telephony,
    stored_ami_secret,
)

_ADAPTERS = click.Choice(["baresip", "ami"])


@click.group()
def cti() -> None:
    """The phone system link (computer-telephony integration)."""


def event_name(event: TelephonyEvent) -> str:
    """`CallRinging` -> `ringing`, `QueueCallerJoined` -> `queue_caller_joined`."""
    name = type(event).__name__
    if isinstance(event, CallEvent):
        name = name.removeprefix("Call")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def event_json(event: TelephonyEvent, lookup: LookupResult | None) -> dict[str, Any]:
    data: dict[str, Any] = {"event": event_name(event)}
    for field in fields(event):
        value = getattr(event, field.name)
        data[field.name] = value.isoformat() if field.name == "at" else value
    if lookup is not None:
        data["lookup"] = result_json(lookup)
    return data


def event_text(event: TelephonyEvent, lookup: LookupResult | None) -> str:
    when = event.at.astimezone().strftime("%H:%M:%S")
    if isinstance(event, Connecting):
        return f"{when} connecting to {event.address} (attempt {event.attempt})"
    if isinstance(event, Disconnected):
        retry = f"; retrying in {event.retry_in:.1f} s" if event.retry_in is not None else ""
        return f"{when} disconnected from {event.address}: {event.reason}{retry}"
    if isinstance(event, ConnectionEvent):
        return f"{when} {event_name(event)} to {event.address}"
    if isinstance(event, CallEvent):
        text = f"{when} {event_name(event)} {event.direction.value} call {event.call_id}"
        if isinstance(event, CallRinging):
            party = "from" if event.caller == event.remote_number else "to"
            name = f' "{event.display_name}"' if event.display_name else ""
            text += f" {party} {event.remote_number or 'an unknown number'}{name}"
            text += f" (queue {event.queue})" if event.queue else ""
        if lookup is not None:
            text += ": " + _matches_text(lookup)
        return text
    details = ", ".join(
        f"{f.name}={getattr(event, f.name)}"
        for f in fields(event)
        if f.name not in ("at", "queue") and getattr(event, f.name) is not None
    )
    return f"{when} {event_name(event)} in {getattr(event, 'queue', '?')}: {details}"


def _matches_text(lookup: LookupResult) -> str:
    if lookup.withheld:
        return "withheld number"
    if not lookup.matches:
        return f"no customer ({lookup.normalized or 'no digits'})"
    return "; ".join(
        f"#{m.id} {m.name}" + (f", {m.company}" if m.company else "") for m in lookup.matches
    )


def _secret(config: TelephonyConfig) -> str | None:
    if config.adapter != "ami":
        return None
    secret = stored_ami_secret(config, SecretStore())
    if secret is None and sys.stdin.isatty():
        secret = click.prompt(f"AMI secret for {ami_secret_account(config)}", hide_input=True)
    return secret


@cti.command()
@click.option("--adapter", type=_ADAPTERS, help="baresip or ami (default: telephony.adapter).")
@click.option("--address", metavar="HOST:PORT", help="Where it listens (default: the settings).")
@click.option("--extension", metavar="TECH/NAME", help="AMI: the phone to follow, e.g. PJSIP/201.")
@click.option("--count", type=click.IntRange(min=1), help="Exit after N ringing calls.")
@click.option(
    "--duration", type=click.FloatRange(min=0, min_open=True), help="Exit after S seconds."
)
@region_option(help="Region for caller ids without a country code.")
@json_option
@pass_context
def monitor(
    context: CliContext,
    adapter: str | None,
    address: str | None,
    extension: str | None,
    count: int | None,
    duration: float | None,
    region: str | None,
) -> None:
    """Print each call event with the customers on the caller's number, as a screen pop would."""
    settings = context.settings
    if extension:
        settings = settings.with_overrides(telephony_extension=extension)
    if not (adapter or settings.telephony_adapter != "none"):
        raise click.UsageError("give --adapter baresip|ami (telephony.adapter is none)")
    lookups = LookupService(
        context.database, region or settings.default_region, settings.outside_line_prefix
    )
    events: queue.Queue[TelephonyEvent] = queue.Queue()
    with errors():
        config = TelephonyConfig.from_settings(settings, adapter, address)
        telephony = create_telephony(config, events.put, _secret(config))
    assert telephony is not None
    deadline = None if duration is None else time.monotonic() + duration
    telephony.start()
    rung = 0
    try:
        while count is None or rung < count:
            try:
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                event = events.get(timeout=left)
            except queue.Empty:
                break
            lookup = None
            if isinstance(event, CallRinging):
                rung += 1
                with errors():
                    lookup = lookups.lookup(event.remote_number or "", context.actor)
            if context.as_json:
                click.echo(json.dumps(event_json(event, lookup), default=str, ensure_ascii=False))
            else:
                click.echo(event_text(event, lookup))
            if isinstance(event, Disconnected) and event.retry_in is None:
                fail(event.reason, EXIT_FAILURE)  # gave up: the credentials were refused
    finally:
        telephony.stop()


@cti.command()
@click.option("--address", metavar="HOST:PORT", help="Asterisk's AMI (default: the settings).")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the secret from stdin.")
@pass_context
def secret(context: CliContext, address: str | None, from_stdin: bool) -> None:
    """Store the AMI secret of telephony.ami_username in the OS keyring."""
    try:
        config = TelephonyConfig.from_settings(context.settings, "ami", address)
    except ConfigError as exc:
        fail(str(exc))
    if not config.ami_username:
        fail("set telephony.ami_username first (the manager.conf user)")
    account = ami_secret_account(config)
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = click.prompt(f"AMI secret for {account}", hide_input=True)
    if not value:
        fail("the secret is empty")
    store = SecretStore()
    if not store.set(account, value):
        fail(store.last_problem or "the keyring refused the secret", EXIT_FAILURE)
    click.echo(f"Saved in the OS keyring as {account}.")
