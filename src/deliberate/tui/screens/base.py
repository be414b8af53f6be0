"""What every screen of the app shares: the forum context, translated bindings, database
work in threads, and refreshing on change or language switch."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from textual.binding import ActiveBinding
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker

from deliberate.i18n import Translator
from deliberate.tui import messages
from deliberate.tui.bindings import translated_bindings
from deliberate.tui.context import ForumContext, app_of
from deliberate.tui.live_hub import Loader, Subscription
from deliberate.tui.work import Job, failure_message, run_db

if TYPE_CHECKING:
    from deliberate.tui.app import DeliberateApp

_NOTHING = object()  # no snapshot waiting


class ForumNodeMixin(DOMNode):
    """Helpers for screens of the deliberate app, typed: a DOMNode, so `self.app` is known.

    It goes AFTER the Textual class (`class X(Screen, ForumNodeMixin)`): Textual takes
    DEFAULT_CSS and CSS type names from the first DOMNode base only."""

    @property
    def forum_app(self) -> DeliberateApp:
        return app_of(self)

    @property
    def ctx(self) -> ForumContext:
        return self.forum_app.ctx

    @property
    def t(self) -> Translator:
        return self.ctx.t

    def wrote(self) -> None:
        """This app just changed the forum: the live hub reads again (thread-safe), so no
        screen is handed a snapshot from before the change."""
        hub = self.ctx.hub
        if hub is not None:
            hub.changed()

    def run_db(self, job: Job, *, group: str, exclusive: bool = True) -> Worker[None]:
        return run_db(
            self,
            job,
            self.t,
            group=group,
            exclusive=exclusive,
            log_path=self.ctx.settings.log_path,
        )


class ForumScreen(Screen[Any], ForumNodeMixin):
    """A full screen: follows changes, relabels itself on a language switch.

    A screen whose data is a live topic (`live_topic`) subscribes to the app's live hub
    while mounted: the hub reads once per change for every screen in the process and hands
    the snapshot over (`from_snapshot` turns it into this screen's Loaded message). Other
    screens reload themselves on `ForumChanged`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lang = self.t.lang
        self.relabeling = False  # composing afresh in another language: timers wait
        self._loading = False
        self._reload_again = False
        self._subscription: Subscription | None = None
        self._snapshot: Any = _NOTHING
        self._snapshot_lock = threading.Lock()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys that work now, described in the member's language (the footer's list)."""
        return translated_bindings(super().active_bindings, self.t)

    def on_mount(self) -> None:
        self.sub_title = self.screen_title()
        topic, hub = self.live_topic(), self.ctx.hub
        # (Textual calls every class's on_mount, and subclasses also call super(): once only.)
        if topic is not None and hub is not None and self._subscription is None:
            key, loader = topic
            self._subscription = hub.subscribe(
                key, loader, self.ctx.handle, self._arrived, self._read_failed
            )
        # The first load starts with the ScreenResume that follows.

    def on_unmount(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None

    def live_topic(self) -> tuple[Hashable, Loader] | None:
        """(key, loader) of the live data this screen shows, or None."""
        return None

    def from_snapshot(self, snapshot: Any) -> Message | None:
        """This member's Loaded message from a hub snapshot (called in the hub's thread)."""
        return None

    class SnapshotWaiting(Message):
        """The hub handed over a snapshot; the screen takes the latest when it gets to it."""

    def _arrived(self, snapshot: Any) -> None:
        """(Hub thread) Keep only the newest snapshot: a screen that falls behind (a burst of
        changes, a busy worker) applies one, never a backlog of stale ones."""
        with self._snapshot_lock:
            waiting = self._snapshot is not _NOTHING
            self._snapshot = snapshot
        if not waiting:
            self.post_message(self.SnapshotWaiting())

    def on_forum_screen_snapshot_waiting(self, message: SnapshotWaiting) -> None:
        with self._snapshot_lock:
            snapshot, self._snapshot = self._snapshot, _NOTHING
        if snapshot is _NOTHING:
            return
        loaded = self.from_snapshot(snapshot)
        if loaded is not None:
            self.post_message(loaded)

    def _read_failed(self, exc: BaseException) -> None:
        """(Hub thread) the read this screen asked for failed: plain words, details logged."""
        text = failure_message(exc, self.t, self.ctx.settings.log_path)
        self.post_message(messages.ActionFailed(text))

    @property
    def subscription(self) -> Subscription | None:
        return self._subscription

    def on_screen_resume(self) -> None:
        if self._lang and self._lang != self.t.lang:
            self.post_message(messages.LanguageChanged())
        elif not self._loading:  # a load in flight brings fresh data anyway
            self.reload()

    def on_forum_changed(self, message: messages.ForumChanged) -> None:
        if self._subscription is None and self.is_current:  # else the hub brings it
            self.reload()

    async def on_language_changed(self, message: messages.LanguageChanged) -> None:
        self._lang = self.t.lang
        self.refresh_bindings()  # the footer asks for the keys again, now in this language
        # While the widgets are composed afresh, a timer firing (a countdown) would find
        # some of them not there yet.
        self.relabeling = True
        try:
            await self.relabel()
        finally:
            self.relabeling = False
        # After the new widgets are in: the old Header's title update would find no title.
        self.sub_title = self.screen_title()
        self.reload()

    def screen_title(self) -> str:
        return ""

    def reload(self) -> None:
        """Load this screen's data again. Requests while a load runs are folded into one
        more load after it, so a burst of changes costs two queries, not one each."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        self.start_loading()

    def start_loading(self) -> None:
        """Start a thread worker that posts this screen's data; its handler calls `loaded()`.
        Default: ask the live hub (its answer arrives as this screen's Loaded message)."""
        self._loading = False
        if self._subscription is not None:
            self._subscription.request()

    def loaded(self) -> None:
        self._loading = False
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def on_action_failed(self) -> None:
        self.loaded()  # a failed load must not block the next one (the app shows the message)

    async def relabel(self) -> None:
        """Show everything again in the current language (default: compose afresh)."""
        await self.recompose()


class DialogNotice(Static):
    """A notification raised while a dialog is open, shown inside the dialog: a toast would
    paint over the dialog's own lines (its keys) on a small terminal."""


class ForumModal(ModalScreen[Any], ForumNodeMixin):
    """A dialog. It is dismissed on a language switch rather than relabelled."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys that work now, described in the member's language."""
        return translated_bindings(super().active_bindings, self.t)

    def on_mount(self) -> None:
        pass

    def show_notice(self, text: str, severity: str) -> None:
        """Show a notification as the dialog's last line (the latest one replaces it)."""
        notices = self.query(DialogNotice)
        if notices:
            notice = notices.first()
        else:
            notice = DialogNotice()
            boxes = self.query(".dialog-box")
            (boxes.first() if boxes else self).mount(notice)
        mark = "! " if severity in ("error", "warning") else "» "  # not by colour alone
        notice.update(Content.assemble(mark, text))
        notice.set_class(severity == "error", "-error")
        notice.set_class(severity == "warning", "-warning")

    def on_language_changed(self, message: messages.LanguageChanged) -> None:
        self.dismiss(None)
