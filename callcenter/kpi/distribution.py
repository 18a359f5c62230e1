"""How handle times spread: a histogram of an agent's handled calls beside their team's.

Counted in the database (one GROUP BY over the range's calls), with the same call set and the
same handle time as the agent figures (KPIS.md): calls answered (inbound) or dialled and
connected (outbound) in the range that have ended; talk + hold + after-call work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, case, func, literal_column, select

from callcenter.bootstrap import Database
from callcenter.db.tables import Call, User
from callcenter.domain.users import Actor
from callcenter.kpi.sql import ms_between

# A call is answered within a day of starting (as in the KPI queries): bounds the index range.
_LONGEST_WAIT = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Histogram:
    """counts[i]: calls with handle time in [i * bin_s, (i + 1) * bin_s); the last bin also
    holds everything longer."""

    bin_s: int
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def shares_pct(self) -> tuple[float, ...]:
        total = self.total
        return tuple(100.0 * c / total if total else 0.0 for c in self.counts)


class DistributionService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def handle_times(
        self,
        start: datetime,
        end: datetime,
        agent_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
        bin_s: int = 30,
        bins: int = 20,
    ) -> Histogram:
        """Handle times of calls handled in [start, end) by these agents (or teams' agents)."""
        if bin_s <= 0 or bins <= 0:
            raise ValueError("bin width and bin count must be positive")
        c = Call
        at = case((c.direction == "inbound", c.answered_at), else_=c.started_at)
        handle_ms = ms_between(c.ended_at, c.answered_at) + c.acw_s * 1000
        last = literal_column(str(bins - 1), BigInteger())
        raw_bin = handle_ms // literal_column(str(bin_s * 1000), BigInteger())
        bin_column = case((raw_bin > last, last), else_=raw_bin).label("b")
        rows = select(bin_column).where(
            c.agent_id.is_not(None),
            c.answered_at.is_not(None),
            c.ended_at.is_not(None),
            at >= start,
            at < end,
            c.started_at >= start - _LONGEST_WAIT,
            c.started_at < end,
        )
        if agent_ids is not None:
            rows = rows.where(c.agent_id.in_(agent_ids))
        if team_ids is not None:
            rows = rows.join(User, User.id == c.agent_id).where(User.team_id.in_(team_ids))
        sub = rows.subquery()
        statement = select(sub.c.b, func.count()).group_by(sub.c.b)
        counts = [0] * bins
        with self._database.uow(self._actor) as uow:
            for index, count in uow.session.execute(statement):
                counts[max(0, int(index))] += int(count)
        return Histogram(bin_s, tuple(counts))
