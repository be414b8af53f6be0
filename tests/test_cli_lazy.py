"""The lazy command registry says what the `cmd_*` modules register, and start-up stays lean.

`deliberate --help` lists commands from `deliberate.cli.root.COMMANDS` without importing the modules
that define them; these tests keep that registry identical to the real commands (names,
modules, help, the whole tree of sub-commands and options) and pin what start-up imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from deliberate.cli import root as cli
from deliberate.cli.lazy import LazyGroup, command_modules
from deliberate.services.demo import sample_proposals_dir
from deliberate.store.engine import Database
from support.cli import run, ssh_key

PACKAGE = "deliberate.cli"

# What a command that needs no database, no SSH server and no TUI must not import.
HEAVY = ("sqlalchemy.orm", "alembic", "asyncssh", "textual")


# Run in a fresh interpreter: registering mutates module-level groups (`member_app`), so one
# process cannot show both what lazy loading yields and what eager loading yields.
_TREES = """
import importlib, json, sys
import typer
from deliberate.cli import root as cli
from deliberate.cli.lazy import command_modules, scratch_app

def tree(cmd):
    return {
        "help": cmd.help,
        "short": cmd.get_short_help_str(10**6),
        "hidden": cmd.hidden,
        "params": [[p.name, p.opts, p.secondary_opts, p.required] for p in cmd.params],
        "commands": {n: tree(c) for n, c in sorted(getattr(cmd, "commands", {}).items())},
    }

mode, names = sys.argv[1], sys.argv[2:]
if mode == "eager":  # every module registering into one app, as before the CLI was lazy
    app = scratch_app()
    for module in command_modules("deliberate.cli"):
        importlib.import_module("deliberate.cli." + module).register(app)
    group = typer.main.get_group(app)
    print(json.dumps({n: tree(c) for n, c in group.commands.items()}))
else:
    group = typer.main.get_group(cli.app)
    group._unlisted_loaded = True  # what the registry alone loads
    ctx = typer.Context(group)
    out = {n: tree(group.get_command(ctx, n)) for n in names}
    loaded = sorted(m[len("deliberate.cli."):] for m in sys.modules if m.startswith("deliberate.cli.cmd_"))
    print(json.dumps({"trees": out, "loaded": loaded}))
"""


def _trees(*args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", _TREES, *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_command_module_is_in_the_registry() -> None:
    listed = {m for entry in cli.COMMANDS.values() for m in entry.modules}
    assert listed == set(command_modules(PACKAGE))


def test_the_registry_names_every_command_with_its_help() -> None:
    eager = _trees("eager")
    assert list(cli.COMMANDS) == list(eager)
    assert {n: e.help for n, e in cli.COMMANDS.items()} == {n: t["short"] for n, t in eager.items()}


def test_lazy_commands_are_the_same_tree_as_eager_ones() -> None:
    """Each entry's modules, loaded alone, give exactly the commands all modules give. Names
    whose entries load the same modules share a fresh interpreter (what one of them loads is
    what each of them loads)."""
    eager = _trees("eager")
    group = typer.main.get_group(cli.app)
    assert isinstance(group, LazyGroup)
    by_cluster: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name, entry in cli.COMMANDS.items():
        by_cluster[tuple(group._cluster(entry.modules))].append(name)
    for cluster, names in by_cluster.items():
        lazy = _trees("lazy", *names)
        assert set(lazy["loaded"]) >= set(cluster), names
        for name in names:
            assert lazy["trees"][name] == eager[name], name
            assert set(cli.COMMANDS[name].modules) <= set(lazy["loaded"]), name


def test_help_lists_the_commands_without_loading_them() -> None:
    runner = CliRunner()
    result = runner.invoke(cli.app, ["--help"], prog_name="deliberate", terminal_width=100)
    assert result.exit_code == 0, result.output
    listed = [ln.split()[0] for ln in result.output.split("Commands:", 1)[1].splitlines() if ln]
    assert listed == list(cli.COMMANDS)


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


def test_a_sub_command_help_imports_only_its_own_modules() -> None:
    modules = _imports_of(["member", "--help"])
    assert [m for m in modules if m.startswith("deliberate.cli.cmd_")] == [
        "deliberate.cli.cmd_invites",
        "deliberate.cli.cmd_setup",
    ]
    assert _heavy(modules) == []


def test_member_list_imports_no_orm(tmp_path: Path) -> None:
    db = tmp_path / "forum.db"
    env = {**os.environ, "DELIBERATE_DB": str(db), "DELIBERATE_HOME": str(tmp_path)}
    main_in_process(["init"], env)
    modules = _imports_of(["member", "list"], env)
    assert "deliberate.services.roster" in modules  # it really listed members
    assert _heavy(modules) == []
    assert "deliberate.store.models" not in modules


def test_proposals_imports_no_orm(tmp_path: Path) -> None:
    """The list, with a closed vote's frozen outcome, reads on Core (services/listing.py)."""
    env = {
        **os.environ,
        "DELIBERATE_DB": str(tmp_path / "forum.db"),
        "DELIBERATE_HOME": str(tmp_path),
    }
    main_in_process(["init"], env)
    main_in_process(["import", str(Path(__file__).resolve().parents[1] / "proposals")], env)
    main_in_process(["member", "add", "ole", "--name", "Ole", "--role", "facilitator"], env)
    for argv in (["open", "egf-1"], ["vote", "egf-1", "ja"], ["close", "egf-1"]):
        main_in_process([*argv, "--as", "ole"], env)
    for argv in (["proposals"], ["proposals", "--json"]):
        modules = _imports_of(argv, env)
        assert "deliberate.services.listing" in modules  # it really listed proposals
        assert _heavy(modules) == [], argv
        assert "deliberate.store.models" not in modules, argv


