"""`deliberate proxy …`: proxies (fuldmagt) per meeting, recorded by an organizer."""

from __future__ import annotations

import typer

from deliberate.cli.cmd_meeting import MEETING_ARG, _meeting_id
from deliberate.cli.common import AS_OPTION, context, echo, print_json
from deliberate.cli.context import acting_handle
from deliberate.services import meetings

proxy_app = typer.Typer(
    help="Proxies (fuldmagt): who votes for whom at a meeting (organizer).",
    no_args_is_help=True,
)
FROM_OPTION = typer.Option(..., "--from", metavar="HANDLE", help="The member giving the proxy.")
TO_OPTION = typer.Option(..., "--to", metavar="HANDLE", help="The member who votes for them.")


@proxy_app.command("add")
def add(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    principal: str = FROM_OPTION,
    holder: str = TO_OPTION,
    as_handle: str = AS_OPTION,
) -> None:
    """Record that --to holds --from's proxy at the meeting."""
    c = context(ctx)
    entry = meetings.add_proxy(
        c.database(), acting_handle(as_handle), _meeting_id(meeting), principal, holder
    )
    echo(c.t("assembly.cli.proxy_added", principal=entry.principal_name, holder=entry.holder_name))


@proxy_app.command("remove")
def remove(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    principal: str = FROM_OPTION,
    holder: str = TO_OPTION,
    as_handle: str = AS_OPTION,
) -> None:
    """Withdraw a proxy; votes already cast with it stay."""
    c = context(ctx)
    entry = meetings.remove_proxy(
        c.database(), acting_handle(as_handle), _meeting_id(meeting), principal, holder
    )
    echo(
        c.t("assembly.cli.proxy_removed", principal=entry.principal_name, holder=entry.holder_name)
    )


@proxy_app.command("list")
def list_(
    ctx: typer.Context,
    meeting: str = MEETING_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """The meeting's proxies."""
    c = context(ctx)
    found = meetings.list_proxies(c.database(), _meeting_id(meeting))
    if as_json:
        print_json([{"from": p.principal, "to": p.holder} for p in found])
        return
    if not found:
        echo(c.t("assembly.cli.no_proxies"))
    for p in found:
        echo(c.t("assembly.cli.proxy_line", principal=p.principal_name, holder=p.holder_name))


@proxy_app.command("limit")
def limit(
    ctx: typer.Context,
    value: int = typer.Argument(None, metavar="N", help="The new limit (omit to show it)."),
    as_handle: str = AS_OPTION,
) -> None:
    """Show or set how many proxies one member may hold at a meeting (default 1)."""
    c = context(ctx)
    if value is not None:
        meetings.set_proxy_limit(c.database(), acting_handle(as_handle), value)
    echo(c.t("assembly.cli.proxy_limit", n=meetings.proxy_limit(c.database())))


def register(app: typer.Typer) -> None:
    app.add_typer(proxy_app, name="proxy")
