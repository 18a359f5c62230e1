"""People who sign in, and who did what."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever a write is recorded against: a signed-in user, or a tool such as `cli:root`."""

    login: str
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    display_name: str
    role: Role
    team: str | None
    extension: str | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
