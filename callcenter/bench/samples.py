"""What scenarios look up: random customers of the benchmark database, read straight from it."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Connection, text


def random_rows(
    connection: Connection, rng: random.Random, table: str, columns: str, count: int
) -> list[Any]:
    """About `count` random rows of `table` (by random ids in its id range, so no scan)."""
    low, high = connection.execute(text(f"SELECT min(id), max(id) FROM {table}")).one()
    if low is None:
        return []
    rows: list[Any] = []
    for _attempt in range(20):
        wanted = [rng.randint(low, high) for _ in range(min(count - len(rows), 900))]
        if not wanted:
            break
        marks = ", ".join(str(int(i)) for i in wanted)
        found = {
            row[0]: row
            for row in connection.execute(
                text(f"SELECT id, {columns} FROM {table} WHERE id IN ({marks})")
            )
        }
        # In the order drawn, so the same seed gives the same samples.
        rows += [found[i] for i in wanted if i in found]
        if len(rows) >= count:
            break
    return rows[:count]
