"""The lazy command registry says what the `cmd_*` modules register, and start-up stays lean.

`deliberate --help` lists commands from `deliberate.cli.COMMANDS` without importing the modules
that define them; these tests keep that registry identical to the real commands (names,
modules, help, the whole tree of sub-commands and options) and pin what start-up imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import typer
from typer.testing import CliRunner

from deliberate import cli
from deliberate.cli.lazy import command_modules, commands_of, scratch_app

PACKAGE = "deliberate.cli"

# What a command that needs no database, no SSH server and no TUI must not import.
HEAVY = ("sqlalchemy.orm", "alembic", "asyncssh", "textual")


def _tree(cmd: Any) -> dict[str, Any]:
    """A click command as plain data: help, parameters, sub-commands (recursively)."""
    return {
        "help": cmd.help,
        "short": cmd.get_short_help_str(10**6),
        "hidden": cmd.hidden,
        "params": [(p.name, p.opts, p.secondary_opts, p.required) for p in cmd.params],
        "commands": {n: _tree(c) for n, c in sorted(getattr(cmd, "commands", {}).items())},
    }


def _eager_app() -> typer.Typer:
    """Every module registering into one app, as the CLI did before it was lazy."""
    app = scratch_app()
    for module in command_modules(PACKAGE):
        __import__(f"{PACKAGE}.{module}", fromlist=["register"]).register(app)
    return app


def test_the_registry_names_every_command_with_its_module_and_help() -> None:
    found: dict[str, tuple[set[str], str]] = {}
    for module in command_modules(PACKAGE):
        for name, cmd in commands_of(PACKAGE, module).items():
            modules, _ = found.setdefault(name, (set(), cmd.get_short_help_str(10**6)))
            modules.add(module)
    registry = {name: (set(entry.modules), entry.help) for name, entry in cli.COMMANDS.items()}
    assert registry == found


def test_lazy_commands_are_the_same_tree_as_eager_ones() -> None:
    eager = typer.main.get_group(_eager_app())
    for name in cli.COMMANDS:
        lazy = typer.main.get_group(cli.app)  # a fresh group: nothing imported yet
        cmd = lazy.get_command(typer.Context(lazy), name)
        assert cmd is not None, name
        assert _tree(cmd) == _tree(eager.commands[name]), name


def test_help_lists_the_same_commands_as_before() -> None:
    runner = CliRunner()
    lazy = runner.invoke(cli.app, ["--help"], prog_name="deliberate", terminal_width=100)
    eager_app = _eager_app()
    eager_app.info.help = cli.app.info.help
    eager = runner.invoke(eager_app, ["--help"], prog_name="deliberate", terminal_width=100)
    assert lazy.exit_code == 0, lazy.output

    def commands(text: str) -> list[str]:
        return text.split("Commands:", 1)[1].splitlines()

    assert sorted(commands(lazy.output)) == sorted(commands(eager.output))


def _imports_of(argv: list[str], env: dict[str, str] | None = None) -> list[str]:
    code = (
        "import json, sys\n"
        "from deliberate.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    marker = done.stderr.rindex("MODULES ")
    return list(json.loads(done.stderr[marker + len("MODULES ") :]))


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_help_imports_no_database_layer_ssh_or_tui() -> None:
    modules = _imports_of(["--help"])
    assert _heavy(modules) == []
    assert [m for m in modules if m.startswith(("sqlalchemy", "deliberate.store"))] == []
    assert [m for m in modules if m.startswith("deliberate.cli.cmd_")] == []


def test_a_sub_command_help_imports_only_its_own_module() -> None:
    modules = _imports_of(["member", "--help"])
    assert [m for m in modules if m.startswith("deliberate.cli.cmd_")] == [
        "deliberate.cli.cmd_setup"
    ]
    assert _heavy(modules) == []
