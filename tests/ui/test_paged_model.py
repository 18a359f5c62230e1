"""The one paged table model every list uses: fetch more as the view scrolls, a page in flight
blocks another, a reload drops late answers, and every feature's model passes Qt's model test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from callcenter.domain.callbacks import Callback, CallbackStatus, OwnerKind
from callcenter.domain.callbacks import Priority as CallbackPriority
from callcenter.domain.calls import Direction
from callcenter.domain.complaint_lists import ComplaintSummary
from callcenter.domain.complaints import Priority, SlaClock, SlaState, SlaTarget, Status
from callcenter.domain.history import CallHistoryEntry
from ui.callbacks.columns import CallbackColumns
from ui.callbacks.paged_model import PagedTableModel
from ui.complaints.list_model import ComplaintListModel
from ui.models.call_history import CallHistoryModel
from ui.models.call_history import Column as CallColumn
from ui.models.paged import Column, PagedModel, keyset
from ui.workers import Background

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
NAMES = [f"row {n:03d}" for n in range(23)]


class Deferred:
    """A runner that answers only when told: the test decides when a page arrives."""

    def __init__(self) -> None:
        self.asked: list[tuple[Callable[[], Any], Callable[[Any], None], Callable]] = []

    def run(self, function, on_success, on_failure) -> None:
        self.asked.append((function, on_success, on_failure))

    def answer(self, which: int = 0) -> None:
        function, on_success, on_failure = self.asked.pop(which)
        try:
            result = function()
        except Exception as exc:
            on_failure(exc)
        else:
            on_success(result)


def by_offset(rows: Sequence[str]):
    asked: list[tuple[int, int, Any]] = []

    def load(offset: int, limit: int, last: Any) -> tuple[Sequence[str], bool]:
        asked.append((offset, limit, last))
        return rows[offset : offset + limit], offset + limit < len(rows)

    return load, asked


def name_columns() -> list[Column[str]]:
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    return [
        Column("Name", str.upper, lambda row: f"all about {row}", header_tooltip="Sorted", key=1),
        Column("Length", lambda row: str(len(row)), alignment=right, decoration=len, key=2),
    ]


def test_pages_arrive_one_at_a_time_and_are_appended(qtbot, qtmodeltester):
    runner = Deferred()
    model = PagedModel(runner, name_columns(), page_size=10)
    load, asked = by_offset(NAMES)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.loading_changed):
        model.set_loader(load)
    assert model.loading and model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())  # a page is in flight: ask for no other
    model.fetchMore(QModelIndex())
    assert len(runner.asked) == 1

    with qtbot.waitSignal(model.page_loaded) as loaded:
        runner.answer()
    assert loaded.args == [10]
    assert model.rowCount() == 10 and inserted == [(0, 9)]
    assert not model.loading and not model.exhausted and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)

    model.fetchMore(QModelIndex())
    runner.answer()
    model.fetchMore(QModelIndex())
    runner.answer()
    assert [a[:2] for a in asked] == [(0, 10), (10, 10), (20, 10)]
    assert asked[1][2] == NAMES[9]  # the last row loaded, for keyset paging
    assert model.rowCount() == 23 and inserted[-1] == (20, 22)
    assert model.exhausted and not model.canFetchMore(QModelIndex())
    assert [model.row_at(r) for r in range(23)] == NAMES == list(model.rows)
    qtmodeltester.check(model)


def test_a_reload_drops_the_answer_to_the_older_query():
    runner = Deferred()
    model = PagedModel(runner, name_columns(), page_size=10)
    old, _ = by_offset(["old"] * 30)
    new, _ = by_offset(["new", "newer"])
    model.set_loader(old)
    model.set_loader(new)  # a new filter while the old page is still on its way
    assert len(runner.asked) == 2
    runner.answer(0)
    assert model.rowCount() == 0 and model.loading  # the old answer is dropped
    runner.answer(0)
    assert list(model.rows) == ["new", "newer"]
    assert model.exhausted and not model.loading

    model.set_loader(None)
    assert model.rowCount() == 0 and model.exhausted and not runner.asked


def test_a_failed_page_stops_paging_until_a_reload(qtbot):
    runner = Deferred()
    model = PagedModel(runner, name_columns(), page_size=10)
    failing = True

    def load(offset: int, limit: int, _last: Any) -> tuple[list[str], bool]:
        if failing:
            raise ConnectionError("database away")
        return ["back"], False

    model.set_loader(load)
    with qtbot.waitSignal(model.load_failed) as failed:
        runner.answer()
    assert failed.args == ["database away"]
    assert model.exhausted and not model.loading and not model.canFetchMore(QModelIndex())
    failing = False
    model.reload()
    runner.answer()
    assert list(model.rows) == ["back"]


def test_columns_are_described_declaratively():
    model = PagedModel(Deferred(), name_columns())
    model.show_rows(["ada", "grace"])
    assert model.exhausted and not model.canFetchMore(QModelIndex())
    header = [model.headerData(s, Qt.Orientation.Horizontal) for s in range(2)]
    assert header == ["Name", "Length"]
    tips = [
        model.headerData(s, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for s in (0, 1)
    ]
    assert tips == ["Sorted", None]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    name, length = model.index(1, 0), model.index(1, 1)
    assert model.data(name) == "GRACE"
    assert model.data(name, Qt.ItemDataRole.ToolTipRole) == "all about grace"
    assert model.data(length, Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(length, Qt.ItemDataRole.DecorationRole) == 5
    assert model.data(name, Qt.ItemDataRole.DecorationRole) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(length, Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.column_of(2) == 1 and model.column_of(3) == -1


def test_keyset_loader_ends_on_a_short_page():
    seen: list[Any] = []

    def fetch(limit: int, last: str | None) -> list[str]:
        seen.append(last)
        start = NAMES.index(last) + 1 if last else 0
        return NAMES[start : start + limit]

    runner = Deferred()
    model = PagedModel(runner, name_columns(), page_size=20)
    model.set_loader(keyset(fetch))
    runner.answer()
    assert not model.exhausted
    model.fetchMore(QModelIndex())
    runner.answer()
    assert seen == [None, NAMES[19]] and model.exhausted and list(model.rows) == NAMES


def test_a_scrolling_view_loads_pages_off_the_gui_thread(qtbot, qtmodeltester):
    background = Background()
    threads: set[threading.Thread] = set()
    load, _ = by_offset([f"row {n}" for n in range(200)])

    def counted(offset: int, limit: int, last: Any) -> tuple[Sequence[str], bool]:
        threads.add(threading.current_thread())
        return load(offset, limit, last)

    model = PagedModel(background, name_columns(), page_size=25)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    model.set_loader(counted)
    qtbot.waitUntil(lambda: model.rowCount() >= 25 and not model.loading, timeout=5000)
    while not model.exhausted:
        rows = model.rowCount()
        view.scrollToBottom()
        qtbot.waitUntil(lambda r=rows: model.rowCount() > r and not model.loading, timeout=5000)
    assert model.rowCount() == 200
    assert threading.main_thread() not in threads
    qtmodeltester.check(model)
    background.wait_for_done()


def call(n: int) -> CallHistoryEntry:
    started = NOW - timedelta(minutes=n)
    return CallHistoryEntry(
        n, started, Direction.INBOUND if n % 2 else Direction.OUTBOUND, "+15550100" + str(n % 10),
        None, None, 7, "Alice", None, started, started + timedelta(seconds=65), 0,
        None, None, "line one\nline two",
    )  # fmt: skip


def complaint(n: int) -> ComplaintSummary:
    def clock(target: SlaTarget, remaining: int) -> SlaClock:
        due = NOW + timedelta(seconds=remaining)
        return SlaClock(target, SlaState.ON_TRACK, 3600, 3600 - remaining, remaining, due, None,
                        None, NOW)  # fmt: skip

    return ComplaintSummary(
        n, f"C-{n:04d}", 1, "Ada", "Billing", None, Priority.NORMAL, f"Subject {n}", "alice",
        "Alice", None, Status.OPEN, clock(SlaTarget.RESPONSE, 600 + n),
        clock(SlaTarget.RESOLUTION, 3000 + n), NOW + timedelta(hours=1), 0, NOW, NOW, 1,
    )  # fmt: skip


def callback(n: int) -> Callback:
    return Callback(
        n, 1, "Ada", "+15550100", "555-0100", "Europe/London", NOW + timedelta(minutes=n - 3),
        None, OwnerKind.QUEUE, None, None, 1, "Sales", "Call back", CallbackPriority.NORMAL,
        None, CallbackStatus.PENDING, 0, None, None, None, None, None, 1, NOW, "alice", NOW,
    )  # fmt: skip


def test_every_feature_model_passes_the_model_test(qtmodeltester):
    calls = CallHistoryModel(Deferred(), list(CallColumn), "US")
    calls.show_rows([call(n) for n in range(12)])
    qtmodeltester.check(calls)

    complaints = ComplaintListModel(
        Deferred(), lambda *_: ([], False), lambda s, _now: (s.response, s.resolution), lambda: NOW
    )
    complaints.show_rows([complaint(n) for n in range(12)])
    qtmodeltester.check(complaints)
    complaints.tick()
    qtmodeltester.check(complaints)
    assert complaints.data(complaints.index(0, 3)) == "Subject 0"
    complaints.show_rows([replace(complaint(0), subject="Changed")])  # no stale cached text
    assert complaints.data(complaints.index(0, 3)) == "Changed"

    columns = CallbackColumns(ZoneInfo("Europe/Paris"), lambda: NOW)
    picked = (columns.due(), columns.customer_time(), columns.relative(), columns.status())
    callbacks = PagedTableModel(Deferred(), picked, columns.severity)
    callbacks.show_rows([callback(n) for n in range(12)])
    qtmodeltester.check(callbacks)
    assert callbacks.data(callbacks.index(0, 0), Qt.ItemDataRole.FontRole).bold()  # overdue
