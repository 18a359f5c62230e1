"""The screen pop: caller ids as phone systems send them, to the customers on that number."""

from __future__ import annotations

import gc
import random
from collections import Counter
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.samples import random_rows
from callcenter.bench.timing import clock, summary
from callcenter.domain.phone import normalize
from callcenter.services.demo_people import number_plan

# The floor: the same answer as CustomerRepository.find_by_phone, written by hand.
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


@scenario("screen_pop", "caller id to customers: a unit of work and find_by_phone per call")
def screen_pop(context: BenchContext) -> dict[str, Any]:
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
    raw_connection = database.engine.raw_connection()
    cursor = raw_connection.cursor()
    sql = floor_sql(database.backend)

    def floor(key: str) -> list[Any]:
        cursor.execute(sql, (key,))
        return list(cursor.fetchall())

    def through_uow(key: str) -> list[Any]:
        with database.uow(actor) as uow:
            return uow.customers.find_by_phone(key)

    try:
        with database.uow(actor) as open_uow:
            find = open_uow.customers.find_by_phone
            # A pass to warm every path's caches, checking all three agree on every number.
            mismatches = 0
            found = 0
            for key in keys:
                expected = [row[0] for row in floor(key)]
                found += bool(expected)
                if [m.id for m in through_uow(key)] != expected or [
                    m.id for m in find(key)
                ] != expected:
                    mismatches += 1
            floor_ns: list[int] = []
            uow_ns: list[int] = []
            find_ns: list[int] = []
            gc.collect()
            for i, key in enumerate(keys):
                # Alternate who goes first, so neither always finds the pages just read.
                for path in (0, 1, 2) if i % 2 else (2, 1, 0):
                    start = clock()
                    if path == 0:
                        floor(key)
                        floor_ns.append(clock() - start)
                    elif path == 1:
                        through_uow(key)
                        uow_ns.append(clock() - start)
                    else:
                        find(key)
                        find_ns.append(clock() - start)
    finally:
        cursor.close()
        raw_connection.close()

    result: dict[str, Any] = {"n": len(keys), **summary(uow_ns)}
    result.update(summary(floor_ns, "baseline_"))
    result.update(summary(find_ns, "find_"))
    result.update(summary(normalize_ns, "normalize_"))
    result.update(
        summary([n + u for n, u in zip(normalize_ns, uow_ns, strict=True)], "with_normalize_")
    )
    floor_p99 = result["baseline_p99_ms"]
    result["p99_over_baseline"] = round(result["p99_ms"] / floor_p99, 2) if floor_p99 else None
    result["find_p99_over_baseline"] = (
        round(result["find_p99_ms"] / floor_p99, 2) if floor_p99 else None
    )
    result["found"] = found
    result["not_found"] = len(keys) - found
    result["mismatches"] = mismatches
    result["formats"] = dict(Counter(form for form, _raw in inputs))
    return result
