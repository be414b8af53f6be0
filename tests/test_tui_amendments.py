"""The member app and amendment decisions (pilot, 80×24, real SQLite): the result tab shows
the adopted text with its changes marked by characters, the amendments tab says what became of
each amendment, and the vote dialog under separate amendment votes asks one line per amendment
and says that Betinget ja is not offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from deliberate.domain.ballot import Answer, Choice
from deliberate.domain.rules import AmendmentRule, RuleSet
from deliberate.services import importer, voting
from deliberate.store.engine import Database
from deliberate.tui.screens.vote import VoteScreen
from support.amendments import Amend, add_amendments
from support.tui import ME, build_forum, idle, notified, open_proposal, running, shows, wait_for

REPO = Path(__file__).resolve().parents[1]
PID = "et-nyt-vi-1-3"


@pytest.fixture
def forum(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    importer.import_paths(db, [REPO / "proposals" / f"{PID}.md"])
    add_amendments(
        db,
        PID,
        [
            Amend("Gør puljen flerårig", "replace", 2, "Kommunerne skal have en flerårig pulje."),
            Amend("Tilføj sprogcaféer", "insert_after", 3, "Biblioteker skal have sprogcaféer."),
        ],
    )
    voting.open_voting(db, "ordstyrer", PID)
    voting.cast_vote(db, "birgitte", PID, "betinget-ja", amendments=[3])
    voting.cast_vote(db, "jens", PID, "betinget-ja", amendments=[3, 4])
    voting.cast_vote(db, "fatima", PID, "ja")
    voting.close_voting(db, "ordstyrer", PID)
    add_amendments(db, "uddannelse", [Amend("Flere lærere"), Amend("Mindre klasser")])
    separate = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE)
    voting.open_voting(db, "ordstyrer", "uddannelse", rules=separate)
    yield db
    db.dispose()


async def test_result_tab_shows_the_adopted_text_marked(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "Et Nyt Vi")
        await pilot.press("s")
        await shows(pilot, "Vedtaget med ændringer")
        adopted = str(app.screen.query_one("#vote-adopted", Static).content)
        assert adopted.startswith("Vedtaget tekst\n")
        # Changes marked by characters, not only by colour; paragraphs kept apart.
        assert "[-fast-]{+flerårig+} pulje[- til lokale foreninger" in adopted
        assert "\n\nFrivillige mentorer" in adopted
        assert "Biblioteker" not in adopted  # amendment 4 was not carried
        verdicts = str(app.screen.query_one("#vote-amendments", Static).content)
        assert "Ændringsforslag 3 vedtaget: 2 af 3" in verdicts
        await pilot.press("end")  # the panel has the focus: scroll to the adopted text
        await idle(pilot)
        await shows(pilot, "SHA-256 af den vedtagne tekst", "er slettet, {+…+} er indsat")
        await pilot.press("a")
        text = await shows(pilot, "[vedtaget]", "[ikke vedtaget]")
        line = next(ln for ln in text.splitlines() if "Gør puljen flerårig" in ln)
        assert "[vedtaget]" in line


async def test_separate_votes_one_line_per_amendment(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "uddannelse")
        await pilot.press("v")
        await shows(pilot, "Tilbydes ikke: hvert ændringsforslag har sin egen afstemning")
        await pilot.press("2")
        await notified(pilot, "Tilbydes ikke")
        assert isinstance(app.screen, VoteScreen) and app.screen.step == "choose"
        await pilot.press("1")
        await shows(pilot, "Hvert ændringsforslag har sin egen afstemning", "[Undlad ] 1.")
        await pilot.press("j", "down", "n")
        text = await shows(pilot, "[Ja     ] 1.", "[Nej    ] 2.")
        assert "[Undlad ]" not in text or "3." in text
        await pilot.press("enter")
        await shows(pilot, "Du stemmer: Ja", "Ændringsforslag 1: Ja", "Ændringsforslag 2: Nej")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, VoteScreen))
        mine = voting.get_my_vote(forum, ME, "uddannelse")
        assert mine is not None and mine.choice is Choice.JA
        assert dict(mine.answers) == {1: Answer.JA, 2: Answer.NEJ}
