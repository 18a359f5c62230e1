"""Complaint lists in the desktop: a filter applied to its first page painted, on 100,000.

The desktop is measured in its own process (`python -m ui.complaints.bench_list`, offscreen),
since the core never imports Qt; this scenario fills the complaints (as `complaints` does),
picks the filters and reads the figures back.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Any

from sqlalchemy import select

from callcenter.bench.complaints import RUNS, WARM_UP, WORDS, fill
from callcenter.bench.registry import BenchContext, scenario
from callcenter.db.tables import User
from callcenter.db.tables_complaints import ComplaintCategory, ComplaintRow
from callcenter.domain.complaints import ACTIVE_STATUSES

OPEN = sorted(status.value for status in ACTIVE_STATUSES)


@scenario(
    "complaints_gui",
    "complaint lists in the desktop on 100,000 complaints: filter to first page painted",
    on_request=True,
)
def complaints_gui(context: BenchContext) -> dict[str, Any]:
    database = context.database
    rng = random.Random(context.seed + 6)
    count = fill(database, rng)
    with database.engine.connect() as connection:
        agents = list(
            connection.scalars(select(User.login).where(User.login.like("bench_agent_%")))
        )
        supervisor = connection.scalar(
            select(User.login).where(User.login.like("bench_supervisor_%")).limit(1)
        )
        customers = list(
            connection.scalars(
                select(ComplaintRow.customer_id).order_by(ComplaintRow.id).limit(200)
            )
        )
        categories = list(
            connection.scalars(
                select(ComplaintCategory.id).where(ComplaintCategory.parent_id.is_(None))
            )
        )
    runs = WARM_UP + RUNS
    filters: dict[str, list[dict[str, Any]]] = {
        "open": [{"statuses": OPEN}] * runs,
        "breached": [{"sla": "breached"}] * runs,
        "urgent open": [{"statuses": OPEN, "priorities": ["urgent"]}] * runs,
        "category": [{"category_id": rng.choice(categories)} for _ in range(runs)],
        "assignee": [{"assignee": rng.choice(agents)} for _ in range(runs)],
        "customer": [{"customer_id": rng.choice(customers)} for _ in range(runs)],
        "text": [{"text": rng.choice(WORDS)} for _ in range(runs)],
    }
    url = database.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "ui.complaints.bench_list"],
        input=json.dumps({"url": url, "login": supervisor, "filters": filters}),
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        check=False,
    )
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: " + done.stderr.strip()[-500:]}
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**report, "complaints": count}
