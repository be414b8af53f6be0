"""The Textual driver over an SSH channel (ssh/driver.py), without SSH: a real Textual app
runs on it in this event loop; its 'channel' is a list of bytes."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

import pytest
import textual
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from deliberate.ssh.driver import ChannelDriver, Terminal, color_system, driver_for


def test_textual_is_the_pinned_version_and_its_parser_api_is_what_the_driver_uses() -> None:
    """The driver uses a private Textual module (the xterm parser). If this fails after an
    upgrade, re-check ssh/driver.py against the new textual/_xterm_parser.py first."""
    from textual._xterm_parser import XTermParser

    assert textual.__version__ == "8.2.8", "Textual changed: re-check ssh/driver.py (see above)"
    assert list(inspect.signature(XTermParser.__init__).parameters) == ["self", "debug"]
    parser = XTermParser(debug=False)
    keys = list(parser.feed("a")) + list(parser.feed("\x1b[A"))
    keys += list(parser.tick())
    pasted = list(parser.feed("\x1b[200~hello\x1b[201~"))
    found = [m for m in keys + pasted]
    assert any(isinstance(m, events.Key) and m.key == "a" for m in found)
    assert any(isinstance(m, events.Key) and m.key == "up" for m in found)
    assert any(isinstance(m, events.Paste) and m.text == "hello" for m in found)
    time.sleep(0.15)
    lone_escape = list(parser.feed("\x1b")) + list(parser.tick())
    time.sleep(0.15)
    lone_escape += list(parser.tick())
    assert any(isinstance(m, events.Key) and m.key == "escape" for m in lone_escape)


def test_colour_depth_comes_from_the_clients_terminal_type() -> None:
    assert color_system("xterm-256color") == "256"
    assert color_system("xterm-256color", "truecolor") == "truecolor"
    assert color_system("xterm-direct") == "truecolor"
    assert color_system("xterm") == "standard" and color_system("vt100") == "standard"
    assert color_system("dumb") is None


class Echo(App[int]):
    """Shows the keys it got, and an input field for pastes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[str] = []
        self.sizes: list[tuple[int, int]] = []
        self.pasted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("KLAR", id="ready")

    def on_paste(self, event: events.Paste) -> None:
        self.pasted.append(event.text)

    def on_key(self, event: events.Key) -> None:
        self.keys.append(event.key)

    def on_resize(self, event: events.Resize) -> None:
        self.sizes.append((event.size.width, event.size.height))


class Channel:
    def __init__(self) -> None:
        self.out = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        if self.closed:
            raise BrokenPipeError("Channel not open for sending")
        self.out += data

    def text(self) -> str:
        return self.out.decode("utf-8", "replace")


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def start(width: int = 80, height: int = 24) -> tuple[Echo, Terminal, Channel, asyncio.Task]:
    channel = Channel()
    terminal = Terminal(write=channel.write, backlog=lambda: 0, width=width, height=height)
    app = Echo(driver_class=driver_for(terminal))  # type: ignore[arg-type]
    task = asyncio.get_running_loop().create_task(app.run_async())
    await until(lambda: terminal.driver is not None and "KLAR" in channel.text())
    return app, terminal, channel, task


async def test_keys_resize_paste_and_a_clean_exit() -> None:
    app, terminal, channel, task = await start()
    driver = terminal.driver
    assert isinstance(driver, ChannelDriver)
    assert app.size == (80, 24)
    driver.feed(b"x")
    await until(lambda: "x" in app.keys)
    # Terminal answers are not keys.
    driver.feed(b"\x1b[?62;22c\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[>0;276;0cy")
    await until(lambda: "y" in app.keys)
    assert app.keys == ["x", "y"]
    # Resizes: many in a row become few layouts, and the last size wins.
    for width in range(81, 131):
        driver.resize(width, 40)
    await until(lambda: app.size == (130, 40))
    assert len(app.sizes) < 10
    # A 10,000-character paste arrives whole, in slices.
    text = "æ" * 10_000
    driver.feed(b"\x1b[200~" + text.encode() + b"\x1b[201~")
    await until(lambda: app.pasted)
    assert app.pasted == [text]
    app.exit(0)
    await task
    tail = channel.text()[-200:]
    assert "\x1b[?1003l" in tail and "\x1b[?1000l" in tail and "\x1b[?1006l" in tail
    assert tail.endswith("\x1b[?25h")


async def test_input_before_the_first_frame_is_dropped() -> None:
    channel = Channel()
    terminal = Terminal(write=channel.write, backlog=lambda: 0)
    app = Echo(driver_class=driver_for(terminal))  # type: ignore[arg-type]
    driver = ChannelDriver(app, terminal=terminal)
    driver.start_application_mode()
    driver.feed(b"\x1b[<35;10;5Mq")  # an early mouse report and a key, before any frame
    await asyncio.sleep(0.05)
    assert not driver._pending and not driver._feeding
    driver.stop_application_mode()


async def test_output_is_dropped_once_the_client_has_gone() -> None:
    app, terminal, channel, task = await start()
    channel.closed = True  # the client went first: writes would raise
    app.query_one("#ready", Static).update("NOCH")
    await asyncio.sleep(0.1)
    assert terminal.closed
    app.exit(0)
    await asyncio.wait_for(task, 10)


@pytest.mark.parametrize("backlog", [10**9])
async def test_a_client_that_does_not_read_is_disconnected(backlog: int) -> None:
    channel = Channel()
    terminal = Terminal(write=channel.write, backlog=lambda: backlog)
    app = Echo(driver_class=driver_for(terminal))  # type: ignore[arg-type]
    code = await asyncio.wait_for(app.run_async(), 20)
    assert code == 1 and terminal.closed
