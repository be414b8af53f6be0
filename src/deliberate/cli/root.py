"""The root `deliberate` command: its options and the registry of every command (typer)."""

from __future__ import annotations

import typer

from deliberate.cli.context import CliContext
from deliberate.cli.lazy import Entry, LazyGroup
from deliberate.i18n import DEFAULT_LANGUAGE, check_language

# Every top-level command: the `cmd_*` module(s) that register it and its one-line help.
# `--help` reads this instead of importing every module; tests/test_cli_lazy.py keeps it true.
COMMANDS: dict[str, Entry] = {
    "backup": Entry(
        "cmd_backup",
        "Write a consistent copy of the forum (SQLite; votes in the WAL included) and verify it.",
    ),
    "restore": Entry(
        "cmd_backup",
        "Replace the forum with a verified backup; refuses while the forum is in use.",
    ),
    "export": Entry("cmd_export", "Export results, ballots, minutes or the complete forum."),
    "import-json": Entry(
        "cmd_export",
        "Load a complete forum export into a new, empty database, then check it (verify, results).",
    ),
    "propose": Entry(
        "cmd_phases", "Write a proposal as a member; it enters debate with enough supporters."
    ),
    "edit": Entry("cmd_phases", "Edit the title or text of your draft before you submit it."),
    "submit": Entry("cmd_phases", "Submit your draft proposal: it starts collecting supporters."),
    "support": Entry("cmd_phases", "Support a member's submitted proposal (medstiller)."),
    "withdraw": Entry(
        "cmd_phases",
        "Withdraw your proposal (draft or debate), or with --amendment your amendment.",
    ),
    "admit": Entry(
        "cmd_phases",
        "Admit a submitted proposal to debate without the required supporters (organizer).",
    ),
    "amend": Entry(
        "cmd_phases",
        "File an amendment during debate: a paragraph change or a free-text amendment.",
    ),
    "adopt": Entry(
        "cmd_phases",
        "Adopt an amendment into the text before the vote (the proposal's author or an organizer).",
    ),
    "group": Entry("cmd_phases", "Mark amendments that change the same paragraph as alternatives."),
    "ungroup": Entry("cmd_phases", "Take an amendment out of its group of alternatives."),
    "schedule": Entry(
        "cmd_phases",
        "Put a draft into debate (now or at --debate-from) and set its times (facilitator/organizer).",
    ),
    "setting": Entry("cmd_phases", "Show or set a forum setting (operator), e.g."),
    "init": Entry("cmd_setup", "Create the database, or upgrade it to the current schema."),
    "import": Entry(
        "cmd_setup",
        "Import proposal files or folders (a folder with programme.yaml, or a subfolder, is a programme).",
    ),
    "proposals": Entry(
        "cmd_setup", "List proposals: id, title, programme, section, status, amendments."
    ),
    "show": Entry("cmd_setup", "Show a proposal: text, amendments, status."),
    "demo": Entry(
        "cmd_setup",
        "Build a fresh demo forum (its own database, never the real one) and open it in the TUI.",
    ),
    "serve": Entry(
        "cmd_ssh",
        "Run the built-in SSH server: members connect with 'ssh -p PORT HOST' and their registered key.",
    ),
    "tui": Entry(
        "cmd_tui", "Open the member app: read proposals, vote and comment (keys: F1 or ? for help)."
    ),
    "open": Entry("cmd_voting", "Open voting on a proposal (facilitator or organizer)."),
    "close": Entry(
        "cmd_voting", "Close voting on a proposal and freeze the result (facilitator or organizer)."
    ),
    "extend": Entry("cmd_voting", "Move the deadline of an open vote (facilitator or organizer)."),
    "vote": Entry(
        "cmd_voting",
        "Cast or change your vote (a secret ballot is final); prints your receipt or tracker code.",
    ),
    "comment": Entry(
        "cmd_voting", "Comment on a proposal or one of its amendments, or reply to a comment."
    ),
    "comment-edit": Entry("cmd_voting", "Change the text of your own comment."),
    "comment-delete": Entry(
        "cmd_voting", "Delete your own comment (organizers: any comment); replies stay."
    ),
    "comments": Entry("cmd_voting", "List a proposal's comment threads."),
    "tally": Entry(
        "cmd_voting",
        "Show a proposal's votes: live counts while open, the frozen result once closed.",
    ),
    "verify": Entry(
        "cmd_voting",
        "Check the audit chain and replay it against votes, tallies, comments, members and texts.",
    ),
    "meeting": Entry(
        "cmd_meeting",
        "Run a meeting (møde): agenda, current item, voting per item, speakers' list.",
    ),
    "proxy": Entry("cmd_proxy", "Proxies (fuldmagt): who votes for whom at a meeting (organizer)."),
    "member": Entry(("cmd_setup", "cmd_invites"), "Manage members and their SSH keys."),
    "ssh": Entry(("cmd_ssh", "cmd_join"), "Helpers for members who connect over OpenSSH (sshd)."),
}


class _Commands(LazyGroup):
    registry = COMMANDS


app = typer.Typer(
    cls=_Commands,
    name="deliberate",
    help="Participatory voting and deliberation for political forums, in the terminal. "
    "This help is in English; messages and output follow --lang (Danish by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    db: str = typer.Option(
        None,
        "--db",
        metavar="PATH|URL",
        envvar="DELIBERATE_DB",
        help="Database file or SQLAlchemy URL (default: deliberate.db in the user data folder).",
    ),
    lang: str = typer.Option(
        DEFAULT_LANGUAGE,
        "--lang",
        metavar="da|en",
        envvar="DELIBERATE_LANG",
        help="Language of messages and output: da (Danish, default) or en (English).",
    ),
) -> None:
    ctx.obj = CliContext(db_arg=db, lang=check_language(lang))
    ctx.call_on_close(ctx.obj.close)
