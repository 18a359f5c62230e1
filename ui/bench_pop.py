"""The screen pop as the agent sees it: from the call event to the customer card painted.

Run by `callcenter bench` (scenario `screen_pop_gui`) as its own process, since the core never
imports Qt: `python -m ui.bench_pop --region CC` reads `{"url": URL, "samples": [[caller id,
name], ...]}` on stdin (the URL may hold a password, so not on the command line) and prints
one JSON object of latencies. Each sample rings the training line, exactly as
a softphone's ringing event arrives, and stops the clock when the card's name label has been
painted with that customer's name.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from callcenter.bootstrap import open_database
from callcenter.config import load_settings
from callcenter.domain.users import Actor
from ui.context import AppContext
from ui.gui_gc import GuiThreadCollector
from ui.widgets.customer_card import CustomerCard

TIMEOUT_MS = 5000


class PaintWatch(QObject):
    """Quits `loop` once the card shows `expected` in full, painted.

    The name alone shows earlier (from the lookup's match); the clock stops when the whole
    card (numbers, place, notes, counts) has been shown and painted: on `customer_shown` the
    card is painted at once (`repaint`, synchronous) rather than at the next event-loop turn.
    """

    def __init__(self, card: CustomerCard) -> None:
        super().__init__()
        self.card = card
        self.expected = ""
        self.painted_at = 0
        self.loop: QEventLoop | None = None
        card.customer_shown.connect(self._shown)

    def _shown(self, _customer_id: int) -> None:
        customer = self.card.customer
        if self.loop is None or customer is None or customer.name != self.expected:
            return
        self.card.repaint()
        self.painted_at = time.perf_counter_ns()
        self.loop.quit()


def percentile(ordered: list[int], fraction: float) -> float:
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index] / 1e6


def measure(url: str, region: str, samples: list[tuple[str, str]], warmup: int) -> dict[str, Any]:
    from ui.main_window import MainWindow

    settings = load_settings(flags={"database.url": url}).with_overrides(default_region=region)
    database = open_database(url)
    context = AppContext(settings, database, Actor("bench"))
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    watch = PaintWatch(window.card)
    latencies: list[int] = []
    missed = 0
    for index, (caller_id, name) in enumerate(samples):
        loop = QEventLoop()
        watch.expected, watch.loop, watch.painted_at = name, loop, 0
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(TIMEOUT_MS)
        started = time.perf_counter_ns()
        window.desk.training.ring(caller_id)
        loop.exec()
        watch.loop = None
        if watch.painted_at and index >= warmup:
            latencies.append(watch.painted_at - started)
        elif not watch.painted_at:
            missed += 1
        window.desk.calls.reset()
        window.card.clear()
        QApplication.processEvents()
        if index % 200 == 0:
            gc.collect()
    window.close()  # stops the phone lines
    window.background.wait_for_done()
    window.deleteLater()
    QApplication.processEvents()
    database.dispose()
    latencies.sort()
    return {
        "n": len(latencies),
        "missed": missed,
        "p50_ms": round(percentile(latencies, 0.50), 3) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 3) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 3) if latencies else None,
        "max_ms": round(latencies[-1] / 1e6, 3) if latencies else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui.bench_pop")
    parser.add_argument("--region", default="US")
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    request = json.load(sys.stdin)
    samples = [(str(raw), str(name)) for raw, name in request["samples"]]
    app = QApplication([sys.argv[0]])
    GuiThreadCollector(app)
    app.setApplicationName("callcenter-bench")
    report = measure(request["url"], args.region, samples, args.warmup)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
