"""What the app is given: settings (passed in, never globals) and the forum it shows."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.dom import DOMNode

from deliberate.i18n import Translator
from deliberate.services.database import Database
from deliberate.services.read_models import MemberInfo
from deliberate.tui.live_hub import LiveHub

if TYPE_CHECKING:
    from deliberate.tui.app import DeliberateApp


@dataclass(frozen=True)
class TuiSettings:
    handle: str
    lang: str = "da"
    mouse: bool = True
    start_mode: str = "forum"
    live: bool = True  # watch the database for other processes' changes
    expiry_check_seconds: float = 10.0  # how often to run the scheduler
    log_path: Path | None = None  # crash log; default: deliberate.log in the data folder
    exit_after_first_screen: bool = False  # benchmarks: quit once the forum is shown
    color_system: str | None = "auto"  # Rich colour depth; SSH sessions: from the client's TERM
    server_presence: bool = False  # the SSH server keeps this member's presence, not the app
    only_mode: bool = False  # only `start_mode` (the projector: nothing else reachable)


class ForumContext:
    """The forum as this app sees it: database, acting member, language."""

    def __init__(
        self, db: Database, member: MemberInfo, settings: TuiSettings, hub: LiveHub | None = None
    ) -> None:
        self.db = db
        self.hub = hub  # the process's live hub (an SSH worker's), else the app makes its own
        self.member = member
        self.settings = settings
        self.t = Translator(settings.lang)
        # The forum overview's first data, loaded while the terminal is being set up.
        self.prefetch: Future[Any] | None = None

    @property
    def handle(self) -> str:
        return self.member.handle

    @property
    def lang(self) -> str:
        return self.t.lang

    def set_language(self, lang: str) -> None:
        self.t = Translator(lang)


def app_of(node: DOMNode) -> DeliberateApp:
    """The app `node` runs in: every screen and widget of deliberate runs in a DeliberateApp."""
    return cast("DeliberateApp", node.app)


def context_of(node: DOMNode) -> ForumContext:
    """The forum context of the app `node` runs in."""
    return app_of(node).ctx
