"""A command group that imports a `cmd_*` module only when one of its commands runs.

`deliberate --help` lists every command from a small static registry (name, module, one-line
help), so it imports neither the database layer nor Textual. `tests/test_cli_lazy.py` checks
that the registry says exactly what the modules themselves register. A `cmd_*` module that
the registry does not name still works: it is imported before any command is looked up (slower
start-up, never a missing command), and the test fails until the registry names it. A module
that adds to another module's group (`cmd_invites` adds `member invite`) is listed under that
group's entry; the modules of entries that share one are registered together.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter


class Entry:
    """One top-level command: the modules that register it and its one-line help."""

    __slots__ = ("help", "modules")

    def __init__(self, modules: str | tuple[str, ...], help: str) -> None:
        self.modules = (modules,) if isinstance(modules, str) else modules
        self.help = help


def scratch_app() -> typer.Typer:
    """A Typer with the settings of the root app, for a module to register into."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def _group() -> None:  # a callback keeps a one-command app a group
        """Scratch group."""

    return app


def command_modules(package: str) -> list[str]:
    """The `cmd_*` modules of the package, by name (a directory listing, no import)."""
    pkg = importlib.import_module(package)
    return sorted(i.name for i in pkgutil.iter_modules(pkg.__path__) if i.name.startswith("cmd_"))


class LazyGroup(TyperGroup):
    """Lists commands from `registry`; imports their module on first use."""

    package: ClassVar[str] = "deliberate.cli"
    registry: ClassVar[Mapping[str, Entry]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._loaded: set[str] = set()
        self._unlisted_loaded = False

    def _cluster(self, modules: tuple[str, ...]) -> list[str]:
        """The modules to load together: those whose commands share a group (e.g. `member`)."""
        found = set(modules)
        grew = True
        while grew:
            grew = False
            for entry in self.registry.values():
                if found.intersection(entry.modules) and not found.issuperset(entry.modules):
                    found.update(entry.modules)
                    grew = True
        return sorted(found)

    def _load(self, modules: tuple[str, ...]) -> None:
        """Register the modules' commands, all into one app so shared groups are whole."""
        todo = [m for m in self._cluster(modules) if m not in self._loaded]
        if not todo:
            return
        self._loaded.update(todo)
        app = scratch_app()
        for module in todo:
            importlib.import_module(f"{self.package}.{module}").register(app)
        for name, cmd in typer.main.get_group(app).commands.items():
            self.commands.setdefault(name, cmd)

    def _load_unlisted(self) -> None:
        if self._unlisted_loaded:
            return
        self._unlisted_loaded = True
        listed = {m for entry in self.registry.values() for m in entry.modules}
        unlisted = tuple(m for m in command_modules(self.package) if m not in listed)
        if unlisted:
            self._load(unlisted)

    def list_commands(self, ctx: Context) -> list[str]:
        self._load_unlisted()
        names = list(self.registry)
        return names + [n for n in self.commands if n not in self.registry]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        self._load_unlisted()
        entry = self.registry.get(cmd_name)
        if entry is not None:
            self._load(entry.modules)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """As click does, but the help of a command not yet imported comes from the registry."""
        from typer._click.utils import make_default_short_help

        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            entry = self.registry.get(name)
            if entry is not None and name not in self.commands:
                rows.append((name, make_default_short_help(entry.help, limit)))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        from typer._click.exceptions import UsageError

        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as e:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                e.message = f"{e.message.rstrip('.')}. Did you mean {suggestions}?"
            raise
