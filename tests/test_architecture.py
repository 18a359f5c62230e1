"""The dependency arrow: ui -> callcenter, never back; the GUI never touches SQL directly."""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def test_the_core_never_imports_qt_or_the_ui():
    offenders = [
        (path, module)
        for path, module in imported_modules("callcenter")
        if top(module) in {"PySide6", "PyQt6", "PyQt5", "shiboken6", "pyqtgraph", "ui"}
    ]
    assert offenders == []


def test_the_ui_never_imports_sqlalchemy():
    offenders = [
        (path, module)
        for path, module in imported_modules("ui")
        if top(module) in {"sqlalchemy", "alembic", "psycopg", "sqlite3"}
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["callcenter", "ui"])
def test_the_check_sees_the_package(package):
    # Guards the two checks above against passing because they scanned nothing.
    assert imported_modules(package)


def test_the_arrow_points_from_services_to_repositories_to_the_domain():
    below = {
        "callcenter/repositories": ("callcenter.services", "callcenter.uow"),
        "callcenter/domain": (
            "callcenter.services",
            "callcenter.repositories",
            "callcenter.db",
            "callcenter.uow",
            "sqlalchemy",
        ),
    }
    offenders = [
        (path, module)
        for package, forbidden in below.items()
        for path, module in imported_modules(package)
        if module.startswith(forbidden)
    ]
    assert offenders == []


# Services that work at the SQL level, and why; every other service reaches the database only
# through repositories (no SQLAlchemy, no table rows, no driver).
SQL_LEVEL_SERVICES = {
    # Bulk loaders: demo data and customer imports stream rows past the ORM for speed.
    "demo_*.py",
    "customer_import.py",
    "import_writer.py",
    # Database roles (CREATE ROLE, GRANT) on PostgreSQL.
    "users.py",
    # Compares the database with the migrations.
    "schema_check.py",
    # Reads and writes the database URL the desk connects with.
    "desk_session.py",
    # Tells a database that is down (DBAPIError) from a collector that failed.
    "queue_collector.py",
}


def _sql_level(module: str) -> bool:
    return top(module) in {"sqlalchemy", "alembic", "psycopg", "sqlite3"} or (
        module == "callcenter.db" or module.startswith("callcenter.db.")
    )


def _allowed(path: str) -> bool:
    return any(fnmatch.fnmatch(Path(path).name, pattern) for pattern in SQL_LEVEL_SERVICES)


def test_services_reach_the_database_only_through_repositories():
    offenders = [
        (path, module)
        for path, module in imported_modules("callcenter/services")
        if _sql_level(module) and not _allowed(path)
    ]
    assert offenders == []


def test_every_service_allowed_sql_still_uses_it():
    # Keeps the allow-list honest: a service cleaned up must leave it.
    users = {
        Path(path).name
        for path, module in imported_modules("callcenter/services")
        if _sql_level(module)
    }
    unused = [pattern for pattern in SQL_LEVEL_SERVICES if not fnmatch.filter(users, pattern)]
    assert unused == []
