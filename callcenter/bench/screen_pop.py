"""The screen pop: caller ids as phone systems send them, to the customers on that number."""

from __future__ import annotations

import gc
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.samples import random_rows
from callcenter.bench.timing import clock, summary
from callcenter.domain.customers import CustomerMatch
from callcenter.domain.phone import normalize
from callcenter.services.demo_people import number_plan
from callcenter.services.lookup import LookupService

# The floor: the same answer as the screen pop's find_by_phone, written by hand.
FLOOR_SQL = (
    "SELECT c.id, c.external_id, c.name, c.company, c.tier, p.raw, p.number_key, "
    "c.last_contact_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id "
    "WHERE p.number_key = {mark} AND c.deleted_at IS NULL "
    "ORDER BY c.last_contact_at DESC NULLS LAST, c.id"
)
UNKNOWN_SHARE = 0.15
_FORMATS = ("e164", "national", "international", "tel", "sip", "digits", "as_saved", "outside")


def floor_sql(backend: str) -> str:
    """FLOOR_SQL with the driver's parameter marker: sqlite3 takes ?, psycopg %s."""
    return FLOOR_SQL.format(mark="?" if backend == "sqlite" else "%s")


def caller_ids(context: BenchContext, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(format, caller id): numbers of random customers, written in the ways phone systems
    and people write them, and some numbers nobody has."""
    with context.database.engine.connect() as connection:
        known = random_rows(
            connection, rng, "customer_phones", "number_key, raw", int(count * (1 - UNKNOWN_SHARE))
        )
    inputs = [_written(rng, key, raw, context) for _id, key, raw in known]
    spare = number_plan(context.region).spare
    while len(inputs) < count:
        _key, raw = rng.choice(spare).number(rng)
        inputs.append(("unknown", raw))
    rng.shuffle(inputs)
    return inputs


def _written(rng: random.Random, key: str, raw: str, context: BenchContext) -> tuple[str, str]:
    form = rng.choice(_FORMATS if context.outside_prefix else _FORMATS[:-1])
    if not key.startswith("+") or form == "as_saved":
        return "as_saved", raw
    number = phonenumbers.parse(key)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    written = {
        "e164": key,
        "national": national,
        "international": phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        "tel": phonenumbers.format_number(number, PhoneNumberFormat.RFC3966),
        "sip": f"sip:{key}@10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}:5060;user=phone",
        "digits": "".join(ch for ch in national if ch.isdigit()),
        "outside": context.outside_prefix + "".join(ch for ch in national if ch.isdigit()),
    }[form]
    return form, written


@scenario("screen_pop", "caller id to customers: LookupService, as the screen pop calls it")
def screen_pop(context: BenchContext) -> dict[str, Any]:
    """The product's path (LookupService on the database's reader) against the floor.

    Main figures: `LookupService.matches(key)`, the lookup's database part, beside the floor
    (`baseline_`), which also starts from the key. `lookup_` is the whole call the GUI makes,
    `LookupService.lookup(raw)`, with the caller id normalised afresh each time (a first
    caller; repeat callers hit normalize's cache); `normalize_` is that normalisation alone;
    `uow_` is a unit of work per lookup, the general write path, for comparison.
    """
    rng = random.Random(context.seed)
    inputs = caller_ids(context, rng, context.samples)
    uncached = normalize.__wrapped__
    normalize_ns: list[int] = []
    keys: list[str] = []
    for _form, raw in inputs:
        start = clock()
        number = uncached(raw, context.region, context.outside_prefix)
        normalize_ns.append(clock() - start)
        keys.append(number.key)

    database, actor = context.database, context.actor
    service = LookupService(database, context.region, context.outside_prefix)
    raw_connection = database.engine.raw_connection()
    cursor = raw_connection.cursor()
    sql = floor_sql(database.backend)

    def floor(key: str) -> list[Any]:
        cursor.execute(sql, (key,))
        return list(cursor.fetchall())

    def through_uow(key: str) -> list[CustomerMatch]:
        with database.uow(actor) as uow:
            return uow.customers.find_by_phone(key)

    def ids(matches: Iterable[CustomerMatch]) -> list[int]:
        return [m.id for m in matches]

    try:
        # A pass to warm every path's caches, checking all of them agree on every number.
        mismatches = 0
        found = 0
        for (_form, raw), key in zip(inputs, keys, strict=True):
            expected = [row[0] for row in floor(key)]
            found += bool(expected)
            answers = (
                ids(service.matches(key)),
                ids(service.lookup(raw, actor).matches),
                ids(through_uow(key)),
            )
            mismatches += any(answer != expected for answer in answers)
        floor_ns: list[int] = []
        matches_ns: list[int] = []
        lookup_ns: list[int] = []
        uow_ns: list[int] = []
        gc.collect()
        for i, ((_form, raw), key) in enumerate(zip(inputs, keys, strict=True)):
            # Alternate who goes first, so neither always finds the pages just read.
            for path in (0, 1, 2, 3) if i % 2 else (3, 2, 1, 0):
                if path == 2:
                    normalize.cache_clear()
                start = clock()
                if path == 0:
                    floor(key)
                    floor_ns.append(clock() - start)
                elif path == 1:
                    service.matches(key)
                    matches_ns.append(clock() - start)
                elif path == 2:
                    service.lookup(raw, actor)
                    lookup_ns.append(clock() - start)
                else:
                    through_uow(key)
                    uow_ns.append(clock() - start)
    finally:
        cursor.close()
        raw_connection.close()

    result: dict[str, Any] = {"n": len(keys), **summary(matches_ns)}
    result.update(summary(floor_ns, "baseline_"))
    result.update(summary(lookup_ns, "lookup_"))
    result.update(summary(normalize_ns, "normalize_"))
    result.update(summary(uow_ns, "uow_"))
    floor_p99 = result["baseline_p99_ms"]
    for prefix in ("", "uow_"):
        result[f"{prefix}p99_over_baseline"] = (
            round(result[f"{prefix}p99_ms"] / floor_p99, 2) if floor_p99 else None
        )
    result["found"] = found
    result["not_found"] = len(keys) - found
    result["mismatches"] = mismatches
    result["formats"] = dict(Counter(form for form, _raw in inputs))
    return result
