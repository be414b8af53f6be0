"""Phase commands (DESIGN §7, §9): propose, edit, submit, support, withdraw, admit, amend, adopt,
group, ungroup, schedule, setting."""

from __future__ import annotations

from pathlib import Path

import typer

from deliberate.cli.cmd_voting import PROPOSAL_ARG, parse_deadline
from deliberate.cli.common import AS_OPTION, context, echo
from deliberate.cli.context import CliContext, acting_handle
from deliberate.domain.paragraphs import ParagraphOp
from deliberate.domain.text import sanitize_line
from deliberate.errors import Message, UserError, os_reason
from deliberate.services import amending, proposals, submissions

MAX_FILE_BYTES = 2_000_000  # read at most this much; the services refuse long text clearly


def read_text_file(path: Path) -> str:
    """A UTF-8 text file given on the command line ('-': standard input)."""
    import sys

    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        return data.decode("utf-8")
    except OSError as exc:
        raise UserError(
            "phases.error.read_file", file=sanitize_line(str(path)), reason=os_reason(exc)
        ) from None
    except UnicodeDecodeError:
        raise UserError(
            "phases.error.read_file", file=sanitize_line(str(path)), reason=Message("os.not_utf8")
        ) from None


def _status_word(c: CliContext, status: object) -> str:
    return str(c.t(f"status.{status}"))


