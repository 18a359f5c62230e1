"""A clock the test sets and moves by hand, for code that takes a `Clock` (callcenter/clock.py)."""

from __future__ import annotations

from datetime import datetime, timedelta


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
