"""What every screen of the app shares: the forum context, translated bindings, database
work in threads, and refreshing on change or language switch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from deliberate.i18n import Translator
from deliberate.tui import messages
from deliberate.tui.bindings import translate_bindings
from deliberate.tui.context import ForumContext, app_of
from deliberate.tui.work import Job, run_db

if TYPE_CHECKING:
    from deliberate.tui.app import DeliberateApp


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
    """A full screen: reloads its data on change, relabels itself on a language switch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lang = self.t.lang
        translate_bindings(self, self.t, refresh=False)
        self._loading = False
        self._reload_again = False

    def on_mount(self) -> None:
        self.sub_title = self.screen_title()
        # The first load starts with the ScreenResume that follows.

    def on_screen_resume(self) -> None:
        if self._lang and self._lang != self.t.lang:
            self.post_message(messages.LanguageChanged())
        elif not self._loading:  # a load in flight brings fresh data anyway
            self.reload()

    def on_forum_changed(self, message: messages.ForumChanged) -> None:
        if self.is_current:
            self.reload()

    async def on_language_changed(self, message: messages.LanguageChanged) -> None:
        self._lang = self.t.lang
        translate_bindings(self, self.t)
        await self.relabel()
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
        """Start a thread worker that posts this screen's data; its handler calls `loaded()`."""
        self._loading = False

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


class ForumModal(ModalScreen[Any], ForumNodeMixin):
    """A dialog. It is dismissed on a language switch rather than relabelled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self, self.t, refresh=False)

    def on_mount(self) -> None:
        pass

    def on_language_changed(self, message: messages.LanguageChanged) -> None:
        self.dismiss(None)
