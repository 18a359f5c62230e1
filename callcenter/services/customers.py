"""Reading customers for the search box and the customer card."""

from __future__ import annotations

from callcenter.bootstrap import Database
from callcenter.domain.calls import CallRecord
from callcenter.domain.customers import Customer, CustomerSummary
from callcenter.domain.users import Actor


class CustomerService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def search(self, actor: Actor, text: str, limit: int = 50) -> list[CustomerSummary]:
        with self._database.uow(actor) as uow:
            return uow.customers.search(text, limit)

    def get(self, actor: Actor, customer_id: int) -> Customer:
        with self._database.uow(actor) as uow:
            return uow.customers.get(customer_id)

    def recent_calls(self, actor: Actor, customer_id: int, limit: int = 10) -> list[CallRecord]:
        with self._database.uow(actor) as uow:
            return uow.calls.recent_for_customer(customer_id, limit)
