"""End to end: the installed `deliberate` console script in a real terminal (tmux, 80×24).
A member finds the item that needs a vote, votes Nej with key presses, quits; `deliberate
tally --json` counts the vote."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from deliberate.store.engine import Database
from support.tmux import CLI, TMUX_MARKS, Tmux
from support.tui import ME, build_forum

pytestmark = TMUX_MARKS


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
