"""Check-in at a glance: "212 til stede", whether check-in is open, and (on a member's
screen) whether this member is checked in and how to check in."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from deliberate.i18n import Translator
from deliberate.services.meetings import MeetingState


def attendance_text(state: MeetingState, t: Translator, me: str | None = None) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        (t("assembly.present", n=t.number(state.present_count)), "bold"),
        " · ",
        t(
            "assembly.tui.checkin_open"
            if state.meeting.checkin_open
            else "assembly.tui.checkin_closed"
        ),
    ]
    if state.proxies:
        parts += [" · ", t("assembly.tui.proxies", n=t.number(len(state.proxies)))]
    if me is not None:
        if state.is_checked_in(me):
            parts += ["\n", (t("assembly.tui.you_are_in"), "$text-success")]
        elif any(p.principal == me for p in state.proxies):
            holder = next(p.holder_name for p in state.proxies if p.principal == me)
            parts += [
                "\n",
                Content.styled(t("assembly.tui.represented", holder=holder), "$text-muted"),
            ]
        else:
            parts += ["\n", (t("assembly.tui.check_in_hint"), "$text-muted")]
    return Content.assemble(*parts)


class AttendancePanel(Static):
    """Updated from the meeting snapshot by the screen that shows it."""

    def show(self, state: MeetingState | None, t: Translator, me: str | None = None) -> None:
        content = Content("") if state is None else attendance_text(state, t, me)
        if getattr(self, "_shown", None) != content:
            self._shown = content
            self.update(content)
