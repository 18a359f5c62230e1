"""The screen-pop lookup: who is on this caller id?"""

from __future__ import annotations

from collections.abc import Iterable

from callcenter.bootstrap import Database
from callcenter.domain.customers import LookupResult
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor


class LookupService:
    def __init__(self, database: Database, region: str, outside_prefix: str = "") -> None:
        self._database = database
        self._region = region
        self._outside_prefix = outside_prefix

    def lookup(self, raw: str, actor: Actor) -> LookupResult:
        return self.lookup_many([raw], actor)[0]

    def lookup_many(self, raws: Iterable[str], actor: Actor) -> list[LookupResult]:
        """One result per input, in order, all in one unit of work."""
        results = []
        with self._database.uow(actor) as uow:
            for raw in raws:
                number = normalize(raw, self._region, self._outside_prefix)
                matches = tuple(uow.customers.find_by_phone(number.key)) if number.key else ()
                results.append(LookupResult(raw, number.key, number.withheld, matches))
        return results
