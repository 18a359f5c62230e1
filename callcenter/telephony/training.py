"""A pretend phone line for training and demos: calls are raised by hand, not by a PBX.

It implements the same port as the real adapters, and delivers its events the same way (on
its own thread), so a simulated call walks exactly the path a real one does: screen pop,
call panel, wrap-up, saved record.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import cast

from callcenter.domain.calls import Direction
from callcenter.telephony.events import (
    CallAnswered,
    CallEnded,
    CallEvent,
    CallHeld,
    CallResumed,
    CallRinging,
    Connected,
    Disconnected,
    TelephonyEvent,
)
from callcenter.telephony.port import EventSink, Telephony, TelephonyError


class TrainingLine(Telephony):
    """`ring(number)` makes an inbound call ring; dialled calls are answered after a moment."""

    def __init__(
        self, on_event: EventSink, extension: str = "training", answer_after: float = 2.0
    ) -> None:
        self._on_event = on_event
        self._extension = extension
        self._answer_after = answer_after
        self._executor: ThreadPoolExecutor | None = None
        self._calls: dict[str, CallEvent] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return "training line"

    @property
    def busy(self) -> bool:
        """A call rung or dialled on this line has not ended yet. True from the moment `ring`
        returns, before the desk has heard of the call (its events come on another thread)."""
        with self._lock:
            return bool(self._calls)

    def start(self) -> None:
        if self._executor is not None:
            raise TelephonyError("the training line is already started")
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="training-line")
        self._emit(Connected(address=self.address))

    def stop(self, timeout: float = 5.0) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._on_event, Disconnected(address=self.address, reason="stopped"))
            executor.shutdown(wait=True)

    # -- what a trainer does ---------------------------------------------------------------

    def ring(self, caller: str, queue: str | None = None, display_name: str | None = None) -> str:
        """An inbound call from `caller` rings on this desk; its call id comes back."""
        call_id = f"training-{next(self._ids)}"
        event = CallRinging(
            call_id=call_id,
            direction=Direction.INBOUND,
            caller=caller,
            dialled=self._extension,
            display_name=display_name,
            queue=queue,
        )
        with self._lock:
            self._calls[call_id] = event
        self._emit(event)
        return call_id

    def remote_hang_up(self, call_id: str) -> Future[None]:
        """The customer hangs up."""
        return self._end(call_id, "remote party hung up")

    # -- the port's commands ---------------------------------------------------------------

    def answer(self, call_id: str) -> Future[None]:
        return self._follow(call_id, CallAnswered)

    def hang_up(self, call_id: str) -> Future[None]:
        return self._end(call_id, "agent hung up")

    def hold(self, call_id: str) -> Future[None]:
        return self._follow(call_id, CallHeld)

    def resume(self, call_id: str) -> Future[None]:
        return self._follow(call_id, CallResumed)

    def dial(self, number: str) -> Future[None]:
        call_id = f"training-{next(self._ids)}"
        event = CallRinging(
            call_id=call_id, direction=Direction.OUTBOUND, caller=self._extension, dialled=number
        )
        with self._lock:
            self._calls[call_id] = event
        done = self._emit(event)
        if self._answer_after >= 0:
            timer = threading.Timer(self._answer_after, self._follow, (call_id, CallAnswered))
            timer.daemon = True
            timer.start()
        return done

    # -- plumbing --------------------------------------------------------------------------

    def _end(self, call_id: str, reason: str) -> Future[None]:
        return self._follow(call_id, CallEnded, reason=reason)

    def _follow(
        self, call_id: str, kind: type[CallEvent], reason: str | None = None
    ) -> Future[None]:
        """The next event of a call on this line, with the call's own numbers; an end forgets it."""
        with self._lock:
            ended = kind is CallEnded
            ringing = self._calls.pop(call_id, None) if ended else self._calls.get(call_id)
        if ringing is None:
            return _failed(f"no call {call_id} on the training line")
        event = kind(
            call_id=call_id,
            direction=ringing.direction,
            caller=ringing.caller,
            dialled=ringing.dialled,
            display_name=ringing.display_name,
            queue=ringing.queue,
        )
        return self._emit(replace(cast(CallEnded, event), reason=reason) if ended else event)

    def _emit(self, event: TelephonyEvent) -> Future[None]:
        executor = self._executor
        if executor is None:
            return _failed("the training line is not started")
        return executor.submit(self._on_event, event)


def _failed(message: str) -> Future[None]:
    future: Future[None] = Future()
    future.set_exception(TelephonyError(message))
    return future
