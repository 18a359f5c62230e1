"""The telephony port: what the GUI and services ask of a softphone or PBX, whichever it is."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future

from callcenter.domain.errors import CallCenterError
from callcenter.telephony.events import TelephonyEvent

EventSink = Callable[[TelephonyEvent], None]


class TelephonyError(CallCenterError):
    """A command could not be carried out (not connected, no such call, refused, timed out)."""


class TelephonyAuthError(TelephonyError):
    """The PBX refused the configured user name or secret."""


class Telephony(ABC):
    """A connection to the agent's softphone or PBX.

    Events reach `on_event` on the adapter's own thread, never the caller's: a GUI relays them
    to its thread (a Qt signal); the core never imports Qt. After `start()` the adapter
    connects, and reconnects by itself with capped exponential backoff whenever the link
    drops, reporting each change as a connection event.

    Commands return at once with a future that completes when the softphone or PBX has taken
    the command, or fails with `TelephonyError`; a caller may wait on it, attach a callback or
    ignore it. What the command changes arrives as events, like any other change.
    """

    #: Whether `answer`, `hold` and `resume` can work with this adapter at all.
    can_answer: bool = True

    @property
    @abstractmethod
    def address(self) -> str:
        """`host:port` of the softphone or PBX, for messages."""

    @abstractmethod
    def start(self) -> None:
        """Start the background thread; returns at once. Starting twice is an error."""

    @abstractmethod
    def stop(self, timeout: float = 5.0) -> None:
        """Disconnect and end the thread; no event is delivered once this returns."""

    @abstractmethod
    def answer(self, call_id: str) -> Future[None]: ...

    @abstractmethod
    def hang_up(self, call_id: str) -> Future[None]: ...

    @abstractmethod
    def hold(self, call_id: str) -> Future[None]: ...

    @abstractmethod
    def resume(self, call_id: str) -> Future[None]: ...

    @abstractmethod
    def dial(self, number: str) -> Future[None]: ...
