"""Rows and small helpers shared by the customer repositories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from callcenter.domain.customers import (
    Customer,
    CustomerDraft,
    PhoneEntry,
)
from callcenter.domain.phone import digits_reversed, national_part

# Fields compared, written and audited as they are; phones and emails are handled apart.

SCALAR_FIELDS = (
    "name",
    "external_id",
    "company",
    "tier",
    "notes",
    "address_line",
    "city",
    "postal_code",
    "state",
    "country",
)


def phone_row(customer_id: int, position: int, phone: PhoneEntry) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "raw": phone.raw[:100],
        "number_key": phone.key,
        "national": national_part(phone.key),
        "digits_rev": digits_reversed(phone.key),
        "extension": phone.extension,
        "label": phone.label,
        "position": position,
    }


def customer_values(draft: CustomerDraft) -> dict[str, Any]:
    values = {name: getattr(draft, name) for name in SCALAR_FIELDS}
    values["emails"] = list(draft.emails)
    return values


def is_identifier(folded: str) -> bool:
    """One token with '@', '_' or '+' in it: the start of an email or a user name.

    Split into words it would be searched as several words, which costs a probe per
    customer having the longest word ("linda_bo": every Linda); kept whole it is one
    range of the term index, where emails are.
    """
    return not any(ch.isspace() for ch in folded) and any(ch in "@_+" for ch in folded)


def unique_ids(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def unique_phones(phones: Iterable[PhoneEntry]) -> list[PhoneEntry]:
    """The phones without repeats of a number; the first of each is kept."""
    first: dict[str, PhoneEntry] = {}
    for phone in phones:
        if phone.key and phone.key not in first:
            first[phone.key] = phone
    return list(first.values())


def diff_customer(before: Customer, draft: CustomerDraft) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {
        name: [getattr(before, name), getattr(draft, name)]
        for name in SCALAR_FIELDS
        if getattr(before, name) != getattr(draft, name)
    }
    if tuple(before.emails) != tuple(draft.emails):
        changes["emails"] = [list(before.emails), list(draft.emails)]
    if [p.key for p in before.phones] != [p.key for p in unique_phones(draft.phones)] or [
        (p.raw, p.label) for p in before.phones
    ] != [(p.raw, p.label) for p in unique_phones(draft.phones)]:
        changes["phones"] = [[p.key for p in before.phones], [p.key for p in draft.phones]]
    return changes


def chunks(items: Sequence[T], size: int = 5000) -> list[Sequence[T]]:
    """Slices small enough for one IN list on every backend."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def same_value_once(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, remembering its last result: a batch shares one timestamp, converted once."""
    last: list[Any] = [_UNSET, None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return run


_UNSET = object()
T = TypeVar("T")
CREATED_AND_UPDATED = ("created_at", "updated_at", "created_by", "updated_by")
