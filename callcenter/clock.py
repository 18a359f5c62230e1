"""The wall clock: aware UTC now. Code that needs the time takes a `Clock`, so tests inject one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
