"""PostgreSQL group roles for the app roles, and the privileges each one has.

Every person signs in with their own login role, a member of one of these groups. Migrations call
`grant_privileges` after creating tables so new tables are covered; later issues tighten it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

GROUP_ROLES = {
    "agent": "callcenter_agent",
    "supervisor": "callcenter_supervisor",
    "admin": "callcenter_admin",
}
APPEND_ONLY_TABLES = ("audit_log",)


def ensure_group_roles(connection: Connection) -> None:
    for group in GROUP_ROLES.values():
        # Roles are cluster-wide; a second database in the same cluster finds them there.
        connection.execute(
            text(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') "
                f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
            )
        )


def grant_privileges(connection: Connection) -> None:
    """Every app role reads and writes the data tables; only admins touch schema bookkeeping."""
    everyone = ", ".join(GROUP_ROLES.values())
    connection.execute(text(f"GRANT CONNECT ON DATABASE {_database(connection)} TO {everyone}"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {everyone}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}"))
    not_admins = f"{GROUP_ROLES['agent']}, {GROUP_ROLES['supervisor']}"
    connection.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {not_admins}"))
    for table in APPEND_ONLY_TABLES:
        connection.execute(text(f"REVOKE UPDATE, DELETE ON {table} FROM {everyone}"))


def _database(connection: Connection) -> str:
    name = connection.execute(text("SELECT current_database()")).scalar_one()
    return '"' + str(name).replace('"', '""') + '"'
