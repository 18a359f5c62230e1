"""Complaint lists as the agent sees them: from a filter applied to its first page painted.

Run by `callcenter bench --scenario complaints_gui` as its own process, since the core never
imports Qt: `python -m ui.complaints.bench_list` reads `{"url": URL, "login": SUPERVISOR,
"filters": {name: [filter, ...]}}` on stdin (each filter a dict of ComplaintFilter fields:
`statuses`, `priorities`, `sla`, `category_id`, `assignee`, `customer_id`, `text`) and prints
one JSON object of latencies. The list window pages from the database in the background, as it
does on the desk; the clock stops when the first page is in the table and painted.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from callcenter.bootstrap import open_database
from callcenter.config import load_settings
from callcenter.domain.complaint_lists import ComplaintFilter, Scope, SlaFilter
from callcenter.domain.complaints import Priority, Status
from callcenter.domain.users import Actor
from callcenter.services.users import UserService
from ui.complaints.desk import ComplaintsDesk
from ui.context import AppContext
from ui.gui_gc import GuiThreadCollector
from ui.workers import Background

TIMEOUT_MS = 5000
WARM_UP = 3


def criteria(spec: dict[str, Any]) -> ComplaintFilter:
    return ComplaintFilter(
        scope=Scope.ALL,
        statuses=frozenset(Status(s) for s in spec.get("statuses", ())),
        priorities=frozenset(Priority(p) for p in spec.get("priorities", ())),
        sla=SlaFilter(spec["sla"]) if spec.get("sla") else None,
        category_id=spec.get("category_id"),
        assignee=spec.get("assignee"),
        customer_id=spec.get("customer_id"),
        text=spec.get("text", ""),
    )


def percentile(ordered: list[int], fraction: float) -> float:
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index] / 1e6, 3)


def summary(samples: list[int]) -> dict[str, Any]:
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
    }


def measure(url: str, login: str, filters: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    database = open_database(url)
    settings = load_settings(flags={"database.url": url})
    user = next(u for u in UserService(database).list(Actor(login)) if u.login == login)
    context = AppContext(settings, database, Actor(login, user.id), user)
    main = QWidget()
    background = Background()
    desk = ComplaintsDesk(context, background, main)
    lists = desk.open_list(Scope.ALL)
    model = lists.model
    loop = QEventLoop()
    failures: list[str] = []
    model.page_loaded.connect(lambda _rows: loop.quit())

    def failed(text: str) -> None:
        failures.append(text)
        loop.quit()

    model.load_failed.connect(failed)
    everything: list[int] = []
    by_kind: dict[str, dict[str, Any]] = {}
    missed = 0
    for kind, specs in filters.items():
        samples: list[int] = []
        for index, spec in enumerate(specs):
            timeout = QTimer()
            timeout.setSingleShot(True)
            timeout.timeout.connect(loop.quit)
            timeout.start(TIMEOUT_MS)
            started = time.perf_counter_ns()
            failures_before = len(failures)
            model.show(criteria(spec))
            loop.exec()
            if model.loading or len(failures) > failures_before:
                missed += 1
                continue
            lists.table.repaint()
            elapsed = time.perf_counter_ns() - started
            if index >= WARM_UP:
                samples.append(elapsed)
        everything.extend(samples)
        by_kind[kind] = {**summary(samples), "rows": model.rowCount()}
    lists.close()
    background.wait_for_done()
    database.dispose()
    report = {**summary(everything), "missed": missed, "by_kind": by_kind}
    if failures:
        report["error"] = failures[0]
    return report


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    request = json.load(sys.stdin)
    app = QApplication([sys.argv[0]])
    GuiThreadCollector(app)
    app.setApplicationName("callcenter-bench")
    print(json.dumps(measure(request["url"], request["login"], request["filters"])))


if __name__ == "__main__":
    main()
