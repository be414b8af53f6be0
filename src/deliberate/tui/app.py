"""The member app: modes (screens) from `modes.MODES`, live refresh, safety nets.

Build it with `make_app` (tests and the CLI alike). Screens live in `screens/`, one module each.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any, cast

from rich.console import Console
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.driver import Driver
from textual.screen import ModalScreen, Screen

from deliberate.domain.text import sanitize_line
from deliberate.services.database import Database
from deliberate.services.read_models import MemberInfo
from deliberate.tui import messages
from deliberate.tui.context import ForumContext, TuiSettings
from deliberate.tui.live_hub import LiveHub, Subscription
from deliberate.tui.meeting_follow import (
    STAY_ON,
    MeetingFollower,
    MeetingStarted,
    RunningMeetingSeen,
)
from deliberate.tui.modes import MODES
from deliberate.tui.screens.base import ForumModal
from deliberate.tui.stylesheet import SharedStylesheet
from deliberate.tui.topics import RUNNING, TOPICS, RunningMeeting
from deliberate.tui.work import failure_message, log_exception, run_db


class CrashReport(Exception):
    """An unexpected error, reduced to one plain sentence for the member's terminal
    (the traceback went to the log)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __rich__(self) -> Text:
        # One line, never cut: the member's own terminal wraps it if it must.
        return Text(self.text, no_wrap=True, overflow="ignore")


class _NoOutput(io.StringIO):
    """The app console's file: Textual writes frames through its driver, never here."""

    def write(self, text: str) -> int:
        return len(text)


def console_for(color_system: str | None) -> Console:
    """The console Textual renders with, as `App.__init__` builds it, with this colour depth."""
    return Console(
        color_system=cast(Any, color_system),  # one of Rich's names, from ssh.driver
        file=_NoOutput(),
        markup=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        force_terminal=True,
        safe_box=False,
        soft_wrap=False,
    )


class DeliberateApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "deliberate"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", id="quit_now", show=False, priority=True),
        Binding("ctrl+l", "toggle_language", "Language", id="language"),
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False, priority=True),
        # One key per mode; `check_action` offers those of the modes this app has.
        *[
            Binding(
                entry.key,
                f"app.switch_mode('{entry.name}')",
                entry.name,
                id=f"mode.{entry.name}",
                show=False,
            )
            for entry in MODES
        ],
    ]

    def __init__(
        self, ctx: ForumContext, *, driver_class: Callable[..., Driver] | None = None
    ) -> None:
        super().__init__(driver_class=cast("type[Driver] | None", driver_class))
        # Parsed CSS shared with every other app in the process (tui/stylesheet.py).
        self.stylesheet = SharedStylesheet(variables=self.get_css_variables())
        if ctx.settings.color_system != "auto":  # per app, not from the process's environment
            self.console = console_for(ctx.settings.color_system)
        # The crash sentence is printed as one line, never cut (the terminal wraps it).
        self.error_console = Console(markup=False, highlight=False, stderr=True, soft_wrap=True)
        self.ctx = ctx
        # One read per change for every screen: the server's hub, or one of the app's own.
        self._own_hub = ctx.hub is None
        if ctx.hub is None:
            ctx.hub = LiveHub(ctx.db, watch=ctx.settings.live, on_error=self._no_live)
        self.hub: LiveHub = ctx.hub
        self._stop_listening: Callable[[], None] = lambda: None
        self.notices: list[str] = []  # every notification shown, for tests and the help screen
        self.follower = MeetingFollower()
        self._following: Subscription | None = None
        self._live = False
        self.mode_names: set[str] = set()  # the modes this member can reach
        for entry in MODES:
            if ctx.settings.only_mode and entry.name != ctx.settings.start_mode:
                continue  # e.g. the projector: no other view is reachable
            if entry.available(ctx.member):
                self.add_mode(entry.name, entry.factory())
                self.mode_names.add(entry.name)

    # ------------------------------------------------------------------ start and stop

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.switch_mode(self.ctx.settings.start_mode)
        if self.ctx.prefetch is None:
            self.go_live()
        # else the overview calls it once its first screen is painted: following changes
        # loads the services (SQLAlchemy, the ORM), which the first frame does without.
        if self.ctx.settings.expiry_check_seconds > 0:
            self.set_interval(self.ctx.settings.expiry_check_seconds, self.run_scheduler)

    def go_live(self) -> None:
        """Follow the forum's changes and the running meeting (once)."""
        if self._live:
            return
        self._live = True
        self._stop_listening = self.hub.listen(self._hub_saw_a_change)
        if self._own_hub:
            self.hub.start()
        # Which meeting runs: read by the hub once per change for every app in the process.
        self._following = self.hub.subscribe(
            RUNNING,
            TOPICS[RUNNING],
            self.ctx.handle,
            self._running_meeting,
            self._read_failed,
        )
        self._following.request()  # learns which meeting runs now (no notice for that one)

    def _hub_saw_a_change(self) -> None:
        """(Hub thread) something changed: screens without a live topic reload."""
        self.post_message(messages.ForumChanged(seen_by_hub=True))

    def on_unmount(self) -> None:
        self._stop_listening()
        if self._following is not None:
            self._following.close()
        if self._own_hub:
            self.hub.close()

    def _running_meeting(self, running: RunningMeeting) -> None:
        """(Hub thread) which meeting runs: handled on the app's loop."""
        self.post_message(RunningMeetingSeen(running))

    def _read_failed(self, exc: BaseException) -> None:
        """(Hub thread) a read this app asked for failed: plain words, details logged."""
        text = failure_message(exc, self.ctx.t, self.ctx.settings.log_path)
        self.post_message(messages.ActionFailed(text))

    def _no_live(self) -> None:
        """(Hub thread) the change watcher could not start: say so once."""
        self.post_message(messages.ActionFailed(self.ctx.t("tui.error.no_live")))

    def run_scheduler(self) -> None:
        """Move proposals across the boundaries whose time has come (the one scheduler), so
        debates start, votes open and close on time for everyone (not when a server runs it
        once for all its members: expiry_check_seconds 0)."""
        from deliberate.services.scheduler import run_scheduler

        if self.ctx.settings.expiry_check_seconds <= 0:
            return
        db = self.ctx.db

        def job() -> None:
            run_scheduler(db)

        run_db(self, job, self.ctx.t, group="scheduler")

    # ------------------------------------------------------------------ messages

    def on_forum_changed(self, message: messages.ForumChanged) -> None:
        if not message.seen_by_hub:
            self.hub.changed()
        for screen in self.screen_stack:
            screen.post_message(messages.ForumChanged(seen_by_hub=True))

    def on_running_meeting_seen(self, message: RunningMeetingSeen) -> None:
        started = self.follower.seen(message.running)
        if started is not None:
            self.post_message(started)

    def on_meeting_started(self, message: MeetingStarted) -> None:
        """A meeting started: say so, and take a member who is elsewhere to it."""
        self.notify(self.ctx.t("assembly.tui.meeting_started", title=message.title), timeout=10)
        if self.current_mode not in STAY_ON and not isinstance(self.screen, ModalScreen):
            self.switch_mode("meeting")

    def on_action_failed(self, message: messages.ActionFailed) -> None:
        self.notify(message.text, severity="error", timeout=8)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.notices.append(str(message))
        kwargs["markup"] = False  # notification text may quote member text
        screen = self.screen if self.screen_stack else None
        if isinstance(screen, ForumModal) and screen.is_mounted:
            # In the dialog itself; the toast (hidden under dialogs) shows once it is closed.
            screen.show_notice(str(message), str(kwargs.get("severity", "information")))
        super().notify(message, *args, **kwargs)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_mode":
            return len(parameters) == 1 and parameters[0] in self.mode_names
        # In a dialog, q and the language key belong to the dialog (or do nothing).
        return not (action in ("quit", "toggle_language") and isinstance(self.screen, ModalScreen))

    def offers(self, binding: Binding) -> bool:
        """Is this app binding's key offered here (a mode key only for a mode it has)?"""
        prefix = "mode."
        if binding.id and binding.id.startswith(prefix):
            return binding.id.removeprefix(prefix) in self.mode_names
        return True

    def action_help_quit(self) -> None:
        """Ctrl+C, pressed by reflex: say plainly, in the member's language, how to quit."""
        self.notify(self.ctx.t("tui.ctrl_c"), title=self.ctx.t("tui.ctrl_c.title"))

    def action_help(self) -> None:
        from deliberate.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_language(self) -> None:
        self.set_language("en" if self.ctx.lang == "da" else "da")

    def set_language(self, lang: str) -> None:
        self.ctx.set_language(lang)
        for screen in self.screen_stack:
            screen.post_message(messages.LanguageChanged())
        self.notify(self.ctx.t("tui.language_set"))

    # ------------------------------------------------------------------ safety (DESIGN §6)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Never launch anything on the server: a link only says where it points."""
        self.notify(self.ctx.t("tui.link_not_opened", url=sanitize_line(url)[:200]))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots would write files on the server: not offered."""
        self.notify(self.ctx.t("tui.no_screenshots"))

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        self.notify(self.ctx.t("tui.no_screenshots"))
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: our own commands only, no screenshot (it writes files)."""
        t = self.ctx.t
        yield SystemCommand(t("tui.cmd.help"), t("tui.cmd.help.help"), self.action_help)
        yield SystemCommand(
            t("tui.cmd.language"), t("tui.cmd.language.help"), self.action_toggle_language
        )
        yield SystemCommand(t("tui.cmd.theme"), t("tui.cmd.theme.help"), self.action_change_theme)
        yield SystemCommand(t("tui.cmd.quit"), t("tui.cmd.quit.help"), self.action_quit)

    def _handle_exception(self, error: Exception) -> None:
        """A bug: log the traceback, show the member one plain sentence instead."""
        where = log_exception(error, self.ctx.settings.log_path)
        if self.return_code is not None and isinstance(error, NoMatches):
            return  # quitting mid-start: a screen's widgets were removed under its handler
        report = CrashReport(self.ctx.t("tui.error.crash", log=where))
        report.__cause__ = error
        super()._handle_exception(report)


