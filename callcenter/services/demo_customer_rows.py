"""A block of demo customers as the writer takes it: the rows, worked out where they are made.

The generating process works out every row the customer repository's add_many would write
(customer, numbers, search terms), each customer named by its place in the block (`local`);
on SQLite it packs them as a small SQLite database. The writing process copies them with one
INSERT ... SELECT (SQLite) or COPY (PostgreSQL) per table (see demo_loading), so the Python
work of a million customers runs beside the database's, not before it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from callcenter.db.bulk import serialized_tables
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.phone import digits_reversed, national_part
from callcenter.domain.search import terms_for
from callcenter.repositories.customer_rows import SCALAR_FIELDS, unique_phones
from callcenter.repositories.staged_customers import MAX_RAW

# Staged customer `local` becomes customer id `first + local`; numbers and terms name it so.
STAGED_CUSTOMER_COLUMNS = ("local", *SCALAR_FIELDS, "emails")
STAGED_PHONE_COLUMNS = (
    "local",
    "raw",
    "number_key",
    "national",
    "digits_rev",
    "extension",
    "label",
    "position",
)
STAGED_TERM_COLUMNS = ("local", "term")


Row = tuple[Any, ...]


@dataclass(frozen=True)
class CustomerRows:
    """The rows of STAGED_CUSTOMER_COLUMNS, STAGED_PHONE_COLUMNS and STAGED_TERM_COLUMNS."""

    customers: list[Row]
    phones: list[Row]
    terms: list[Row]


@dataclass
class CustomerBlock:
    """A block of customers in order, and what the summary counts of it: its rows packed as
    a SQLite database (`staged`), or as they are (`rows`)."""

    count: int
    phones: int
    companies: set[str] = field(default_factory=set)
    # The switchboard number of each customer listing one (shared numbers are counted).
    switchboards: list[str] = field(default_factory=list)
    rows: CustomerRows | None = None
    staged: bytes | None = None


def customer_block(drafts: Sequence[CustomerDraft], staged: bool) -> CustomerBlock:
    """The drafts summed up, and their rows, packed or not."""
    rows = customer_rows(drafts)
    return CustomerBlock(
        count=len(drafts),
        phones=sum(len(d.phones) for d in drafts),
        companies={d.company for d in drafts if d.company},
        switchboards=[p.key for d in drafts for p in d.phones if p.label == "switchboard"],
        rows=None if staged else rows,
        staged=pack(rows) if staged else None,
    )


def customer_rows(drafts: Sequence[CustomerDraft]) -> CustomerRows:
    """The rows add_many would write, customer `local` standing for its id-to-be."""
    customers = [
        (local, *(getattr(d, name) for name in SCALAR_FIELDS), json.dumps(list(d.emails)))
        for local, d in enumerate(drafts)
    ]
    phones = [
        (
            local,
            phone.raw[:MAX_RAW],
            phone.key,
            national_part(phone.key),
            digits_reversed(phone.key),
            phone.extension,
            phone.label,
            position,
        )
        for local, d in enumerate(drafts)
        for position, phone in enumerate(unique_phones(d.phones))
    ]
    # In number order, as add_many inserts them: the number indexes fill in order.
    phones.sort(key=lambda row: row[2])
    terms = [
        (local, term)
        for local, d in enumerate(drafts)
        for term in sorted(terms_for(d.name, d.company, d.emails))
    ]
    return CustomerRows(customers, phones, terms)


def pack(rows: CustomerRows) -> bytes:
    """The rows as a serialized SQLite database, a table each (customers, phones, terms)."""
    return serialized_tables(
        (
            ("customers", STAGED_CUSTOMER_COLUMNS, rows.customers),
            ("phones", STAGED_PHONE_COLUMNS, rows.phones),
            ("terms", STAGED_TERM_COLUMNS, rows.terms),
        )
    )
