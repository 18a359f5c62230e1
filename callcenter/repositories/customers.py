"""Customers with their numbers and search terms: reading, searching and editing them.

The screen pop's own read, compiled once and run on the driver, is in screen_pop.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone, CustomerSearchTerm, utcnow
from callcenter.domain.customers import (
    Customer,
    CustomerDraft,
    CustomerMatch,
    CustomerSummary,
    ExternalIdTaken,
    PhoneEntry,
)
from callcenter.domain.errors import ConflictError, NotFound
from callcenter.domain.search import (
    fold,
    is_number_query,
    prefix_upper_bound,
    terms_for,
    words,
)
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.customer_batches import CustomerBatches
from callcenter.repositories.customer_rows import (
    SCALAR_FIELDS,
    customer_values,
    diff_customer,
    is_identifier,
    phone_row,
    unique_ids,
    unique_phones,
)
from callcenter.repositories.screen_pop import matches_in


class CustomerRepository(CustomerBatches):
    def __init__(self, session: Session, actor: Actor, audit: AuditRepository) -> None:
        self._session = session
        self._actor = actor
        self._audit = audit

    # -- screen pop and search -------------------------------------------------------------

    def find_by_phone(self, key: str) -> list[CustomerMatch]:
        """Customers on the number `key`, inside this unit of work's transaction.

        The screen pop itself reads through `screen_pop.CustomerLookups` (uow.Reader), which
        needs no session; this is the same query for code that already has a unit of work open.
        """
        if not key:
            return []
        return matches_in(self._session.connection(), key)

    def search(self, text: str, limit: int = 50) -> list[CustomerSummary]:
        """What the agent types: a name or company prefix, an email, an external id, or digits."""
        text = text.strip()
        if not text:
            return []
        if is_number_query(text):
            ids = self._ids_by_number(text, limit)
        else:
            ids = self._ids_by_terms(text, limit)
        return self.summaries(ids)

    def _ids_by_number(self, text: str, limit: int) -> list[int]:
        digits = "".join(ch for ch in text if ch.isdigit())
        reversed_digits = digits[::-1]
        ending = (
            select(CustomerPhone.customer_id)
            .where(
                CustomerPhone.digits_rev >= reversed_digits,
                CustomerPhone.digits_rev < prefix_upper_bound(reversed_digits),
            )
            .limit(limit)
        )
        starting = (
            select(CustomerPhone.customer_id)
            .where(
                CustomerPhone.national >= digits,
                CustomerPhone.national < prefix_upper_bound(digits),
            )
            .limit(limit)
        )
        connection = self._session.connection()
        ids = list(connection.scalars(ending))
        if len(ids) < limit:
            ids += connection.scalars(starting)
        return unique_ids(ids)[:limit]

    def _ids_by_terms(self, text: str, limit: int) -> list[int]:
        connection = self._session.connection()
        folded = fold(text)
        if is_identifier(folded) or (len(words(text)) <= 1 and not folded.isalpha()):
            # Emails are kept whole; an external id is looked up as typed.
            ids = list(
                connection.scalars(
                    select(CustomerSearchTerm.customer_id)
                    .where(
                        CustomerSearchTerm.term >= folded,
                        CustomerSearchTerm.term < prefix_upper_bound(folded),
                    )
                    .order_by(CustomerSearchTerm.term)
                    .limit(limit)
                )
            )
            ids += connection.scalars(
                select(CustomerRow.id).where(CustomerRow.external_id == text.strip()).limit(1)
            )
            return unique_ids(ids)[:limit]
        query_words = sorted(set(words(text)), key=len, reverse=True)
        if not query_words:
            return []
        # The longest word narrows most, so it drives the index range scan.
        driving = aliased(CustomerSearchTerm)
        statement = select(driving.customer_id).where(
            driving.term >= query_words[0], driving.term < prefix_upper_bound(query_words[0])
        )
        for word in query_words[1:]:
            other = aliased(CustomerSearchTerm)
            statement = statement.where(
                select(other.customer_id)
                .where(
                    other.customer_id == driving.customer_id,
                    other.term >= word,
                    other.term < prefix_upper_bound(word),
                )
                .exists()
            )
        statement = statement.order_by(driving.term).limit(limit * 2)
        return unique_ids(connection.scalars(statement))[:limit]

    def summaries(self, ids: Sequence[int]) -> list[CustomerSummary]:
        """Search rows for `ids`, in that order, leaving out deleted customers."""
        if not ids:
            return []
        first_phone = (
            select(CustomerPhone.raw)
            .where(CustomerPhone.customer_id == CustomerRow.id)
            .order_by(CustomerPhone.position)
            .limit(1)
            .scalar_subquery()
        )
        rows = self._session.connection().execute(
            select(
                CustomerRow.id,
                CustomerRow.name,
                CustomerRow.company,
                CustomerRow.external_id,
                first_phone,
                CustomerRow.emails,
                CustomerRow.tier,
            ).where(CustomerRow.id.in_(ids), CustomerRow.deleted_at.is_(None))
        )
        by_id = {
            row[0]: CustomerSummary(
                id=row[0],
                name=row[1],
                company=row[2],
                external_id=row[3],
                phone=row[4],
                email=(row[5] or [None])[0],
                tier=row[6],
            )
            for row in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    # -- one customer ----------------------------------------------------------------------

    def get(self, customer_id: int) -> Customer:
        row = self._session.get(CustomerRow, customer_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(f"customer {customer_id} does not exist")
        return self._to_domain(row)

    def add(self, draft: CustomerDraft) -> int:
        """Store a new customer; its id. ExternalIdTaken if another has its external id."""
        with _refusals(draft):
            return self._add(draft)

    def update(self, customer_id: int, draft: CustomerDraft, expected_version: int) -> None:
        """Apply `draft` if nobody saved the customer since `expected_version` was read
        (else ConflictError); ExternalIdTaken if another customer has its external id."""
        with _refusals(draft):
            self._update(customer_id, draft, expected_version)

    def _add(self, draft: CustomerDraft) -> int:
        now = utcnow()
        row = CustomerRow(
            **customer_values(draft),
            created_at=now,
            updated_at=now,
            created_by=self._actor.login,
            updated_by=self._actor.login,
        )
        self._session.add(row)
        self._session.flush()
        self._write_phones(row.id, draft.phones)
        self._write_terms(row.id, draft)
        self._audit.record("customer", row.id, "create", {"name": [None, draft.name]})
        return row.id

    def _update(self, customer_id: int, draft: CustomerDraft, expected_version: int) -> None:
        row = self._session.get(CustomerRow, customer_id, with_for_update=False)
        if row is None or row.deleted_at is not None:
            raise NotFound(f"customer {customer_id} does not exist")
        if row.version != expected_version:
            raise ConflictError(
                f"{row.updated_by} changed this customer at {row.updated_at:%H:%M:%S} "
                "since you opened it. Reload to see their changes, then apply yours again."
            )
        before = self._to_domain(row)
        changes = diff_customer(before, draft)
        if not changes:
            return
        for name, value in customer_values(draft).items():
            setattr(row, name, value)
        row.updated_by = self._actor.login
        self._session.flush()
        if "phones" in changes:
            self._session.execute(
                delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id)
            )
            self._write_phones(customer_id, draft.phones)
        self._session.execute(
            delete(CustomerSearchTerm).where(CustomerSearchTerm.customer_id == customer_id)
        )
        self._write_terms(customer_id, draft)
        self._audit.record("customer", customer_id, "update", changes)

    def add_phone(self, customer_id: int, phone: PhoneEntry) -> None:
        """Attach one more number (e.g. the caller's, from an unmatched screen pop)."""
        customer = self.get(customer_id)
        if any(p.key == phone.key for p in customer.phones):
            return
        self._write_phones(customer_id, (phone,), first_position=len(customer.phones))
        self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer_id)
            .values(
                version=CustomerRow.version + 1, updated_at=utcnow(), updated_by=self._actor.login
            )
        )
        self._audit.record("customer", customer_id, "add_phone", {"phone": [None, phone.key]})

    def touch_last_contact(self, customer_id: int, at: datetime) -> None:
        # Not a user edit: the version stays, so nobody's open form becomes stale.
        self._session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == customer_id)
            .where((CustomerRow.last_contact_at.is_(None)) | (CustomerRow.last_contact_at < at))
            .values(last_contact_at=at)
            .execution_options(synchronize_session=False)
        )

    def sample_numbers(self, limit: int) -> list[str]:
        """Up to `limit` numbers of live customers, picked at random (simulated callers)."""
        return list(
            self._session.scalars(
                select(CustomerPhone.raw)
                .join(CustomerRow, CustomerRow.id == CustomerPhone.customer_id)
                .where(CustomerRow.deleted_at.is_(None))
                .order_by(func.random())
                .limit(limit)
            )
        )

    def count(self) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(CustomerRow)
                .where(CustomerRow.deleted_at.is_(None))
            )
            or 0
        )

    # -- internals -------------------------------------------------------------------------

    def _write_phones(
        self, customer_id: int, phones: Iterable[PhoneEntry], first_position: int = 0
    ) -> None:
        rows = [
            phone_row(customer_id, first_position + i, p)
            for i, p in enumerate(unique_phones(phones))
        ]
        if rows:
            self._session.execute(insert(CustomerPhone), rows)

    def _write_terms(self, customer_id: int, draft: CustomerDraft) -> None:
        rows = [
            {"term": term, "customer_id": customer_id}
            for term in terms_for(draft.name, draft.company, draft.emails)
        ]
        if rows:
            self._session.execute(insert(CustomerSearchTerm), rows)

    def _phones_of(self, customer_id: int) -> tuple[PhoneEntry, ...]:
        rows = self._session.execute(
            select(
                CustomerPhone.raw,
                CustomerPhone.number_key,
                CustomerPhone.extension,
                CustomerPhone.label,
            )
            .where(CustomerPhone.customer_id == customer_id)
            .order_by(CustomerPhone.position)
        )
        return tuple(PhoneEntry(*row) for row in rows)

    def _to_domain(self, row: CustomerRow) -> Customer:
        return Customer(
            id=row.id,
            phones=self._phones_of(row.id),
            emails=tuple(row.emails or ()),
            last_contact_at=row.last_contact_at,
            version=row.version,
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
            **{name: getattr(row, name) for name in SCALAR_FIELDS},
        )


CONFLICT = (
    "Someone else changed this customer since you opened it. "
    "Reload it to see their changes, then apply yours again."
)


@contextmanager
def _refusals(draft: CustomerDraft) -> Iterator[None]:
    """The database's refusals of a save as the domain's errors."""
    try:
        yield
    except StaleDataError:
        raise ConflictError(CONFLICT) from None
    except IntegrityError:
        # The one unique value a draft brings is its external id; anything else is a bug.
        if draft.external_id is None:
            raise
        raise ExternalIdTaken(draft.external_id) from None
