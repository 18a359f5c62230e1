"""The adapters' engine: an asyncio loop on its own thread that connects, reconnects, commands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from abc import abstractmethod
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from callcenter.telephony.events import Connected, Connecting, Disconnected, TelephonyEvent
from callcenter.telephony.port import EventSink, Telephony, TelephonyAuthError, TelephonyError

log = logging.getLogger(__name__)


@dataclass
class Backoff:
    """Exponential delays between attempts, capped, with jitter.

    Jitter spreads out the reconnects of a whole floor of desktops after a PBX restart.
    """

    initial: float = 0.5
    cap: float = 30.0
    factor: float = 2.0
    jitter: float = 0.1
    _failures: int = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.initial * self.factor**self._failures)
        self._failures += 1
        return delay * (1 + self.jitter * (2 * random.random() - 1))

    def reset(self) -> None:
        self._failures = 0


class ConnectionLost(Exception):
    """The session cannot go on (the peer stopped answering, the stream is unusable)."""


def describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return str(exc) or type(exc).__name__


class ReconnectingAdapter(Telephony):
    """Base of the adapters: subclasses implement `_session` (one connection's life).

    Everything but `start`, `stop` and `_submit` runs on the adapter's loop thread, so the
    subclasses need no locks for their own state.
    """

    name = "telephony"

    def __init__(
        self,
        host: str,
        port: int,
        on_event: EventSink,
        *,
        backoff: Backoff | None = None,
        connect_timeout: float = 5.0,
        stable_after: float = 5.0,
    ) -> None:
        self._host = host
        self._port = port
        self._on_event = on_event
        self._backoff = backoff or Backoff()
        self._connect_timeout = connect_timeout
        # A connection must last this long before the backoff starts again from its initial
        # delay: a peer that accepts and drops at once must not be hammered.
        self._stable_after = stable_after
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._connected_at: float | None = None

    @property
    def address(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{host}:{self._port}"

    @property
    def connected(self) -> bool:
        return self._connected_at is not None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the adapter was already started")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name=f"telephony-{self.name}", daemon=True
        )
        self._thread.start()
        ready.wait()

    def stop(self, timeout: float = 5.0) -> None:
        loop, stopping, thread = self._loop, self._stopping, self._thread
        if loop is None or stopping is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already ended on its own
            loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("%s adapter did not stop within %.1f s", self.name, timeout)

    def _run(self, ready: threading.Event) -> None:
        try:
            asyncio.run(self._main(ready))
        except Exception:  # the thread must never die silently; nothing above can catch it
            log.exception("%s adapter stopped by an unexpected error", self.name)
        finally:
            ready.set()

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        ready.set()
        attempt = 0
        while not self._stopping.is_set():
            attempt += 1
            self._emit(Connecting(address=self.address, attempt=attempt))
            reason, give_up = await self._connect_once()
            if self._stopping.is_set():
                break
            if give_up:
                self._emit(Disconnected(address=self.address, reason=reason, retry_in=None))
                return
            delay = self._backoff.next_delay()
            self._emit(Disconnected(address=self.address, reason=reason, retry_in=delay))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
        self._emit(Disconnected(address=self.address, reason="stopped", retry_in=None))

    async def _connect_once(self) -> tuple[str, bool]:
        """One connection from connect to close: (why it ended, whether to give up)."""
        assert self._stopping is not None
        stopping = asyncio.create_task(self._stopping.wait())
        # Raced against stop(): a connect to an unreachable host may hang until its timeout.
        connecting = asyncio.ensure_future(
            asyncio.wait_for(asyncio.open_connection(self._host, self._port), self._connect_timeout)
        )
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not connecting.done():
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError, TimeoutError):
                await connecting
            return "stopped", True
        try:
            reader, writer = connecting.result()
        except (OSError, TimeoutError) as exc:
            stopping.cancel()
            return describe(exc), False
        session = asyncio.create_task(self._session(reader, writer))
        try:
            await asyncio.wait({session, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not session.done():
                session.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await session
                return "stopped", True
            error = session.exception()
            if error is None:
                return "connection closed by the peer", False
            if isinstance(error, TelephonyAuthError):
                return str(error), True
            if isinstance(error, ConnectionLost | OSError | TimeoutError | EOFError):
                return describe(error), False
            log.error("%s session failed", self.name, exc_info=error)
            return f"internal error: {describe(error)}", False
        finally:
            stopping.cancel()
            self._session_ended()
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()

    def _mark_connected(self) -> None:
        """Called by the session once the peer is ready (after any login)."""
        self._connected_at = time.monotonic()
        self._emit(Connected(address=self.address))

    def _session_ended(self) -> None:
        if self._connected_at is not None:
            if time.monotonic() - self._connected_at >= self._stable_after:
                self._backoff.reset()
            self._connected_at = None
        self._on_session_end()

    def _emit(self, event: TelephonyEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a faulty consumer must not take the telephony link down with it
            log.exception("the telephony event handler failed on %r", event)

    def _submit(self, command: Callable[[], Coroutine[Any, Any, None]]) -> Future[None]:
        """Run `command()` on the loop thread; the future says how it went."""
        loop = self._loop
        if loop is None or loop.is_closed():
            failed: Future[None] = Future()
            failed.set_exception(TelephonyError(f"not connected to {self.address}"))
            return failed
        return asyncio.run_coroutine_threadsafe(self._guard(command), loop)

    async def _guard(self, command: Callable[[], Coroutine[Any, Any, None]]) -> None:
        if self._connected_at is None:
            raise TelephonyError(f"not connected to {self.address}")
        await command()

    @abstractmethod
    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection until the peer closes it; call `_mark_connected()` when ready.

        Raise TelephonyAuthError to give up, ConnectionLost or OSError to reconnect.
        """

    def _on_session_end(self) -> None:
        """Fail what waits on the closed connection; subclasses extend it."""
