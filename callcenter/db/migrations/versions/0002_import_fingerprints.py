"""Import fingerprints on customers; search terms keyed by customer, without a rowid.

A re-import skips records whose fingerprint (`customers.import_digest`) matches what the last
import wrote. Search terms are written and deleted a customer at a time, so the table is keyed
by (customer_id, term), with an index on (term, customer_id) for prefix search; on SQLite the
table is its key's B-tree (WITHOUT ROWID), one B-tree fewer to fill on every insert.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("import_digest", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_terms(with_rowid=False)
        return
    op.drop_index("ix_customer_search_terms_customer_id", table_name="customer_search_terms")
    op.drop_constraint("pk_customer_search_terms", "customer_search_terms", type_="primary")
    op.create_primary_key(
        "pk_customer_search_terms", "customer_search_terms", ["customer_id", "term"]
    )
    op.create_index(
        "ix_customer_search_terms_term_customer_id",
        "customer_search_terms",
        ["term", "customer_id"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_terms(with_rowid=True)
    else:
        op.drop_index(
            "ix_customer_search_terms_term_customer_id", table_name="customer_search_terms"
        )
        op.drop_constraint("pk_customer_search_terms", "customer_search_terms", type_="primary")
        op.create_primary_key(
            "pk_customer_search_terms", "customer_search_terms", ["term", "customer_id"]
        )
        op.create_index(
            "ix_customer_search_terms_customer_id", "customer_search_terms", ["customer_id"]
        )
    # Not a batch copy of customers on SQLite: dropping the old table would cascade-delete
    # every customer's numbers and terms. SQLite drops a plain column in place (3.35+).
    op.drop_column("customers", "import_digest")


def _rebuild_sqlite_terms(with_rowid: bool) -> None:
    """SQLite cannot change a primary key in place: copy into the new shape and swap."""
    key, index, columns = (
        ("term, customer_id", "ix_customer_search_terms_customer_id", "customer_id")
        if with_rowid
        else ("customer_id, term", "ix_customer_search_terms_term_customer_id", "term, customer_id")
    )
    op.execute(
        "CREATE TABLE customer_search_terms_new ("
        "term VARCHAR(300) NOT NULL, customer_id INTEGER NOT NULL, "
        f"CONSTRAINT pk_customer_search_terms PRIMARY KEY ({key}), "
        "CONSTRAINT fk_customer_search_terms_customer_id_customers FOREIGN KEY(customer_id) "
        "REFERENCES customers (id) ON DELETE CASCADE)" + ("" if with_rowid else " WITHOUT ROWID")
    )
    op.execute(
        "INSERT INTO customer_search_terms_new (term, customer_id) "
        "SELECT term, customer_id FROM customer_search_terms"
    )
    op.execute("DROP TABLE customer_search_terms")
    op.execute("ALTER TABLE customer_search_terms_new RENAME TO customer_search_terms")
    op.execute(f"CREATE INDEX {index} ON customer_search_terms ({columns})")
