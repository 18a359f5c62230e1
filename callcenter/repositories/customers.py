"""Customers with their numbers and search terms: the screen pop's and the search box's data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from callcenter.db.tables import Base, CustomerPhone, CustomerSearchTerm, utcnow
from callcenter.db.tables import Customer as CustomerRow
from callcenter.domain.customers import (
    Customer,
    CustomerDraft,
    CustomerMatch,
    CustomerSummary,
    PhoneEntry,
)
from callcenter.domain.errors import ConflictError, NotFound
from callcenter.domain.phone import digits_reversed, national_part
from callcenter.domain.search import (
    MAX_TERM,
    fold,
    is_number_query,
    prefix_upper_bound,
    terms_for,
    words,
)
from callcenter.domain.users import Actor
from callcenter.repositories.audit import AuditRepository

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


class CustomerRepository:
    def __init__(self, session: Session, actor: Actor, audit: AuditRepository) -> None:
        self._session = session
        self._actor = actor
        self._audit = audit

    # -- screen pop and search -------------------------------------------------------------

    def find_by_phone(self, key: str) -> list[CustomerMatch]:
        """Customers on the number `key` (as `phone.normalize` gives it)."""
        if not key:
            return []
        # This runs on every ringing phone, so it should cost about what the SQL costs: the
        # statement is compiled once per dialect and run on this unit of work's DB-API cursor,
        # with no per-call statement handling (it binds one string and reads plain columns).
        connection = self._session.connection()
        screen_pop = _screen_pop_for(connection.dialect)
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(screen_pop.sql, (key,) if screen_pop.positional else {"key": key})
            rows = cursor.fetchall()
        finally:
            cursor.close()
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
            )
            for row in rows
        ]

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
        return _unique(ids)[:limit]

    def _ids_by_terms(self, text: str, limit: int) -> list[int]:
        connection = self._session.connection()
        folded = fold(text)
        if _is_identifier(folded) or (len(words(text)) <= 1 and not folded.isalpha()):
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
            return _unique(ids)[:limit]
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
        return _unique(connection.scalars(statement))[:limit]

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

    def update(self, customer_id: int, draft: CustomerDraft, expected_version: int) -> None:
        """Apply `draft` if nobody saved the customer since `expected_version` was read."""
        row = self._session.get(CustomerRow, customer_id, with_for_update=False)
        if row is None or row.deleted_at is not None:
            raise NotFound(f"customer {customer_id} does not exist")
        if row.version != expected_version:
            raise ConflictError(
                f"{row.updated_by} changed this customer at {row.updated_at:%H:%M:%S} "
                "since you opened it. Reload to see their changes, then apply yours again."
            )
        before = self._to_domain(row)
        changes = _diff(before, draft)
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

    def count(self) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(CustomerRow)
                .where(CustomerRow.deleted_at.is_(None))
            )
            or 0
        )

    # -- many at once (import, demo data) ----------------------------------------------------

    def add_many(self, drafts: Sequence[CustomerDraft]) -> list[int]:
        """Insert a batch in a few statements; ids come back in the drafts' order."""
        if not drafts:
            return []
        now = utcnow()
        login = self._actor.login
        connection = self._session.connection()
        if connection.dialect.name == "sqlite":
            # SQLite cannot return a multi-row INSERT's ids in parameter order, so SQLAlchemy
            # would insert row by row. A new row gets max(id) + 1 anyway, and naming the ids is
            # as safe: if another writer commits after the max() is read, this transaction's
            # INSERT fails (a stale snapshot cannot take the write lock) instead of colliding.
            first = (connection.scalar(select(func.max(CustomerRow.id))) or 0) + 1
            scalars = attrgetter(*SCALAR_FIELDS)
            ids = list(range(first, first + len(drafts)))
            self._insert_rows(
                CustomerRow,
                ("id", *SCALAR_FIELDS, "emails", "version", *_CREATED_AND_UPDATED),
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

    def by_external_ids(self, external_ids: Iterable[str]) -> dict[str, Customer]:
        """Customers holding these external ids, deleted ones too (the ids stay taken)."""
        found: dict[str, Customer] = {}
        for chunk in _chunks(list(external_ids)):
            for customer in self._load_many(self._among(CustomerRow.external_id, chunk)):
                if customer.external_id:
                    found[customer.external_id] = customer
        return found

    def deleted_external_ids(self, external_ids: Iterable[str]) -> set[str]:
        """Those of `external_ids` that belong to deleted customers."""
        connection = self._session.connection()
        deleted: set[str] = set()
        for chunk in _chunks(list(external_ids)):
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
        for chunk in _chunks(list(set(keys))):
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
        for chunk in _chunks(list({fold(e)[:MAX_TERM] for e in emails})):
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
            (before, draft, diff) for before, draft in changes if (diff := _diff(before, draft))
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
        for chunk in _chunks(new_phones):
            connection.execute(delete(CustomerPhone).where(CustomerPhone.customer_id.in_(chunk)))
        for chunk in _chunks(ids):
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
            for position, phone in enumerate(_unique_phones(draft.phones))
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

    def _insert_rows(
        self, model: type[Base], columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """One executemany of plain tuples, in `columns` order.

        Skips SQLAlchemy's per-row parameter handling, which costs more than the database's
        own work on bulk inserts; each column's type still converts its values.
        """
        table = cast(Table, model.__table__)
        connection = self._session.connection()
        dialect = connection.dialect
        processors = [
            _same_value_once(processor)
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            else None
            for name in columns
        ]
        converting = [(i, p) for i, p in enumerate(processors) if p is not None]
        if converting:
            converted = []
            for row in rows:
                values = list(row)
                for i, process in converting:
                    values[i] = process(values[i])
                converted.append(tuple(values))
            rows = converted
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}[dialect.paramstyle]
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(name) for name in columns)}) "
            f"VALUES ({', '.join(placeholder for _ in columns)})"
        )
        connection.exec_driver_sql(sql, list(rows))

    def _among(
        self, column: InstrumentedAttribute[Any], values: Sequence[Any]
    ) -> ColumnElement[bool]:
        """`column IN values`, the values passed as one parameter.

        A plain IN renders a placeholder per value, which costs SQLAlchemy more than the
        database spends on the lookups when an import asks for thousands at a time.
        """
        backend = self._session.connection().dialect.name
        if backend == "sqlite":
            listed = func.json_each(json.dumps(list(values))).table_valued("value")
            return column.in_(select(listed.c.value))
        if backend == "postgresql":
            return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return column.in_(values)

    def _load_many(self, *conditions: ColumnElement[bool]) -> list[Customer]:
        """Customers matching `conditions`, with their phones, in two queries."""
        connection = self._session.connection()
        columns = [
            CustomerRow.id,
            CustomerRow.emails,
            CustomerRow.last_contact_at,
            CustomerRow.version,
            CustomerRow.created_at,
            CustomerRow.created_by,
            CustomerRow.updated_at,
            CustomerRow.updated_by,
            *(getattr(CustomerRow, name) for name in SCALAR_FIELDS),
        ]
        rows = connection.execute(select(*columns).where(*conditions)).all()
        if not rows:
            return []
        phones: dict[int, list[PhoneEntry]] = {}
        for chunk in _chunks([row[0] for row in rows]):
            for customer_id, raw, key, extension, label in connection.execute(
                select(
                    CustomerPhone.customer_id,
                    CustomerPhone.raw,
                    CustomerPhone.number_key,
                    CustomerPhone.extension,
                    CustomerPhone.label,
                )
                .where(self._among(CustomerPhone.customer_id, chunk))
                .order_by(CustomerPhone.customer_id, CustomerPhone.position)
            ):
                phones.setdefault(customer_id, []).append(PhoneEntry(raw, key, extension, label))
        scalars = len(columns) - len(SCALAR_FIELDS)
        return [
            Customer(
                id=row[0],
                phones=tuple(phones.get(row[0], ())),
                emails=tuple(row[1] or ()),
                last_contact_at=row[2],
                version=row[3],
                created_at=row[4],
                created_by=row[5],
                updated_at=row[6],
                updated_by=row[7],
                **dict(zip(SCALAR_FIELDS, row[scalars:], strict=True)),
            )
            for row in rows
        ]

    # -- internals -------------------------------------------------------------------------

    def _write_phones(
        self, customer_id: int, phones: Iterable[PhoneEntry], first_position: int = 0
    ) -> None:
        rows = [
            phone_row(customer_id, first_position + i, p)
            for i, p in enumerate(_unique_phones(phones))
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


def _is_identifier(folded: str) -> bool:
    """One token with '@', '_' or '+' in it: the start of an email or a user name.

    Split into words it would be searched as several words, which costs a probe per
    customer having the longest word ("linda_bo": every Linda); kept whole it is one
    range of the term index, where emails are.
    """
    return not any(ch.isspace() for ch in folded) and any(ch in "@_+" for ch in folded)


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _unique_phones(phones: Iterable[PhoneEntry]) -> list[PhoneEntry]:
    """The phones without repeats of a number; the first of each is kept."""
    first: dict[str, PhoneEntry] = {}
    for phone in phones:
        if phone.key and phone.key not in first:
            first[phone.key] = phone
    return list(first.values())


def _diff(before: Customer, draft: CustomerDraft) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {
        name: [getattr(before, name), getattr(draft, name)]
        for name in SCALAR_FIELDS
        if getattr(before, name) != getattr(draft, name)
    }
    if tuple(before.emails) != tuple(draft.emails):
        changes["emails"] = [list(before.emails), list(draft.emails)]
    if [p.key for p in before.phones] != [p.key for p in _unique_phones(draft.phones)] or [
        (p.raw, p.label) for p in before.phones
    ] != [(p.raw, p.label) for p in _unique_phones(draft.phones)]:
        changes["phones"] = [[p.key for p in before.phones], [p.key for p in draft.phones]]
    return changes


def _chunks(items: Sequence[T], size: int = 5000) -> list[Sequence[T]]:
    """Slices small enough for one IN list on every backend."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def _same_value_once(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, remembering its last result: a batch shares one timestamp, converted once."""
    last: list[Any] = [_UNSET, None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return run


_UNSET = object()
T = TypeVar("T")
_CREATED_AND_UPDATED = ("created_at", "updated_at", "created_by", "updated_by")
