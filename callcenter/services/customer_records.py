"""Customer CSV records checked and normalised one by one, in worker processes, ready to write.

A good record leaves here with everything its rows need (numbers with their search forms,
search terms, e-mails as JSON, its digest), so the process writing to the database does
little more than hand the rows over.
"""

from __future__ import annotations

import gc
import json
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from hashlib import blake2b
from typing import NamedTuple

import phonenumbers
import phonenumbers.re_util

from callcenter.domain.phone import digits_reversed, national_part
from callcenter.domain.search import fold, terms_for
from callcenter.repositories.staged_customers import StagedRow, stage
from callcenter.services.csv_records import (
    ABSENT,
    EMAIL,
    EMAIL_SEPARATORS,
    PHONE_COLUMNS,
    Layout,
)
from callcenter.services.import_numbers import NumberReader

# Longest values the customers table holds (String(n) columns); PostgreSQL refuses longer ones.
MAX_LENGTH = {"external_id": 100, "name": 300, "company": 300, "tier": 50}
MAX_EXTENSION = 20
# Part of every digest: change it when checking or merging a record changes, so that
# digests stored by an older version no longer vouch for an unchanged record.
DIGEST_FORMAT = "customer-csv/1"


class Problem(StrEnum):
    """Why a record was rejected; the value is what the CLI shows."""

    MISSING = "missing"
    TOO_LONG = "too long"
    NUL = "contains a NUL character"
    EXTRA_CELLS = "more cells than the header names"
    UNPARSEABLE = "unparseable number"
    IMPOSSIBLE = "impossible number"
    NOT_A_NUMBER = "not a phone number"
    INVALID_EMAIL = "invalid e-mail address"
    NO_CONTACT = "needs a phone or an e-mail"
    DELETED = "belongs to a deleted customer"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One record left out, and why: the line it starts on and the first bad field."""

    line: int
    external_id: str | None
    field: str
    problem: Problem
    value: str | None = None

    @property
    def reason(self) -> str:
        if self.value is None:
            return str(self.problem)
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.problem} {shown!r}"


class Phone(NamedTuple):
    raw: str
    key: str
    extension: str | None
    # What number search looks up (see phone.national_part and phone.digits_reversed).
    national: str
    digits_rev: str


class Record(NamedTuple):
    """A good record. A plain tuple, as records cross process boundaries by the million."""

    line: int
    external_id: str | None
    name: str
    company: str | None
    tier: str | None
    notes: str | None
    emails: tuple[str, ...]
    # In file order, each number once (the first cell that has it wins).
    phones: tuple[Phone, ...]
    # Folded, whitespace-collapsed name: with a number, the key of a record without external id.
    folded_name: str
    # The customer's search terms, and its e-mails as the JSON the emails column holds.
    terms: tuple[str, ...]
    emails_json: str
    # See record_digest; None for a record without external id (it is matched otherwise).
    digest: bytes | None
    # What a new customer made from it stores (stored_digest at version 1), made here.
    new_digest: int | None


@dataclass(frozen=True, slots=True)
class Rules:
    """All a worker process needs to check records."""

    layout: Layout
    region: str
    outside_prefix: str = ""
    # Hand good records back staged for SQLite (see repositories/customer_staging.py).
    stage: bool = False

    def digest_key(self) -> bytes:
        """What, besides its cells, decides how a record is imported."""
        settings = "\x1f".join(
            (
                DIGEST_FORMAT,
                phonenumbers.__version__,
                self.region,
                self.outside_prefix,
                *self.layout.names,
            )
        )
        return blake2b(settings.encode("utf-8", "surrogatepass"), digest_size=32).digest()


def record_digest(key: bytes, cells: Sequence[str]) -> bytes:
    """A fingerprint of a row as read: equal fingerprints are imported the same way.

    The cells joined by NUL, and their count: rows with a NUL in a cell are rejected, so
    a row that can be imported shares its text with no other row of as many cells.
    """
    text = f"{len(cells)}\x00" + "\x00".join(cells)
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16, key=key).digest()


def stored_digest(digest: bytes, version: int) -> int:
    """The digest as the customer row keeps it: bound to the version it was written at.

    Any later change of the customer (which raises its version) makes it stale, so a
    matching stored digest means the row still says what importing the record made it say.
    """
    bound = blake2b(digest, digest_size=8, salt=version.to_bytes(16, "big")).digest()
    return int.from_bytes(bound, "big", signed=True)


def check_rows(
    rows: Sequence[tuple[int, list[str]]], rules: Rules
) -> tuple[list[Record], list[Rejection]]:
    """Check and normalise records; runs in worker processes, so it touches no database."""
    checker = _Checker(rules)
    records: list[Record] = []
    rejections: list[Rejection] = []
    for line, cells in rows:
        outcome = checker.check(line, cells)
        if type(outcome) is Record:
            records.append(outcome)
        else:
            assert isinstance(outcome, Rejection)
            rejections.append(outcome)
    return records, rejections


def check_row(line: int, cells: list[str], rules: Rules) -> Record | Rejection:
    return _Checker(rules).check(line, cells)


class _Checker:
    """check() with the layout's positions looked up once, not once per record."""

    def __init__(self, rules: Rules) -> None:
        layout = rules.layout
        self.key = rules.digest_key()
        self.width = width = layout.width
        self.unnamed = layout.unnamed
        self.positions = layout.positions

        # A column the header lacks reads the cell just past the header's: always blank
        # where a value is read (a row with anything there is rejected first).
        def at(column: str) -> int:
            index = layout.index(column)
            return width if index == ABSENT else index

        self.limits = [(column, at(column), limit) for column, limit in MAX_LENGTH.items()]
        self.external_id_at = layout.index("external_id")
        self.name_at = at("name")
        self.company_at = at("company")
        self.tier_at = at("tier")
        self.phone_at = [(column, at(column)) for column in PHONE_COLUMNS]
        self.email_at = at("email")
        self.notes_at = at("notes")
        self.numbers = NumberReader(rules.region, rules.outside_prefix)

    def check(self, line: int, cells: list[str]) -> Record | Rejection:
        width = self.width
        joined = "".join(cells)
        # Each cell as read: stripped, CRLF inside quotes made LF; "" where the row is short.
        if "\r" in joined:
            texts = [cell.strip().replace("\r\n", "\n") for cell in cells]
        else:
            texts = [cell.strip() for cell in cells]
        if len(texts) <= width:
            texts += [""] * (width + 1 - len(texts))
        external_id = None if self.external_id_at == ABSENT else texts[self.external_id_at] or None
        if any(texts[width:]) or any(texts[i] for i in self.unnamed):
            return Rejection(line, external_id, "row", Problem.EXTRA_CELLS)
        if "\x00" in joined:
            # Named in column order; a NUL elsewhere made the row rejected just above.
            for column, index in self.positions:
                if "\x00" in texts[index]:
                    return Rejection(line, external_id, column, Problem.NUL)
        for column, index, limit in self.limits:
            if len(texts[index]) > limit:
                detail = f"{len(texts[index])} > {limit} characters"
                return Rejection(line, external_id, column, Problem.TOO_LONG, detail)
        name = texts[self.name_at]
        if not name:
            return Rejection(line, external_id, "name", Problem.MISSING)

        phones: dict[str, Phone] = {}
        for column, index in self.phone_at:
            raw = texts[index]
            if not raw:
                continue
            number = self.numbers.normalize(raw)
            problem = None
            if number.problem == "unparseable":
                problem = Problem.UNPARSEABLE
            elif number.problem == "impossible":
                problem = Problem.IMPOSSIBLE
            elif not number.key:
                problem = Problem.NOT_A_NUMBER
            elif number.extension and len(number.extension) > MAX_EXTENSION:
                problem = Problem.TOO_LONG
            if problem is not None:
                return Rejection(line, external_id, column, problem, raw)
            key = number.key
            if key not in phones:
                digits = key[1:]
                if key[0] == "+" and digits.isascii() and digits.isdigit():
                    # What digits_reversed gives for an E.164 key, made quicker.
                    reverse = digits[::-1]
                else:
                    reverse = digits_reversed(key)
                phones[key] = Phone(raw, key, number.extension, national_part(key), reverse)

        emails: list[str] = []
        seen: set[str] = set()
        for address in EMAIL_SEPARATORS.split(texts[self.email_at]):
            address = address.strip()
            if not address:
                continue
            if not EMAIL.fullmatch(address):
                return Rejection(line, external_id, "email", Problem.INVALID_EMAIL, address)
            if address.casefold() not in seen:
                seen.add(address.casefold())
                emails.append(address)
        if not phones and not emails:
            return Rejection(line, external_id, "phone/email", Problem.NO_CONTACT)

        company = texts[self.company_at] or None
        digest = record_digest(self.key, cells) if external_id else None
        return Record(
            line=line,
            external_id=external_id,
            name=name,
            company=company,
            tier=texts[self.tier_at] or None,
            notes=texts[self.notes_at] or None,
            emails=tuple(emails),
            phones=tuple(phones.values()),
            folded_name=" ".join(fold(name).split()),
            terms=tuple(terms_for(name, company, emails)),
            emails_json=_emails_json(emails),
            digest=digest,
            new_digest=stored_digest(digest, 1) if digest else None,
        )


