"""Errors the core raises for the user to read: each says what is wrong and with what."""

from __future__ import annotations


class CallCenterError(Exception):
    """Base for errors a user can act on; never a programming error."""


class NotFound(CallCenterError):
    pass


class ValidationError(CallCenterError):
    """Bad input, naming the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ConflictError(CallCenterError):
    """Someone else saved the record first; reload and reapply."""


class AuthenticationError(CallCenterError):
    pass


class DatabaseUnavailable(CallCenterError):
    pass


class SchemaMismatch(CallCenterError):
    """The database's schema is not the one this build expects; the message says who must act."""
