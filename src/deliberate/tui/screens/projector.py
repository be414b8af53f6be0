"""The projector view (`deliberate tui --projector`): read-only, big type, for the room.

The current item, the countdown and participation in large digits, the result once voting
closes, and the speakers' list. Nothing on it acts: the only keys quit, switch language and
show help. Run as its own app (ProjectorApp) it cannot reach the member screens either.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Footer, Static

from deliberate.domain.status import ProposalStatus
from deliberate.services.database import Database, utcnow
from deliberate.tui.render import member_line
from deliberate.tui.screens.base import ForumScreen
from deliberate.tui.screens.facilitator import ConsoleView, load_console
from deliberate.tui.screens.meeting import SnapshotLoaded, ThrottledReloadMixin, update_if_changed
from deliberate.tui.screens.speakers import SpeakersPanel, counts_text, result_text, seconds_left


def clock(seconds: float) -> str:
    seconds = int(seconds + 0.999)  # 0:01 until it is really over
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class ProjectorScreen(ThrottledReloadMixin, ForumScreen):
    CSS_PATH = "projector.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []  # read-only

    class Loaded(SnapshotLoaded):
        """A fresh ConsoleView."""

    def __init__(self) -> None:
        super().__init__(id="projector")
        self.view: ConsoleView | None = None
        self._closing_requested = False

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
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._tick)

    def on_forum_changed(self, message: object) -> None:
        if self.is_current:
            self.request_reload()

    def reload(self) -> None:
        db: Database = self.ctx.db
        ticket = self.take_ticket()
        self.run_db(lambda: self.Loaded(load_console(db), ticket), group="projector")

    def on_projector_screen_loaded(self, message: Loaded) -> None:
        if self.is_stale(message.ticket):
            return
        self.view = message.view
        self._closing_requested = False
        self.show()

    def show(self) -> None:
        t, view = self.t, self.view
        if view is None:
            return
        state = view.state
        if state is None:
            update_if_changed(
                self.query_one("#proj-meeting", Static),
                Content.styled(t("meeting.no_meeting_title"), "bold"),
            )
            update_if_changed(
                self.query_one("#proj-item", Static), Content(t("meeting.no_meeting_body"))
            )
            self.query_one("#proj-numbers").display = False
            for name in ("#proj-result", "#proj-counts", "#proj-speakers"):
                update_if_changed(self.query_one(name, Static), "")
            return
        current = state.current
        update_if_changed(
            self.query_one("#proj-meeting", Static),
            Content.assemble(
                member_line(state.meeting.title, "bold"),
                " · ",
                t(
                    "meeting.item_of",
                    position=current.position if current else "-",
                    count=len(state.agenda),
                ),
            ),
        )
        item = Content("")
        if current is not None:
            section = f"{current.section} " if current.section else ""
            item = Content.assemble(section, member_line(current.title))
        update_if_changed(self.query_one("#proj-item", Static), item)
        voting = state.voting
        closed = voting is not None and voting.status is ProposalStatus.CLOSED
        update_if_changed(self.query_one("#proj-result", Static), result_text(voting, t))
        self.query_one("#proj-result").set_class(closed, "closed")
        update_if_changed(
            self.query_one("#proj-counts", Static), counts_text(voting, t) if closed else ""
        )
        self._show_live()

    def _show_live(self) -> None:
        view, t, now = self.view, self.t, utcnow()
        if view is None or view.state is None:
            return
        state = view.state
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

    def _tick(self) -> None:
        view = self.view
        if view is None or view.state is None:
            return
        self._show_live()
        if seconds_left(view.state.voting, utcnow()) == 0 and not self._closing_requested:
            self._closing_requested = True
            self.reload()


def run_projector(db: Database, handle: str, lang: str, *, mouse: bool = True) -> int:
    """`deliberate tui --projector`: an app with the projector view and nothing else."""
    from deliberate.tui import app as app_module
    from deliberate.tui.app import DeliberateApp, make_app

    class ProjectorApp(DeliberateApp):
        """The member app's safety nets and live refresh, but only the projector mode."""

        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # not next to this file

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            if action == "switch_mode" and parameters != ("projector",):
                return False
            return super().check_action(action, parameters)

    ctx = make_app(db, handle, lang, mouse=mouse, start_mode="projector").ctx
    app = ProjectorApp(ctx)
    app.run(mouse=mouse)
    return app.return_code or 0
