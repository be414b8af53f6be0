"""Set-up commands: init, import, member, proposals, show, demo."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from deliberate.cli.common import add_command, add_group, context, echo, print_json
from deliberate.domain.text import sanitize_line
from deliberate.errors import UserError
from deliberate.i18n import Translator

if TYPE_CHECKING:
    from deliberate.services import proposals

# Services are imported inside each command: listing the commands (`--help`) or running one
# loads only what that command uses (tests/test_cli_lazy.py).

member_app = typer.Typer(help="Manage members and their SSH keys.", no_args_is_help=True)
key_app = typer.Typer(help="Manage a member's SSH public keys.", no_args_is_help=True)


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to the current schema."""
    from deliberate.store import migrate

    c = context(ctx)
    db = c.database(require_schema=False)
    before, after = migrate.upgrade(db)
    key = (
        "cli.init_unchanged"
        if before == after
        else ("cli.init_created" if before is None else "cli.init_upgraded")
    )
    echo(c.t(key, where=db.where, revision=after))


_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*")
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def parse_size(text: str) -> int:
    """'2MB', '500kB', '2000000' -> bytes."""
    match = _SIZE_RE.fullmatch(text)
    if not match or float(match.group(1)) <= 0:
        raise UserError("import_bad_size", value=sanitize_line(text)[:40])
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def import_(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ..., metavar="PATH...", help="Proposal files (.md) or folders."
    ),
    max_file_size: str = typer.Option(
        "2MB",
        "--max-file-size",
        metavar="SIZE",
        help="Refuse files larger than this (e.g. 2MB, 500kB).",
    ),
) -> None:
    """Import proposal files or folders (a folder with programme.yaml, or a subfolder, is a programme)."""
    from deliberate.services import importer

    c = context(ctx)
    limits = importer.ImportLimits(max_file_bytes=parse_size(max_file_size))
    report = importer.import_paths(c.database(), paths, limits=limits)
    echo(
        c.t(
            "cli.import_done",
            created=len(report.created),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
        )
    )


def member_add(
    ctx: typer.Context,
    handle: str = typer.Argument(
        ..., help="Short unique user name: lower-case letters, digits, . _ -"
    ),
    name: str = typer.Option(..., "--name", help="Display name, e.g. 'Birgitte Østergaard'."),
    role: str = typer.Option(
        "member", "--role", metavar="member|facilitator|organizer", help="What the member may do."
    ),
    key: Path = typer.Option(
        None, "--key", metavar="PUBKEY_FILE", help="OpenSSH public key file (.pub) for SSH access."
    ),
    no_vote: bool = typer.Option(
        False, "--no-vote", help="No right to vote (e.g. a hired facilitator)."
    ),
) -> None:
    """Add a member."""
    from deliberate.services import members

    c = context(ctx)
    public_key = members.read_public_key_file(key) if key else None
    info = members.add_member(
        c.database(),
        handle,
        name,
        role=members.parse_role(role),
        key=public_key,
        can_vote=not no_vote,
    )
    echo(c.t("cli.member_added", handle=info.handle, name=info.name, role=c.t(f"role.{info.role}")))


def member_key_add(
    ctx: typer.Context,
    handle: str = typer.Argument(..., help="The member's handle."),
    key: Path = typer.Option(
        ..., "--key", metavar="PUBKEY_FILE", help="OpenSSH public key file (.pub)."
    ),
) -> None:
    """Register another SSH public key for a member."""
    from deliberate.services import members

    c = context(ctx)
    public_key = members.read_public_key_file(key)
    info = members.add_key(c.database(), handle, public_key)
    echo(c.t("cli.key_added", handle=info.handle, fingerprint=public_key.fingerprint))


