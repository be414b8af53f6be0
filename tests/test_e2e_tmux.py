"""End to end: the installed `deliberate` console script in a real terminal (tmux, 80×24).
A member finds the item that needs a vote, votes Nej with key presses, quits; `deliberate
tally --json` counts the vote."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from deliberate.store.engine import Database
from support.tui import ME, build_forum
from support.waiting import wait_until

CLI = str(Path(sys.executable).with_name("deliberate"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("tmux") is None, reason="tmux is not installed (scripts/test installs it)"
    ),
]


class Tmux:
    """One detached tmux server of our own (its own socket), one 80×24 window."""

    def __init__(self, command: str) -> None:
        self.socket = f"deliberate-e2e-{uuid.uuid4().hex[:8]}"
        self.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", command)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        try:
            return self.run("capture-pane", "-p", "-t", "e2e")
        except RuntimeError:
            return ""  # the program ended and took the window with it

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def wait_for(self, *needles: str, timeout: float = 20.0) -> str:
        def shown() -> str:
            text = self.screen()
            return text if all(n in text for n in needles) else ""

        return wait_until(
            shown,
            timeout,
            interval=0.1,
            what=repr(needles),
            describe=lambda: f"the terminal shows:\n{self.screen()}",
        )

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "e2e"], capture_output=True
        )
        return result.returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_vote_with_key_presses_in_a_real_terminal(tmp_path: Path) -> None:
    path = tmp_path / "forum.db"
    db = Database(f"sqlite:///{path}")
    build_forum(db, tmp_path / "files")
    db.dispose()
    # Textual paints on stderr, so nothing is redirected: what the member would see after
    # the app ends (a traceback, say) stays on the terminal, with the exit status.
    command = (
        f"env DELIBERATE_HOME={shlex.quote(str(tmp_path / 'home'))} TERM=xterm-256color "
        f"{shlex.quote(CLI)} --db {shlex.quote(str(path))} tui --as {ME} --no-mouse"
        "; echo EXIT=$?; sleep 30"
    )
    tmux = Tmux(command)
    try:
        tmux.wait_for("1 åbent forslag mangler din stemme", "Klima og grøn omstilling")
        tmux.keys("n")
        tmux.keys("Enter")
        tmux.wait_for("1 Klima og grøn omstilling", "Du har ikke stemt endnu")
        tmux.keys("4")
        tmux.wait_for("Du stemmer: Nej", "Afgiv stemme")
        tmux.keys("Enter")
        screen = tmux.wait_for("Din stemme: Nej", "kvittering")
        assert all(len(line) <= 80 for line in screen.splitlines())
        tmux.keys("Escape")
        tmux.wait_for("Du har stemt på alle åbne forslag")
        tmux.keys("q")
        after = tmux.wait_for("EXIT=0")
        assert "Traceback" not in after and "Error" not in after
    finally:
        tmux.close()

    result = subprocess.run(
        [CLI, "--db", str(path), "tally", "klima", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    tally = json.loads(result.stdout)
    assert tally["status"] == "voting"
    assert tally["counts"]["nej"] == 1 and tally["cast"] == 2