def test_the_ballots_csv_imports_no_orm(tmp_path: Path) -> None:
    """Streaming ballots needs Core only: not the ORM, the models or the tally code."""
    db = tmp_path / "forum.db"
    env = {**os.environ, "DELIBERATE_DB": str(db), "DELIBERATE_HOME": str(tmp_path)}
    main_in_process(["init"], env)
    out = tmp_path / "ballots.csv"
    argv = ["export", "--format", "csv", "--table", "ballots", "--out", str(out)]
    modules = _imports_of(argv, env)
    assert out.read_text("utf-8").startswith("proposal,member,choice")  # it really exported
    assert _heavy(modules) == []
    assert "deliberate.store.models" not in modules
    assert "deliberate.services.voting" not in modules


def main_in_process(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"from deliberate.cli import main; main({argv!r})"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_the_core_tables_name_model_columns_with_their_types() -> None:
    from deliberate.store import tables
    from deliberate.store.models import Base

    for light in tables.TABLES:
        model = Base.metadata.tables[light.name]
        for col in light.columns:
            assert col.name in model.c, f"{light.name}.{col.name}"
            expected = model.c[col.name].type._type_affinity
            assert col.type._type_affinity is expected, f"{light.name}.{col.name}"


def test_the_core_member_list_equals_the_orm_one(any_db: Database, tmp_path: Path) -> None:
    from sqlalchemy import select

    from deliberate.services import members, roster
    from deliberate.store.models import Member

    key = members.read_public_key_file(ssh_key(tmp_path, "k1"))
    members.add_member(any_db, "bo", "Bo", role=members.parse_role("organizer"), key=key)
    members.add_member(any_db, "al", "Al =1", role=members.parse_role("member"), can_vote=False)
    members.add_key(any_db, "bo", members.read_public_key_file(ssh_key(tmp_path, "k2")))
    members.remove_member(any_db, "al")
    with any_db.read() as session:
        orm = [
            members.member_info(m) for m in session.scalars(select(Member).order_by(Member.handle))
        ]
        active = [m for m in orm if m.active]
    assert roster.list_members(any_db) == orm
    assert roster.list_members(any_db, include_inactive=False) == active
    assert [len(m.keys) for m in orm] == [0, 2]


_TUI = """
import json, sys
from textual.app import App

_run, _exit = App.run, App.exit
painted = []


def run(self, *args, **kwargs):  # no terminal in the test: the same app, headless
    kwargs["headless"] = True
    return _run(self, *args, **kwargs)


def exit(self, *args, **kwargs):  # called once the first screen has been painted
    painted.append(sorted(sys.modules))
    return _exit(self, *args, **kwargs)


App.run, App.exit = run, exit
from deliberate.cli import main

try:
    main(["tui", "--as", "anna", "--exit-after-first-screen"])
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nMODULES " + json.dumps(painted[0]))
sys.exit(code)
"""

# What `deliberate tui` imports before its first frame on an SQLite file: Textual, the entry
# point of the command line (not typer), and of ours only what the overview shows (issue 15).
# The schema check, the scheduler's "anything due?", the member and the overview are plain SQL.
TUI_FIRST_FRAME = {
    "deliberate.cli",
    "deliberate.cli.context",
    "deliberate.cli.fast_tui",
    "deliberate.cli.output",
    "deliberate.console",
    "deliberate.domain",
    "deliberate.domain.ballot",
    "deliberate.domain.paragraphs",
    "deliberate.domain.phases",
    "deliberate.domain.rules",
    "deliberate.domain.status",
    "deliberate.domain.text",
    "deliberate.errors",
    "deliberate.i18n",
    "deliberate.i18n.explain",
    "deliberate.services",
    "deliberate.services.database",
    "deliberate.services.due",
    "deliberate.services.first_screen",
    "deliberate.services.read_models",
    "deliberate.store",
    "deliberate.store.clock",
    "deliberate.store.engine",
    "deliberate.store.migrate",
    "deliberate.store.writer_queue",
    "deliberate.tui",
    "deliberate.tui.app",
    "deliberate.tui.bindings",
    "deliberate.tui.context",
    "deliberate.tui.forum_data",
    "deliberate.tui.interrupt",
    "deliberate.tui.launch",
    "deliberate.tui.live_hub",
    "deliberate.tui.meeting_follow",
    "deliberate.tui.messages",
    "deliberate.tui.modes",
    "deliberate.tui.render",
    "deliberate.tui.screens",
    "deliberate.tui.screens.base",
    "deliberate.tui.screens.overview",
    "deliberate.tui.stylesheet",
    "deliberate.tui.topics",
    "deliberate.tui.widgets",
    "deliberate.tui.widgets.key_footer",
    "deliberate.tui.widgets.proposal_list",
    "deliberate.tui.work",
}


def test_the_tui_paints_its_first_screen_without_sqlalchemy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DELIBERATE_DB": str(tmp_path / "forum.db"),
        "DELIBERATE_HOME": str(tmp_path),
    }
    main_in_process(["init"], env)
    main_in_process(["member", "add", "anna", "--name", "Anna"], env)
    main_in_process(["import", str(sample_proposals_dir())], env)
    done = subprocess.run(
        [sys.executable, "-c", _TUI], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stderr[done.stderr.rindex("MODULES ") + len("MODULES ") :])
    assert "deliberate.tui.screens.overview" in modules  # the overview really was painted
    heavy = ("sqlalchemy", "alembic", "asyncssh", "pydantic", "markdown_it", "typer", "click")
    assert [m for m in modules if m.split(".")[0] in heavy] == []
    ours = {m for m in modules if m.startswith("deliberate.") and ".i18n.catalogue_" not in m}
    assert ours == TUI_FIRST_FRAME


