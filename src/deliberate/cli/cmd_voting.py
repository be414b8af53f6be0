"""Voting commands: open, close, extend, vote, comment, comments, tally, verify."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer

from deliberate.cli.common import AS_OPTION, context, echo, print_json
from deliberate.cli.context import acting_handle
from deliberate.cli.result_text import outcome_text
from deliberate.domain.ballot import Choice, parse_amendment_vote, parse_choice
from deliberate.domain.rules import DEFAULT_RULES
from deliberate.domain.status import ProposalStatus
from deliberate.domain.text import sanitize, sanitize_line
from deliberate.errors import Message, UserError, os_reason
from deliberate.i18n import Translator
from deliberate.services import audit, comments, voting

PROPOSAL_ARG = typer.Argument(
    ..., metavar="PROPOSAL", help="Proposal id (see 'deliberate proposals')."
)
CLOSES_AT_HELP = (
    "Deadline, ISO 8601, e.g. 2026-11-30T18:00 (local time) or 2026-11-30T17:00Z; "
    "votes after it are refused and the vote closes."
)


def parse_deadline(text: str) -> dt.datetime:
    """ISO 8601 with or without a zone (no zone: local time), as aware UTC."""
    raw = text.strip()
    try:
        moment = dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise UserError("voting.cli.bad_time", value=sanitize_line(text)) from None
    return moment.astimezone(dt.UTC)  # naive = local time


def open_(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    rules: str = typer.Option(
        DEFAULT_RULES,
        "--rules",
        metavar="NAME|FILE",
        help="Rule set: pofo (default), majority, two-thirds, consensus, modified-consensus, or a .toml file.",
    ),
    closes_at: str = typer.Option(None, "--closes-at", metavar="ISO8601", help=CLOSES_AT_HELP),
    secret: bool = typer.Option(
        False, "--secret", help="A secret ballot: who voted is recorded, not what."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Open voting on a proposal (facilitator or organizer)."""
    c = context(ctx)
    deadline = parse_deadline(closes_at) if closes_at else None
    result = voting.open_voting(
        c.database(),
        acting_handle(as_handle),
        proposal,
        rules=rules,
        closes_at=deadline,
        secret=secret,
    )
    echo(
        c.t(
            "voting.cli.opened",
            proposal=result.proposal_id,
            rules=result.rules.name if result.rules else "?",
        )
    )
    if result.closes_at:
        echo(c.t("voting.cli.deadline", closes_at=_local(c.t, result.closes_at)))
    if result.secret:
        echo(c.t("assembly.secret_final"))


def close(ctx: typer.Context, proposal: str = PROPOSAL_ARG, as_handle: str = AS_OPTION) -> None:
    """Close voting on a proposal and freeze the result (facilitator or organizer)."""
    c = context(ctx)
    result = voting.close_voting(c.database(), acting_handle(as_handle), proposal)
    echo(c.t("voting.cli.closed", proposal=result.proposal_id))
    echo(render_tally(c.t, result))
    echo(c.t("voting.cli.witness_hint", command=audit.verify_command(audit.head(c.database())[1])))


def extend(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    closes_at: str = typer.Option(None, "--closes-at", metavar="ISO8601", help=CLOSES_AT_HELP),
    no_deadline: bool = typer.Option(False, "--no-deadline", help="Remove the deadline instead."),
    as_handle: str = AS_OPTION,
) -> None:
    """Move the deadline of an open vote (facilitator or organizer)."""
    c = context(ctx)
    if bool(closes_at) == no_deadline:
        raise UserError("voting.cli.extend_needs_one")
    deadline = parse_deadline(closes_at) if closes_at else None
    result = voting.extend_deadline(c.database(), acting_handle(as_handle), proposal, deadline)
    if result.closes_at:
        echo(c.t("voting.cli.deadline", closes_at=_local(c.t, result.closes_at)))
    else:
        echo(c.t("voting.cli.no_deadline", proposal=result.proposal_id))


