"""Ctrl+C (defects 1 and 2 of issue 9): pressed in the app it gives a plain, translated notice;
sent while `deliberate demo` or `deliberate tui` starts, the program ends quietly — no
traceback, no "unexpected error", no Textual error dump."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from deliberate.services.demo import build_demo
from support.terminal import ALT_SCREEN, Terminal
from support.tui import idle, notified, running

NOISE = (
    "Traceback",
    "KeyboardInterrupt",
    "uventet fejl",
    "unexpected error",
    "errors shown",
    "RuntimeWarning",
    "Error",
    "NoMatches",
)


def _quiet(term: Terminal, code: int) -> None:
    assert code in (0, 130), (code, term.text[-3000:])
    for word in NOISE:
        assert word not in term.text, term.text[-3000:]


# ------------------------------------------------------------------ in the app (pilot)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("da", "Ctrl+C afslutter ikke"), ("en", "Ctrl+C does not quit")],
)
async def test_ctrl_c_gives_a_plain_translated_notice(tmp_path: Path, lang: str, text: str) -> None:
    db = build_demo(tmp_path / "forum.db")
    try:
        async with running(db, tmp_path, lang=lang, handle="demo") as (app, pilot):
            await pilot.press("ctrl+c")
            await notified(pilot, text)
            notice = app.notices[-1]
            assert "[" not in notice and "[b]" not in notice
            assert app.is_running  # a notice, not a quit
            await idle(pilot)
    finally:
        db.dispose()


# ------------------------------------------------------------------ a real process on a pty


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {"DELIBERATE_HOME": str(tmp_path / "home")}


@pytest.fixture
def forum_env(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "forum.db"
    build_demo(path).dispose()
    return {
        "DELIBERATE_HOME": str(tmp_path / "home"),
        "DELIBERATE_DB": str(path),
        "DELIBERATE_MEMBER": "demo",
    }


@pytest.mark.parametrize("seconds", [0.5, 2.5])
def test_ctrl_c_at_a_moment_of_demo_start_up_ends_quietly(
    home: dict[str, str], seconds: float
) -> None:
    term = Terminal("demo", env=home)
    try:
        deadline = time.monotonic() + seconds
        term.wait_for(lambda _t: time.monotonic() >= deadline, timeout=seconds + 5)
        term.interrupt()
        _quiet(term, term.finish())
    finally:
        term.kill()


@pytest.mark.parametrize(
    "moment",
    ["demo built", "screen entered"],
)
def test_ctrl_c_at_each_stage_of_demo_start_up_ends_quietly(
    home: dict[str, str], moment: str
) -> None:
    term = Terminal("demo", env=home)
    try:
        if moment == "demo built":
            term.wait_for(lambda t: "Demoforum bygget" in t.text)
        else:
            term.wait_for(lambda t: ALT_SCREEN in t.output)
        term.interrupt()
        _quiet(term, term.finish())
    finally:
        term.kill()


@pytest.mark.parametrize("seconds", [0.5, 2.5])
def test_ctrl_c_during_tui_start_up_ends_quietly(forum_env: dict[str, str], seconds: float) -> None:
    term = Terminal("tui", env=forum_env)
    try:
        deadline = time.monotonic() + seconds
        term.wait_for(lambda _t: time.monotonic() >= deadline, timeout=seconds + 5)
        term.interrupt()
        _quiet(term, term.finish())
    finally:
        term.kill()


def test_ctrl_c_key_in_the_running_tui_gives_the_notice_then_ctrl_q_quits(
    forum_env: dict[str, str],
) -> None:
    term = Terminal("tui", env=forum_env)
    try:
        term.wait_for(lambda t: "Mangler min stemme" in t.text)
        term.type("\x03")
        term.wait_for(lambda t: "Ctrl+C afslutter ikke" in t.text)
        assert "[b]" not in term.text
        term.type("\x11")
        _quiet(term, term.finish())
    finally:
        term.kill()
