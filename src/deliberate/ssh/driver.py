"""A Textual driver over an SSH channel: a member's app inside the server process.

Textual ships drivers for a real terminal (`LinuxDriver`) and for tests (`HeadlessDriver`);
this one reads and writes an asyncssh channel instead, so one process hosts many members'
apps (DESIGN §11). What a terminal of one's own would give an app, it provides per session:

- input goes through Textual's own xterm parser (`textual._xterm_parser.XTermParser`, a
  private module: Textual is pinned and `tests/test_ssh_driver.py` fails loudly if its API
  changes), in slices so one member's 10,000-character paste never holds the event loop;
- window changes become `Resize` events, coalesced (a member resizing wildly costs one
  layout per `RESIZE_EVERY`, not one per step);
- client input is discarded until the app has drawn its first frame (early mouse reports
  would otherwise arrive as text), and terminal answers (DA, DSR, OSC, DCS) are dropped;
- output is dropped once the channel has closed (the member went away first), and a client
  that stops reading is disconnected instead of growing the server's buffers;
- on exit every mouse mode is switched off and the screen restored.

Everything runs on the server's event loop; nothing here blocks.
"""

from __future__ import annotations

import asyncio
import logging
import re
from codecs import getincrementaldecoder
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import constants, events
from textual._xterm_parser import XTermParser  # private: pinned Textual, see the module doc
from textual.driver import Driver
from textual.geometry import Size
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger("deliberate.ssh.driver")

INPUT_SLICE = 2048  # characters parsed per turn of the event loop
RESIZE_EVERY = 0.1  # seconds: at most one layout per member per this, however fast they resize
MAX_BACKLOG = 8 * 1024 * 1024  # bytes waiting for a client that does not read: then disconnect
# Answers a terminal sends to queries (ours or a previous program's); never keys.
TERMINAL_ANSWERS = re.compile(
    r"\x1b\[[?>=][\d;]*c"  # device attributes (DA1/DA2/DA3)
    r"|\x1b\[\d*n"  # device status report
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC answers (colours, clipboard, title)
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS answers (XTVERSION, DECRQSS)
)
MOUSE_OFF = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
KITTY_FLAGS = 0b00001 | 0b01000 | 0b10000  # as Textual's LinuxDriver asks


@dataclass
class Terminal:
    """One client's terminal as the SSH session knows it; the driver's only link to it."""

    write: Callable[[bytes], None]  # send bytes to the client
    backlog: Callable[[], int]  # bytes not yet taken by the client
    term: str = "xterm-256color"
    width: int = 80
    height: int = 24
    closed: bool = False
    driver: ChannelDriver | None = field(default=None, repr=False)


def color_system(term: str, colorterm: str = "") -> str | None:
    """The colour depth for a client's TERM (and COLORTERM, if the client sent it): ssh
    forwards TERM, not COLORTERM, so `xterm-256color` means 256 colours."""
    term = term.lower()
    if colorterm.lower() in ("truecolor", "24bit") or term.endswith(("-direct", "truecolor")):
        return "truecolor"
    if term in ("", "dumb"):
        return None
    if "256" in term:
        return "256"
    return "standard"


