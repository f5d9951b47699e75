"""The core layer must never import Qt, and the CLI's chat path must not load it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import desktop_app

CORE = Path(desktop_app.__file__).parent / "core"
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_qt() -> None:
    modules = sorted(CORE.rglob("*.py"))
    assert modules, "the core package has no modules?"
    offenders = {
        str(path.relative_to(CORE)): sorted(_imported_roots(path) & set(QT_PACKAGES))
        for path in modules
        if _imported_roots(path) & set(QT_PACKAGES)
    }
    assert offenders == {}


def test_importing_all_of_core_and_the_cli_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import desktop_app.core as core, desktop_app.cli\n"
        "for info in pkgutil.walk_packages(core.__path__, 'desktop_app.core.'):\n"
        "    importlib.import_module(info.name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
