"""What a customer typed in by an agent must satisfy, checked before anything is written."""

from __future__ import annotations

import dataclasses
import re
from enum import StrEnum

from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import ValidationError
from callcenter.domain.phone import normalize
from callcenter.services.csv_records import EMAIL

# Longest values the customers and customer_phones tables hold (String(n) columns).
MAX_LENGTH = {
    "name": 300,
    "external_id": 100,
    "company": 300,
    "tier": 50,
    "address_line": 300,
    "city": 100,
    "postal_code": 20,
    "state": 100,
}
MAX_RAW_PHONE = 100
MAX_EXTENSION = 20
MAX_PHONE_LABEL = 40
COUNTRY = re.compile(r"[A-Za-z]{2}")
EMAIL_SEPARATORS = re.compile(r"[;,\s]+")


class Problem(StrEnum):
    """Why a field was refused; the GUI turns each into a sentence in the agent's language."""

    MISSING = "missing"
    TOO_LONG = "too long"
    INVALID_EMAIL = "invalid e-mail address"
    UNPARSEABLE = "unparseable number"
    IMPOSSIBLE = "impossible number"
    NOT_A_NUMBER = "not a phone number"
    INVALID_COUNTRY = "not a two-letter country code"
    NO_CONTACT = "needs a phone or an e-mail"
    TAKEN = "already used by another customer"


class CustomerInvalid(ValidationError):
    """A refused customer field: `field`, the `problem`, the `value` at fault and, for the
    numbers (field "phones"), the `index` of the entry."""

    def __init__(
        self, field: str, problem: Problem, value: str | None = None, index: int | None = None
    ) -> None:
        reason = problem.value if value is None else f"{problem.value}: {value}"
        super().__init__(field, reason)
        self.problem = problem
        self.value = value
        self.index = index


def split_emails(text: str) -> tuple[str, ...]:
    """Addresses typed in one box, separated by commas, semicolons or spaces."""
    return tuple(part for part in EMAIL_SEPARATORS.split(text) if part)


def check_phone(
    raw: str, region: str, field: str = "phone", index: int | None = None
) -> PhoneEntry:
    """`raw` as a number to store, or CustomerInvalid naming what is wrong with it."""
    raw = raw.strip()
    if not raw:
        raise CustomerInvalid(field, Problem.MISSING, index=index)
    if len(raw) > MAX_RAW_PHONE:
        raise CustomerInvalid(field, Problem.TOO_LONG, raw, index)
    number = normalize(raw, region)
    if number.withheld:
        raise CustomerInvalid(field, Problem.NOT_A_NUMBER, raw, index)
    if number.problem == "unparseable":
        raise CustomerInvalid(field, Problem.UNPARSEABLE, raw, index)
    if number.problem == "impossible":
        raise CustomerInvalid(field, Problem.IMPOSSIBLE, raw, index)
    if not number.key:
        raise CustomerInvalid(field, Problem.NOT_A_NUMBER, raw, index)
    if number.extension and len(number.extension) > MAX_EXTENSION:
        raise CustomerInvalid(field, Problem.TOO_LONG, raw, index)
    return PhoneEntry(raw=raw, key=number.key, extension=number.extension)


def check_draft(draft: CustomerDraft, region: str) -> CustomerDraft:
    """The draft cleaned up (trimmed, blanks to None, numbers keyed) or CustomerInvalid.

    A phone entry with a `key` is kept as it is (a number already stored, maybe read in
    another region); one without is normalised from `raw` in `region`.
    """
    values: dict[str, str | None] = {}
    for field_name in (*MAX_LENGTH, "notes", "country"):
        text = (getattr(draft, field_name) or "").strip()
        values[field_name] = text or None
    name = values["name"]
    if name is None:
        raise CustomerInvalid("name", Problem.MISSING)
    for field, limit in MAX_LENGTH.items():
        value = values[field]
        if value is not None and len(value) > limit:
            raise CustomerInvalid(field, Problem.TOO_LONG, f"{len(value)} > {limit}")
    country = values["country"]
    if country is not None:
        if not COUNTRY.fullmatch(country):
            raise CustomerInvalid("country", Problem.INVALID_COUNTRY, country)
        values["country"] = country.upper()

    emails: list[str] = []
    for address in draft.emails:
        address = address.strip()
        if not address:
            continue
        if not EMAIL.fullmatch(address):
            raise CustomerInvalid("emails", Problem.INVALID_EMAIL, address)
        if address.casefold() not in {e.casefold() for e in emails}:
            emails.append(address)

    phones: list[PhoneEntry] = []
    for index, entry in enumerate(draft.phones):
        label = (entry.label or "").strip() or None
        if label is not None and len(label) > MAX_PHONE_LABEL:
            raise CustomerInvalid("phones", Problem.TOO_LONG, label, index)
        if entry.key:
            phone = dataclasses.replace(entry, label=label)
        elif not entry.raw.strip():
            continue  # an empty row left in the list
        else:
            phone = dataclasses.replace(
                check_phone(entry.raw, region, "phones", index), label=label
            )
        if all(p.key != phone.key for p in phones):
            phones.append(phone)
    if not phones and not emails:
        raise CustomerInvalid("phones", Problem.NO_CONTACT)

    return dataclasses.replace(
        draft,
        name=name,
        external_id=values["external_id"],
        company=values["company"],
        tier=values["tier"],
        notes=values["notes"],
        address_line=values["address_line"],
        city=values["city"],
        postal_code=values["postal_code"],
        state=values["state"],
        country=values["country"],
        emails=tuple(emails),
        phones=tuple(phones),
    )