def propose(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", metavar="T", help="The proposal's title."),
    file: Path = typer.Option(
        ..., "--file", metavar="BODY.md", help="The proposal's text, Markdown ('-': stdin)."
    ),
    programme: str = typer.Option(None, "--programme", metavar="P", help="Programme name."),
    section: str = typer.Option(None, "--section", metavar="S", help="Section, e.g. 1.3."),
    draft: bool = typer.Option(
        False, "--draft", help="Save as your draft; submit later with 'deliberate submit'."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Write a proposal as a member; it enters debate with enough supporters."""
    c = context(ctx)
    body = read_text_file(file)
    result = submissions.propose(
        c.database(),
        acting_handle(as_handle),
        title,
        body,
        programme=programme,
        section=section,
        submit=not draft,
    )
    echo(
        c.t(
            "phases.cli.proposed",
            proposal=result.proposal_id,
            status=_status_word(c, result.status),
        )
    )


def edit(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    title: str = typer.Option(None, "--title", metavar="T", help="The new title (default: kept)."),
    file: Path = typer.Option(
        None,
        "--file",
        metavar="BODY.md",
        help="The new text, Markdown ('-': stdin; default: kept).",
    ),
    submit: bool = typer.Option(False, "--submit", help="Submit the draft once it is saved."),
    as_handle: str = AS_OPTION,
) -> None:
    """Edit the title or text of your draft before you submit it."""
    c = context(ctx)
    db = c.database()
    if title is None or file is None:
        current = proposals.get_proposal(db, proposal)
        title = current.title if title is None else title
        body = current.body if file is None else read_text_file(file)
    else:
        body = read_text_file(file)
    result = submissions.edit_draft(
        db, acting_handle(as_handle), proposal, title, body, submit=submit
    )
    key = "phases.cli.submitted" if submit else "phases.cli.edited"
    echo(c.t(key, proposal=result.proposal_id, status=_status_word(c, result.status)))


def submit(ctx: typer.Context, proposal: str = PROPOSAL_ARG, as_handle: str = AS_OPTION) -> None:
    """Submit your draft proposal: it starts collecting supporters."""
    c = context(ctx)
    result = submissions.submit_proposal(c.database(), acting_handle(as_handle), proposal)
    echo(
        c.t(
            "phases.cli.proposed",
            proposal=result.proposal_id,
            status=_status_word(c, result.status),
        )
    )


def support(ctx: typer.Context, proposal: str = PROPOSAL_ARG, as_handle: str = AS_OPTION) -> None:
    """Support a member's submitted proposal (medstiller)."""
    c = context(ctx)
    r = submissions.support(c.database(), acting_handle(as_handle), proposal)
    echo(
        c.t(
            "phases.cli.supported",
            proposal=r.proposal_id,
            count=r.supporters,
            required=r.required,
            status=_status_word(c, r.status),
        )
    )


def withdraw(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    amendment: int = typer.Option(
        None, "--amendment", metavar="N", help="Withdraw your amendment N instead."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Withdraw your proposal (draft or debate), or with --amendment your amendment."""
    c = context(ctx)
    if amendment is not None:
        amending.withdraw_amendment(c.database(), acting_handle(as_handle), proposal, amendment)
        echo(c.t("phases.cli.amendment_withdrawn", number=amendment))
        return
    result = submissions.withdraw(c.database(), acting_handle(as_handle), proposal)
    echo(c.t("phases.cli.withdrawn", proposal=result.proposal_id))


def admit(ctx: typer.Context, proposal: str = PROPOSAL_ARG, as_handle: str = AS_OPTION) -> None:
    """Admit a submitted proposal to debate without the required supporters (organizer)."""
    c = context(ctx)
    result = submissions.admit(c.database(), acting_handle(as_handle), proposal)
    echo(c.t("phases.cli.admitted", proposal=result.proposal_id))


def amend(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    title: str = typer.Option(..., "--title", metavar="T", help="The amendment's title."),
    paragraph: int = typer.Option(
        None, "--paragraph", metavar="N", help="Paragraph N ('deliberate show P --paragraphs')."
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace the paragraph."),
    insert_after: bool = typer.Option(False, "--insert-after", help="Insert after it."),
    delete: bool = typer.Option(False, "--delete", help="Delete the paragraph."),
    file: Path = typer.Option(
        None, "--file", metavar="F", help="The new paragraph text ('-': stdin)."
    ),
    text: str = typer.Option(
        None, "--text", metavar="T", help="Free-text amendment (or the new paragraph text)."
    ),
    justification: str = typer.Option("", "--justification", metavar="J", help="Why (optional)."),
    as_handle: str = AS_OPTION,
) -> None:
    """File an amendment during debate: a paragraph change or a free-text amendment."""
    c = context(ctx)
    ops = [
        op
        for op, chosen in (
            (ParagraphOp.REPLACE, replace),
            (ParagraphOp.INSERT_AFTER, insert_after),
            (ParagraphOp.DELETE, delete),
        )
        if chosen
    ]
    if len(ops) > 1 or (paragraph is None) != (not ops):
        raise UserError("phases.error.amend_kind")
    new_text = read_text_file(file) if file is not None else ""
    op = ops[0] if ops else None
    ref = amending.file_amendment(
        c.database(),
        acting_handle(as_handle),
        proposal,
        title,
        paragraph=paragraph,
        operation=op,
        new_text=new_text if op else "",
        text=text or "",
        justification=justification,
    )
    echo(c.t("phases.cli.amended", number=ref.number, proposal=ref.proposal_id))


def adopt(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    number: int = typer.Argument(..., metavar="N", help="The amendment's number."),
    as_handle: str = AS_OPTION,
) -> None:
    """Adopt an amendment into the text before the vote (the proposal's author or an organizer)."""
    c = context(ctx)
    ref = amending.adopt_amendment(c.database(), acting_handle(as_handle), proposal, number)
    echo(c.t("phases.cli.adopted", number=ref.number, proposal=ref.proposal_id))


def group(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    numbers: list[int] = typer.Argument(..., metavar="N...", help="Two or more amendments."),
    as_handle: str = AS_OPTION,
) -> None:
    """Mark amendments that change the same paragraph as alternatives."""
    c = context(ctx)
    refs = amending.group_amendments(c.database(), acting_handle(as_handle), proposal, numbers)
    echo(
        c.t(
            "phases.cli.grouped",
            numbers=", ".join(str(r.number) for r in refs),
            group=refs[0].alternative_group,
        )
    )


def ungroup(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    number: int = typer.Argument(..., metavar="N", help="The amendment's number."),
    as_handle: str = AS_OPTION,
) -> None:
    """Take an amendment out of its group of alternatives."""
    c = context(ctx)
    amending.ungroup_amendment(c.database(), acting_handle(as_handle), proposal, number)
    echo(c.t("phases.cli.ungrouped", number=number))


def schedule(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    debate_from: str = typer.Option(
        None, "--debate-from", metavar="T", help="Debate starts (default: now), ISO 8601."
    ),
    debate_until: str = typer.Option(
        None, "--debate-until", metavar="T", help="Amendment filing ends, ISO 8601."
    ),
    opens_at: str = typer.Option(None, "--opens-at", metavar="T", help="Voting opens, ISO 8601."),
    closes_at: str = typer.Option(
        None, "--closes-at", metavar="T", help="Voting closes, ISO 8601."
    ),
    rules: str = typer.Option(
        None, "--rules", metavar="NAME|FILE", help="Rule set used when voting opens."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Put a draft into debate (now or at --debate-from) and set its times (facilitator/organizer)."""
    c = context(ctx)
    result = submissions.schedule(
        c.database(),
        acting_handle(as_handle),
        proposal,
        debate_from=parse_deadline(debate_from) if debate_from else None,
        debate_until=parse_deadline(debate_until) if debate_until else None,
        opens_at=parse_deadline(opens_at) if opens_at else None,
        closes_at=parse_deadline(closes_at) if closes_at else None,
        rules=rules,
    )
    echo(
        c.t(
            "phases.cli.scheduled",
            proposal=result.proposal_id,
            status=_status_word(c, result.status),
        )
    )


def setting(
    ctx: typer.Context,
    key: str = typer.Argument(None, metavar="KEY", help="e.g. required_supporters"),
    value: str = typer.Argument(None, metavar="VALUE", help="New value."),
) -> None:
    """Show or set a forum setting (operator), e.g. 'setting required_supporters 10'."""
    c = context(ctx)
    db = c.database()
    if key is not None and value is not None:
        submissions.set_setting(db, key, value)
    for name, current in submissions.forum_settings(db).items():
        if key is None or name == key:
            echo(c.t("phases.cli.setting", key=name, value=current))


def register(app: typer.Typer) -> None:
    app.command("propose")(propose)
    app.command("edit")(edit)
    app.command("submit")(submit)
    app.command("support")(support)
    app.command("withdraw")(withdraw)
    app.command("admit")(admit)
    app.command("amend")(amend)
    app.command("adopt")(adopt)
    app.command("group")(group)
    app.command("ungroup")(ungroup)
    app.command("schedule")(schedule)
    app.command("setting")(setting)
