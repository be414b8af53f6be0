"""`deliberate meeting …`: facilitated sessions (møder) from the command line.

The live way to run a meeting is the facilitator console in `deliberate tui`; these commands
do the same steps for scripts and for a facilitator without a full-screen terminal.
"""

from __future__ import annotations

import typer

from deliberate.cli.common import AS_OPTION, context, echo, print_json
from deliberate.cli.context import CliContext, acting_handle
from deliberate.errors import UserError
from deliberate.i18n.explain import explain
from deliberate.services import meetings

meeting_app = typer.Typer(
    help="Run a meeting (møde): agenda, current item, voting per item, speakers' list.",
    no_args_is_help=True,
)

MEETING_ARG = typer.Argument(
    ..., metavar="MEETING", help="Meeting number (see 'deliberate meeting list')."
)


def _meeting_id(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise UserError("meeting.bad_id", meeting=raw) from None
    if value < 1:
        raise UserError("meeting.bad_id", meeting=raw)
    return value


def _agenda(raw: str) -> list[str]:
    return [p.strip() for p in raw.split(",") if p.strip()]


def _item_line(c: CliContext, meeting_id: int) -> str:
    state = meetings.meeting_state(c.database(), meeting_id)
    if state.current is None:
        return ""
    return c.t("meeting.cli.item", position=state.current.position, title=state.current.title)


@meeting_app.command("create")
def create(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The meeting's title, e.g. 'Landsmøde 2027'."),
    agenda: str = typer.Option(
        "", "--agenda", metavar="P1,P2,...", help="Proposal ids in agenda order, comma-separated."
    ),
    hide_counts: bool = typer.Option(
        False, "--hide-counts", help="Hide the live counts until each vote closes."
    ),
    speaker_limit: int = typer.Option(
        None,
        "--speaker-limit",
        metavar="SECONDS",
        help="Speaking time per turn on the speakers' list.",
    ),
    countdown: int = typer.Option(
        None,
        "--countdown",
        metavar="SECONDS",
        help="Countdown that closes each item's vote after it opens.",
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Create a planned meeting with an agenda (facilitator/organizer)."""
    c = context(ctx)
    summary = meetings.create_meeting(
        c.database(),
        acting_handle(as_handle),
        title,
        _agenda(agenda),
        hide_counts=hide_counts,
        speaker_limit_seconds=speaker_limit,
        countdown_seconds=countdown,
    )
    echo(c.t("meeting.cli.created", id=summary.id, title=summary.title, items=summary.item_count))


@meeting_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List meetings with their status."""
    c = context(ctx)
    found = meetings.list_meetings(c.database())
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "title": m.title,
                    "status": str(m.status),
                    "items": m.item_count,
                    "current_position": m.current_position,
                    "hide_counts": m.hide_counts,
                    "speaker_limit_seconds": m.speaker_limit_seconds,
                }
                for m in found
            ]
        )
        return
    if not found:
        echo(c.t("meeting.cli.none"))
        return
    for m in found:
        status = c.t(f"meeting.status.{m.status}")
        echo(
            f"{m.id:>4}  {m.title}  [{status}] · {c.t('meeting.item_of', position=m.current_position or '-', count=m.item_count)}"
        )


