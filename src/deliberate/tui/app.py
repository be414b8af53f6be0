"""The member app: modes (screens) from `modes.MODES`, live refresh, safety nets.

Build it with `make_app` (tests and the CLI alike). Screens live in `screens/`, one module each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import get_current_worker

from deliberate.domain.text import sanitize_line
from deliberate.services import members
from deliberate.services.database import Database
from deliberate.tui import messages
from deliberate.tui.bindings import translate_bindings
from deliberate.tui.context import ForumContext, TuiSettings
from deliberate.tui.modes import MODES
from deliberate.tui.work import log_exception, run_db


class CrashReport(Exception):
    """An unexpected error, reduced to one plain sentence for the member's terminal
    (the traceback went to the log)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __rich__(self) -> Text:
        return Text(self.text)


class DeliberateApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "deliberate"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", id="quit_now", show=False, priority=True),
        Binding("ctrl+l", "toggle_language", "Language", id="language"),
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False, priority=True),
    ]

    def __init__(self, ctx: ForumContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.notices: list[str] = []  # every notification shown, for tests and the help screen
        for entry in MODES:
            if entry.available(ctx.member):
                self.add_mode(entry.name, entry.factory())
                self._bindings._add_binding(
                    Binding(
                        entry.key,
                        f"app.switch_mode('{entry.name}')",
                        entry.name,
                        id=f"mode.{entry.name}",
                        show=False,
                    )
                )

    # ------------------------------------------------------------------ start and stop

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        translate_bindings(self, self.ctx.t)
        self.switch_mode(self.ctx.settings.start_mode)
        if self.ctx.settings.live:
            self.run_worker(self._watch_changes, thread=True, group="live", exit_on_error=False)
        if self.ctx.settings.expiry_check_seconds > 0:
            self.set_interval(self.ctx.settings.expiry_check_seconds, self.run_scheduler)

    def _watch_changes(self) -> None:
        """Thread: wake the screens whenever another process (or we) changed the forum."""
        from deliberate.services.live import ChangeWatcher

        worker = get_current_worker()
        try:
            watcher = ChangeWatcher(self.ctx.db.url)
        except Exception as exc:
            log_exception(exc, self.ctx.settings.log_path)
            self.post_message(messages.ActionFailed(self.ctx.t("tui.error.no_live")))
            return
        try:
            while not worker.is_cancelled:
                if watcher.wait(0.25):
                    self.post_message(messages.ForumChanged())
        except Exception as exc:
            log_exception(exc, self.ctx.settings.log_path)
            self.post_message(messages.ActionFailed(self.ctx.t("tui.error.no_live")))
        finally:
            watcher.close()

    def run_scheduler(self) -> None:
        """Move proposals across the boundaries whose time has come (the one scheduler), so
        debates start, votes open and close on time for everyone."""
        from deliberate.services.scheduler import run_scheduler

        db = self.ctx.db

        def job() -> None:
            run_scheduler(db)

        run_db(self, job, self.ctx.t, group="scheduler")

    # ------------------------------------------------------------------ messages

    def on_forum_changed(self, message: messages.ForumChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(messages.ForumChanged())

    def on_action_failed(self, message: messages.ActionFailed) -> None:
        self.notify(message.text, severity="error", timeout=8)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.notices.append(str(message))
        kwargs["markup"] = False  # notification text may quote member text
        super().notify(message, *args, **kwargs)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In a dialog, q and the language key belong to the dialog (or do nothing).
        return not (action in ("quit", "toggle_language") and isinstance(self.screen, ModalScreen))

    def action_help(self) -> None:
        from deliberate.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_language(self) -> None:
        self.set_language("en" if self.ctx.lang == "da" else "da")

    def set_language(self, lang: str) -> None:
        self.ctx.set_language(lang)
        translate_bindings(self, self.ctx.t)
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
        report = CrashReport(self.ctx.t("tui.error.crash", log=where))
        report.__cause__ = error
        super()._handle_exception(report)


def make_app(
    db: Database,
    handle: str,
    lang: str = "da",
    *,
    mouse: bool = True,
    live: bool = True,
    start_mode: str = "forum",
    expiry_check_seconds: float = 10.0,
    log_path: Path | None = None,
    exit_after_first_screen: bool = False,
) -> DeliberateApp:
    """The app for `handle` on `db`. Raises UserError for an unknown or inactive member."""
    settings = TuiSettings(
        handle=handle,
        lang=lang,
        mouse=mouse,
        start_mode=start_mode,
        live=live,
        expiry_check_seconds=expiry_check_seconds,
        log_path=log_path,
        exit_after_first_screen=exit_after_first_screen,
    )
    member = members.get_member(db, handle)
    if not member.active:
        from deliberate.errors import UserError

        raise UserError("inactive_member", handle=handle)
    ctx = ForumContext(db, member, settings)
    if start_mode == "forum":
        ctx.prefetch = _prefetch_forum(ctx)
    return DeliberateApp(ctx)


def _prefetch_forum(ctx: ForumContext) -> Future[Any]:
    """Start loading the overview's data now, in a thread, while Textual starts up."""
    from deliberate.tui.data import load_forum

    future: Future[Any] = Future()

    def load() -> None:
        try:
            future.set_result(load_forum(ctx.db, ctx.handle, ctx.member.can_vote))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=load, name="deliberate-prefetch", daemon=True).start()
    return future
