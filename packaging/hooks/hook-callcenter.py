"""PyInstaller hook: the `callcenter` package's lazily imported modules and its migrations.

The CLI imports its commands by name (callcenter/cli/main.py COMMANDS) and Alembic reads the
migration scripts as files, so neither is found by following imports.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules


def _wanted(name: str) -> bool:
    # Migration scripts run under Alembic (they are data below); __main__ would run on import.
    return ".migrations" not in name and not name.endswith("__main__")


hiddenimports = collect_submodules("callcenter", filter=_wanted)
datas = collect_data_files(
    "callcenter", include_py_files=True, includes=["db/migrations/**/*.py", "db/migrations/*.mako"]
)

# What the migration scripts and Alembic's environment import when Alembic runs them, and the
# database drivers SQLAlchemy picks by URL at run time.
hiddenimports += [
    "alembic.op",
    "alembic.context",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
]
