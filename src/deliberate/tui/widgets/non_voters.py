"""Who has not voted yet on the current item: present members only, on an open ballot only
(never on a secret one), so the facilitator can wait or call them."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from deliberate.i18n import Translator
from deliberate.services.meetings import MeetingState
from deliberate.tui.render import member_line

MAX_SHOWN = 60


def non_voters_text(state: MeetingState, t: Translator) -> Content:
    voting = state.voting
    if voting is None or not voting.is_open:
        return Content("")
    if voting.secret:
        return Content.styled(t("assembly.tui.secret_no_list"), "$text-muted italic")
    if not state.non_voters:
        if state.present_count:
            return Content.styled(t("assembly.tui.all_present_voted"), "$text-success")
        return Content("")
    names = [member_line(f"{n.name} ({n.handle})") for n in state.non_voters[:MAX_SHOWN]]
    more = len(state.non_voters) - MAX_SHOWN
    body = Content(", ").join(names)
    if more > 0:
        body = Content.assemble(body, t("assembly.tui.and_more", n=t.number(more)))
    return Content.assemble(
        (t("assembly.non_voters", n=t.number(len(state.non_voters))), "bold $text-warning"),
        "\n",
        body,
    )


class NonVotersList(Static):
    def show(self, state: MeetingState | None, t: Translator) -> None:
        content = Content("") if state is None else non_voters_text(state, t)
        if getattr(self, "_shown", None) != content:
            self._shown = content
            self.update(content)