# (line, external_id, customer id) of a row whose customer stores its digest.
Known = tuple[int, str, int]
# What the database stores for external ids: (customer id, version, stored digest).
Stored = dict[str, tuple[int, int, int]]


class CheckedChunk(NamedTuple):
    """A chunk's outcome: good records (or, staged, the stage holding them), rejections, and
    the known rows, which importing again would not change."""

    records: list[Record]
    rejections: list[Rejection]
    staged: bytes | None
    known: list[Known]


def check_chunk(
    rows: Sequence[tuple[int, list[str]]], rules: Rules, stored: Stored | None = None
) -> CheckedChunk:
    """Check the rows, but those whose digest matches what `stored` has for their external
    id: checking (numbers above all) is most of an import's work, and a nightly import of
    a mostly unchanged file needs it only for the changed records."""
    known: list[Known] = []
    if stored:
        at = rules.layout.index("external_id")
        key = rules.digest_key()
        unknown = []
        for line, cells in rows:
            external_id = external_id_of(cells, at)
            found = stored.get(external_id)
            if found is not None:
                customer_id, version, digest = found
                if stored_digest(record_digest(key, cells), version) == digest:
                    known.append((line, external_id, customer_id))
                    continue
            unknown.append((line, cells))
        rows = unknown
    records, rejections = check_rows(rows, rules)
    if rules.stage and records:
        return CheckedChunk([], rejections, stage(records), known)
    return CheckedChunk(records, rejections, None, known)


