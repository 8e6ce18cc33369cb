"""The floors of docs/ARCHITECTURE.md: storage < crawler < monitor, imports downwards only, SQL in storage.

Read from the source with `ast`, so an import inside a function counts as much as one
at the top of a module.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO

FLOORS = {"storage": 0, "crawler": 1, "monitor": 2}
# A string that reads as an SQL statement: a verb, then the word that verb takes.
SQL = re.compile(r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
                 r"|CREATE\s+(TABLE|INDEX|VIRTUAL)|PRAGMA\s+\w+|BEGIN\s+IMMEDIATE)\b", re.IGNORECASE)


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _imported_packages(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(FLOORS)


def upward_imports(package: str) -> list[str]:
    """`path: package` for each import in `package` of a package on a higher floor."""
    found = []
    for path in _modules(package):
        for imported in _imported_packages(ast.parse(path.read_text("utf-8"))):
            if FLOORS[imported] > FLOORS[package]:
                found.append(f"{path.relative_to(REPO)}: {imported}")
    return found


def sql_outside_storage(package: str) -> list[str]:
    """`path:line` of each `execute(`-family call or SQL string in `package`."""
    found = []
    for path in _modules(package):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "executescript")):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.func.attr}(")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.value[:40]!r}")
    return found


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_imports_go_downwards_only(package):
    assert upward_imports(package) == []


@pytest.mark.parametrize("package", ["crawler", "monitor"])
def test_no_sql_outside_storage(package):
    assert sql_outside_storage(package) == []


def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """Both checks flag a planted offence: an upward import inside a function, and a query."""
    import conftest

    (tmp_path / "storage").mkdir()
    (tmp_path / "crawler").mkdir()
    (tmp_path / "storage" / "bad.py").write_text("def f():\n    from monitor.diff import diff_pending\n", "utf-8")
    (tmp_path / "crawler" / "bad.py").write_text("def g(db):\n    return db.execute('SELECT 1 FROM t')\n", "utf-8")
    monkeypatch.setattr(conftest, "REPO", tmp_path)
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    assert upward_imports("storage") == ["storage/bad.py: monitor"]
    assert sql_outside_storage("crawler") == ["crawler/bad.py:2 execute(", "crawler/bad.py:2 'SELECT 1 FROM t'"]
