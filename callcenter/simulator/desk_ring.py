"""Offers a share of the simulated callers to a trainee's running desktop.

The desktop's training line rings with the caller's number (`callcenter.telephony.pop_link`),
the card pops as for a real call, and the trainee works and logs it on their own account;
the simulation itself goes on unchanged, so the wallboard keeps moving around them.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from callcenter.telephony import pop_link

log = logging.getLogger(__name__)

Send = Callable[[str, str], str]


@dataclass
class DeskRings:
    offered: int = 0
    rung: int = 0
    busy: int = 0
    unreachable: int = 0


class DeskRinger:
    def __init__(self, share: float, rng: random.Random, send: Send | None = None) -> None:
        if not 0 < share <= 1:
            raise ValueError("the share of callers for the desktop must be above 0 and at most 1")
        self._share = share
        self._rng = rng
        self._send = send or (lambda number, queue: pop_link.ring(number, queue, timeout=2.0))
        self.counts = DeskRings()

    def offer(self, caller: str, queue: str) -> None:
        """Ring the desktop with this caller, for the configured share of callers."""
        if caller == "anonymous" or self._rng.random() >= self._share:
            return
        self.counts.offered += 1
        try:
            answer = self._send(caller, queue)
        except (pop_link.NoDesktop, OSError) as exc:
            if not self.counts.unreachable:
                log.warning("no desktop took the simulated call (%s); carrying on without it", exc)
            self.counts.unreachable += 1
            return
        if answer == "OK":
            self.counts.rung += 1
        elif answer == "BUSY":
            self.counts.busy += 1
        else:
            self.counts.unreachable += 1
            log.warning("the desktop refused the simulated call: %s", answer)
