"""Parsed CSS is shared by every app in a process (tui/stylesheet.py, issue 15): a second
app parses no CSS the first already parsed, and looks exactly as an app with Textual's own
stylesheet does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from deliberate.store.engine import Database
from deliberate.tui.app import DeliberateApp, make_app
from deliberate.tui.stylesheet import SharedStylesheet
from support.tui import ME, build_forum, idle, open_proposal, terminal_output


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    yield db
    db.dispose()


async def _painted(app: DeliberateApp) -> tuple[str, str]:
    """What the overview and an opened proposal send to the terminal (digits masked: the
    time left may tick over between two apps)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        overview = terminal_output(app)
        await open_proposal(pilot, "klima")
        return _masked(overview), _masked(terminal_output(app))


def _masked(painted: str) -> str:
    """Digits in the text masked; the escape sequences (colours, styles) kept whole."""
    parts = re.split(r"(\x1b\[[0-9;]*m)", painted)
    return "".join(p if p.startswith("\x1b") else re.sub(r"[0-9]", "#", p) for p in parts)


async def test_a_second_app_parses_nothing_and_looks_the_same(
    forum: Database, tmp_path: Path
) -> None:
    def app() -> DeliberateApp:
        return make_app(forum, ME, "da", live=False, log_path=tmp_path / "tui.log")

    first = app()
    assert isinstance(first.stylesheet, SharedStylesheet)
    shared_first = await _painted(first)
    parsed = SharedStylesheet.parses
    shared_second = await _painted(app())
    assert SharedStylesheet.parses == parsed  # every source came from the process's cache
    plain = app()
    plain.stylesheet = Stylesheet(variables=plain.get_css_variables())  # Textual's own
    assert shared_second == shared_first == await _painted(plain)
