"""The console's time-series chart at the issue's size: 50 agents x 90 days of quarter hours.

The chart is measured in its own process (`python -m ui.bench_charts`, offscreen), since the
core never imports Qt; the figures are synthetic, so no database is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from callcenter.bench.registry import BenchContext, scenario

AGENTS = 50
POINTS = 90 * 96  # 90 days of 15-minute intervals
REPEATS = 5


@scenario(
    "charts",
    "console chart: 50 curves x 8,640 points, set + first paint and pan repaints",
    on_request=True,
    needs_database=False,
)
def charts(context: BenchContext) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable, "-m", "ui.bench_charts",
            "--agents", str(AGENTS), "--points", str(POINTS),
            "--repeats", str(REPEATS), "--seed", str(context.seed),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: " + done.stderr.strip()[-500:]}
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report
