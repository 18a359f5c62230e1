"""Who and when, for a new row of a table that people edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from callcenter.db.tables import utcnow
from callcenter.domain.users import Actor


def creation_stamp(actor: Actor, now: datetime | None = None) -> dict[str, Any]:
    """created/updated at/by for a row `actor` creates now; version 1."""
    now = now or utcnow()
    return {
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by": actor.login,
        "updated_by": actor.login,
    }
