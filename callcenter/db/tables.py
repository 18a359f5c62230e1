"""SQLAlchemy table models. The schema itself is created only by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always handed back timezone-aware.

    SQLite keeps no zone, so values are written as naive UTC and tagged UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class Tracked:
    """Columns of every row people edit: optimistic-lock version and who/when."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # A stale version in an UPDATE matches no row and raises StaleDataError.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Team(Tracked, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class User(Tracked, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    extension: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Only for SQLite sign-in; on PostgreSQL the server checks the login role's password.
    password_hash: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (CheckConstraint("role IN ('agent', 'supervisor', 'admin')", name="role"),)


class Customer(Tracked, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(300))
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    tier: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    address_line: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    # Denormalised so the screen pop orders matches without aggregating calls.
    last_contact_at: Mapped[datetime | None] = mapped_column()
    deleted_at: Mapped[datetime | None] = mapped_column()
    # Fingerprint of the CSV record an import last wrote or confirmed, bound to the version
    # it left (see services/customer_records.py): a re-import skips records that match it.
    import_digest: Mapped[int | None] = mapped_column(BigInteger)


class CustomerPhone(Base):
    """A number on a customer; the same number may sit on several customers (a switchboard)."""

    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    raw: Mapped[str] = mapped_column(String(100))
    # E.164 when parseable, else the digits; the screen-pop key.
    number_key: Mapped[str] = mapped_column(String(40), index=True)
    national: Mapped[str] = mapped_column(String(40), index=True)
    digits_rev: Mapped[str] = mapped_column(String(40), index=True)
    extension: Mapped[str | None] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("customer_id", "number_key"),)


class CustomerSearchTerm(Base):
    """Words of a customer's name, company, emails and external id, for prefix search."""

    __tablename__ = "customer_search_terms"

    term: Mapped[str] = mapped_column(String(300))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))

    # Keyed by customer first: rows are written and deleted a customer at a time (an import
    # appends them in id order), and search checks a customer's other words with one probe.
    # The term index answers a prefix search by itself on both backends. Without a rowid
    # (SQLite), the table is the key's B-tree: one B-tree less to fill on every insert.
    __table_args__ = (
        PrimaryKeyConstraint("customer_id", "term"),
        Index(None, "term", "customer_id"),
        {"sqlite_with_rowid": False},
    )


class Queue(Tracked, Base):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    service_level_threshold_s: Mapped[int] = mapped_column(Integer, default=20)
    service_level_target_pct: Mapped[int] = mapped_column(Integer, default=80)
    short_abandon_threshold_s: Mapped[int] = mapped_column(Integer, default=5)


class DispositionCode(Tracked, Base):
    __tablename__ = "disposition_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Call(Tracked, Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chosen by the writer before the first save, so a retried save finds the same row.
    call_uid: Mapped[str] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    caller_raw: Mapped[str | None] = mapped_column(String(200))
    caller_key: Mapped[str | None] = mapped_column(String(40), index=True)
    dialled_raw: Mapped[str | None] = mapped_column(String(200))
    dialled_key: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column()
    queued_at: Mapped[datetime | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    hold_s: Mapped[int] = mapped_column(Integer, default=0)
    acw_s: Mapped[int] = mapped_column(Integer, default=0)
    disposition_code: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    source_call_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        UniqueConstraint("source", "source_call_id"),
        CheckConstraint("direction IN ('inbound', 'outbound')", name="direction"),
        CheckConstraint(
            "source IN ('manual', 'softphone', 'pbx', 'import', 'simulator', 'demo')",
            name="source",
        ),
        CheckConstraint("hold_s >= 0 AND acw_s >= 0", name="durations"),
        Index(None, "customer_id", "started_at"),
        Index(None, "agent_id", "started_at"),
        Index(None, "queue_id", "queued_at"),
        Index(None, "started_at"),
    )


class AgentStateChange(Base):
    """One span of an agent in one state; the open span has no end."""

    __tablename__ = "agent_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(
            "state IN ('logged_out', 'available', 'on_call', 'after_call_work', 'break')",
            name="state",
        ),
        Index(None, "agent_id", "started_at"),
        Index(None, "started_at"),
    )


class AuditEntry(Base):
    """Append-only: rows are inserted and never updated or deleted by the application."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index(None, "entity", "entity_id"), Index(None, "at"))
