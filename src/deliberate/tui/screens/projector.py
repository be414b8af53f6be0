"""The projector view (`deliberate tui --projector`): read-only, big type, for the room.

The current item, the countdown and participation in large digits, the result once voting
closes, and the speakers' list. Nothing on it acts: the only keys quit, switch language and
show help. Run as its own app (ProjectorApp) it cannot reach the member screens either.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from deliberate.domain.status import ProposalStatus
from deliberate.services.database import Database, utcnow
from deliberate.tui.screens.facilitator import ConsoleView
from deliberate.tui.screens.meeting_base import MeetingBase, update_if_changed
from deliberate.tui.screens.speakers import SpeakersPanel, counts_text, result_text, seconds_left
from deliberate.tui.topics import CONSOLE
from deliberate.tui.widgets.key_footer import KeyFooter


def clock(seconds: float) -> str:
    seconds = int(seconds + 0.999)  # 0:01 until it is really over
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class ProjectorScreen(MeetingBase[ConsoleView]):
    CSS_PATH = "projector.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []  # read-only
    topic = CONSOLE
    keeps_presence = False  # the room's screen, not a member taking part
    title_style = "bold"
    section_style = item_style = ""

    def __init__(self) -> None:
        super().__init__(id="projector")

    def screen_title(self) -> str:
        return self.t("meeting.projector_title")

    def compose(self) -> ComposeResult:
        yield Static(id="proj-meeting")
        yield Static(id="proj-item")
        with Horizontal(id="proj-numbers"):
            with Vertical(id="proj-countdown-box"):
                yield Static(id="proj-countdown-label", classes="proj-label")
                yield Digits("", id="proj-countdown")
            with Vertical(id="proj-participation-box"):
                yield Static(id="proj-participation-label", classes="proj-label")
                yield Digits("", id="proj-voted")
        yield Static(id="proj-result")
        yield Static(id="proj-counts")
        yield SpeakersPanel(id="proj-speakers")
        yield KeyFooter()

    def show(self) -> None:
        t, view = self.t, self.view
        if view is None:
            return
        state = view.state
        if state is None:
            update_if_changed(self.query_one("#proj-meeting", Static), self.no_meeting_title())
            update_if_changed(
                self.query_one("#proj-item", Static), Content(t("meeting.no_meeting_body"))
            )
            self.query_one("#proj-numbers").display = False
            for name in ("#proj-result", "#proj-counts", "#proj-speakers"):
                update_if_changed(self.query_one(name, Static), "")
            return
        update_if_changed(self.query_one("#proj-meeting", Static), self.meeting_title(state))
        update_if_changed(self.query_one("#proj-item", Static), self.item_title(state))
        voting = state.voting
        closed = voting is not None and voting.status is ProposalStatus.CLOSED
        update_if_changed(self.query_one("#proj-result", Static), result_text(voting, t))
        self.query_one("#proj-result").set_class(closed, "closed")
        update_if_changed(
            self.query_one("#proj-counts", Static), counts_text(voting, t) if closed else ""
        )
        self.show_live(utcnow())

    def show_live(self, now: dt.datetime) -> None:
        state, t = self.state, self.t
        if state is None:
            return
        voting = state.voting
        numbers = self.query_one("#proj-numbers")
        numbers.display = voting is not None and voting.status is not ProposalStatus.DRAFT
        if voting is not None and numbers.display:
            left = seconds_left(voting, now)
            box = self.query_one("#proj-countdown-box")
            box.display = left is not None
            if left is not None:
                update_if_changed(
                    self.query_one("#proj-countdown-label", Static),
                    Content(t("meeting.time_left_label")),
                )
                self.query_one("#proj-countdown", Digits).update(clock(left))
            update_if_changed(
                self.query_one("#proj-participation-label", Static),
                Content(t("meeting.voted_of_label", eligible=t.number(voting.eligible))),
            )
            self.query_one("#proj-voted", Digits).update(str(voting.voted))
        self.query_one(SpeakersPanel).show(state, t, now)


def run_projector(db: Database, handle: str, lang: str, *, mouse: bool = True) -> int:
    """`deliberate tui --projector`: the app with the projector view and nothing else."""
    from deliberate.tui.launch import run_tui

    return run_tui(
        db_url=db.url,
        db=db,
        handle=handle,
        lang=lang,
        mouse=mouse,
        start_mode="projector",
        only_mode=True,
    )
