"""`callcenter import`: bring customers in from the files other systems export."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option, region_option
from callcenter.services.csv_records import CsvFileError, codec_name
from callcenter.services.customer_import import ImportSummary, Progress, import_customers


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        codec_name(value)
    except CsvFileError as exc:
        raise click.BadParameter(exc.reason) from None
    return value


@click.group("import")
def import_group() -> None:
    """Import data from files exported by other systems."""


@import_group.command("customers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@region_option(help="Region for numbers without a country code (e.g. US).")
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    callback=_encoding,
    help="Text encoding of FILE (e.g. gbk, cp1252). UTF-8 may start with a BOM.",
)
@json_option
@pass_context
def customers(context: CliContext, file: Path, region: str | None, encoding: str) -> None:
    """Add or update the customers in the CSV file FILE.

    The header names the columns, in any order and case: external_id, name, phone, phone2,
    email (several separated by ; or ,), company, tier, notes. Each record
    needs a name and a phone or an e-mail. Records are matched to customers by external_id
    (without one, by name and number), so importing the same file again changes nothing.

    Bad records are listed with their line and left out; the rest are imported and the
    exit status is 0. The exit status is 2 when the file cannot be used at all (unreadable,
    wrong encoding, unknown columns): then nothing is imported.
    """
    settings = context.settings
    database = context.database
    with errors(), _progress_bar(file) as progress:
        summary = import_customers(
            database,
            context.actor,
            file,
            region=region or settings.default_region,
            outside_prefix=settings.outside_line_prefix,
            encoding=encoding,
            progress=progress,
        )
    context.emit(summary_json(summary), lambda: _print_summary(file, summary))


def summary_json(summary: ImportSummary) -> dict[str, Any]:
    return {
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": [
            {
                "line": r.line,
                "external_id": r.external_id,
                "field": r.field,
                "reason": r.reason,
            }
            for r in summary.rejected
        ],
    }


def _print_summary(file: Path, summary: ImportSummary) -> None:
    click.echo(
        f"{file.name}: {summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {len(summary.rejected)} rejected"
    )
    for r in summary.rejected:
        which = f" (external_id {r.external_id})" if r.external_id else ""
        click.echo(f"line {r.line}{which}: {r.field}: {r.reason}")


@contextmanager
def _progress_bar(file: Path) -> Iterator[Progress | None]:
    """A bar on stderr when a person watches it; scripts and pipes get none."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        size = file.stat().st_size
    except OSError as exc:
        fail(f"cannot read {file}: {exc}")
    with tqdm(
        total=size, unit="B", unit_scale=True, desc=file.name, file=sys.stderr, leave=False
    ) as bar:
        yield _advance(bar)


def _advance(bar: tqdm[Any]) -> Callable[[int, int], None]:
    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return update


from callcenter.cli.import_queue_log import queue_log  # noqa: E402  (kept in its own module)

import_group.add_command(queue_log)
