"""The UI-free core (domain, store, services) never imports textual (DESIGN §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "deliberate"
CORE = ("domain", "store", "services")


def core_modules() -> list[str]:
    modules = []
    for package in CORE:
        for path in sorted((SRC / package).rglob("*.py")):
            parts = path.relative_to(SRC.parent).with_suffix("").parts
            modules.append(".".join(p for p in parts if p != "__init__"))
    return modules


def test_core_source_has_no_textual_import() -> None:
    offenders = []
    for package in CORE:
        for path in (SRC / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [
                    f"{path}: {n}"
                    for n in names
                    if n.split(".")[0] in ("textual", "deliberate.tui")
                    or n.startswith("deliberate.tui")
                ]
    assert offenders == []


def test_importing_the_core_loads_no_textual() -> None:
    modules = core_modules()
    assert len(modules) > 5
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'deliberate.tui')))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
