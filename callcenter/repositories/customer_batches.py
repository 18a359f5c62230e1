"""Customers many at a time: the bulk paths of imports and demo data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from sqlalchemy import bindparam, delete, func, insert, select, update

from callcenter.db.tables import Call, CustomerPhone, CustomerSearchTerm, utcnow
from callcenter.db.tables import Customer as CustomerRow
from callcenter.domain.customers import Customer, CustomerDraft
from callcenter.domain.errors import ConflictError
from callcenter.domain.search import (
    MAX_TERM,
    fold,
    terms_for,
)
from callcenter.repositories.customer_imports import CustomerImports
from callcenter.repositories.customer_rows import (
    CREATED_AND_UPDATED,
    SCALAR_FIELDS,
    chunks,
    customer_values,
    diff_customer,
    phone_row,
    unique_phones,
)


class CustomerBatches(CustomerImports):
    """Bulk methods of CustomerRepository, apart so each file keeps to one job."""

    def _to_domain(self, row: CustomerRow) -> Customer:
        raise NotImplementedError("CustomerRepository provides it")

    # -- many at once (import, demo data) ----------------------------------------------------

    def add_many(self, drafts: Sequence[CustomerDraft]) -> list[int]:
        """Insert a batch in a few statements; ids come back in the drafts' order."""
        if not drafts:
            return []
        now = utcnow()
        login = self._actor.login
        connection = self._session.connection()
        if connection.dialect.name == "sqlite":
            ids = self._new_sqlite_ids(len(drafts))
            scalars = attrgetter(*SCALAR_FIELDS)
            self._insert_rows(
                CustomerRow,
                ("id", *SCALAR_FIELDS, "emails", "version", *CREATED_AND_UPDATED),
                [
                    (customer_id, *scalars(d), list(d.emails), 1, now, now, login, login)
                    for customer_id, d in zip(ids, drafts, strict=True)
                ],
            )
        else:
            ids = list(
                connection.scalars(
                    insert(CustomerRow).returning(CustomerRow.id, sort_by_parameter_order=True),
                    [
                        {
                            **customer_values(d),
                            "version": 1,
                            "created_at": now,
                            "updated_at": now,
                            "created_by": login,
                            "updated_by": login,
                        }
                        for d in drafts
                    ],
                )
            )
        self._insert_phones_and_terms(list(zip(ids, drafts, strict=True)))
        return ids

    def refresh_last_contact(self, first_id: int, last_id: int) -> None:
        """Set each customer's last contact in the id range from their latest call."""
        latest = (
            select(func.max(Call.started_at))
            .where(Call.customer_id == CustomerRow.id)
            .scalar_subquery()
        )
        self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id.between(first_id, last_id), latest.is_not(None))
            .values(last_contact_at=latest)
            .execution_options(synchronize_session=False)
        )

    def by_external_ids(self, external_ids: Iterable[str]) -> dict[str, Customer]:
        """Customers holding these external ids, deleted ones too (the ids stay taken)."""
        found: dict[str, Customer] = {}
        for chunk in chunks(list(external_ids)):
            for customer in self._load_many(self._among(CustomerRow.external_id, chunk)):
                if customer.external_id:
                    found[customer.external_id] = customer
        return found

    def deleted_external_ids(self, external_ids: Iterable[str]) -> set[str]:
        """Those of `external_ids` that belong to deleted customers."""
        connection = self._session.connection()
        deleted: set[str] = set()
        for chunk in chunks(list(external_ids)):
            deleted.update(
                external_id
                for external_id in connection.scalars(
                    select(CustomerRow.external_id).where(
                        self._among(CustomerRow.external_id, chunk),
                        CustomerRow.deleted_at.is_not(None),
                    )
                )
                if external_id
            )
        return deleted

    def without_external_id_by_numbers(self, keys: Iterable[str]) -> list[Customer]:
        """Live customers with no external id that have any of the numbers `keys`."""
        found: dict[int, Customer] = {}
        for chunk in chunks(list(set(keys))):
            having_number = select(CustomerPhone.customer_id).where(
                self._among(CustomerPhone.number_key, chunk)
            )
            for customer in self._load_many(
                CustomerRow.id.in_(having_number),
                CustomerRow.external_id.is_(None),
                CustomerRow.deleted_at.is_(None),
            ):
                found[customer.id] = customer
        return list(found.values())

    def without_external_id_by_emails(self, emails: Iterable[str]) -> list[Customer]:
        """Live customers with no external id that have any of `emails` (compared folded)."""
        found: dict[int, Customer] = {}
        for chunk in chunks(list({fold(e)[:MAX_TERM] for e in emails})):
            # Emails are search terms, so the term index finds them without a scan.
            having_email = select(CustomerSearchTerm.customer_id).where(
                self._among(CustomerSearchTerm.term, chunk)
            )
            for customer in self._load_many(
                CustomerRow.id.in_(having_email),
                CustomerRow.external_id.is_(None),
                CustomerRow.deleted_at.is_(None),
            ):
                found[customer.id] = customer
        return list(found.values())

    def update_many(self, changes: Sequence[tuple[Customer, CustomerDraft]]) -> list[int]:
        """Apply each draft to its customer as read; the ids that really changed come back.

        Like `update`, a customer saved by someone else since it was read raises ConflictError
        (the caller rolls back and reads again). Each change is audited.
        """
        diffs = [
            (before, draft, diff)
            for before, draft in changes
            if (diff := diff_customer(before, draft))
        ]
        if not diffs:
            return []
        now = utcnow()
        connection = self._session.connection()
        statement = (
            update(CustomerRow)
            .where(
                CustomerRow.id == bindparam("b_id"),
                CustomerRow.version == bindparam("b_version"),
            )
            .values(version=CustomerRow.version + 1)
        )
        result = connection.execute(
            statement,
            [
                {
                    **customer_values(draft),
                    "b_id": before.id,
                    "b_version": before.version,
                    "updated_at": now,
                    "updated_by": self._actor.login,
                }
                for before, draft, _ in diffs
            ],
        )
        if result.rowcount != len(diffs):
            raise ConflictError("someone else changed some of these customers meanwhile")
        ids = [before.id for before, _, _ in diffs]
        new_phones = [before.id for before, _, diff in diffs if "phones" in diff]
        for chunk in chunks(new_phones):
            connection.execute(delete(CustomerPhone).where(CustomerPhone.customer_id.in_(chunk)))
        for chunk in chunks(ids):
            connection.execute(
                delete(CustomerSearchTerm).where(CustomerSearchTerm.customer_id.in_(chunk))
            )
        self._insert_phones_and_terms(
            [(before.id, draft) for before, draft, _ in diffs],
            with_phones=set(new_phones),
        )
        self._audit.record_many(
            "customer", "update", [(before.id, diff) for before, _, diff in diffs]
        )
        return ids

    def _insert_phones_and_terms(
        self,
        customers: Sequence[tuple[int, CustomerDraft]],
        with_phones: set[int] | None = None,
    ) -> None:
        """Phones (of all, or of the ids in `with_phones`) and search terms of new drafts."""
        phone_rows = [
            phone_row(customer_id, position, phone)
            for customer_id, draft in customers
            if with_phones is None or customer_id in with_phones
            for position, phone in enumerate(unique_phones(draft.phones))
        ]
        if phone_rows:
            columns = tuple(phone_rows[0])
            # In number order, two of the three number indexes fill in order too.
            phone_rows.sort(key=lambda r: str(r["number_key"]))
            self._insert_rows(CustomerPhone, columns, [tuple(r.values()) for r in phone_rows])
        term_rows = [
            (term, customer_id)
            for customer_id, draft in customers
            for term in terms_for(draft.name, draft.company, draft.emails)
        ]
        if term_rows:
            # Sorted rows fill the term index in order, far faster than random inserts.
            term_rows.sort()
            self._insert_rows(CustomerSearchTerm, ("term", "customer_id"), term_rows)