def member_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List members (deactivated ones too, marked)."""
    from deliberate.services import roster

    c = context(ctx)
    found = roster.list_members(c.database())
    if as_json:
        print_json(
            [
                {
                    "handle": m.handle,
                    "name": m.name,
                    "role": str(m.role),
                    "can_vote": m.can_vote,
                    "active": m.active,
                    "keys": [k.fingerprint for k in m.keys],
                }
                for m in found
            ]
        )
        return
    if not found:
        echo(c.t("cli.no_members"))
        return
    width = max(len(m.handle) for m in found)
    for m in found:
        flags = []
        if not m.can_vote:
            flags.append(c.t("cli.flag_no_vote"))
        if not m.active:
            flags.append(c.t("cli.flag_inactive"))
        if m.keys:
            flags.append(c.t("cli.flag_keys", n=len(m.keys)))
        extra = f"  ({', '.join(flags)})" if flags else ""
        echo(f"{m.handle:<{width}}  {m.name}  [{c.t(f'role.{m.role}')}]{extra}")


def member_remove(
    ctx: typer.Context,
    handle: str = typer.Argument(..., help="The member's handle."),
) -> None:
    """Deactivate a member; past votes and comments stay."""
    from deliberate.services import members

    c = context(ctx)
    info = members.remove_member(c.database(), handle)
    echo(c.t("cli.member_removed", handle=info.handle))


def member_update(
    ctx: typer.Context,
    handle: str = typer.Argument(..., help="The member's handle."),
    name: str = typer.Option(None, "--name", help="New display name."),
    role: str = typer.Option(None, "--role", metavar="member|facilitator|organizer"),
    vote: bool = typer.Option(None, "--vote/--no-vote", help="Give or take the right to vote."),
) -> None:
    """Change a member's name, role or right to vote (each change is in the audit log)."""
    from deliberate.services import members

    c = context(ctx)
    info = members.update_member(c.database(), handle, name=name, role=role, can_vote=vote)
    echo(c.t("cli.member_updated", handle=info.handle, name=info.name, role=str(info.role)))


def proposals_(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    status: str = typer.Option(
        None,
        "--status",
        metavar="STATUS",
        help="Only these: draft, debate, voting (or the old word open), closed, withdrawn.",
    ),
) -> None:
    """List proposals: id, title, programme, section, status, amendments."""
    from deliberate.cli.result_text import status_text
    from deliberate.domain.status import parse_status
    from deliberate.services import listing

    c = context(ctx)
    found = listing.list_proposals(c.database())
    if status is not None:
        try:
            wanted = parse_status(status)
        except ValueError:
            raise UserError("cli.bad_status", status=sanitize_line(status)[:40]) from None
        found = [p for p in found if p.status is wanted]
    if as_json:
        print_json(
            [
                {
                    "id": p.id,
                    "title": p.title,
                    "programme": p.programme,
                    "section": p.section,
                    "status": str(p.status),
                    "outcome": p.outcome_value,
                    "amendments": p.amendment_count,
                    "comments": p.comment_count,
                }
                for p in found
            ]
        )
        return
    if not found:
        echo(c.t("cli.no_proposals"))
        return
    programme: str | None = "\0"
    for p in found:
        if p.programme != programme:
            programme = p.programme
            echo(f"\n{programme or c.t('cli.standalone')}")
        section = f"{p.section} " if p.section else ""
        amendments = c.t("cli.n_amendments", n=p.amendment_count) if p.amendment_count else ""
        echo(
            f"  {section}{p.title}  [{p.id}] · {status_text(c.t, p)}"
            + (f" · {amendments}" if amendments else "")
        )


def show(
    ctx: typer.Context,
    proposal: str = typer.Argument(
        ..., metavar="PROPOSAL", help="Proposal id (see 'deliberate proposals')."
    ),
    adopted: bool = typer.Option(
        False, "--adopted", help="The adopted text: the text with the carried amendments."
    ),
    diff: bool = typer.Option(
        False, "--diff", help="The adopted text with its changes marked [-deleted-]{+inserted+}."
    ),
    paragraphs: bool = typer.Option(
        False, "--paragraphs", help="Number the paragraphs (as 'amend --paragraph N' names them)."
    ),
) -> None:
    """Show a proposal: text, amendments, status."""
    from deliberate.services import proposals

    c = context(ctx)
    if adopted or diff:
        from deliberate.cli.adopted_text import render_adopted, use_colour
        from deliberate.services.adopted import adopted_text

        if adopted and diff:
            raise UserError("adopted.show_conflict")
        found = adopted_text(c.database(), proposal, c.lang)
        echo(render_adopted(c.t, found, diff=diff, colour=diff and use_colour()))
        return
    echo(
        render_proposal(c.t, proposals.get_proposal(c.database(), proposal), paragraphs=paragraphs)
    )


