"""Table models for kpi; registered on the shared metadata by `callcenter.db.models`."""

from __future__ import annotations
