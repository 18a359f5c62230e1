"""The screen pop end to end: from the ringing event to the customer card painted.

The desktop is measured in its own process (`python -m ui.bench_pop`, offscreen), since the
core never imports Qt; this scenario picks the callers and reads the figures back.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Any

from sqlalchemy import text

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.samples import random_rows

MAX_SAMPLES = 1000

# A number only this customer has, so the card (not the chooser) pops.
_OWN_NUMBER = text(
    "SELECT p.raw FROM customer_phones p WHERE p.customer_id = :id AND NOT EXISTS "
    "(SELECT 1 FROM customer_phones o WHERE o.number_key = p.number_key "
    "AND o.customer_id <> p.customer_id) ORDER BY p.id LIMIT 1"
)


def callers(context: BenchContext, count: int) -> list[tuple[str, str]]:
    rng = random.Random(context.seed)
    picked: list[tuple[str, str]] = []
    with context.database.engine.connect() as connection:
        for _id, name in random_rows(connection, rng, "customers", "name", count * 2):
            raw = connection.execute(_OWN_NUMBER, {"id": _id}).scalar()
            if raw:
                picked.append((raw, name))
            if len(picked) == count:
                break
    return picked


@scenario("screen_pop_gui", "ringing event to the customer card painted, in the desktop")
def screen_pop_gui(context: BenchContext) -> dict[str, Any]:
    samples = callers(context, min(context.samples, MAX_SAMPLES))
    url = context.database.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "ui.bench_pop", "--region", context.region],
        input=json.dumps({"url": url, "samples": samples}),
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        check=False,
    )
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: " + done.stderr.strip()[-500:]}
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report
