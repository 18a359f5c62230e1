"""The Asterisk Manager Interface wire format: `Key: Value` lines, a blank line ends a message."""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

MAX_MESSAGE = 256 * 1024

AmiMessage = dict[str, str]


def format_action(action: str, fields: Iterable[tuple[str, str]]) -> bytes:
    """One action as Asterisk reads it; repeated keys (Variable) are allowed."""
    lines = [f"Action: {action}"]
    for key, value in fields:
        # A line break inside a value would end the line early and smuggle in other keys.
        clean = value.replace("\r", " ").replace("\n", " ")
        lines.append(f"{key}: {clean}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class AmiParser:
    """Feed it bytes as they arrive; it returns each complete message once.

    Messages split across reads wait for their end; several in one read all come out. The
    first line of a connection is Asterisk's banner (`Asterisk Call Manager/5.0.1`), which has
    no blank line after it: it is returned as `banner`. A message without `Event` or
    `Response`, or a line without a colon, is logged and skipped, never fatal.
    """

    def __init__(self, max_message: int = MAX_MESSAGE) -> None:
        self._buffer = bytearray()
        self._lines: list[str] = []
        self._size = 0
        self._max_message = max_message
        self.banner: str | None = None
        self.skipped = 0

    def feed(self, data: bytes) -> list[AmiMessage]:
        self._buffer += data
        messages: list[AmiMessage] = []
        while True:
            newline = self._buffer.find(b"\n")
            if newline < 0:
                if len(self._buffer) > self._max_message:
                    self._skip(f"a line longer than {self._max_message} bytes")
                    self._buffer.clear()
                break
            raw = bytes(self._buffer[:newline])
            del self._buffer[: newline + 1]
            line = raw.decode("utf-8", errors="replace").rstrip("\r")
            if self.banner is None:
                self.banner = line
                continue
            message = self._line(line)
            if message is not None:
                messages.append(message)
        return messages

    def _line(self, line: str) -> AmiMessage | None:
        if line.strip():
            self._lines.append(line)
            self._size += len(line)
            if self._size > self._max_message:
                self._skip(f"a message longer than {self._max_message} bytes")
            return None
        if not self._lines:
            return None  # blank lines between messages
        lines, self._lines, self._size = self._lines, [], 0
        message: AmiMessage = {}
        for text in lines:
            key, colon, value = text.partition(":")
            if not colon or not key.strip():
                log.warning("AMI line without a key skipped: %.200r", text)
                continue
            # The first of a repeated key wins: later ones are per-variable details.
            message.setdefault(key.strip(), value.strip())
        if "Event" not in message and "Response" not in message:
            self.skipped += 1
            log.warning("AMI message with neither Event nor Response skipped: %.200r", lines)
            return None
        return message

    def _skip(self, problem: str) -> None:
        self.skipped += 1
        log.warning("AMI message skipped: %s", problem)
        self._lines, self._size = [], 0
