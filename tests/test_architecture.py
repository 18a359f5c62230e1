"""The dependency arrow: ui -> callcenter, never back; the GUI never touches SQL directly."""

from __future__ import annotations

import ast
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