class ChannelDriver(Driver):
    """Textual's side of one member's SSH session (see the module doc)."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        terminal: Terminal,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=(terminal.width, terminal.height))
        self.terminal = terminal
        terminal.driver = self
        self._parser = XTermParser(debug=False)
        self._decode = getincrementaldecoder("utf-8")(errors="replace").decode
        self._pending = ""  # decoded input not parsed yet
        self._feeding = False
        self._accepting = False  # input is taken only after the app's first frame
        self._setting_up = False
        self._input_enabled = False
        self._tick: asyncio.TimerHandle | None = None
        self._resize: asyncio.TimerHandle | None = None
        self._last_resize = 0.0
        self._stopped = False

    # ------------------------------------------------------------------ output

    def write(self, data: str) -> None:
        if not self._setting_up and not self._accepting and self._input_enabled:
            self._accepting = True  # the app drew: from now on keys are the member's
        term = self.terminal
        if term.closed or not data:
            return
        if term.backlog() > MAX_BACKLOG:
            log.warning("client not reading (%s bytes waiting): disconnecting", term.backlog())
            term.closed = True
            self._app.exit(1)
            return
        try:
            term.write(data.encode("utf-8", "replace"))
        except Exception:  # the channel closed under us: drop output from now on
            term.closed = True

    def flush(self) -> None:
        pass

    # ------------------------------------------------------------------ application mode

    def start_application_mode(self) -> None:
        self._setting_up = True
        try:
            self._post_size()
            write = self.write
            write("\x1b[?1049h")  # alternate screen
            self._enable_mouse()
            write("\x1b[?25l")  # hide the cursor
            write("\x1b[?1004h")  # focus in/out
            if not constants.DISABLE_KITTY_KEY:
                write(f"\x1b[>{KITTY_FLAGS}u")
            write("\x1b[?2026$p")  # does the terminal do synchronized output?
            write("\x1b[?2004h")  # bracketed paste
            write("\x1b[?7l")  # no line wrap
        finally:
            self._setting_up = False
        self._input_enabled = True

    def _enable_mouse(self) -> None:
        if self._mouse:
            self.write("\x1b[?1000h\x1b[?1003h\x1b[?1015h\x1b[?1006h")

    def disable_input(self) -> None:
        self._input_enabled = False
        self._accepting = False
        self._pending = ""
        for handle in (self._tick, self._resize):
            if handle is not None:
                handle.cancel()
        self._tick = self._resize = None

    def stop_application_mode(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.disable_input()
        self.write(MOUSE_OFF)  # every mouse mode, whatever a client or an earlier app set
        self.write("\x1b[?2004l\x1b[?7h\x1b[?1004l")  # paste, wrap, focus back to normal
        if not constants.DISABLE_KITTY_KEY:
            self.write("\x1b[<u")
        self.write("\x1b[0m\x1b[?1049l\x1b[?25h")  # main screen, cursor back

    # ------------------------------------------------------------------ input

    def feed(self, data: bytes) -> None:
        """Bytes from the client (called by the session on the event loop)."""
        text = self._decode(data)
        if not self._input_enabled or not self._accepting or not text:
            return  # before the first frame: early mouse reports and keys are not the member's
        self._pending += text
        if not self._feeding:
            self._feeding = True
            self._loop.call_soon(self._feed_slice)

    def _feed_slice(self) -> None:
        """Parse one slice, then let other members' apps run before the next."""
        if not self._input_enabled:
            self._feeding = False
            return
        chunk, self._pending = self._pending[:INPUT_SLICE], self._pending[INPUT_SLICE:]
        if self._pending and chunk[-1] == "\x1b":  # keep an escape with what follows
            chunk, self._pending = chunk[:-1], "\x1b" + self._pending
        chunk = TERMINAL_ANSWERS.sub("", chunk)
        try:
            for message in self._parser.feed(chunk):
                self.process_message(message)
        except Exception:
            log.exception("input could not be parsed; dropped")
            self._parser = XTermParser(debug=False)
        if self._pending:
            self._loop.call_soon(self._feed_slice)
        else:
            self._feeding = False
            self._schedule_tick()

    def _schedule_tick(self) -> None:
        """A lone Esc becomes a key after ESCDELAY: look again once that has passed."""
        if self._tick is None:
            self._tick = self._loop.call_later(constants.ESCAPE_DELAY + 0.02, self._run_tick)

    def _run_tick(self) -> None:
        self._tick = None
        if not self._input_enabled:
            return
        for message in self._parser.tick():
            self.process_message(message)

    def send_message(self, message: Message) -> None:
        # Already on the app's event loop: post directly (the base class goes via a thread hop).
        self._app.post_message(message)

    # ------------------------------------------------------------------ size

    def resize(self, width: int, height: int) -> None:
        """The client's window changed. Coalesced: the latest size wins."""
        self.terminal.width, self.terminal.height = width, height
        self._size = (width, height)
        if not self._input_enabled or self._resize is not None:
            return
        wait = max(0.0, self._last_resize + RESIZE_EVERY - self._loop.time())
        self._resize = self._loop.call_later(wait, self._resized)

    def _resized(self) -> None:
        self._resize = None
        self._last_resize = self._loop.time()
        self._post_size()

    def _post_size(self) -> None:
        size = Size(self.terminal.width, self.terminal.height)
        self._size = (size.width, size.height)
        self._app.post_message(events.Resize(size, size))

    def close(self) -> None:
        self.disable_input()


def driver_for(terminal: Terminal) -> Callable[..., Driver]:
    """What `App(driver_class=…)` is given: builds this session's driver when the app starts."""

    def build(app: App[Any], **kwargs: Any) -> Driver:
        return ChannelDriver(app, terminal=terminal, **kwargs)

    return build
