"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23

Tables of the foundation; on PostgreSQL also the app's group roles and their privileges,
and the default disposition codes everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from callcenter.db import pg_roles



revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity_entity_id'), ['entity', 'entity_id'], unique=False)

    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('company', sa.String(length=300), nullable=True),
    sa.Column('emails', sa.JSON(), nullable=False),
    sa.Column('tier', sa.String(length=50), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('address_line', sa.String(length=300), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('last_contact_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('external_id', name=op.f('uq_customers_external_id'))
    )
    op.create_table('disposition_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disposition_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_disposition_codes_code'))
    )
    op.create_table('queues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('service_level_threshold_s', sa.Integer(), nullable=False),
    sa.Column('service_level_target_pct', sa.Integer(), nullable=False),
    sa.Column('short_abandon_threshold_s', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queues')),
    sa.UniqueConstraint('name', name=op.f('uq_queues_name'))
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_table('customer_phones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('raw', sa.String(length=100), nullable=False),
    sa.Column('number_key', sa.String(length=40), nullable=False),
    sa.Column('national', sa.String(length=40), nullable=False),
    sa.Column('digits_rev', sa.String(length=40), nullable=False),
    sa.Column('extension', sa.String(length=20), nullable=True),
    sa.Column('label', sa.String(length=40), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_phones_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_phones')),
    sa.UniqueConstraint('customer_id', 'number_key', name=op.f('uq_customer_phones_customer_id_number_key'))
    )
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_phones_digits_rev'), ['digits_rev'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phones_national'), ['national'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phones_number_key'), ['number_key'], unique=False)

    op.create_table('customer_search_terms',
    sa.Column('term', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_search_terms_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'customer_id', name=op.f('pk_customer_search_terms'))
    )
    with op.batch_alter_table('customer_search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_search_terms_customer_id'), ['customer_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=63), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('extension', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("role IN ('agent', 'supervisor', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    op.create_table('agent_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('logged_out', 'available', 'on_call', 'after_call_work', 'break')", name=op.f('ck_agent_states_state')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_agent_states_agent_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_states'))
    )
    with op.batch_alter_table('agent_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_states_agent_id_started_at'), ['agent_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_states_started_at'), ['started_at'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_uid', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('queue_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('caller_raw', sa.String(length=200), nullable=True),
    sa.Column('caller_key', sa.String(length=40), nullable=True),
    sa.Column('dialled_raw', sa.String(length=200), nullable=True),
    sa.Column('dialled_key', sa.String(length=40), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hold_s', sa.Integer(), nullable=False),
    sa.Column('acw_s', sa.Integer(), nullable=False),
    sa.Column('disposition_code', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_call_id', sa.String(length=128), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("direction IN ('inbound', 'outbound')", name=op.f('ck_calls_direction')),
    sa.CheckConstraint("source IN ('manual', 'softphone', 'pbx', 'import', 'simulator', 'demo')", name=op.f('ck_calls_source')),
    sa.CheckConstraint('hold_s >= 0 AND acw_s >= 0', name=op.f('ck_calls_durations')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_calls_agent_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_calls_customer_id_customers')),
    sa.ForeignKeyConstraint(['queue_id'], ['queues.id'], name=op.f('fk_calls_queue_id_queues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('call_uid', name=op.f('uq_calls_call_uid')),
    sa.UniqueConstraint('source', 'source_call_id', name=op.f('uq_calls_source_source_call_id'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_agent_id_started_at'), ['agent_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_caller_key'), ['caller_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_customer_id_started_at'), ['customer_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_queue_id_queued_at'), ['queue_id', 'queued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_started_at'), ['started_at'], unique=False)

    disposition_codes = sa.table(
        "disposition_codes",
        *(sa.column(name) for name in ("code", "label", "position", "active", "version",
                                       "created_at", "created_by", "updated_at", "updated_by")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(disposition_codes, [
        {"code": code, "label": label, "position": position, "active": True, "version": 1,
         "created_at": now, "created_by": "system", "updated_at": now, "updated_by": "system"}
        for position, (code, label) in enumerate(DEFAULT_DISPOSITIONS)
    ])

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_roles.ensure_group_roles(bind)
        pg_roles.grant_privileges(bind)


DEFAULT_DISPOSITIONS = (
    ("resolved", "Resolved"),
    ("information", "Information given"),
    ("follow_up", "Follow-up needed"),
    ("complaint", "Complaint opened"),
    ("sale", "Sale"),
    ("wrong_number", "Wrong number"),
    ("no_answer", "No answer"),
    ("wrap_up_timeout", "Wrap-up timed out"),
)


def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_queue_id_queued_at'))
        batch_op.drop_index(batch_op.f('ix_calls_customer_id_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_caller_key'))
        batch_op.drop_index(batch_op.f('ix_calls_agent_id_started_at'))

    op.drop_table('calls')
    with op.batch_alter_table('agent_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_states_started_at'))
        batch_op.drop_index(batch_op.f('ix_agent_states_agent_id_started_at'))

    op.drop_table('agent_states')
    op.drop_table('users')
    with op.batch_alter_table('customer_search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_search_terms_customer_id'))

    op.drop_table('customer_search_terms')
    with op.batch_alter_table('customer_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phones_number_key'))
        batch_op.drop_index(batch_op.f('ix_customer_phones_national'))
        batch_op.drop_index(batch_op.f('ix_customer_phones_digits_rev'))

    op.drop_table('customer_phones')
    op.drop_table('teams')
    op.drop_table('queues')
    op.drop_table('disposition_codes')
    op.drop_table('customers')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_entity_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
