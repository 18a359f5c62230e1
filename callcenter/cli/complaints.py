"""`callcenter complaints`: categories, SLA targets, business calendar, knowledge base, sweep."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import click

from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option
from callcenter.domain.complaints import Priority
from callcenter.services.complaint_admin import ComplaintAdmin, parse_hours
from callcenter.services.complaints import ComplaintService
from callcenter.services.knowledge import KnowledgeService

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _admin(context: CliContext) -> ComplaintAdmin:
    return ComplaintAdmin(context.database, context.settings.complaint_at_risk_share)


@click.group()
def complaints() -> None:
    """Complaint set-up (admins): categories, SLA, calendar, knowledge base; and the sweep."""


# -- categories ------------------------------------------------------------------------------


@complaints.group()
def categories() -> None:
    """The two-level list of complaint categories."""


@categories.command(name="list")
@json_option
@pass_context
def list_categories(context: CliContext) -> None:
    """Every category and subcategory, with its code."""
    with errors():
        found = _admin(context).categories(context.actor)

    def text() -> None:
        for category in found:
            indent = "  " if category.parent_id else ""
            retired = "" if category.active else "  (retired)"
            click.echo(f"{indent}{category.code:<36} {category.name}{retired}")

    context.emit([asdict(c) for c in found], text)


@categories.command(name="add")
@click.argument("name")
@click.option("--parent", "parent_code", help="Code of the category this is a subcategory of.")
@click.option("--code", help="Code to give it (default: from the name).")
@pass_context
def add_category(context: CliContext, name: str, parent_code: str | None, code: str | None) -> None:
    """Add a category called NAME (or a subcategory, with --parent)."""
    with errors():
        category = _admin(context).add_category(context.actor, name, parent_code, code)
    click.echo(f"Added {category.path} ({category.code}).")


@categories.command(name="rename")
@click.argument("code")
@click.argument("name")
@pass_context
def rename_category(context: CliContext, code: str, name: str) -> None:
    """Give the category CODE a new NAME."""
    with errors():
        _admin(context).edit_category(context.actor, code, name=name)
    click.echo(f"Renamed {code} to {name}.")


@categories.command(name="retire")
@click.argument("code")
@pass_context
def retire_category(context: CliContext, code: str) -> None:
    """Stop offering CODE for new complaints (complaints that have it keep it)."""
    with errors():
        _admin(context).edit_category(context.actor, code, active=False)
    click.echo(f"Retired {code}.")


@categories.command(name="restore")
@click.argument("code")
@pass_context
def restore_category(context: CliContext, code: str) -> None:
    """Offer a retired category again."""
    with errors():
        _admin(context).edit_category(context.actor, code, active=True)
    click.echo(f"Restored {code}.")


# -- SLA and calendar ------------------------------------------------------------------------


@complaints.group()
def sla() -> None:
    """Service-level targets by priority (and optionally category), in business minutes."""


@sla.command(name="show")
@json_option
@pass_context
def show_sla(context: CliContext) -> None:
    """The targets."""
    with errors():
        policies = _admin(context).policies(context.actor)

    def text() -> None:
        click.echo(f"{'priority':<9} {'category':<28} {'response':>9} {'resolution':>11}")
        for p in policies:
            click.echo(
                f"{p.priority:<9} {p.category or '(any)':<28} "
                f"{p.response_minutes:>7} m {p.resolution_minutes:>9} m"
            )

    context.emit([asdict(p) for p in policies], text)


@sla.command(name="set")
@click.argument("priority", type=click.Choice([p.value for p in Priority]))
@click.option("--response", "response_minutes", type=int, required=True, help="Minutes.")
@click.option("--resolution", "resolution_minutes", type=int, required=True, help="Minutes.")
@click.option("--category", "category_code", help="Only for this category code.")
@pass_context
def set_sla(
    context: CliContext,
    priority: str,
    response_minutes: int,
    resolution_minutes: int,
    category_code: str | None,
) -> None:
    """Set the first-response and resolution targets of PRIORITY (business minutes)."""
    with errors():
        _admin(context).set_policy(
            context.actor, Priority(priority), response_minutes, resolution_minutes, category_code
        )
    click.echo(
        f"{priority}: respond within {response_minutes} min, resolve within "
        f"{resolution_minutes} min of business time."
    )


@complaints.group()
def calendar() -> None:
    """The business calendar SLA clocks count in: time zone, weekly hours, holidays."""


@calendar.command(name="show")
@json_option
@pass_context
def show_calendar(context: CliContext) -> None:
    """Zone, hours and holidays."""
    with errors():
        view = _admin(context).calendar(context.actor)

    def text() -> None:
        click.echo(f"{view.name}: {view.timezone}")
        for day, label in enumerate(WEEKDAYS):
            spans = view.hours.get(str(day), [])
            shown = ", ".join(f"{a}-{b}" for a, b in spans) or "closed"
            click.echo(f"  {label} {shown}")
        for day_date, name in view.holidays:
            click.echo(f"  holiday {day_date.isoformat()} {name}")

    context.emit(
        {
            "name": view.name,
            "timezone": view.timezone,
            "hours": view.hours,
            "holidays": [{"day": d.isoformat(), "name": n} for d, n in view.holidays],
        },
        text,
    )


@calendar.command(name="set")
@click.option("--timezone", help="IANA time zone, e.g. Europe/Paris.")
@click.option("--hours", help='Weekly hours, e.g. "mon-fri 09:00-17:00; sat 10:00-13:00".')
@pass_context
def set_calendar(context: CliContext, timezone: str | None, hours: str | None) -> None:
    """Change the time zone or the weekly working hours."""
    if timezone is None and hours is None:
        fail("give --timezone, --hours or both")
    try:
        parsed = parse_hours(hours) if hours is not None else None
    except ValueError as exc:
        fail(f"--hours: {exc}")
    with errors():
        retimed = _admin(context).set_calendar(context.actor, timezone, parsed)
    click.echo(f"Business calendar changed; {retimed} running complaints re-timed.")


@calendar.command(name="holiday")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("name", required=False, default="Holiday")
@click.option("--remove", is_flag=True, help="Make DAY a working day again.")
@pass_context
def holiday(context: CliContext, day: object, name: str, remove: bool) -> None:
    """Make DAY (YYYY-MM-DD) a holiday called NAME, or with --remove a working day."""
    when: date = day.date()  # type: ignore[attr-defined]
    admin = _admin(context)
    with errors():
        if remove:
            removed = admin.remove_holiday(context.actor, when)
            click.echo(f"{when} is {'no longer' if removed else 'not'} a holiday.")
            return
        admin.add_holiday(context.actor, when, name)
    click.echo(f"{when} is a holiday ({name}).")


# -- knowledge base and sweep ----------------------------------------------------------------


@complaints.group()
def kb() -> None:
    """Knowledge-base articles: known problems and their solutions."""


@kb.command(name="add")
@click.option("--title", required=True)
@click.option("--problem", required=True)
@click.option("--solution", required=True)
@click.option("--category", "category_codes", multiple=True, help="Category code (repeatable).")
@pass_context
def add_article(
    context: CliContext,
    title: str,
    problem: str,
    solution: str,
    category_codes: tuple[str, ...],
) -> None:
    """Add an article."""
    with errors():
        codes = {c.code: c.id for c in _admin(context).categories(context.actor)}
        unknown = [code for code in category_codes if code not in codes]
        if unknown:
            fail(f"--category: no category {', '.join(unknown)}")
        article = KnowledgeService(context.database).add(
            context.actor, title, problem, solution, [codes[c] for c in category_codes]
        )
    click.echo(f"Added article {article.id}: {article.title}")


@kb.command(name="search")
@click.argument("text", required=False, default="")
@json_option
@pass_context
def search_articles(context: CliContext, text: str) -> None:
    """Articles holding every word of TEXT (all of them without TEXT)."""
    with errors():
        found = KnowledgeService(context.database).search(context.actor, text, limit=200)

    def show() -> None:
        for article in found:
            click.echo(f"{article.id:>5}  {article.title}")

    context.emit([asdict(a) for a in found], show)


@complaints.command()
@json_option
@pass_context
def sweep(context: CliContext) -> None:
    """Escalate complaints that became at risk or breached (desktops do this every minute;
    safe to run from cron as well: each escalation happens once)."""
    with errors():
        service = ComplaintService.from_settings(context.database, context.settings)
        result = service.sweep(context.actor)
    context.emit(
        asdict(result),
        lambda: click.echo(
            f"{result.escalations} escalations, {result.notifications} notifications."
        ),
    )
