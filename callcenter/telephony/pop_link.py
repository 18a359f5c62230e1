"""How `callcenter pop` reaches the running desktop: a local socket per user, one line each way.

Qt-free, so the command stays light: the desktop listens with a QLocalServer on the same path
(ui/single_instance.py). On Linux and macOS that is a Unix domain socket at a full path in the
user's runtime folder; on Windows a named pipe. The client writes ``POP <number>\\n`` (or
``SHOW\\n`` to bring the window forward) and the desktop answers ``OK\\n``.
"""

from __future__ import annotations

import getpass
import os
import re
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

SOCKET_ENV = "CALLCENTER_DESKTOP_SOCKET"
_SCHEME = re.compile(r"^\s*(?:tel|callto|sip|sips)\s*:\s*(?://)?", re.IGNORECASE)


class NoDesktop(Exception):
    """Nothing listens: the desktop is not running for this user."""


def clean_number(text: str) -> str:
    """``tel:+1-212-555-0142``, ``callto://+12125550142`` or ``tel:%2B1…`` -> the number."""
    number = _SCHEME.sub("", unquote(text.strip()))
    number = number.split(";", 1)[0]  # tel: parameters (;phone-context=…, ;ext= is dropped)
    number = number.split("?", 1)[0].strip().strip("/").strip()
    return number


def socket_path() -> str:
    """The desktop's socket for this user: $CALLCENTER_DESKTOP_SOCKET, else the runtime dir.

    On Windows this is a pipe name, which QLocalServer turns into ``\\\\.\\pipe\\NAME``.
    """
    override = os.environ.get(SOCKET_ENV)
    if override:
        return override
    user = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser()) or "user"
    if sys.platform == "win32":
        return f"callcenter-desktop-{user}"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        folder = Path(runtime) / "callcenter"
    else:
        folder = Path(tempfile.gettempdir()) / f"callcenter-{user}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(folder / "desktop.sock")


def send(message: str, path: str | None = None, timeout: float = 3.0) -> str:
    """Send one line to the desktop and return its one-line answer.

    Raises NoDesktop when nothing listens there (no socket, or a stale one).
    """
    path = path or socket_path()
    data = (message.replace("\n", " ") + "\n").encode("utf-8")
    if sys.platform == "win32":  # pragma: no cover - named pipes exist only on Windows
        return _send_pipe(rf"\\.\pipe\{path}", data)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(path)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise NoDesktop(str(exc)) from None
        client.sendall(data)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = client.recv(256)
            if not chunk:
                break
            reply += chunk
    return reply.decode("utf-8", "replace").strip()


def _send_pipe(pipe: str, data: bytes) -> str:  # pragma: no cover - Windows only
    try:
        with open(pipe, "r+b", buffering=0) as handle:
            handle.write(data)
            return handle.readline().decode("utf-8", "replace").strip()
    except FileNotFoundError as exc:
        raise NoDesktop(str(exc)) from None


def pop(number: str, path: str | None = None, timeout: float = 3.0) -> bool:
    """Ask the running desktop to pop `number`; False when no desktop is running."""
    try:
        return send(f"POP {number}", path, timeout) == "OK"
    except NoDesktop:
        return False


def ring(number: str, queue: str, path: str | None = None, timeout: float = 3.0) -> str:
    """Ring the running desktop's training line with a call from `number` in `queue`.

    Returns the desktop's answer: ``OK`` (ringing), ``BUSY`` (a call is on the desk) or
    ``ERROR ...`` (nobody signed in yet). Raises NoDesktop when no desktop is running.
    """
    # A tab ends the number: numbers have spaces in them, queue names may too.
    return send(f"RING {clean_number(number)}\t{queue}", path, timeout)