def external_id_of(cells: list[str], at: int) -> str:
    """The external id cell as check_row reads it ("" when empty or absent)."""
    if at >= len(cells):
        return ""
    text = cells[at].strip()
    return text.replace("\r\n", "\n") if "\r" in text else text


def from_stage(row: StagedRow) -> Record:
    """The record a staged customer was made from."""
    return Record(
        line=row.line,
        external_id=row.external_id,
        name=row.name,
        company=row.company,
        tier=row.tier,
        notes=row.notes,
        emails=tuple(json.loads(row.emails_json)),
        phones=tuple(Phone(*phone) for phone in row.phones),
        folded_name=row.folded_name,
        terms=tuple(row.terms),
        emails_json=row.emails_json,
        digest=row.digest,
        new_digest=row.new_digest,
    )


def _emails_json(emails: list[str]) -> str:
    """json.dumps(emails), quicker: addresses EMAIL accepts are ASCII with no '"' or '\\'."""
    return '["' + '", "'.join(emails) + '"]' if emails else "[]"


# -- worker processes ------------------------------------------------------------------------

_rules: Rules | None = None


def start_worker(rules: Rules) -> None:
    """Pool initializer: the rules travel once per worker, not with every chunk."""
    global _rules
    _rules = rules
    # Ctrl+C is the importing process's to handle; it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Records hold no reference cycles, and full collections over the millions of tuples
    # made here would cost more than the checks.
    gc.disable()
    # Numbers phonenumbers reads itself (see import_numbers) recompile fewer patterns.
    enable_cache = getattr(phonenumbers.re_util, "enable_pattern_cache", None)
    if enable_cache is not None:  # phonenumbers 9 and later
        enable_cache()


def check_chunk_in_worker(
    rows: Sequence[tuple[int, list[str]]], stored: Stored | None
) -> CheckedChunk:
    assert _rules is not None, "start_worker was not run in this process"
    return check_chunk(rows, _rules, stored)
