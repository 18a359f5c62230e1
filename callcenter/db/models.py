"""Every table model on one metadata: import `Base` from here when the whole schema matters.

Each feature keeps its tables in its own module (`tables_<feature>.py`); importing them here
registers them on `Base.metadata` for Alembic and the schema checks.
"""

from __future__ import annotations

from callcenter.db import tables_callbacks, tables_complaints, tables_kpi  # noqa: F401
from callcenter.db.tables import Base

__all__ = ["Base"]
