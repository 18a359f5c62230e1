"""New customers copied from the stage an import's workers made (see staged_customers) into
the tables, one INSERT ... SELECT per table (SQLite only)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import func, select

from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import utcnow
from callcenter.repositories.customer_sql import CustomerSql
from callcenter.repositories.staged_customers import MAX_RAW, STAGED, StagedRow


class CustomerStaging(CustomerSql):
    """Reads and copies the stage attached (as STAGED) to this unit of work's connection."""

    def staged_repeats(self, known_external_ids: Sequence[str]) -> bool:
        """Whether a staged external id is staged twice, or is one of `known_external_ids`
        (rows set aside as unchanged): then the stage's records take turns."""
        run = self._session.connection().exec_driver_sql
        twice = run(
            f"SELECT 1 FROM {STAGED}.customers WHERE external_id IS NOT NULL "
            "GROUP BY external_id HAVING count(*) > 1 LIMIT 1"
        ).first()
        known = run(
            f"SELECT 1 FROM {STAGED}.customers "
            "WHERE external_id IN (SELECT value FROM json_each(?)) LIMIT 1",
            (json.dumps(list(known_external_ids)),),
        ).first()
        return twice is not None or known is not None

    def staged_taken(self, locals_: Sequence[int]) -> bool:
        """Whether a customer has the external id of one of the staged `locals_` already."""
        found = (
            self._session.connection()
            .exec_driver_sql(
                f"SELECT 1 FROM {STAGED}.customers s JOIN customers c "
                "ON c.external_id = s.external_id "
                "WHERE s.local IN (SELECT value FROM json_each(?)) LIMIT 1",
                (json.dumps(list(locals_)),),
            )
            .first()
        )
        return found is not None

    def staged_locals(self, with_external_id: bool) -> list[int]:
        """The staged customers that have (or lack) an external id, in file order."""
        condition = "IS NOT NULL" if with_external_id else "IS NULL"
        return list(
            self._session.connection()
            .exec_driver_sql(
                f"SELECT local FROM {STAGED}.customers WHERE external_id {condition} ORDER BY local"
            )
            .scalars()
        )

    def staged_rows(self, with_external_id: bool | None = None) -> list[StagedRow]:
        """The staged customers (those with, or without, an external id), in file order."""
        connection = self._session.connection()
        condition = {
            None: "",
            True: "WHERE external_id IS NOT NULL",
            False: "WHERE external_id IS NULL",
        }[with_external_id]
        rows = connection.exec_driver_sql(
            f"SELECT local, line, external_id, name, company, tier, notes, emails, "
            f"folded_name, digest, new_digest, terms FROM {STAGED}.customers {condition} "
            "ORDER BY local"
        ).all()
        if not rows:
            return []
        phones: dict[int, list[tuple[str, str, str | None, str, str]]] = {}
        for local, raw, key, extension, national, digits_rev in connection.exec_driver_sql(
            f"SELECT local, raw, number_key, extension, national, digits_rev "
            f"FROM {STAGED}.phones WHERE local IN (SELECT value FROM json_each(?)) "
            "ORDER BY local, position",
            (json.dumps([row[0] for row in rows]),),
        ):
            phones.setdefault(local, []).append((raw, key, extension, national, digits_rev))
        return [
            StagedRow._make((*row[:-1], phones.get(row[0], []), json.loads(row[-1])))
            for row in rows
        ]

    def add_staged(self, locals_: Sequence[int]) -> list[int]:
        """Insert the staged customers `locals_`, with their numbers and search terms.

        Ids follow in the order given, from max(id) + 1 (as add_many, under the write lock
        the batch took when it began).
        """
        if not locals_:
            return []
        connection = self._session.connection()
        assert connection.dialect.name == "sqlite", "staging is for SQLite"
        first = (connection.scalar(select(func.max(CustomerRow.id))) or 0) + 1
        stamp = self._driver_value(CustomerRow, "created_at", utcnow())
        login = self._actor.login
        # json_each numbers the listed locals from 0: new ids follow the list's order.
        ids = "WITH ids(local, id) AS (SELECT value, ? + key FROM json_each(?)) "
        listed = (first, json.dumps(list(locals_)))
        run = connection.exec_driver_sql
        run(
            ids + "INSERT INTO customers (id, name, external_id, company, tier, notes, emails, "
            "version, created_at, updated_at, created_by, updated_by, import_digest) "
            "SELECT ids.id, s.name, s.external_id, s.company, s.tier, s.notes, s.emails, "
            "1, ?, ?, ?, ?, s.new_digest "
            f"FROM ids JOIN {STAGED}.customers s ON s.local = ids.local ORDER BY ids.id",
            (*listed, stamp, stamp, login, login),
        )
        run(
            ids + "INSERT INTO customer_phones (customer_id, raw, number_key, national, "
            "digits_rev, extension, label, position) "
            f"SELECT ids.id, substr(p.raw, 1, {MAX_RAW}), p.number_key, p.national, "
            "p.digits_rev, p.extension, NULL, p.position "
            f"FROM ids JOIN {STAGED}.phones p ON p.local = ids.local",
            listed,
        )
        run(
            ids + "INSERT INTO customer_search_terms (term, customer_id) "
            f"SELECT t.value, ids.id FROM ids JOIN {STAGED}.customers s ON s.local = ids.local, "
            "json_each(s.terms) t",
            listed,
        )
        return list(range(first, first + len(locals_)))
