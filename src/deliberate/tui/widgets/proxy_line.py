"""The proxy line of the vote dialog: "Stem også for Anna (fuldmagt)", one checkbox per
member whose proxy (fuldmagt) the voter holds at the meeting, and casting those votes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Checkbox

from deliberate.domain.ballot import Answer, Choice
from deliberate.errors import UserError
from deliberate.i18n import Translator
from deliberate.services import voting
from deliberate.services.database import Database


def proxy_checkboxes(proxies_for: Sequence[tuple[str, str]], t: Translator) -> Iterator[Checkbox]:
    for handle, name in proxies_for:
        # Member text: given as Content, never parsed as markup.
        yield Checkbox(
            Content(t("assembly.proxy_vote_for", name=name)),
            value=False,
            id=f"proxy-{handle}",
            classes="proxy-line",
        )


def chosen_principals(screen: DOMNode) -> tuple[str, ...]:
    return tuple(
        (box.id or "").removeprefix("proxy-")
        for box in screen.query(".proxy-line").results(Checkbox)
        if box.value
    )


def cast_for_principals(
    db: Database,
    handle: str,
    proposal_id: str,
    choice: Choice,
    amendments: tuple[int, ...],
    reason: str,
    principals: Sequence[str],
    t: Translator,
    amendment_votes: Sequence[tuple[int, Answer]] = (),
) -> tuple[str, ...]:
    """Cast the same vote for each principal (in the worker); one line each: done or why not."""
    notes = []
    for principal in principals:
        try:
            receipt = voting.cast_vote(
                db,
                handle,
                proposal_id,
                choice,
                amendments=amendments,
                reason=reason,
                for_member=principal,
                amendment_votes=amendment_votes,
            )
            notes.append(t("assembly.tui.proxy_cast", principal=principal, receipt=receipt.receipt))
        except UserError as exc:
            notes.append(exc.message(t.lang))
    return tuple(notes)
