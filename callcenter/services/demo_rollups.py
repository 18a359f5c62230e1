"""The demo's KPI roll-ups, refreshed week by week while its calls are still being written.

The writer spends most of the calls stage waiting for the generating process; a week's
roll-ups refreshed there, once no call still to come can change them, cost no time of
their own, where one refresh at the end took a sixth of a big load's time (measured).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine

from callcenter.db.bulk import tune_for_bulk
from callcenter.kpi import rollups
from callcenter.kpi.base import LONGEST_WAIT
from callcenter.kpi.figures import FCR_WINDOW_DAYS
from callcenter.kpi.span_split import QUARTER_S
from callcenter.services.demo_plan import DayPlan

# A bucket is final once every call that can follow its calls within the FCR window (and
# be answered up to a day late) is written: a day to spare on top.
_SETTLED = timedelta(days=FCR_WINDOW_DAYS + 1) + LONGEST_WAIT
# Refreshed whole weeks at a time, which refresh rebuilds a week per statement. A shorter
# piece would find each call's next one by the customer index, dropped while calls load.
_STEP = timedelta(days=7)
_QUARTER = timedelta(seconds=QUARTER_S)

T = TypeVar("T")


class RollingRollups:
    """Refreshes the roll-ups from `start` on, up to where the calls written have settled.

    The calls from `start` on may change the FCR of the week's calls before: refreshing
    from a week earlier covers them, and every later week is refreshed once settled.
    """

    def __init__(self, engine: Engine, start: datetime, cache_kib: int) -> None:
        self._engine = engine
        self._cache_kib = cache_kib
        first = start - timedelta(days=FCR_WINDOW_DAYS) - _QUARTER
        self._done = _at(int(first.timestamp()) // QUARTER_S * QUARTER_S)

    def days(self, plans: Iterable[DayPlan], written: Iterator[T]) -> Iterator[T]:
        """`written`'s day for each plan, refreshing whatever settles as days are written."""
        for plan in plans:
            yield next(written)
            # Asked for the next day, the writer has committed this one; nothing it writes
            # later starts before this day's last opening hour ends.
            if plan.slots:
                self.written_until(_at(plan.slots[-1][1]))

    def written_until(self, moment: datetime) -> None:
        """Every call and agent-state span starting before `moment` is written."""
        weeks = (moment - _SETTLED - self._done) // _STEP
        if weeks > 0:
            end = self._done + weeks * _STEP
            self._refresh(end - _QUARTER)
            self._done = end

    def finish(self, end: datetime) -> None:
        """Refresh the rest, up to `end`."""
        self._refresh(end)

    def _refresh(self, last: datetime) -> None:
        """Refresh the quarter hours from where the last refresh ended to `last`'s."""
        with self._engine.begin() as connection:
            tune_for_bulk(connection, self._cache_kib)
            rollups.mark_range(connection, self._done, last, earlier_fcr=False)
            rollups.refresh(connection)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
