"""Passwords in the OS keyring; when there is none, the caller asks the user each time."""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError, NoKeyringError

log = logging.getLogger(__name__)

SERVICE = "callcenter"


class SecretStore:
    """Reads and writes passwords in the OS keyring, tolerating machines without one.

    A headless Linux box has no keyring backend: every call then answers "nothing stored" and
    the problem is logged once, so the caller falls back to asking for the password.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service
        self._warned = False
        self.last_problem: str | None = None

    def _unavailable(self, exc: Exception) -> None:
        self.last_problem = (
            "No OS keyring is available, so passwords cannot be remembered and will be asked "
            f"for each time ({exc})."
        )
        if not self._warned:
            log.warning(self.last_problem)
            self._warned = True

    @property
    def available(self) -> bool:
        try:
            backend = keyring.get_keyring()
        except KeyringError as exc:
            self._unavailable(exc)
            return False
        priority = getattr(backend, "priority", 1)
        return not isinstance(priority, (int, float)) or priority > 0

    def get(self, account: str) -> str | None:
        try:
            return keyring.get_password(self._service, account)
        except NoKeyringError as exc:
            self._unavailable(exc)
        except KeyringError as exc:
            log.warning("Keyring lookup failed for %s: %s", account, exc)
        return None

    def set(self, account: str, password: str) -> bool:
        """Store the password; False when there is no keyring to keep it in."""
        try:
            keyring.set_password(self._service, account, password)
        except NoKeyringError as exc:
            self._unavailable(exc)
            return False
        except KeyringError as exc:
            log.warning("Keyring could not store the password for %s: %s", account, exc)
            return False
        return True

    def delete(self, account: str) -> None:
        # Nothing stored, or no keyring at all: either way nothing remains to delete.
        with contextlib.suppress(KeyringError):
            keyring.delete_password(self._service, account)
