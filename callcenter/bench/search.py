"""Customer search: what an agent types in the search box, in a unit of work per query."""

from __future__ import annotations

import gc
import json
import random
from collections import defaultdict
from typing import Any

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.samples import random_rows
from callcenter.bench.timing import clock, summary
from callcenter.domain.phone import national_part

# (kind, share): a name, the end or the start of a number, the start of an email.
KINDS = (("name", 0.4), ("number_end", 0.2), ("number_start", 0.2), ("email", 0.2))
WARM_UP = 200


def queries(context: BenchContext, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(kind, text) as agents type them, from random customers of the database."""
    with context.database.engine.connect() as connection:
        customers = random_rows(connection, rng, "customers", "name, emails", count)
        phones = random_rows(connection, rng, "customer_phones", "number_key", count)
    found: list[tuple[str, str]] = []
    kinds = [kind for kind, _share in KINDS]
    shares = [share for _kind, share in KINDS]
    for i in range(min(len(customers), len(phones))):
        _id, name, emails = customers[i]
        national = national_part(phones[i][1])
        emails = json.loads(emails) if isinstance(emails, str) else emails
        kind = rng.choices(kinds, shares)[0]
        if kind == "email" and not emails:
            kind = "name"
        if kind == "name":
            # First or last name, 2 to 5 letters, as typed: often all lower case.
            word = rng.choice([w for w in name.split() if w] or [name])
            typed = word[: rng.randint(2, 5)]
            found.append((kind, typed.lower() if rng.random() < 0.6 else typed))
        elif kind == "number_end":
            found.append((kind, national[-rng.randint(4, 7) :]))
        elif kind == "number_start":
            found.append((kind, national[: rng.randint(3, 6)]))
        else:
            local = str(rng.choice(emails)).split("@", 1)[0]
            found.append((kind, local[: rng.randint(3, 8)]))
    return [(kind, text) for kind, text in found if text.strip()]


@scenario("search", "the search box: CustomerRepository.search in a unit of work per query")
def search(context: BenchContext) -> dict[str, Any]:
    rng = random.Random(context.seed + 1)
    typed = queries(context, rng, context.samples + WARM_UP)
    database, actor = context.database, context.actor

    def run(text: str) -> int:
        with database.uow(actor) as uow:
            return len(uow.customers.search(text))

    for _kind, text in typed[:WARM_UP]:
        run(text)
    measured = typed[WARM_UP:] or typed
    times: list[int] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    hits = 0
    gc.collect()
    for kind, text in measured:
        start = clock()
        results = run(text)
        elapsed = clock() - start
        times.append(elapsed)
        by_kind[kind].append(elapsed)
        hits += results
    return {
        "n": len(times),
        **summary(times),
        "mean_results": round(hits / len(times), 1) if times else 0.0,
        "by_kind": {
            kind: {"n": len(samples), **summary(samples)} for kind, samples in by_kind.items()
        },
    }