def make_app(
    db: Database,
    handle: str,
    lang: str = "da",
    *,
    member: MemberInfo | None = None,
    driver_class: Callable[..., Driver] | None = None,
    hub: LiveHub | None = None,
    **options: Any,
) -> DeliberateApp:
    """THE way to build the app — terminal, projector, SSH sessions and tests alike.

    `options` are `TuiSettings` fields (mouse, live, start_mode, log_path, color_system,
    server_presence, only_mode, …). `member`: the acting member when the caller already has
    it (an SSH session knows it from the key), else it is read here. `driver_class`: how the
    app reaches its terminal (default: this process's terminal; SSH: the channel). Raises
    UserError for an unknown or inactive member.
    """
    settings = TuiSettings(handle=handle, lang=lang, **options)
    if member is None:  # by plain SQL: no SQLAlchemy before the first frame
        from deliberate.services import first_screen

        member = first_screen.member(db, handle)
    if not member.active:
        from deliberate.errors import UserError

        raise UserError("inactive_member", handle=handle)
    ctx = ForumContext(db, member, settings, hub)
    if settings.start_mode == "forum":
        ctx.prefetch = _prefetch_forum(ctx)
    return DeliberateApp(ctx, driver_class=driver_class)


def _prefetch_forum(ctx: ForumContext) -> Future[Any]:
    """Start loading the overview's data now, in a thread, while Textual starts up (by one
    plain query: tui.forum_data.first_forum)."""
    from deliberate.tui.forum_data import first_forum

    future: Future[Any] = Future()
    member = ctx.member

    def load() -> None:
        try:
            future.set_result(first_forum(ctx.db, member.id, member.handle, member.can_vote))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=load, name="deliberate-prefetch", daemon=True).start()
    return future
