"""The stage an import's worker process hands its new customers over in: a small SQLite
database, made without SQLAlchemy (workers need only this and the checks).

Handing rows to the database one by one from Python cost the writing process more than
the database's own work; staged, the rows are made where the records are checked, travel
as one block of bytes, and go in without Python touching them again (see CustomerStaging).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import NamedTuple, Protocol

# The staged database's name while attached to the writing connection.
STAGED = "import_staged"
MAX_RAW = 100  # customer_phones.raw

# A customer's terms as a JSON array, which the copy unpacks with json_each: a row each
# cost the workers more than the copy spends on the JSON. (Numbers have several columns,
# and json_extract on each cost the copy more: they keep a row each.)
_SCHEMA = """
CREATE TABLE customers (
    local INTEGER PRIMARY KEY, line INTEGER NOT NULL, external_id TEXT, name TEXT NOT NULL,
    company TEXT, tier TEXT, notes TEXT, emails TEXT NOT NULL, folded_name TEXT NOT NULL,
    digest BLOB, new_digest INTEGER, terms TEXT NOT NULL);
CREATE TABLE phones (
    local INTEGER NOT NULL, position INTEGER NOT NULL, raw TEXT NOT NULL,
    number_key TEXT NOT NULL, extension TEXT, national TEXT NOT NULL,
    digits_rev TEXT NOT NULL, PRIMARY KEY (local, position)) WITHOUT ROWID;
"""


class CheckedPhone(Protocol):
    """A number with the forms number search looks up, worked out ahead of time."""

    @property
    def raw(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def extension(self) -> str | None: ...
    @property
    def national(self) -> str: ...
    @property
    def digits_rev(self) -> str: ...


class CheckedCustomer(Protocol):
    """A new customer whose rows were worked out ahead (by the import's worker processes)."""

    @property
    def name(self) -> str: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def company(self) -> str | None: ...
    @property
    def tier(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def emails(self) -> tuple[str, ...]: ...
    @property
    def emails_json(self) -> str: ...
    # Each number once.
    @property
    def phones(self) -> Sequence[CheckedPhone]: ...
    # Each term once.
    @property
    def terms(self) -> Sequence[str]: ...
    # The import digest to store with it (see services/customer_records.py).
    @property
    def new_digest(self) -> int | None: ...


class StagedCustomer(CheckedCustomer, Protocol):
    """What a staged customer carries besides its rows: enough to rebuild the record."""

    @property
    def line(self) -> int: ...
    @property
    def folded_name(self) -> str: ...
    @property
    def digest(self) -> bytes | None: ...


class StagedRow(NamedTuple):
    """A staged customer read back: its local number in the stage and its columns."""

    local: int
    line: int
    external_id: str | None
    name: str
    company: str | None
    tier: str | None
    notes: str | None
    emails_json: str
    folded_name: str
    digest: bytes | None
    new_digest: int | None
    # (raw, key, extension, national, digits_rev) in order.
    phones: list[tuple[str, str, str | None, str, str]]
    terms: list[str]


def stage(customers: Sequence[StagedCustomer]) -> bytes:
    """The customers as a serialized SQLite database; customer i is local number i."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    local,
                    c.line,
                    c.external_id,
                    c.name,
                    c.company,
                    c.tier,
                    c.notes,
                    c.emails_json,
                    c.folded_name,
                    c.digest,
                    c.new_digest,
                    json_array(c.terms),
                )
                for local, c in enumerate(customers)
            ],
        )
        db.executemany(
            "INSERT INTO phones VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (local, position, p.raw, p.key, p.extension, p.national, p.digits_rev)
                for local, c in enumerate(customers)
                for position, p in enumerate(c.phones)
            ],
        )
        db.commit()
        return db.serialize()
    finally:
        db.close()


def json_array(texts: Sequence[str], separator: str = ",") -> str:
    """json.dumps(list(texts), separators=(separator, ...)): quicker for plain words.

    A JSON string may hold any character but '"', '\\' and control characters unescaped;
    texts with those go through json.dumps.
    """
    if not texts:
        return "[]"
    joined = f'"{separator}"'.join(texts)
    # Only the separators' quotes, no backslash, no control character.
    plain = joined.count('"') == 2 * (len(texts) - 1) and "\\" not in joined
    if not plain or not joined.isprintable():
        return json.dumps(list(texts), separators=(separator, ":"), ensure_ascii=False)
    return f'["{joined}"]'