def vote(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    choice: str = typer.Argument(
        ...,
        metavar="CHOICE",
        help="ja, betinget-ja, udskyd, nej or bloker (or yes, conditional-yes, postpone, no, block).",
    ),
    amendment: list[int] = typer.Option(
        None,
        "--amendment",
        metavar="N",
        help="With betinget-ja: an amendment you support (repeat for more).",
    ),
    amendment_vote: list[str] = typer.Option(
        None,
        "--amendment-vote",
        metavar="N=ANSWER",
        help="Where each amendment has its own vote: N=ja, N=nej or N=undlad (repeat for more).",
    ),
    reason: str = typer.Option(
        "", "--reason", metavar="TEXT", help="Your reason (required with bloker)."
    ),
    for_member: str = typer.Option(
        None,
        "--for",
        metavar="HANDLE",
        help="Vote for this member, whose proxy (fuldmagt) you hold at the meeting.",
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Cast or change your vote (a secret ballot is final); prints your receipt or tracker
    code."""
    c = context(ctx)
    parsed = parse_choice(choice)
    receipt = voting.cast_vote(
        c.database(),
        acting_handle(as_handle),
        proposal,
        parsed,
        amendments=amendment or (),
        reason=reason,
        for_member=for_member,
        amendment_votes=[parse_amendment_vote(v) for v in amendment_vote or ()],
    )
    if receipt.cast_for:
        echo(c.t("assembly.cli.cast_for", principal=receipt.cast_for))
    if receipt.secret:
        echo(c.t("assembly.cli.secret_cast", proposal=receipt.proposal_id))
        _echo_answers(c.t, receipt)
        echo(c.t("assembly.tracker", tracker=receipt.receipt))
        return
    key = "voting.cli.vote_changed" if receipt.changed else "voting.cli.vote_cast"
    echo(
        c.t(
            key,
            choice=_choice_text(c.t, receipt.choice, receipt.amendments),
            proposal=receipt.proposal_id,
            version=receipt.version,
        )
    )
    _echo_answers(c.t, receipt)
    echo(c.t("voting.cli.receipt", receipt=receipt.receipt))


def _echo_answers(t: Translator, receipt: voting.VoteReceipt) -> None:
    """The separate amendment answers the vote gave, one line each."""
    for number, answer in receipt.answers:
        echo(
            "  "
            + t(
                "voting.cli.amendment_answer",
                number=number,
                answer=t(f"answer.{answer.value}"),
            )
        )


def comment(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    text: str = typer.Argument(..., metavar="TEXT", help="The comment."),
    amendment: int = typer.Option(None, "--amendment", metavar="N", help="Comment on amendment N."),
    reply_to: int = typer.Option(
        None, "--reply-to", metavar="COMMENT_ID", help="Reply to this comment."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Comment on a proposal or one of its amendments, or reply to a comment."""
    c = context(ctx)
    info = comments.add_comment(
        c.database(),
        acting_handle(as_handle),
        proposal,
        text,
        amendment=amendment,
        reply_to=reply_to,
    )
    echo(c.t("voting.cli.comment_added", id=info.id, proposal=info.proposal_id))


def comment_edit(
    ctx: typer.Context,
    comment_id: int = typer.Argument(..., metavar="COMMENT_ID", help="Your comment's number."),
    text: str = typer.Argument(..., metavar="TEXT", help="The new text."),
    as_handle: str = AS_OPTION,
) -> None:
    """Change the text of your own comment."""
    c = context(ctx)
    info = comments.edit_comment(c.database(), acting_handle(as_handle), comment_id, text)
    echo(c.t("voting.cli.comment_edited", id=info.id))


def comment_delete(
    ctx: typer.Context,
    comment_id: int = typer.Argument(..., metavar="COMMENT_ID", help="The comment's number."),
    as_handle: str = AS_OPTION,
) -> None:
    """Delete your own comment (organizers: any comment); replies stay."""
    c = context(ctx)
    info = comments.delete_comment(c.database(), acting_handle(as_handle), comment_id)
    echo(c.t("voting.cli.comment_deleted", id=info.id))


def comments_(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    amendment: int = typer.Option(
        None, "--amendment", metavar="N", help="Only the thread on amendment N."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """List a proposal's comment threads."""
    c = context(ctx)
    found = comments.list_comments(
        c.database(), proposal, amendment=amendment if amendment is not None else ...
    )
    if as_json:
        print_json(
            [
                {
                    "id": x.id,
                    "amendment": x.amendment_number,
                    "reply_to": x.parent_id,
                    "author": x.author_handle,
                    "name": x.author_name,
                    "body": x.body,
                    "created_at": x.created_at.isoformat(),
                    "edited_at": x.edited_at.isoformat() if x.edited_at else None,
                    "deleted": x.deleted,
                    "depth": x.depth,
                }
                for x in found
            ]
        )
        return
    if not found:
        echo(c.t("voting.cli.no_comments"))
        return
    for x in found:
        pad = "    " * x.depth
        tags = [_local(c.t, x.created_at)]
        if x.amendment_number is not None and x.depth == 0:
            tags.append(c.t("voting.cli.on_amendment", number=x.amendment_number))
        if x.edited_at:
            tags.append(c.t("voting.cli.edited"))
        echo(
            f"{pad}#{x.id} {sanitize_line(x.author_name)} ({x.author_handle}) · " + " · ".join(tags)
        )
        body = c.t("voting.cli.deleted") if x.deleted else sanitize(x.body)
        for line in body.splitlines() or [""]:
            echo(f"{pad}    {line}")


def tally(
    ctx: typer.Context,
    proposal: str = PROPOSAL_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (DESIGN §7)."),
) -> None:
    """Show a proposal's votes: live counts while open, the frozen result once closed."""
    c = context(ctx)
    result = voting.tally(c.database(), proposal)
    if as_json:
        print_json(result.as_json(c.lang))
    else:
        echo(render_tally(c.t, result))


def verify(
    ctx: typer.Context,
    witness: list[str] = typer.Option(
        None,
        "--witness",
        metavar="HEAD_HASH",
        help="A published head hash (from minutes, a report or an export) that the chain must "
        "still contain; repeat for several. Catches a rolled-back or rewritten log.",
    ),
    witness_file: Path = typer.Option(
        None,
        "--witness-file",
        metavar="FILE",
        help="A file of published head hashes, one per line ('#' starts a comment).",
    ),
) -> None:
    """Check the audit chain and replay it against votes, tallies, comments, members and texts."""
    c = context(ctx)
    witnesses = [*(witness or ()), *(_read_witnesses(witness_file) if witness_file else ())]
    for w in witnesses:
        if not _HEX64.fullmatch(w.strip().lower()):
            raise UserError("voting.cli.bad_witness", witness=sanitize_line(w)[:80])
    report = audit.verify(c.database(), lang=c.lang, witnesses=tuple(witnesses))
    if report.ok and report.empty_log:
        proposals, members = report.empty_log
        echo(c.t("audit.problem.empty_log", proposals=proposals, members=members))
        echo(c.t("voting.cli.verify_failed", n=1, entries=0))
        raise typer.Exit(1)
    if report.ok and report.entries == 0:
        echo(c.t("voting.cli.verify_empty"))
        return
    if report.ok:
        echo(c.t("voting.cli.verify_ok", entries=report.entries, hash=report.head_hash))
        for w, seq in report.witnesses.items():
            echo(c.t("voting.cli.witness_found", witness=w, seq=seq))
        return
    for problem in report.problems:
        echo(problem)
    echo(c.t("voting.cli.verify_failed", n=len(report.problems), entries=report.entries))
    raise typer.Exit(1)


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _read_witnesses(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else Message("os.not_utf8")
        raise UserError(
            "voting.cli.witness_file", path=sanitize_line(str(path)), reason=reason
        ) from None
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


# ---------------------------------------------------------------------------------- rendering


def render_tally(t: Translator, result: voting.TallyResult) -> str:
    lines = [f"{sanitize_line(result.title)}  [{result.proposal_id}]"]
    meta = [t(f"status.{result.status}")]
    if result.secret:
        meta.append(t("assembly.secret"))
    if result.hand_count:
        meta.append(t("assembly.hand_count"))
    if result.rules:
        meta.append(t("voting.cli.rules", rules=result.rules.name))
    if result.status is ProposalStatus.VOTING and result.closes_at:
        meta.append(t("voting.cli.closes", closes_at=_local(t, result.closes_at)))
    if result.closed_at:
        meta.append(t("voting.cli.closed_at", closed_at=_local(t, result.closed_at)))
    lines.append(" · ".join(meta))
    if result.counts_hidden:
        lines.append(
            t("voting.cli.cast", cast=t.number(result.cast), eligible=t.number(result.eligible))
        )
    elif result.status is not ProposalStatus.DRAFT:
        width = max(len(t(f"choice.{c.value}")) for c in Choice)
        counts = result.counts.as_dict()
        for choice in Choice:
            line = f"  {t(f'choice.{choice.value}'):<{width}}  {t.number(counts[choice.value]):>6}"
            if choice is Choice.BETINGET_JA and result.counts.amendment_support:
                support = ", ".join(
                    f"{k}: {t.number(n)}" for k, n in result.counts.amendment_support.items()
                )
                line += "   " + t("voting.cli.support", support=support)
            lines.append(line)
        for k, v in result.counts.amendment_votes.items():
            lines.append(
                "  "
                + t(
                    "adopted.amendment_votes_line",
                    number=t.number(k),
                    ja=t.number(v.ja),
                    nej=t.number(v.nej),
                    undlad=t.number(v.undlad),
                )
            )
        lines.append(
            t("voting.cli.cast", cast=t.number(result.cast), eligible=t.number(result.eligible))
        )
        if result.present is not None:
            lines.append(t("assembly.present", n=t.number(result.present)))
        if result.status is ProposalStatus.CLOSED:
            lines.append(t("voting.cli.outcome", outcome=outcome_text(t, result)))
    lines.append(result.explanation(t.lang))
    lines += ["  " + line for line in result.amendment_explanations(t.lang)]
    if result.adopted_sha256:
        lines.append(f"{t('adopted.hash')}: {result.adopted_sha256}")
    return "\n".join(lines)


def _choice_text(t: Translator, choice: Choice, amendments: tuple[int, ...]) -> str:
    label = t(f"choice.{choice.value}")
    if amendments:
        return f"{label} ({t('voting.cli.amendments', numbers=', '.join(map(str, amendments)))})"
    return label


def _local(t: Translator, moment: dt.datetime) -> str:
    """In the local time zone, the language's short format."""
    return t.moment(moment)


def register(app: typer.Typer) -> None:
    app.command("open")(open_)
    app.command("close")(close)
    app.command("extend")(extend)
    app.command("vote")(vote)
    app.command("comment")(comment)
    app.command("comment-edit")(comment_edit)
    app.command("comment-delete")(comment_delete)
    app.command("comments")(comments_)
    app.command("tally")(tally)
    app.command("verify")(verify)
