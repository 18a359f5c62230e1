"""Customers, their numbers, and what a screen pop or a search shows of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from callcenter.domain.errors import ConflictError


@dataclass(frozen=True, slots=True)
class PhoneEntry:
    raw: str
    key: str
    extension: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """What it takes to create or update a customer, before it has an id."""

    name: str
    phones: tuple[PhoneEntry, ...] = ()
    external_id: str | None = None
    company: str | None = None
    emails: tuple[str, ...] = ()
    tier: str | None = None
    notes: str | None = None
    address_line: str | None = None
    city: str | None = None
    postal_code: str | None = None
    state: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    name: str
    phones: tuple[PhoneEntry, ...]
    external_id: str | None
    company: str | None
    emails: tuple[str, ...]
    tier: str | None
    notes: str | None
    address_line: str | None
    city: str | None
    postal_code: str | None
    state: str | None
    country: str | None
    last_contact_at: datetime | None
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """One customer found on a caller's number: what the screen pop needs at once."""

    id: int
    external_id: str | None
    name: str
    company: str | None
    tier: str | None
    phone: str
    phone_key: str
    last_contact_at: datetime | None
    open_complaints: int = 0
    due_callbacks: int = 0


@dataclass(frozen=True, slots=True)
class LookupResult:
    """The answer to "who is calling?" for one caller id."""

    input: str
    normalized: str
    withheld: bool
    matches: tuple[CustomerMatch, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """A search hit: enough to show a result row and open the customer."""

    id: int
    name: str
    company: str | None
    external_id: str | None
    phone: str | None
    email: str | None
    tier: str | None


class ExternalIdTaken(ConflictError):
    """Another customer has this external id (the one unique value a customer brings)."""

    def __init__(self, external_id: str) -> None:
        super().__init__(f"external id {external_id!r} belongs to another customer")
        self.external_id = external_id
