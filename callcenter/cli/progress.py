"""Progress of long commands on stderr: tqdm bars on a terminal, a line per stage otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from tqdm import tqdm


class CliProgress:
    """Implements the core's Progress protocol; stdout stays free for results and JSON."""

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled
        self._terminal = sys.stderr.isatty()
        self._bar: tqdm[Any] | None = None
        self._stage = ""
        self._total = 0
        self._started = 0.0

    def start(self, stage: str, total: int) -> None:
        self._stage, self._total, self._started = stage, total, time.perf_counter()
        if not self._enabled or not total:
            return
        if self._terminal:
            self._bar = tqdm(total=total, desc=stage, unit="", unit_scale=True, file=sys.stderr)
        else:
            click.echo(f"{stage}: writing {total:,}...", err=True)

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._enabled and self._total:
            seconds = time.perf_counter() - self._started
            click.echo(f"{self._stage}: {self._total:,} in {seconds:.1f} s", err=True)
