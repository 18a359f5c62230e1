"""The screen-pop lookup: who is on this caller id?"""

from __future__ import annotations

from collections.abc import Iterable

from callcenter.bootstrap import Database
from callcenter.domain.customers import CustomerMatch, LookupResult
from callcenter.domain.phone import normalize
from callcenter.domain.users import Actor


class LookupService:
    """Caller ids to customers, through the database's reader (see uow.Reader).

    Cheap to make: the connections it reads on belong to the Database and outlive it.
    """

    def __init__(self, database: Database, region: str, outside_prefix: str = "") -> None:
        self._database = database
        self._region = region
        self._outside_prefix = outside_prefix

    def lookup(self, raw: str, actor: Actor) -> LookupResult:
        """Every customer on the caller id `raw`, most recently in contact first.

        `actor` is unused for now (a read writes no audit entry); it stays in the signature
        so callers need not change when reads are checked per role.
        """
        number = normalize(raw, self._region, self._outside_prefix)
        return LookupResult(raw, number.key, number.withheld, tuple(self.matches(number.key)))

    def lookup_many(self, raws: Iterable[str], actor: Actor) -> list[LookupResult]:
        """One result per input, in order; each lookup sees what was committed before it."""
        return [self.lookup(raw, actor) for raw in raws]

    def matches(self, key: str) -> list[CustomerMatch]:
        """The customers on an already normalised number: the screen pop's database part."""
        if not key:
            return []
        return self._database.reader.run(lambda reads: reads.customers.find_by_phone(key))
