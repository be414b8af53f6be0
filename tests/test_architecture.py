"""The layers (DESIGN §2, docs/architecture.md "Checks"): the import-linter contracts in
pyproject.toml hold, and they say what the handbook says."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "deliberate"
CORE = ("domain", "store", "services")


def lint_imports() -> str:
    """The `lint-imports` next to this interpreter (the project's virtual environment)."""
    local = Path(sys.executable).with_name("lint-imports")
    found = str(local) if local.exists() else shutil.which("lint-imports")
    assert found, "lint-imports is missing: install the test extra (pip install -e '.[test]')"
    return found


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    assert linter["root_package"] == "deliberate"
    assert linter["include_external_packages"] is True  # else "textual" cannot be forbidden
    return {c["name"]: c for c in linter["contracts"]}


def forbids(source: str, target: str, *, indirect: bool = False) -> bool:
    """Some contract forbids `source` to import `target` (also through others if `indirect`)."""
    return any(
        c["type"] == "forbidden"
        and source in c["source_modules"]
        and target in c["forbidden_modules"]
        and (not indirect or not c.get("allow_indirect_imports", False))
        for c in contracts().values()
    )


def test_the_contracts_say_what_the_handbook_says() -> None:
    ours = ("store", "services", "i18n", "tui", "cli", "ssh")
    assert all(forbids("deliberate.domain", f"deliberate.{m}", indirect=True) for m in ours)
    for library in ("sqlalchemy", "babel", "textual"):
        assert forbids("deliberate.domain", library, indirect=True)
    for layer in ("services", "store"):
        for front_end in ("tui", "cli", "ssh"):
            assert forbids(f"deliberate.{layer}", f"deliberate.{front_end}", indirect=True)
    assert forbids("deliberate.tui", "deliberate.store")
    assert all(forbids(f"deliberate.{layer}", "textual", indirect=True) for layer in CORE)
    ignored = [i for c in contracts().values() for i in c.get("ignore_imports", [])]
    assert set(ignored) <= {"deliberate.errors -> deliberate.i18n"}


def test_the_import_contracts_hold() -> None:
    result = subprocess.run(
        [lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def core_modules() -> list[str]:
    modules = []
    for package in CORE:
        for path in sorted((SRC / package).rglob("*.py")):
            parts = path.relative_to(SRC.parent).with_suffix("").parts
            modules.append(".".join(p for p in parts if p != "__init__"))
    return modules


def test_importing_the_core_loads_no_textual() -> None:
    """What the static contracts cannot see: modules loaded by name at run time (the i18n
    catalogues are found with importlib), so the core is imported in a fresh interpreter."""
    modules = core_modules()
    assert len(modules) > 5
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "from deliberate.i18n import all_keys; all_keys()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'deliberate.tui')))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_screen_bases_keep_textuals_css_chain() -> None:
    """ForumNodeMixin is a DOMNode (so `self.app` is typed); Textual follows only the first
    DOMNode base for DEFAULT_CSS, so the Textual class must come first (else dialogs lose
    ModalScreen's centring and background)."""
    from textual.screen import ModalScreen, Screen

    from deliberate.tui.screens.base import ForumModal, ForumScreen
    from deliberate.tui.screens.facilitator import FacilitatorScreen
    from deliberate.tui.screens.vote import VoteScreen

    for screen, textual_base in (
        (ForumScreen, Screen),
        (FacilitatorScreen, Screen),
        (ForumModal, ModalScreen),
        (VoteScreen, ModalScreen),
    ):
        assert textual_base in screen._css_bases(screen), screen
