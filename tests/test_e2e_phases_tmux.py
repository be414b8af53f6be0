"""End to end in a real terminal (tmux, 80×24, the installed console script): a member
proposes, two others support it and it enters debate; another member files a paragraph
amendment and a free-text amendment from the app; the author adopts one; the scheduler (run
by a member's open app, nobody pressing a key) opens voting at opens_at and closes it at
closes_at; `verify` passes."""

from __future__ import annotations

import datetime as dt
import shlex
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from deliberate.services import members, submissions
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import Role
from support.tmux import CLI, TMUX_MARKS, Tmux

pytestmark = TMUX_MARKS


def _app(path: Path, home: Path, handle: str) -> Tmux:
    command = (
        f"env DELIBERATE_HOME={shlex.quote(str(home))} TERM=xterm-256color "
        f"{shlex.quote(CLI)} --db {shlex.quote(str(path))} tui --as {handle} --no-mouse"
        "; echo EXIT=$?; sleep 30"
    )
    return Tmux(command)


def _send(tmux: Tmux, *keys: str) -> None:
    """Send keys, then give the app a moment: a burst of keys may arrive as one read."""
    tmux.keys(*keys)
    time.sleep(0.5)


def _quit(tmux: Tmux) -> None:
    for key in ("Escape", "Escape", "q"):  # apart: ESC then q at once would read as Alt+q
        _send(tmux, key)
    after = tmux.wait_for("EXIT=0")
    assert "Traceback" not in after
    tmux.close()


def _status(path: Path, proposal: str) -> str:
    """The stored status, read with sqlite3 itself (a `deliberate` command would run the
    scheduler first, and this test must show that nobody needed to)."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT status FROM proposals WHERE id = ?", (proposal,)).fetchone()[0]


def _cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, "--db", str(path), *args], capture_output=True, text=True, timeout=60
    )


def test_propose_support_amend_adopt_and_the_clock(tmp_path: Path) -> None:
    path, home = tmp_path / "forum.db", tmp_path / "home"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    for handle in ("anna", "bo", "cy", "dan"):
        members.add_member(db, handle, handle.title())
    members.add_member(db, "ole", "Ole", role=Role.FACILITATOR)
    submissions.set_setting(db, "required_supporters", "2")
    db.dispose()

    # anna proposes from the app.
    tmux = _app(path, home, "anna")
    try:
        tmux.wait_for("Forum")
        _send(tmux, "N")
        tmux.wait_for("Skriv forslaget i Markdown")
        _send(tmux, "-l", "Flere cykelstier")
        tmux.wait_for("Flere cykelstier")
        _send(tmux, "Enter")
        _send(tmux, "-l", "Vi vil have flere cykelstier.")
        _send(tmux, "Enter", "Enter")
        _send(tmux, "-l", "Stierne skal være brede.")
        _send(tmux, "C-t")
        tmux.wait_for("Forslaget 'flere-cykelstier' er gemt")
        _quit(tmux)
    finally:
        tmux.close()
    assert _status(path, "flere-cykelstier") == "draft"

    # bo supports with + in the app, cy from the command line: it enters debate.
    tmux = _app(path, home, "bo")
    try:
        tmux.wait_for("Flere cykelstier", "støt?")
        _send(tmux, "+")
        tmux.wait_for("Du støtter")
        _quit(tmux)
    finally:
        tmux.close()
    result = _cli(path, "support", "flere-cykelstier", "--as", "cy")
    assert result.returncode == 0 and "debat" in result.stdout, result.stderr
    assert _status(path, "flere-cykelstier") == "debate"

    # dan files a paragraph amendment and a free-text amendment from the text tab.
    tmux = _app(path, home, "dan")
    try:
        tmux.wait_for("Flere cykelstier", "debat")
        _send(tmux, "Enter")
        tmux.wait_for("Vi vil have flere cykelstier.")
        _send(tmux, "e")
        tmux.wait_for("Vælg et afsnit")
        _send(tmux, "Down", "r")
        tmux.wait_for("Erstatter afsnit 2")
        _send(tmux, "-l", "Sikre stier")
        tmux.wait_for("Sikre stier")
        _send(tmux, "Enter")
        _send(tmux, "End")
        _send(tmux, "-l", " Og sikre.")
        tmux.wait_for("{+ Og sikre.+}")
        _send(tmux, "C-t")
        tmux.wait_for("Ændringsforslag 1 er stillet")
        _send(tmux, "e")
        tmux.wait_for("Vælg et afsnit")
        _send(tmux, "f")
        tmux.wait_for("Fri tekst")
        _send(tmux, "-l", "Ophøj")
        tmux.wait_for("Ophøj")
        _send(tmux, "Enter")
        _send(tmux, "-l", "Afsnittet ophøjes til mærkesag 1")
        _send(tmux, "C-t")
        tmux.wait_for("Ændringsforslag 2 er stillet")
        _quit(tmux)
    finally:
        tmux.close()

    # anna, the author, adopts amendment 1 from its screen.
    tmux = _app(path, home, "anna")
    try:
        tmux.wait_for("Flere cykelstier")
        _send(tmux, "Enter")
        tmux.wait_for("Vi vil have flere cykelstier.")
        _send(tmux, "a")
        tmux.wait_for("Sikre stier")
        _send(tmux, "Enter")
        tmux.wait_for("Ændringsforslag 1 af 2")
        _send(tmux, "o")
        tmux.wait_for("er overtaget")
        _quit(tmux)
    finally:
        tmux.close()
    shown = _cli(path, "show", "flere-cykelstier")
    assert "Stierne skal være brede. Og sikre." in shown.stdout

    # The facilitator schedules; an open app's scheduler opens and closes the vote.
    now = dt.datetime.now(dt.UTC)
    opens, closes = now + dt.timedelta(seconds=12), now + dt.timedelta(seconds=20)
    result = _cli(
        path,
        "schedule",
        "flere-cykelstier",
        "--opens-at",
        opens.isoformat(),
        "--closes-at",
        closes.isoformat(),
        "--as",
        "ole",
    )
    assert result.returncode == 0, result.stderr
    tmux = _app(path, home, "cy")
    try:
        tmux.wait_for("Flere cykelstier")
        deadline = time.monotonic() + 150
        seen = set()
        while time.monotonic() < deadline:
            seen.add(_status(path, "flere-cykelstier"))
            if "closed" in seen:
                break
            time.sleep(0.2)
        assert "closed" in seen, seen
        tmux.wait_for("Flere cykelstier", "ikke beslut")
        _quit(tmux)
    finally:
        tmux.close()
    result = _cli(path, "verify")
    assert result.returncode == 0, result.stdout + result.stderr


pytest.importorskip("textual")