def test_invocations_in_one_process_do_not_grow_the_command_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each invocation registers its commands again; a module-level group (member, member
    key, ssh) must not gain a copy each time, or every later invocation gets slower (the
    suite's in-process CLI tests slowed from 2 s to 40 s per set-up that way)."""
    from deliberate.cli.cmd_setup import key_app, member_app
    from deliberate.cli.cmd_ssh import ssh_app

    db = str(tmp_path / "forum.db")
    run(capsys, "--db", db, "member", "list")
    run(capsys, "--db", db, "ssh", "--help")
    sizes = [
        (len(g.registered_commands), len(g.registered_groups))
        for g in (member_app, key_app, ssh_app)
    ]
    for _ in range(3):
        run(capsys, "--db", db, "member", "list")
        run(capsys, "--db", db, "member", "key", "--help")
        run(capsys, "--db", db, "ssh", "--help")
    assert [
        (len(g.registered_commands), len(g.registered_groups))
        for g in (member_app, key_app, ssh_app)
    ] == sizes
    assert [c.name for c in member_app.registered_commands].count("add") == 1


FAST_TUI = [
    ["tui"],
    ["tui", "--as", "anna"],
    ["--db", "x.db", "tui", "--as=anna", "--no-mouse"],
    ["--lang", "en", "--db=x.db", "tui", "--projector"],
    ["--lang=da", "tui", "--exit-after-first-screen", "--as", "bo", "--no-mouse"],
]
NOT_FAST = [
    ["tui", "--help"],
    ["tui", "-h"],
    ["--help", "tui"],
    ["tui", "--as"],
    ["tui", "--as", "--no-mouse"],
    ["tui", "--bogus"],
    ["tui", "--no-mouse", "--no-mouse"],
    ["tui", "--as", "a", "--as", "b"],
    ["tui", "--", "x"],
    ["tui", "tui"],
    ["--db", "x.db"],
    ["demo"],
    ["--db", "x.db", "member", "list"],
    ["--db", "x.db", "tui", "--db", "y.db"],
]


@pytest.mark.parametrize("with_env", [False, True])
def test_the_fast_tui_command_line_reads_what_typer_reads(
    with_env: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`deliberate tui` skips typer's option processing (cli/fast_tui.py): for each plain
    command line it must call the app exactly as the typer command does; any other goes to
    typer."""
    from deliberate.cli import fast_tui

    for name in ("DELIBERATE_DB", "DELIBERATE_LANG"):
        monkeypatch.delenv(name, raising=False)
    if with_env:
        monkeypatch.setenv("DELIBERATE_DB", "env.db")
        monkeypatch.setenv("DELIBERATE_LANG", "en")
    calls: list[tuple[Any, ...]] = []

    def record(c: Any, **options: Any) -> int:
        calls.append((c.db_arg, c.lang, options))
        return 0

    monkeypatch.setattr(fast_tui, "open_tui", record)  # both ways call it
    for argv in FAST_TUI:
        parsed = fast_tui.parse(argv)
        assert parsed is not None, argv
        assert fast_tui.run(parsed) == 0
        with pytest.raises(SystemExit) as done:
            cli.app(args=argv, prog_name="deliberate", standalone_mode=True)
        assert done.value.code == 0
        assert len(calls) == 2 and calls[0] == calls[1], argv
        calls.clear()
    for argv in NOT_FAST:
        assert fast_tui.parse(argv) is None, argv


def test_a_bad_language_on_the_fast_tui_path_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from deliberate.cli import main; main(['--lang', 'fr', 'tui'])"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DELIBERATE_HOME": str(tmp_path)},
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("deliberate: ")
