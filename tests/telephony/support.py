"""Helpers for telephony tests: an event recorder that waits on conditions, free ports."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Callable
from typing import TypeVar

from callcenter.telephony.events import TelephonyEvent

T = TypeVar("T")
WAIT = 10.0  # generous: a loaded CI machine; a passing test never waits this long


class Recorder:
    """The adapter's event sink: keeps every event and lets a test wait for one."""

    def __init__(self) -> None:
        self.events: list[TelephonyEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: TelephonyEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(
        self,
        predicate: Callable[[TelephonyEvent], bool],
        timeout: float = WAIT,
        after: int = 0,
    ) -> TelephonyEvent:
        """The first event from index `after` on that matches, waiting up to `timeout` s."""

        def found() -> TelephonyEvent | None:
            return next((e for e in self.events[after:] if predicate(e)), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout):
                names = [type(e).__name__ for e in self.events]
                raise AssertionError(f"no matching event within {timeout} s; saw {names}")
            event = found()
            assert event is not None
            return event

    def wait_type(self, kind: type[T], timeout: float = WAIT, after: int = 0) -> T:
        event = self.wait_for(lambda e: isinstance(e, kind), timeout, after)
        assert isinstance(event, kind)
        return event

    def of_type(self, kind: type[T]) -> list[T]:
        with self._changed:
            return [e for e in self.events if isinstance(e, kind)]

    def __len__(self) -> int:
        with self._changed:
            return len(self.events)


def free_port(
    kinds: tuple[int, ...] = (socket.SOCK_STREAM,), span: int = 1, low: int = 20000
) -> int:
    """A port P with P..P+span-1 free for each socket kind, below Linux's ephemeral range.

    Below 32768 no outgoing connection is given the port by the kernel in the moment between
    this check and the process binding it. baresip 1.0 listens on its SIP port over UDP and
    TCP, and on the next port for TLS: it needs span=2 of both kinds.
    """
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(low, 32768 - span)
        if all(_bindable(kind, port + offset) for kind in kinds for offset in range(span)):
            return port
    raise RuntimeError("no free port found")


def _bindable(kind: int, port: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
