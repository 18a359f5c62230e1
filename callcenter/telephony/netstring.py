"""Netstrings (`LEN:PAYLOAD,`), the framing of baresip's control port, read from a byte stream."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

MAX_PAYLOAD = 1 << 20
# Where a frame of a JSON object or array may start: used to find the next good frame after
# a broken one. baresip only ever sends JSON objects.
_FRAME_START = re.compile(rb"(?<![0-9])[1-9][0-9]{0,6}:[\[{]")
_MAX_DIGITS = len(str(MAX_PAYLOAD))
_SKIPPED = b"<skipped>"  # compared by identity: a broken frame was dropped, read on


def encode(payload: bytes) -> bytes:
    return b"%d:%s," % (len(payload), payload)


class NetstringDecoder:
    """Feed it bytes as they arrive; it returns each complete payload once.

    A frame split across reads waits for its end; several frames in one read all come out.
    A broken frame (a bad length, a missing comma) is logged and skipped: the decoder looks
    for the next place a frame starts and carries on, so one bad message never ends a session.
    """

    def __init__(self, max_payload: int = MAX_PAYLOAD) -> None:
        self._buffer = bytearray()
        self._max_payload = max_payload
        self.skipped = 0

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        payloads: list[bytes] = []
        while self._buffer:
            frame = self._next_frame()
            if frame is None:
                break
            if frame is not _SKIPPED:
                payloads.append(frame)
        return payloads

    def _next_frame(self) -> bytes | None:
        """The next payload; None when the buffer holds only the start of one; or _SKIPPED."""
        buffer = self._buffer
        colon = buffer.find(b":", 0, _MAX_DIGITS + 1)
        if colon < 0:
            if len(buffer) > _MAX_DIGITS or not buffer.isdigit():
                return self._resync("no length before the payload")
            return None
        digits = bytes(buffer[:colon])
        if not digits.isdigit() or (len(digits) > 1 and digits.startswith(b"0")):
            return self._resync(f"bad length {digits[:20]!r}")
        length = int(digits)
        if length > self._max_payload:
            return self._resync(f"length {length} over the limit of {self._max_payload}")
        end = colon + 1 + length
        if len(buffer) <= end:
            return None
        if buffer[end] != ord(","):
            return self._resync("no comma after the payload")
        payload = bytes(buffer[colon + 1 : end])
        del buffer[: end + 1]
        return payload

    def _resync(self, problem: str) -> bytes:
        """Drop the broken frame up to where the next one may start; always drops something."""
        self.skipped += 1
        match = _FRAME_START.search(self._buffer, 1)
        if match is None:
            # Keep trailing digits: they may be the start of the next frame's length.
            keep = 0
            while (
                keep < min(_MAX_DIGITS, len(self._buffer) - 1)
                and chr(self._buffer[-1 - keep]).isdigit()
            ):
                keep += 1
            dropped = len(self._buffer) - keep
        else:
            dropped = match.start()
        log.warning("malformed netstring (%s); skipped %d bytes", problem, dropped)
        del self._buffer[:dropped]
        return _SKIPPED
