"""Log files for IT: rotating files in the platform log folder, with secrets masked.

`setup_logging("cli")` or `setup_logging("gui")` sends every record to
`<log folder>/<component>.log` (rotated at 1 MB, five old files kept) and warnings (or, verbose,
information) to stderr. The log folder is `platformdirs.user_log_dir("callcenter")` unless
`CALLCENTER_LOG_DIR` names another (see `callcenter.config.paths.user_log_dir`).

What never reaches a log: a password in a URL (`postgresql://agent:***@db/callcenter`), a
`password=`, `secret=` or `token=` value, and the bound parameters SQLAlchemy puts in its error
messages (where customer names and notes would be). SQL statement logging is kept off. Code
must still not log customer fields itself: log ids, never names, numbers or notes.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TextIO

from callcenter import __version__
from callcenter.config import paths

MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:)[^\s@/]+(@)")
_KEY_SECRET = re.compile(
    r"""(\b(?:password|passwd|pwd|secret|token|api_key)\b["']?\s*[=:]\s*)"""
    r"""("[^"]*"|'[^']*'|[^\s,;&)\]}]+)""",
    re.IGNORECASE,
)
# SQLAlchemy's errors end with the statement's values: `[parameters: ('Ann', 'VIP, angry')]`.
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
MASK = "***"


def redact(text: str) -> str:
    """The text with URL passwords, `password=...` values and SQL parameters masked."""
    text = _URL_PASSWORD.sub(rf"\1{MASK}\2", text)
    text = _KEY_SECRET.sub(rf"\1{MASK}", text)
    return _SQL_PARAMETERS.sub("[parameters: hidden]", text)


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message, exception and stack text (see `redact`).

    Attached to handlers, so it sees every record they write, whichever logger it came from.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the record, the handler reports it
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


_OURS = "_callcenter_handler"


def log_dir() -> Path:
    return paths.user_log_dir()


def log_file(component: str) -> Path:
    return log_dir() / f"{component}.log"


def setup_logging(
    component: str, *, verbose: bool = False, console_format: str = "%(message)s"
) -> Path | None:
    """Log to `<log folder>/<component>.log` and stderr; the file, or None if it cannot be made.

    Calling it again replaces the handlers it added before (a test may run the CLI many times).
    A log folder that cannot be written is not an error: the program runs, logging to stderr.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    redacting = RedactingFilter()
    console = _StderrHandler()
    console.setLevel(logging.INFO if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter(console_format))
    handlers: list[logging.Handler] = [console]
    path: Path | None = log_file(component)
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
        handlers.append(file_handler)
    except OSError as exc:
        print(f"callcenter: not logging to a file ({exc})", file=sys.stderr)
        path = None
    for handler in handlers:
        handler.addFilter(redacting)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    # SQL statements and their parameters (customer data) stay out of the logs.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    logging.getLogger("callcenter").info(
        "%s %s started (pid %d, Python %s, %s)",
        component,
        __version__,
        os.getpid(),
        platform.python_version(),
        platform.platform(),
    )
    return path


def log_uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    """A `sys.excepthook` that logs the error (masked) before Python prints it."""
    if not issubclass(kind, KeyboardInterrupt):
        logging.getLogger("callcenter").critical(
            "uncaught exception", exc_info=(kind, value, traceback)
        )
    sys.__excepthook__(kind, value, traceback)
