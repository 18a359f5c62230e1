"""A date axis that tells times in the report time zone, DST changes included.

pyqtgraph's DateAxisItem knows one fixed UTC offset (or the computer's zone); here each tick
is placed on the zone's wall clock (local midnights, local hours) and each label is the
instant converted with zoneinfo, so a range across a DST change keeps its labels right.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

# isort: off
import PySide6  # noqa: F401  (first, so that pyqtgraph binds to it)

import pyqtgraph as pg

# isort: on

_WALL_EPOCH = datetime(1970, 1, 1)


class ZonedDateAxis(pg.DateAxisItem):
    """The bottom axis of a time series: x values are epoch seconds (UTC instants)."""

    def __init__(self, zone: tzinfo = UTC) -> None:
        # Offset 0: the parent lays ticks out on a clock with no DST, which is our wall clock.
        super().__init__(orientation="bottom", utcOffset=0)
        self.zone = zone

    def set_zone(self, zone: tzinfo) -> None:
        if zone != self.zone:
            self.zone = zone
            self.picture = None  # pyqtgraph's cached drawing: ticks and labels change
            self.update()

    def wall(self, instant: float) -> float:
        """Seconds since 1970-01-01 00:00 on the zone's wall clock at `instant`."""
        local = datetime.fromtimestamp(instant, UTC).astimezone(self.zone)
        return (local.replace(tzinfo=None) - _WALL_EPOCH).total_seconds()

    def instant(self, wall: float) -> float:
        """The instant the wall clock shows `wall` (the first one when a hour repeats)."""
        local = (_WALL_EPOCH + timedelta(seconds=wall)).replace(tzinfo=self.zone)
        return local.timestamp()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        try:
            low, high = self.wall(minVal), self.wall(maxVal)
        except (OverflowError, ValueError, OSError):
            return super().tickValues(minVal, maxVal, size)
        levels = super().tickValues(low, high, size)
        return [(spacing, [self.instant(float(t)) for t in ticks]) for spacing, ticks in levels]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None:
            return super().tickStrings(values, scale, spacing)
        labels = []
        for value in values:
            try:
                text = (
                    datetime.fromtimestamp(value, UTC).astimezone(self.zone).strftime(spec.format)
                )
            except (OverflowError, ValueError, OSError):
                labels.append("")
                continue
            if "%f" in spec.format:
                text = text[:-3]  # milliseconds, as pyqtgraph shows them
            elif "%Y" in spec.format:
                text = text.lstrip("0")
            labels.append(text)
        return labels
