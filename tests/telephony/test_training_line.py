"""The training line: busy from the moment a call rings on it until that call ends."""

from __future__ import annotations

import threading

from callcenter.telephony.events import CallEnded, CallRinging, TelephonyEvent
from callcenter.telephony.training import TrainingLine


def test_busy_from_the_ring_until_the_call_ends():
    delivered = threading.Event()
    release = threading.Event()
    seen: list[TelephonyEvent] = []

    def slow_desk(event: TelephonyEvent) -> None:
        # The desk hears of the call later, on another thread; until then only the line knows.
        if isinstance(event, CallRinging):
            release.wait(5)
        seen.append(event)
        delivered.set()

    line = TrainingLine(slow_desk, answer_after=-1)
    line.start()
    try:
        assert not line.busy
        call_id = line.ring("+12125550142", queue="Support")
        assert line.busy and not any(isinstance(e, CallRinging) for e in seen)
        release.set()
        line.hang_up(call_id).result(timeout=5)
        assert not line.busy
        assert isinstance(seen[-1], CallEnded)
    finally:
        release.set()
        line.stop()