@meeting_app.command("show")
def show(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show a meeting: agenda, current item, voting, speakers' list, who is connected."""
    c = context(ctx)
    state = meetings.meeting_state(c.database(), _meeting_id(meeting))
    if as_json:
        print_json(state_json(state))
        return
    m = state.meeting
    echo(f"{m.title}  [{c.t(f'meeting.status.{m.status}')}]")
    echo(c.t("meeting.agenda_heading"))
    for a in state.agenda:
        mark = ">" if state.current and a.position == state.current.position else " "
        result = c.t(f"rules.outcome.{a.outcome}") if a.outcome else c.t(f"status.{a.status}")
        echo(f" {mark}{a.position:>2}. {a.title}  [{a.proposal_id}] · {result}")
    echo(c.t("assembly.present", n=state.present_count))
    v = state.voting
    if v is not None and v.status != "draft":
        if v.secret:
            echo(c.t("assembly.secret"))
        if v.hand_count:
            echo(c.t("assembly.hand_count"))
        echo(c.t("meeting.participation", voted=v.voted, eligible=v.eligible))
        if state.non_voters:
            echo(
                c.t("assembly.non_voters", n=len(state.non_voters))
                + ": "
                + ", ".join(n.handle for n in state.non_voters)
            )
        if v.seconds_left is not None:
            echo(c.t("meeting.countdown", time=c.t.duration(v.seconds_left)))
        if v.decision is not None:
            echo(explain(v.decision, c.lang))
        elif v.counts is None:
            echo(c.t("meeting.counts_hidden"))
    if state.speaker is not None:
        echo(c.t("meeting.has_floor", name=state.speaker.name))
    if state.queue:
        echo(
            c.t("meeting.queue_heading")
            + ": "
            + ", ".join(
                f"{i}. {e.name}"
                + (f" ({c.t('meeting.kind.point_of_order')})" if e.is_point_of_order else "")
                for i, e in enumerate(state.queue, start=1)
            )
        )
    echo(c.t("meeting.connected_heading", n=len(state.connected)))
    echo(c.t("meeting.cli.audit_head", seq=state.audit_seq, hash=state.audit_hash))


def state_json(state: meetings.MeetingState) -> dict:
    """The meeting snapshot as plain JSON (for scripts and tests)."""
    v = state.voting
    return {
        "id": state.meeting.id,
        "title": state.meeting.title,
        "status": str(state.meeting.status),
        "hide_counts": state.meeting.hide_counts,
        "current_position": state.meeting.current_position,
        "agenda": [
            {
                "position": a.position,
                "proposal": a.proposal_id,
                "title": a.title,
                "status": str(a.status),
                "countdown_seconds": a.countdown_seconds,
                "outcome": a.outcome,
            }
            for a in state.agenda
        ],
        "voting": None
        if v is None
        else {
            "proposal": v.proposal_id,
            "status": str(v.status),
            "rules": v.rules_name,
            "voted": v.voted,
            "eligible": v.eligible,
            "counts": v.counts,
            "closes_at": v.closes_at.isoformat() if v.closes_at else None,
            "seconds_left": v.seconds_left,
            "outcome": v.outcome,
            "carried_amendments": list(v.carried_amendments),
            "secret": v.secret,
            "hand_count": v.hand_count,
            "present": v.present,
        },
        "present": state.present_count,
        "checked_in": list(state.checked_in),
        "non_voters": [n.handle for n in state.non_voters],
        "proxies": [{"from": p.principal, "to": p.holder} for p in state.proxies],
        "checkin_open": state.meeting.checkin_open,
        "speaker": None
        if state.speaker is None
        else {"handle": state.speaker.handle, "kind": state.speaker.kind},
        "queue": [{"id": e.id, "handle": e.handle, "kind": e.kind} for e in state.queue],
        "speaking_totals": {t.handle: round(t.seconds, 1) for t in state.totals},
        "connected": [m.handle for m in state.connected],
        "audit_head": {"seq": state.audit_seq, "hash": state.audit_hash},
    }


@meeting_app.command("add")
def add(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    proposal: str = typer.Argument(
        ..., metavar="PROPOSAL", help="Proposal id to append to the agenda."
    ),
    countdown: int = typer.Option(
        None, "--countdown", metavar="SECONDS", help="Countdown that closes this item's vote."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Append a proposal to a meeting's agenda."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    meetings.add_agenda_item(
        c.database(), acting_handle(as_handle), meeting_id, proposal, countdown_seconds=countdown
    )
    echo(c.t("meeting.cli.item_added", proposal=proposal, id=meeting_id))


@meeting_app.command("reorder")
def reorder(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    agenda: str = typer.Argument(
        ..., metavar="P1,P2,...", help="Every agenda proposal id, in the new order."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Put a meeting's agenda in a new order."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    meetings.reorder_agenda(c.database(), acting_handle(as_handle), meeting_id, _agenda(agenda))
    echo(c.t("meeting.cli.reordered", id=meeting_id))


@meeting_app.command("start")
def start(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """Start a meeting at its first agenda item."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    meetings.start_meeting(c.database(), acting_handle(as_handle), meeting_id)
    state = meetings.meeting_state(c.database(), meeting_id)
    assert state.current is not None
    echo(
        c.t(
            "meeting.cli.started",
            id=meeting_id,
            position=state.current.position,
            title=state.current.title,
        )
    )


def _move(
    ctx: typer.Context, meeting: str, as_handle: str | None, step: str, position: int | None = None
) -> None:
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    actor = acting_handle(as_handle)
    if step == "next":
        meetings.next_item(c.database(), actor, meeting_id)
    elif step == "previous":
        meetings.previous_item(c.database(), actor, meeting_id)
    else:
        assert position is not None
        meetings.goto_item(c.database(), actor, meeting_id, position)
    echo(_item_line(c, meeting_id))


@meeting_app.command("next")
def next_(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """Move to the next agenda item; members' screens follow."""
    _move(ctx, meeting, as_handle, "next")


@meeting_app.command("previous")
def previous(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """Move back to the previous agenda item."""
    _move(ctx, meeting, as_handle, "previous")


@meeting_app.command("goto")
def goto(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    position: int = typer.Argument(..., help="Agenda item number (1, 2, ...)."),
    as_handle: str = AS_OPTION,
) -> None:
    """Jump to an agenda item."""
    _move(ctx, meeting, as_handle, "goto", position)


@meeting_app.command("end")
def end(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """End a meeting."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    meetings.end_meeting(c.database(), acting_handle(as_handle), meeting_id)
    echo(c.t("meeting.cli.ended", id=meeting_id))


@meeting_app.command("open")
def open_(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    rules: str = typer.Option(
        "pofo",
        "--rules",
        metavar="NAME|FILE",
        help="Decision rules: pofo, majority, two-thirds, consensus, modified-consensus or a TOML file.",
    ),
    countdown: int = typer.Option(
        None,
        "--countdown",
        metavar="SECONDS",
        help="Close the vote after this many seconds (default: the item's own countdown).",
    ),
    secret: bool = typer.Option(
        False, "--secret", help="A secret ballot: who voted is recorded, not what."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Open voting on the current agenda item."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    proposal = meetings.open_item_voting(
        c.database(),
        acting_handle(as_handle),
        meeting_id,
        rules=rules,
        countdown_seconds=countdown,
        secret=secret,
    )
    state = meetings.meeting_state(c.database(), meeting_id)
    if state.voting is not None and state.voting.closes_at is not None:
        echo(
            c.t(
                "meeting.cli.opened_until",
                proposal=proposal,
                until=c.t.moment(state.voting.closes_at),
            )
        )
    else:
        echo(c.t("meeting.cli.opened", proposal=proposal))


@meeting_app.command("close")
def close(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """Close voting on the current agenda item and print the result and the audit head."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    proposal = meetings.close_item_voting(c.database(), acting_handle(as_handle), meeting_id)
    state = meetings.meeting_state(c.database(), meeting_id)
    explanation = (
        explain(state.voting.decision, c.lang) if state.voting and state.voting.decision else ""
    )
    echo(c.t("meeting.cli.closed", proposal=proposal, explanation=explanation))
    echo(c.t("meeting.cli.audit_head", seq=state.audit_seq, hash=state.audit_hash))


@meeting_app.command("extend")
def extend(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    seconds: int = typer.Argument(..., help="Seconds to add to the current item's countdown."),
    as_handle: str = AS_OPTION,
) -> None:
    """Give the current item's vote more time."""
    c = context(ctx)
    until = meetings.extend_item_voting(
        c.database(), acting_handle(as_handle), _meeting_id(meeting), seconds
    )
    echo(c.t("meeting.cli.extended", until=c.t.moment(until)))


@meeting_app.command("speak")
def speak(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    point_of_order: bool = typer.Option(
        False, "--point-of-order", help="Ask for the floor to the point of order (goes first)."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Ask for the floor (put yourself on the speakers' list)."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    actor = acting_handle(as_handle)
    if point_of_order:
        meetings.point_of_order(c.database(), actor, meeting_id)
    else:
        meetings.request_to_speak(c.database(), actor, meeting_id)
    state = meetings.meeting_state(c.database(), meeting_id)
    echo(c.t("meeting.cli.requested", position=state.queue_position(actor) or "?"))


@meeting_app.command("withdraw")
def withdraw(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """Take yourself off the speakers' list."""
    c = context(ctx)
    meetings.withdraw_request(c.database(), acting_handle(as_handle), _meeting_id(meeting))
    echo(c.t("meeting.cli.withdrawn"))


@meeting_app.command("grant")
def grant(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    request: int = typer.Option(
        None,
        "--request",
        metavar="ID",
        help="Give the floor to this request instead of the next in line.",
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Give the floor to the next on the speakers' list (points of order first)."""
    c = context(ctx)
    entry = meetings.grant_floor(
        c.database(), acting_handle(as_handle), _meeting_id(meeting), request_id=request
    )
    echo(c.t("meeting.cli.granted", name=entry.name, handle=entry.handle))


@meeting_app.command("finish")
def finish(ctx: typer.Context, meeting: str = MEETING_ARG, as_handle: str = AS_OPTION) -> None:
    """End the current speaker's turn."""
    c = context(ctx)
    entry = meetings.finish_speaker(c.database(), acting_handle(as_handle), _meeting_id(meeting))
    spoken = (
        (entry.finished_at - entry.granted_at).total_seconds()
        if entry.finished_at and entry.granted_at
        else 0
    )
    echo(
        c.t("meeting.cli.finished", name=entry.name, handle=entry.handle, time=c.t.duration(spoken))
    )


@meeting_app.command("checkin")
def checkin(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    member: str = typer.Option(
        None, "--member", metavar="HANDLE", help="Check this member in (facilitator)."
    ),
    open_: bool = typer.Option(False, "--open", help="Open check-in for members (facilitator)."),
    close_: bool = typer.Option(False, "--close", help="Close check-in (facilitator)."),
    as_handle: str = AS_OPTION,
) -> None:
    """Check in to a meeting (oneself, or --member someone at the door); --open/--close
    opens or closes members' own check-in."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    actor = acting_handle(as_handle)
    if open_ or close_:
        if open_ and close_ or member:
            raise UserError("assembly.cli.checkin_one_thing")
        action = meetings.open_checkin if open_ else meetings.close_checkin
        action(c.database(), actor, meeting_id)
        echo(c.t("assembly.cli.checkin_opened" if open_ else "assembly.cli.checkin_closed"))
        return
    stay = meetings.check_in(c.database(), actor, meeting_id, member)
    present = meetings.meeting_state(c.database(), meeting_id).present_count
    echo(c.t("assembly.cli.checked_in", name=stay.name, n=present))


@meeting_app.command("checkout")
def checkout(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    member: str = typer.Option(
        None, "--member", metavar="HANDLE", help="Check this member out (facilitator)."
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Check out of a meeting when leaving (oneself, or --member someone)."""
    c = context(ctx)
    meeting_id = _meeting_id(meeting)
    stay = meetings.check_out(c.database(), acting_handle(as_handle), meeting_id, member)
    present = meetings.meeting_state(c.database(), meeting_id).present_count
    echo(c.t("assembly.cli.checked_out", name=stay.name, n=present))


@meeting_app.command("attendance")
def attendance(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Who checked in and out, with times."""
    c = context(ctx)
    stays = meetings.attendance_log(c.database(), _meeting_id(meeting))
    if as_json:
        print_json(
            [
                {
                    "member": s.handle,
                    "checked_in_at": s.checked_in_at.isoformat(),
                    "checked_out_at": s.checked_out_at.isoformat() if s.checked_out_at else None,
                    "checked_in_by": s.checked_in_by,
                }
                for s in stays
            ]
        )
        return
    for s in stays:
        until = c.t.moment(s.checked_out_at) if s.checked_out_at else "…"
        echo(f"{s.handle:<20} {c.t.moment(s.checked_in_at)} – {until}")


@meeting_app.command("record")
def record(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    ja: int = typer.Option(0, "--ja", metavar="N", help="Ja votes counted in the room."),
    betinget_ja: int = typer.Option(0, "--betinget-ja", metavar="N", help="Betinget ja."),
    udskyd: int = typer.Option(0, "--udskyd", metavar="N", help="Udskyd."),
    nej: int = typer.Option(0, "--nej", metavar="N", help="Nej."),
    bloker: int = typer.Option(0, "--bloker", metavar="N", help="Bloker."),
    rules: str = typer.Option(
        "pofo",
        "--rules",
        metavar="NAME|FILE",
        help="Decision rules for an item whose vote was never opened (else the vote's own).",
    ),
    as_handle: str = AS_OPTION,
) -> None:
    """Record a hand count ("optalt i salen") for the current item; it decides the item."""
    c = context(ctx)
    result = meetings.record_hand_count(
        c.database(),
        acting_handle(as_handle),
        _meeting_id(meeting),
        {"ja": ja, "betinget_ja": betinget_ja, "udskyd": udskyd, "nej": nej, "bloker": bloker},
        rules=rules,
    )
    echo(c.t("assembly.cli.recorded", proposal=result.proposal_id))
    echo(result.explanation(c.lang))


@meeting_app.command("extend-floor")
def extend_floor(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    seconds: int = typer.Argument(..., metavar="SECONDS", help="More speaking time."),
    as_handle: str = AS_OPTION,
) -> None:
    """Give the current speaker more time (facilitator)."""
    c = context(ctx)
    entry = meetings.extend_speaker(
        c.database(), acting_handle(as_handle), _meeting_id(meeting), seconds
    )
    echo(c.t("assembly.cli.floor_extended", name=entry.name, seconds=entry.limit_seconds))


def register(app: typer.Typer) -> None:
    app.add_typer(meeting_app, name="meeting")