def render_proposal(t: Translator, p: proposals.ProposalDetail, *, paragraphs: bool = False) -> str:
    from deliberate.domain.paragraphs import render_git_words, split_paragraphs, word_diff

    lines = []
    heading = f"{p.section} {p.title}" if p.section else p.title
    lines.append(heading)
    lines.append("=" * min(len(heading), 78))
    meta = [f"id: {p.id}", t(f"status.{p.status}")]
    if p.programme:
        meta.insert(0, p.programme)
    if p.authors:
        meta.append(", ".join(p.authors))
    lines.append(" · ".join(meta))
    if p.phase is not None:
        lines.extend(_phase_lines(t, p.phase))
    lines.append("")
    numbered = split_paragraphs(p.body)
    if paragraphs:
        for para in numbered:
            lines.append(f"[{para.number}]")
            lines.append(para.text)
            lines.append("")
    else:
        lines.append(p.body.strip())
    by_number = {para.number: para.text for para in numbered}
    if p.amendments:
        lines.append("")
        lines.append(t("cli.amendments_heading"))
        for a in p.amendments:
            lines.append("")
            tags = []
            if a.kind == "paragraph" and a.operation is not None:
                tags.append(f"{t(f'phases.op.{a.operation.value}')} {a.paragraph}")
            if a.state != "proposed":
                tags.append(t(f"phases.state.{a.state.value}"))
            if a.alternative_group is not None:
                tags.append(t("phases.cli.alternatives", group=a.alternative_group))
            if a.author:
                tags.append(a.author)
            suffix = f"  ({'; '.join(tags)})" if tags else ""
            lines.append(f"{a.number}. {a.title}{suffix}")
            text = a.body
            if a.kind == "paragraph" and a.state == "proposed" and a.paragraph is not None:
                old = by_number.get(a.paragraph, "")
                if a.operation is not None and a.operation.value == "replace":
                    text = render_git_words(word_diff(old, a.new_text))
                elif a.operation is not None and a.operation.value == "delete":
                    text = render_git_words(word_diff(old, ""))
                else:
                    text = "{+" + a.new_text + "+}"
            elif a.kind == "paragraph":
                text = a.new_text
            if text.strip():
                lines.extend("   " + ln if ln else "" for ln in text.strip().splitlines())
            if a.justification.strip():
                lines.extend(
                    "   " + ln if ln else "" for ln in a.justification.strip().splitlines()
                )
    lines.append("")
    lines.append(t("cli.content_hash", hash=p.content_hash))
    return "\n".join(lines)


def _phase_lines(t: Translator, phase: proposals.Phase) -> list[str]:
    out = []
    if phase.submitted_by:
        out.append(f"{t('phases.cli.submitted_by')}: {phase.submitted_by}")
    if phase.supporters or phase.submitted_by:
        out.append(f"{t('phases.cli.supporters')}: {', '.join(phase.supporters) or '-'}")
    for key, moment in (
        ("debate_from", phase.debate_from),
        ("debate_until", phase.amendments_close_at),
        ("opens_at", phase.opens_at),
    ):
        if moment is not None:
            out.append(f"{t(f'phases.cli.{key}')}: {t.moment(moment)}")
    return out


def demo(
    ctx: typer.Context,
    as_handle: str = typer.Option("demo", "--as", metavar="HANDLE", help="Demo member to act as."),
    print_only: bool = typer.Option(
        False, "--print", help="Print the demo forum instead of opening the TUI."
    ),
) -> None:
    """Build a fresh demo forum (its own database, never the real one) and open it in the TUI."""
    from deliberate.services import demo as demo_service
    from deliberate.services import proposals

    c = context(ctx)
    db = demo_service.build_demo()
    echo(c.t("cli.demo_built", where=db.where))
    launch = _tui_launcher()
    if print_only or launch is None:
        for p in proposals.list_proposals(db):
            section = f"{p.section} " if p.section else ""
            echo(f"  {section}{p.title}  [{p.id}] · {c.t(f'status.{p.status}')}")
        db.dispose()
        return
    db.dispose()
    launch(db_url=db.url, handle=as_handle, lang=c.lang)


def _tui_launcher() -> Callable[..., int] | None:
    try:
        from deliberate.tui.launch import run_tui
    except ImportError:
        return None
    return run_tui


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("proposals")(proposals_)
    app.command("show")(show)
    app.command("demo")(demo)
    add_command(member_app, "add", member_add)
    add_command(member_app, "list", member_list)
    add_command(member_app, "remove", member_remove)
    add_command(member_app, "update", member_update)
    add_command(member_app, "key-add", member_key_add)
    add_command(key_app, "add", member_key_add)
    add_group(member_app, key_app, "key")
    app.add_typer(member_app, name="member")
