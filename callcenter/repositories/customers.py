"""Customers with their numbers and search terms: the screen pop's and the search box's data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from callcenter.db.driver_statement import driver_connection
from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone, CustomerSearchTerm, utcnow
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.db.tables_complaints import ComplaintRow
from callcenter.domain.callbacks import OPEN_STATUSES as OPEN_CALLBACKS
from callcenter.domain.complaints import ACTIVE_STATUSES as OPEN_COMPLAINTS
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

# Fields compared, written and audited as they are; phones and emails are handled apart.
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


def _open_count(
    customer_id: InstrumentedAttribute[int],
    status: InstrumentedAttribute[str],
    statuses: Iterable[str],
) -> ColumnElement[int]:
    """How many of a customer's rows are in `statuses`: one probe of (customer_id, status).

    The statuses are written into the statement (not bound), so it stays one plain string the
    driver runs as it is.
    """
    return (
        select(func.count())
        .where(customer_id == CustomerRow.id)
        .where(status.in_([literal_column(f"'{value}'") for value in sorted(statuses)]))
        .scalar_subquery()
    )


SCREEN_POP = (
    select(
        CustomerRow.id,
        CustomerRow.external_id,
        CustomerRow.name,
        CustomerRow.company,
        CustomerRow.tier,
        CustomerPhone.raw,
        CustomerPhone.number_key,
        CustomerRow.last_contact_at,
        _open_count(ComplaintRow.customer_id, ComplaintRow.status, OPEN_COMPLAINTS),
        _open_count(CallbackRow.customer_id, CallbackRow.status, OPEN_CALLBACKS),
    )
    .join_from(CustomerPhone, CustomerRow, CustomerRow.id == CustomerPhone.customer_id)
    .where(CustomerPhone.number_key == bindparam("key"), CustomerRow.deleted_at.is_(None))
    .order_by(CustomerRow.last_contact_at.desc().nulls_last(), CustomerRow.id)
)
"""Every live customer on one number, most recently in contact first."""


@dataclass(frozen=True)
class _CompiledScreenPop:
    sql: str
    positional: bool
    last_contact_at: Callable[[Any], Any] | None


_SCREEN_POP_BY_DIALECT: dict[tuple[str, str], _CompiledScreenPop] = {}


def _screen_pop_for(dialect: Dialect) -> _CompiledScreenPop:
    """SCREEN_POP as the driver takes it, and what turns its timestamp into an aware UTC one."""
    found = _SCREEN_POP_BY_DIALECT.get((dialect.name, dialect.driver))
    if found is None:
        compiled = SCREEN_POP.compile(dialect=dialect)
        column_type = CustomerRow.__table__.c.last_contact_at.type
        found = _CompiledScreenPop(
            sql=str(compiled),
            positional=compiled.positional,
            last_contact_at=column_type.dialect_impl(dialect).result_processor(dialect, None),
        )
        _SCREEN_POP_BY_DIALECT[(dialect.name, dialect.driver)] = found
    return found


def _matches(cursor: Any, screen_pop: _CompiledScreenPop, key: str) -> list[CustomerMatch]:
    # This runs on every ringing phone, so it should cost about what the SQL costs: the
    # statement is compiled once per dialect and run on the driver's cursor, with no
    # per-call statement handling (it binds one string and reads plain columns).
    cursor.execute(screen_pop.sql, (key,) if screen_pop.positional else {"key": key})
    rows = cursor.fetchall()
    to_utc = screen_pop.last_contact_at
    return [
        CustomerMatch(
            id=row[0],
            external_id=row[1],
            name=row[2],
            company=row[3],
            tier=row[4],
            phone=row[5],
            phone_key=row[6],
            last_contact_at=to_utc(row[7]) if to_utc else row[7],
            open_complaints=row[8],
            due_callbacks=row[9],
        )
        for row in rows
    ]


class CustomerLookups:
    """The screen pop's read of customers, on a connection kept open across many lookups.

    Holds the driver's cursor, so it lives as long as the connection's check-out and no
    longer (see uow.Reader). It opens no transaction: each lookup is one statement, which
    the driver runs as its own (autocommit), so every lookup sees the latest commits.
    """

    def __init__(self, connection: Connection) -> None:
        self._screen_pop = _screen_pop_for(connection.dialect)
        self._cursor = driver_connection(connection).cursor()

    def find_by_phone(self, key: str) -> list[CustomerMatch]:
        """Customers on the number `key` (as `phone.normalize` gives it)."""
        if not key:
            return []
        return _matches(self._cursor, self._screen_pop, key)

    def close(self) -> None:
        self._cursor.close()


class CustomerRepository(CustomerBatches):
    def __init__(self, session: Session, actor: Actor, audit: AuditRepository) -> None:
        self._session = session
        self._actor = actor
        self._audit = audit

    # -- screen pop and search -------------------------------------------------------------

    def find_by_phone(self, key: str) -> list[CustomerMatch]:
        """Customers on the number `key`, inside this unit of work's transaction.

        The screen pop itself reads through `CustomerLookups` (uow.Reader), which needs no
        session; this is the same query for code that already has a unit of work open.
        """
        if not key:
            return []
        connection = self._session.connection()
        cursor = driver_connection(connection).cursor()
        try:
            return _matches(cursor, _screen_pop_for(connection.dialect), key)
        finally:
            cursor.close()

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
