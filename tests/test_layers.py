"""The one layering rule import-linter cannot state: below the shell, no Qt widgets.

Devices may use Qt's print support and image classes (QtGui, QtPrintSupport) for A4 printing,
but nothing outside `ui/` may import QtWidgets, which would tie it to a running GUI.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.settings import PROJECT_ROOT

BELOW_THE_SHELL = ("devices", "flows", "kiosk", "offline_cache", "central")


def widget_imports(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {name}" for name in names
                  if name.startswith(("PySide6.QtWidgets", "qasync"))]
    return found


def test_nothing_below_the_shell_imports_qt_widgets():
    offenders = [hit for package in BELOW_THE_SHELL
                 for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
                 for hit in widget_imports(path)]
    assert offenders == []


def test_the_check_sees_a_widget_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import PySide6.QtGui\nfrom PySide6.QtWidgets import QLabel\n",
                     encoding="utf-8")
    assert widget_imports(probe, tmp_path) == [
        "probe.py:2 PySide6.QtWidgets", "probe.py:2 PySide6.QtWidgets.QLabel"]
