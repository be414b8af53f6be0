"""The invite-code screen: what someone whose SSH key is not registered yet sees, and nothing else.

`JoinApp` has one mode, "invite", with one screen: a box for the code. The code is checked by
the `gate` the host passes in (over SSH: `services.invites.redeem` for the connection's key and
address); the right code makes the app exit with the member's handle, and the host then opens
the forum as that member. Nothing of the forum is reachable from here: no other mode, no
command palette, no help screen that lists the forum's keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from textual import on
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.content import Content
from textual.driver import Driver
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from deliberate.i18n import Translator
from deliberate.services.members import MemberInfo
from deliberate.tui.bindings import translated_bindings
from deliberate.tui.widgets.key_footer import KeyFooter
from deliberate.tui.work import failure_message, log_exception

Gate = Callable[[str], MemberInfo]  # a typed code -> the member it binds to (or UserError)
WELCOME_SECONDS = 1.5  # how long the welcome line shows before the forum opens


class InviteScreen(Screen[None]):
    CSS_PATH = "invite.tcss"
    BINDINGS = [
        Binding("ctrl+l", "app.toggle_language", "Language", id="invite_language"),
        Binding(
            "ctrl+q,ctrl+c", "app.quit", "Quit", id="invite_quit", key_display="^q", priority=True
        ),
    ]

    @dataclass
    class Checked(Message):
        member: MemberInfo | None
        error: str | None

    def __init__(self) -> None:
        super().__init__()
        self._busy = False

    @property
    def join(self) -> JoinApp:
        app = self.app
        assert isinstance(app, JoinApp)
        return app

    def compose(self) -> ComposeResult:
        with Vertical(id="invite-box"):
            yield Static(id="invite-title")
            yield Static(id="invite-intro")
            yield Input(id="invite-code", max_length=40)
            yield Static(id="invite-status")
            yield Static(id="invite-hint", classes="muted")
        yield KeyFooter()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys, in the language chosen on this screen."""
        return translated_bindings(super().active_bindings, self.join.t)

    def on_mount(self) -> None:
        self.show_texts()
        self.query_one(Input).focus()

    def show_texts(self) -> None:
        t = self.join.t
        self.query_one("#invite-title", Static).update(Content(t("invite.screen.title")))
        self.query_one("#invite-intro", Static).update(Content(t("invite.screen.intro")))
        self.query_one("#invite-hint", Static).update(Content(t("invite.screen.other_key")))
        self.query_one(Input).placeholder = t("invite.screen.placeholder")

    def set_status(self, text: str, *, error: bool) -> None:
        status = self.query_one("#invite-status", Static)
        status.update(Content(text))  # plain text: a message may quote what was typed
        status.set_class(error, "error")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        code = event.value.strip()
        if self._busy or not code:
            return
        self._busy = True
        self.set_status(self.join.t("invite.screen.checking"), error=False)
        gate, t, log_path = self.join.gate, self.join.t, self.join.log_path

        def check() -> None:
            try:
                member, error = gate(code), None
            except Exception as exc:
                member, error = None, failure_message(exc, t, log_path)
            self.post_message(self.Checked(member, error))

        self.run_worker(check, thread=True, group="invite", exit_on_error=False)

    def on_invite_screen_checked(self, message: Checked) -> None:
        self._busy = False
        code = self.query_one(Input)
        if message.member is None:
            self.set_status(message.error or "", error=True)
            code.value = ""
            code.focus()
            return
        code.disabled = True
        self.set_status(self.join.t("invite.screen.welcome", name=message.member.name), error=False)
        handle = message.member.handle
        self.set_timer(WELCOME_SECONDS, lambda: self.app.exit(handle))


class JoinApp(App[str]):
    """Returns the handle of the member whose code was accepted (None if they quit)."""

    TITLE = "deliberate"
    ENABLE_COMMAND_PALETTE = False
    MODES = {"invite": InviteScreen}
    DEFAULT_MODE = "invite"

    def __init__(
        self,
        gate: Gate,
        lang: str = "da",
        *,
        log_path: Path | None = None,
        driver_class: Callable[..., Driver] | None = None,
        color_system: str | None = None,
    ) -> None:
        super().__init__(driver_class=cast("type[Driver] | None", driver_class))
        if color_system is not None:  # per app over SSH: the client's terminal, not the server's
            from deliberate.tui.app import console_for

            self.console = console_for(color_system)
        self.gate = gate
        self.t = Translator(lang)
        self.log_path = log_path

    def on_mount(self) -> None:
        self.theme = "textual-dark"

    def action_toggle_language(self) -> None:
        self.t = Translator("en" if self.t.lang == "da" else "da")
        screen = self.screen
        if isinstance(screen, InviteScreen):
            screen.refresh_bindings()
            screen.show_texts()

    # Nothing may be launched or written on the server (DESIGN §6).
    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        pass

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        pass

    def _handle_exception(self, error: Exception) -> None:
        """A bug: the traceback to the log, one plain sentence to the terminal."""
        from deliberate.tui.app import CrashReport

        report = CrashReport(self.t("tui.error.crash", log=log_exception(error, self.log_path)))
        report.__cause__ = error
        super()._handle_exception(report)
