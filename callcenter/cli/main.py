"""Entry point of the `callcenter` command: global options and the command groups."""

from __future__ import annotations

import importlib

import click

from callcenter import __version__
from callcenter.cli.context import EXIT_USAGE, CliContext
from callcenter.logs import setup_logging

# Each module adds one command or group; imported lazily so `--help` stays fast.
COMMANDS = {
    "config": "callcenter.cli.config_cmd:config",
    "db": "callcenter.cli.db:db",
    "users": "callcenter.cli.users:users",
    "lookup": "callcenter.cli.lookup:lookup",
    "import": "callcenter.cli.importing:import_group",
    "gui": "callcenter.cli.gui:gui",
    "demo-data": "callcenter.cli.demo:demo_data",
    "bench": "callcenter.cli.bench:bench",
    "cti": "callcenter.cli.cti:cti",
    "simulate": "callcenter.cli.simulate:simulate",
    "pop": "callcenter.cli.pop:pop",
    "collector": "callcenter.cli.collector:collector",
    "staffing": "callcenter.cli.staffing:staffing",
    "report": "callcenter.cli.report:report",
    "complaints": "callcenter.cli.complaints:complaints",
    "callbacks": "callcenter.cli.callbacks:callbacks",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", "db_url", metavar="URL", help="Database URL (overrides config and CALLCENTER_DB)."
)
@click.option("--json", "as_json", is_flag=True, help="Print data as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens to stderr.")
@click.version_option(__version__, prog_name="callcenter")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, as_json: bool, verbose: bool) -> None:
    """Call-center administration: database, users, imports, lookups and benchmarks."""
    setup_logging("cli", verbose=verbose)
    context = CliContext(flags={"database.url": db_url}, as_json=as_json)
    ctx.obj = context
    ctx.call_on_close(context.close)


def main() -> None:
    try:
        cli.main(prog_name="callcenter", standalone_mode=True)
    except KeyboardInterrupt:
        raise SystemExit(130) from None


__all__ = ["EXIT_USAGE", "cli", "main"]
