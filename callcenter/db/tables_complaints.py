"""Table models for complaints; registered on the shared metadata by `callcenter.db.models`."""

from __future__ import annotations
