"""Customers for the search box, the customer card and the customer page: read, create, edit."""

from __future__ import annotations

from callcenter.bootstrap import Database
from callcenter.domain.calls import CallRecord
from callcenter.domain.customers import (
    Customer,
    CustomerDraft,
    CustomerSummary,
    ExternalIdTaken,
    PhoneEntry,
)
from callcenter.domain.users import Actor
from callcenter.services.customer_rules import CustomerInvalid, Problem, check_draft, check_phone


class CustomerService:
    def __init__(self, database: Database, region: str = "US") -> None:
        self._database = database
        self._region = region

    def search(self, actor: Actor, text: str, limit: int = 50) -> list[CustomerSummary]:
        with self._database.uow(actor) as uow:
            return uow.customers.search(text, limit)

    def get(self, actor: Actor, customer_id: int) -> Customer:
        with self._database.uow(actor) as uow:
            return uow.customers.get(customer_id)

    def recent_calls(self, actor: Actor, customer_id: int, limit: int = 10) -> list[CallRecord]:
        with self._database.uow(actor) as uow:
            return uow.calls.recent_for_customer(customer_id, limit)

    def create(self, actor: Actor, draft: CustomerDraft) -> int:
        """Check and store a new customer; its id. CustomerInvalid names a refused field."""
        clean = check_draft(draft, self._region)
        with self._database.uow(actor) as uow:
            try:
                customer_id = uow.customers.add(clean)
                uow.commit()
            except ExternalIdTaken as taken:
                raise _taken(taken) from None
        return customer_id

    def update(
        self, actor: Actor, customer_id: int, draft: CustomerDraft, expected_version: int
    ) -> Customer:
        """Save an edit made to version `expected_version`; the customer as now stored.

        ConflictError if anyone saved the customer since (nothing is overwritten: reload),
        CustomerInvalid naming a refused field, NotFound if the customer was deleted.
        """
        clean = check_draft(draft, self._region)
        with self._database.uow(actor) as uow:
            try:
                uow.customers.update(customer_id, clean, expected_version)
                saved = uow.customers.get(customer_id)
                uow.commit()
            except ExternalIdTaken as taken:
                raise _taken(taken) from None
        return saved

    def attach_number(
        self, actor: Actor, customer_id: int, raw: str, region: str | None = None
    ) -> PhoneEntry:
        """Add the number `raw` (read in `region`, else the default) to a customer.

        Attaching a number the customer already has changes nothing. CustomerInvalid
        (field "phone") if `raw` is not a number that can exist.
        """
        phone = check_phone(raw, region or self._region)
        with self._database.uow(actor) as uow:
            uow.customers.add_phone(customer_id, phone)
            uow.commit()
        return phone


def _taken(taken: ExternalIdTaken) -> CustomerInvalid:
    return CustomerInvalid("external_id", Problem.TAKEN, taken.external_id)
