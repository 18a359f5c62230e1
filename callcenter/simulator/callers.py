"""Who calls in a simulation: the centre's own customers, mostly, so their cards pop.

A trainee learns nothing from callers nobody knows. When the database has customers, most
simulated callers are drawn from their numbers; a share are strangers (a new-customer form on
the desk) and a few withhold their number, as on a real line. Without customers every caller
has a fictional number.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

WITHHELD_SHARE = 0.05
# Of the callers who show a number, the share who are not (yet) customers.
STRANGER_SHARE = 0.10
# Numbers sampled from the customers: enough variety for hours of simulated calls.
SAMPLE_SIZE = 2000


class CallerPool:
    def __init__(self, known_numbers: Sequence[str], rng: random.Random) -> None:
        self._known = list(known_numbers)
        self._rng = rng

    @property
    def knows_customers(self) -> bool:
        return bool(self._known)

    def next_caller(self) -> str:
        if self._rng.random() < WITHHELD_SHARE:
            return "anonymous"
        if self._known and self._rng.random() >= STRANGER_SHARE:
            return self._rng.choice(self._known)
        return self._fictional()

    def _fictional(self) -> str:
        # 555-01xx: numbers set aside for fiction in North America.
        area = self._rng.choice(("212", "312", "415", "617"))
        return f"+1{area}55501{self._rng.randrange(100):02d}"
