"""The meeting screens with Textual's pilot: a member following the agenda, voting and asking
for the floor; the facilitator's console; the projector view. Real databases, no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Static

from deliberate.domain.ballot import Answer, Choice
from deliberate.domain.rules import AmendmentRule, RuleSet
from deliberate.services import audit, meetings, members, voting
from deliberate.services.importer import import_paths
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import SecretBallot
from deliberate.tui.app import make_app
from deliberate.tui.bindings import declared_bindings
from deliberate.tui.screens.help import HelpScreen
from support.amendments import Amend, add_amendments
from support.tui import changed, notified, screen_text, wait_for

PROPOSAL = "---\nid: {id}\ntitle: {title}\n---\n\nTekst.\n\n## Forslag til ændringer\n\n### Skærp målet\n\nMere.\n"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    migrate.upgrade(db)
    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid, title in (("p1", "Flere cykelstier"), ("p2", "Grønne tage"), ("p3", "Bedre busser")):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid, title=title), encoding="utf-8")
    import_paths(db, [folder])
    members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator")
    members.add_member(db, "birgitte", "Birgitte Østergaard")
    members.add_member(db, "jens", "Jens Mølgaard")
    yield db
    db.dispose()


async def shows(pilot: Pilot, *needles: str, timeout: float = 10.0) -> None:
    await wait_for(pilot, lambda: all(n in screen_text(pilot.app) for n in needles), timeout)


def running(db: Database, **options: object) -> int:
    m = meetings.create_meeting(db, "ole", "Landsmøde 2027", ["p1", "p2", "p3"], **options)  # type: ignore[arg-type]
    meetings.start_meeting(db, "ole", m.id)
    return m.id


async def test_a_member_follows_the_agenda_votes_and_asks_for_the_floor(db: Database) -> None:
    mid = running(db, speaker_limit_seconds=120)
    app = make_app(db, "birgitte", "da", live=False, start_mode="meeting")
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(
            pilot, "Landsmøde 2027 · Punkt 1 af 3", "Flere cykelstier", "Afstemningen er ikke åbnet"
        )
        await pilot.press("1")
        await wait_for(pilot, lambda: "Afstemningen er ikke åbnet endnu." in app.notices)

        meetings.open_item_voting(db, "ole", mid, countdown_seconds=300)
        changed(app)
        await shows(
            pilot,
            "Afstemning åben",
            "Tid tilbage: 4:5",
            "0 af 3 har stemt",
            "Du har ikke stemt endnu",
        )
        await pilot.press("1")
        await shows(pilot, "Du stemmer: Ja")
        await pilot.press("enter")
        await shows(pilot, "1 af 3 har stemt", "Din stemme: Ja")
        assert voting.get_my_vote(db, "birgitte", "p1") is not None

        await pilot.press("r")
        await shows(pilot, "1. Birgitte Østergaard", "Du står som nr. 1 på talelisten.")
        meetings.point_of_order(db, "jens", mid)
        changed(app)
        await shows(pilot, "1. Jens Mølgaard · til forretningsordenen", "2. Birgitte Østergaard")
        await pilot.press("w")
        await wait_for(pilot, lambda: "Birgitte" not in screen_text(app))
        meetings.grant_floor(db, "ole", mid)
        changed(app)
        await shows(pilot, "▶ Jens Mølgaard · til forretningsordenen · 0:0", "af 2:00")

        await pilot.press("enter")  # read the proposal in full...
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProposalScreen")
        meetings.next_item(db, "ole", mid)  # ...and the facilitator moves on: we follow
        changed(app)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MeetingScreen")
        await shows(pilot, "Punkt 2 af 3", "Grønne tage")
        assert any("gået videre: punkt 2" in n for n in app.notices)


async def test_hidden_counts_until_close_then_the_result_for_everyone(db: Database) -> None:
    mid = running(db, hide_counts=True)
    meetings.open_item_voting(db, "ole", mid)
    voting.cast_vote(db, "jens", "p1", "nej")
    app = make_app(db, "birgitte", "en", live=False, start_mode="meeting")
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "1 of 3 have voted", "The counts are shown when voting closes.")
        assert "No 1" not in screen_text(app)
        meetings.close_item_voting(db, "ole", mid)
        changed(app)
        await shows(pilot, "Voting closed", "No 1", "Rejected")


async def test_the_facilitator_console_runs_a_meeting(db: Database) -> None:
    m = meetings.create_meeting(db, "ole", "Landsmøde 2027", ["p1", "p2"], speaker_limit_seconds=90)
    app = make_app(db, "ole", "da", live=False, start_mode="console")
    async with app.run_test(size=(100, 32)) as pilot:
        await shows(pilot, "Planlagte møder", "Landsmøde 2027")
        await pilot.press("s")
        await shows(pilot, "Dagsorden", "▶ 1. Flere cykelstier", "Afstemningen er ikke åbnet")
        assert meetings.running_meeting_id(db) == m.id

        await pilot.press("o")
        await shows(pilot, "Åbn afstemning om", "pofo", "Hemmelig afstemning")
        await pilot.press("enter")  # pofo, an open ballot
        await shows(pilot, "Afstemning åben", "0 af 3 har stemt")
        voting.cast_vote(db, "birgitte", "p1", "ja")
        voting.cast_vote(db, "jens", "p1", "ja")
        changed(app)
        await shows(pilot, "2 af 3 har stemt", "Ja 2")

        await pilot.press("e")  # no countdown yet: +1 minute starts one
        await shows(pilot, "Tid tilbage: ")

        await pilot.press("c")
        await shows(pilot, "Luk afstemningen om")
        await pilot.press("enter")
        await shows(pilot, "Afstemning lukket", "Vedtaget", "Revisionslog #")
        from deliberate.services import audit

        seq, head = audit.head(db)
        await shows(pilot, head[:40])
        assert any("Afstemningen er lukket: vedtaget" in n for n in app.notices)

        meetings.request_to_speak(db, "jens", mid := m.id)
        meetings.heartbeat(db, "jens")
        changed(app)
        await shows(pilot, "1. Jens Mølgaard", "Forbundet nu (2)", "Jens Mølgaard, Ole Ordstyrer")
        await pilot.press("g")
        await shows(pilot, "▶ Jens Mølgaard · 0:0", "af 1:30", "Taletid i alt")
        await pilot.press("f")
        await shows(pilot, "Ingen har ordet")
        await pilot.press("n")
        await shows(pilot, "▶ 2. Grønne tage")
        await pilot.press("x")
        await shows(pilot, "Afslut mødet")
        await pilot.press("enter")
        await shows(pilot, "Planlagte møder")
        assert meetings.get_meeting(db, mid).status == "ended"


async def test_a_member_has_no_console_and_mistakes_become_notices(db: Database) -> None:
    app = make_app(db, "jens", "da", live=False)
    assert "console" not in app.mode_names and "meeting" in app.mode_names
    mid = running(db)
    app = make_app(db, "jens", "da", live=False, start_mode="meeting")
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "Punkt 1 af 3")
        # The console's key is not offered to a member (check_action), and does nothing.
        assert "f4" not in app.active_bindings and "f2" in app.active_bindings
        screen = app.screen
        await pilot.press("f4")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        listing = str(app.screen.query_one("#help-keys", Static).render())
        assert "Forum" in listing and "Ordstyrer" not in listing, listing
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("w")
        await wait_for(pilot, lambda: "Du står ikke på talelisten." in app.notices)
        meetings.end_meeting(db, "ole", mid)
        changed(app)
        await shows(pilot, "Intet møde i gang")
        await pilot.press("r")
        await wait_for(pilot, lambda: "Intet møde er i gang lige nu." in app.notices)


async def test_the_projector_shows_big_numbers_and_the_result(db: Database) -> None:
    from deliberate.tui.screens.projector import ProjectorScreen

    mid = running(db)
    meetings.open_item_voting(db, "ole", mid, countdown_seconds=125)
    voting.cast_vote(db, "jens", "p1", "ja")
    meetings.request_to_speak(db, "birgitte", mid)
    app = make_app(db, "ole", "da", live=False, start_mode="projector")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ProjectorScreen))
        await shows(
            pilot, "Flere cykelstier", "Tid tilbage", "Har stemt (af 3)", "1. Birgitte Østergaard"
        )
        text = screen_text(app)
        assert "┏━╸" in text or "╺━┓" in text  # large digits
        assert not [b for b in declared_bindings(app.screen) if b.id]  # no action of ours on it
        meetings.close_item_voting(db, "ole", mid)
        changed(app)
        await shows(pilot, "Vedtaget", "Ja 1")


async def test_member_text_on_meeting_screens_cannot_act(db: Database) -> None:
    members.add_member(db, "mallory", "Mal [@click=app.quit]lory \x1b]52;c;aGk=\x07")
    m = meetings.create_meeting(db, "ole", "Møde [b]fed[/b]", ["p1"])
    meetings.start_meeting(db, "ole", m.id)
    meetings.request_to_speak(db, "mallory", m.id)
    app = make_app(db, "ole", "da", live=False, start_mode="console")
    async with app.run_test(size=(100, 30)) as pilot:
        await shows(pilot, "Mal [@click=app.quit]lory", "Møde [b]fed[/b]")
        assert "\x1b]52" not in screen_text(app)


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
async def test_a_member_answers_each_amendment_from_the_meeting_view(
    db: Database, secret: bool
) -> None:
    """Separate amendment votes (rule `amendments = "separate"`): the meeting view's vote
    dialog asks for each amendment's answer, as the proposal screen's does, and the answers
    are stored as from there (on a secret ballot: with the ballot, not with the member).
    Amendments 2 and 3 are alternatives: of the two that pass, the better supported wins."""
    add_amendments(db, "p1", [Amend("Dobbelt så mange", group=1), Amend("Flere", group=1)])
    members.add_member(db, "anna", "Anna Andersen")
    mid = running(db)
    separate = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE)
    meetings.open_item_voting(db, "ole", mid, rules=separate, secret=secret)
    voting.cast_vote(db, "jens", "p1", "ja", amendment_votes={1: "ja", 2: "ja", 3: "nej"})
    voting.cast_vote(db, "anna", "p1", "ja", amendment_votes={1: "nej", 2: "ja", 3: "ja"})
    app = make_app(db, "birgitte", "da", live=False, start_mode="meeting")
    async with app.run_test(size=(80, 24)) as pilot:
        await shows(pilot, "Afstemning åben", "Flere cykelstier")
        await pilot.press("1")
        await shows(pilot, "Hvert ændringsforslag har sin egen afstemning", "[Undlad ] 3.")
        await shows(pilot, "alternativ til 3: højst ét vedtages", "alternativ til 2")
        await pilot.press("j", "down", "j", "down", "j")
        await shows(pilot, "[Ja     ] 1.", "[Ja     ] 2.", "[Ja     ] 3.")
        await pilot.press("enter")
        await shows(pilot, "Du stemmer: Ja", "Ændringsforslag 1: Ja", "Ændringsforslag 3: Ja")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MeetingScreen")
        if secret:
            await notified(pilot, "Din kontrolkode")
            with db.read() as session:
                stored = session.scalars(select(SecretBallot.amendment_answers)).all()
            assert sorted(stored) == ["1=ja,2=ja,3=ja", "1=ja,2=ja,3=nej", "1=nej,2=ja,3=ja"]
        else:
            await shows(pilot, "Din stemme: Ja")
            mine = voting.get_my_vote(db, "birgitte", "p1")
            assert mine is not None and mine.choice is Choice.JA
            assert dict(mine.answers) == {1: Answer.JA, 2: Answer.JA, 3: Answer.JA}
            # Changing the vote: the dialog starts from the answers given.
            await pilot.press("v", "1")
            await shows(pilot, "[Ja     ] 1.", "[Ja     ] 2.", "[Ja     ] 3.")
            await pilot.press("escape", "escape", "escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "MeetingScreen")
    result = voting.close_voting(db, "ole", "p1")
    assert {k: tuple(v) for k, v in result.counts.amendment_votes.items()} == {
        1: (2, 1, 0),
        2: (3, 0, 0),
        3: (2, 1, 0),
    }
    assert result.carried_amendments == (1, 2)  # 3 passed too, but 2 had more support
    assert audit.verify(db).ok
