"""What only an import writes: customers checked ahead of time, and the digests of their records."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from operator import itemgetter

from sqlalchemy import insert, select

from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone, CustomerSearchTerm, utcnow
from callcenter.repositories.customer_staging import CustomerStaging
from callcenter.repositories.staged_customers import MAX_RAW, CheckedCustomer

CUSTOMER_COLUMNS = (
    "id",
    "name",
    "external_id",
    "company",
    "tier",
    "notes",
    "emails",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "import_digest",
)
PHONE_COLUMNS = (
    "customer_id",
    "raw",
    "number_key",
    "national",
    "digits_rev",
    "extension",
    "label",
    "position",
)


class CustomerImports(CustomerStaging):
    """Bulk methods an import needs beyond adding and updating drafts."""

    def add_checked(self, customers: Sequence[CheckedCustomer]) -> list[int]:
        """Insert new customers with their numbers and search terms; ids in the given order."""
        if not customers:
            return []
        now = utcnow()
        login = self._actor.login
        connection = self._session.connection()
        if connection.dialect.name == "sqlite":
            ids = self._new_sqlite_ids(len(customers))
            stamp = self._driver_value(CustomerRow, "created_at", now)
            self._insert_rows(
                CustomerRow,
                CUSTOMER_COLUMNS,
                [
                    (
                        customer_id,
                        c.name,
                        c.external_id,
                        c.company,
                        c.tier,
                        c.notes,
                        c.emails_json,
                        1,
                        stamp,
                        stamp,
                        login,
                        login,
                        c.new_digest,
                    )
                    for customer_id, c in zip(ids, customers, strict=True)
                ],
                # JSON and timestamps made once here, not once a row by the column types.
                ready=("emails", "created_at", "updated_at"),
            )
        else:
            ids = list(
                connection.scalars(
                    insert(CustomerRow).returning(CustomerRow.id, sort_by_parameter_order=True),
                    [
                        {
                            "name": c.name,
                            "external_id": c.external_id,
                            "company": c.company,
                            "tier": c.tier,
                            "notes": c.notes,
                            "emails": list(c.emails),
                            "version": 1,
                            "created_at": now,
                            "updated_at": now,
                            "created_by": login,
                            "updated_by": login,
                            "import_digest": c.new_digest,
                        }
                        for c in customers
                    ],
                )
            )
        phone_rows = [
            (customer_id, p.raw[:MAX_RAW], p.key, p.national, p.digits_rev, p.extension, None, i)
            for customer_id, c in zip(ids, customers, strict=True)
            for i, p in enumerate(c.phones)
        ]
        if phone_rows:
            # In number order the number indexes fill in order too.
            phone_rows.sort(key=itemgetter(2))
            self._insert_rows(CustomerPhone, PHONE_COLUMNS, phone_rows)
        term_rows = [
            (term, customer_id)
            for customer_id, c in zip(ids, customers, strict=True)
            for term in c.terms
        ]
        if term_rows:
            # In customer order: the table appends. (Sorted by term for the index instead,
            # the table's inserts scatter as much; nothing gained for the sort's cost.)
            self._insert_rows(CustomerSearchTerm, ("term", "customer_id"), term_rows)
        return ids

    def import_digests(self, external_ids: Collection[str]) -> dict[str, tuple[int, int, int]]:
        """(id, version, stored digest) of the live customers with these external ids that
        have a digest."""
        connection = self._session.connection()
        found: dict[str, tuple[int, int, int]] = {}
        statement = select(
            CustomerRow.external_id,
            CustomerRow.id,
            CustomerRow.version,
            CustomerRow.import_digest,
        ).where(
            self._among(CustomerRow.external_id, list(external_ids)),
            CustomerRow.deleted_at.is_(None),
            CustomerRow.import_digest.is_not(None),
        )
        # Plain driver rows: a re-import reads a million of them.
        compiled = statement.compile(dialect=connection.dialect)
        parameters = compiled.construct_params()
        driver_parameters = (
            tuple(parameters[name] for name in compiled.positiontup or ())
            if compiled.positional
            else parameters
        )
        for external_id, customer_id, version, digest in connection.exec_driver_sql(
            str(compiled), driver_parameters
        ):
            found[external_id] = (customer_id, version, digest)
        return found

    def set_import_digests(self, digests: Sequence[tuple[int, int]]) -> None:
        """Store (customer id, digest) pairs; not an edit, so version and updated_at stay."""
        if not digests:
            return
        connection = self._session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        # Straight to the driver: a Core UPDATE would also set updated_at (its onupdate).
        connection.exec_driver_sql(
            f"UPDATE customers SET import_digest = {mark} WHERE id = {mark}",
            [(digest, customer_id) for customer_id, digest in digests],
        )
