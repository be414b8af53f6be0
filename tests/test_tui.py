"""The member app driven with Textual's pilot at 80×24 on a real SQLite forum: navigate, read,
vote each of the five ways, change a vote, read a result, comment/reply/edit/delete, help,
language. No mocks: every check of what was stored goes through the core services."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from deliberate.domain.ballot import Choice
from deliberate.services import comments, voting
from deliberate.store.engine import Database
from deliberate.tui.app import DeliberateApp, make_app
from deliberate.tui.bindings import declared_bindings, describe
from deliberate.tui.screens.amendment import AmendmentScreen
from deliberate.tui.screens.comment_editor import CommentEditor
from deliberate.tui.screens.help import HelpScreen
from deliberate.tui.screens.proposal import ProposalScreen
from deliberate.tui.screens.vote import VoteScreen
from support.tui import ME, build_forum, idle, notified, open_proposal, running, shows, wait_for


@pytest.fixture
def forum(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    yield db
    db.dispose()


async def test_overview_shows_programmes_sections_status_counts_and_my_vote(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        text = await shows(pilot, "Et grønnere fællesskab", "Selvstændige forslag")
        lines = text.splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        row = {
            name: next(ln for ln in lines if name in ln)
            for name in ("Klima", "Kollektiv", "Boliger", "Uddannelse", "Resolution")
        }
        assert re.search(
            r"1 Klima og grøn omstilling +åben · 2 t [45] m +2 +3 ● mangler", row["Klima"]
        )
        assert re.search(r"1\.1 Kollektiv trafik.* åben +1 +· Ja", row["Kollektiv"])
        assert re.search(r"2 Boliger til alle +vedtaget +· +· Udskyd", row["Boliger"])
        assert "kladde" in row["Uddannelse"] and "kladde" in row["Resolution"]
        assert "1 åbent forslag mangler din stemme (tryk n)" in text
        assert "Alle (5)  Mangler min stemme (1)  Åbne (2)  Lukkede (1)  Kladder (2)" in text
        assert "Min stemme" in lines[4]


async def test_filter_by_status_and_search_by_title(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await pilot.press("f")  # Mangler min stemme
        text = await shows(pilot, "Klima og grøn omstilling")
        assert "Boliger" not in text and "Kollektiv" not in text
        await pilot.press("f", "f")  # Lukkede
        text = await shows(pilot, "Boliger til alle")
        assert "Klima" not in text
        await pilot.press("f", "f")  # Kladder, then Alle again
        await pilot.press("slash", *"trafik")
        text = await shows(pilot, "Kollektiv trafik")
        assert "Klima" not in text and "Boliger" not in text
        await pilot.press("escape")  # clears the search
        await shows(pilot, "Klima og grøn omstilling", "Boliger til alle")
        await pilot.press("slash", *"findes ikke")
        await shows(pilot, "Ingen forslag passer til filteret og søgningen.")


async def test_n_finds_the_open_items_that_need_my_vote(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await pilot.press("n", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        assert app.screen.proposal_id == "klima"


# ---------------------------------------------------------------------------------- reading


async def test_proposal_screen_renders_markdown_and_lists_amendments(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        text = await shows(
            pilot, "1 Klima og grøn omstilling", "Udgangspunkt", "• Et klart prissignal", "Landbrug"
        )
        assert "t Tekst  a Ændringsforslag (2)  k Kommentarer (2)  s Afstemning" in text
        assert re.search(r"åben · 2 t\. [45] min\. · Du har ikke stemt endnu", text)
        await pilot.press("a")
        text = await shows(
            pilot, "1. Ophøj afsnittet til mærkesag", "2. Tilføj et CO2-loft", "1 kommentar"
        )
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AmendmentScreen) and app.screen.view)
        await shows(
            pilot,
            "Ændringsforslag 2 af 2: Tilføj et CO2-loft",
            "Et loft over udledningen fra 2030.",
        )
        await pilot.press("left_square_bracket")
        await shows(
            pilot, "Ændringsforslag 1 af 2: Ophøj afsnittet til mærkesag", "Kommentarer (1)"
        )
        await pilot.press("k")
        await shows(pilot, "Fatima Al-Hassan", "Enig i mærkesagen.")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        await pilot.press("escape")
        await shows(pilot, "Mangler min stemme")


async def test_a_long_document_opens_and_scrolls(forum: Database, tmp_path: Path) -> None:
    from deliberate.services import importer
    from deliberate.tui.widgets.document import RenderedDocument

    sections = "".join(
        f"## Afsnit {k}\n\nTekst om afsnit {k}. " + "Mere tekst. " * 60 + "\n\n- punkt\n- punkt\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        for k in range(1, 131)
    )
    (tmp_path / "lang.md").write_text(
        f"---\nid: lang\ntitle: Et langt forslag\n---\n\n{sections}", encoding="utf-8"
    )
    importer.import_paths(forum, [tmp_path / "lang.md"])
    assert len(sections.encode()) > 100_000
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "langt forslag")
        await shows(pilot, "Afsnit 1", "Tekst om afsnit 1.", "• punkt")
        document = app.screen.query_one(RenderedDocument)
        await wait_for(pilot, lambda: document.complete)
        await pilot.press("t", "end")
        await shows(pilot, " 1  2")
        await wait_for(pilot, lambda: document.scroll_y == document.max_scroll_y > 1000)
        assert "Afsnit 130" in "\n".join(s.text for s in document.lines[-40:])


async def test_end_while_a_long_text_is_laid_out_goes_to_the_end_of_the_whole_text() -> None:
    """A long text shows its first part while the rest is laid out; End pressed meanwhile
    goes to the end of the whole text when it arrives, not to the end of the first part."""
    from rich.segment import Segment
    from textual.app import App, ComposeResult

    from deliberate.tui.widgets.document import RenderedDocument

    class OneDocument(App[None]):
        def compose(self) -> ComposeResult:
            yield RenderedDocument("")

    def lines(n: int) -> list[list[Segment]]:
        return [[Segment(f"linje {i}")] for i in range(n)]

    async with OneDocument().run_test(size=(60, 20)) as pilot:
        document = pilot.app.query_one(RenderedDocument)
        await wait_for(pilot, lambda: document.complete)  # the empty text's own layout
        document.source, document.complete = "langt", False
        document.post_message(RenderedDocument.Rendered(lines(50), 58, "langt", complete=False))
        await wait_for(pilot, lambda: document.max_scroll_y > 0)
        document.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: document.scroll_y == document.max_scroll_y)
        document.post_message(RenderedDocument.Rendered(lines(500), 58, "langt", complete=True))
        await wait_for(pilot, lambda: document.scroll_y == document.max_scroll_y > 400)


# ---------------------------------------------------------------------------------- voting


async def cast(pilot: Pilot, *keys: str) -> None:
    """Press keys in the vote dialog and wait until it has closed."""
    await pilot.press(*keys)
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, VoteScreen))
    await idle(pilot)


@pytest.mark.parametrize(
    ("key", "choice"),
    [("1", Choice.JA), ("3", Choice.UDSKYD), ("4", Choice.NEJ)],
)
async def test_vote_with_keys_1_3_4(
    forum: Database, tmp_path: Path, key: str, choice: Choice
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press(key)
        label = app.ctx.t(f"choice.{choice.value}")
        await shows(pilot, f"Du stemmer: {label}", "Afgiv stemme")
        await cast(pilot, "enter")
        mine = voting.get_my_vote(forum, ME, "klima")
        assert mine is not None and mine.choice is choice and mine.version == 1
        text = await shows(pilot, f"Din stemme: {label}", f"kvittering {mine.receipt}")
        assert "▶ " + key in text  # the chosen option stays marked in the voting tab
        await notified(pilot, f"Din stemme er modtaget: {label}. Kvittering: {mine.receipt}")


async def test_betinget_ja_asks_for_at_least_one_amendment(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("2")
        await shows(
            pilot,
            "hvilke ændringsforslag",
            "[ ] 1. Ophøj afsnittet til mærkesag",
            "[ ] 2. Tilføj et CO2-loft",
        )
        await pilot.press("enter")
        await notified(pilot, "Vælg mindst ét ændringsforslag")
        assert isinstance(app.screen, VoteScreen) and app.screen.step == "amendments"
        await pilot.press("down", "space")
        await shows(pilot, "[x] 2. Tilføj et CO2-loft")
        await pilot.press("enter")
        await shows(pilot, "Du stemmer: Betinget ja med ændringsforslag 2")
        await cast(pilot, "enter")
        mine = voting.get_my_vote(forum, ME, "klima")
        assert mine is not None and mine.choice is Choice.BETINGET_JA and mine.amendments == (2,)
        await shows(pilot, "Din stemme: Betinget ja (2)")


async def test_bloker_asks_for_the_reason(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("5")
        await shows(pilot, "Bloker: skriv kort, hvorfor")
        await pilot.press("enter")
        await notified(pilot, "Bloker kræver en begrundelse.")
        await pilot.press(*"Det ")  # typing works; the rest is pasted
        app.screen.query_one("#reason", Input).insert_text_at_cursor("strider mod vores vedtaegter")
        await pilot.press("enter")
        await shows(pilot, "Du stemmer: Bloker", "Begrundelse: Det strider mod vores vedtaegter")
        await cast(pilot, "enter")
        mine = voting.get_my_vote(forum, ME, "klima")
        assert mine is not None and mine.choice is Choice.BLOKER
        assert mine.reason == "Det strider mod vores vedtaegter"


async def test_v_opens_the_five_options_with_labels_and_explanations(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("v")
        text = await shows(pilot, "Stem om Klima og grøn omstilling")
        for choice in Choice:
            assert f"{choice.key_number}  {app.ctx.t(f'choice.{choice.value}')}" in text
        assert "Godkend forslaget som det oprindeligt er skrevet." in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen))
        assert voting.get_my_vote(forum, ME, "klima") is None  # Esc cast nothing
        await pilot.press("v", "down", "down", "enter")
        await shows(pilot, "Du stemmer: Udskyd")
        await pilot.press("escape")  # back to the options; nothing cast yet
        await shows(pilot, "Stem om")
        assert voting.get_my_vote(forum, ME, "klima") is None


async def test_changing_a_vote_until_close(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "trafik")  # I voted Ja here
        await shows(pilot, "Din stemme: Ja")
        await pilot.press("4")
        await shows(pilot, "Du stemmer: Nej", "Det erstatter din tidligere stemme.")
        await cast(pilot, "enter")
        mine = voting.get_my_vote(forum, ME, "trafik")
        assert mine is not None and mine.choice is Choice.NEJ and mine.version == 2
        await shows(pilot, "Din stemme: Nej · ændret")
        await notified(pilot, "Din stemme er ændret: Nej")


async def test_a_refused_vote_keeps_the_dialog_open(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "trafik")
        await pilot.press("1")
        await shows(pilot, "Du stemmer: Ja")
        voting.close_voting(forum, "ordstyrer", "trafik")  # closed while the member confirms
        await pilot.press("enter")
        await notified(pilot, "er lukket; der modtages ikke flere stemmer")
        assert isinstance(app.screen, VoteScreen)


async def test_closed_proposal_shows_outcome_counts_rules_and_chart(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "boliger")
        await pilot.press("s")
        text = await shows(pilot, "s Resultat", "Resultat: Vedtaget", "Regelsæt: pofo")
        lines = text.splitlines()
        bars = {
            label: next(ln for ln in lines if ln.strip().startswith(label + " "))
            for label in ("Ja", "Udskyd", "Nej", "Bloker")
        }
        assert bars["Ja"].rstrip().endswith("2") and "█" in bars["Ja"]
        assert bars["Nej"].rstrip().endswith("1") and bars["Bloker"].rstrip().endswith("0")
        assert bars["Ja"].count("█") > bars["Nej"].count("█") > 0 and "█" not in bars["Bloker"]
        assert "Afgivne stemmer: 4 af 5 stemmeberettigede." in text
        assert voting.tally(forum, "boliger").explanation("da")[:30] in text.replace("\n", " ")
        await pilot.press("1")
        await notified(pilot, "Afstemningen er lukket")
        assert not isinstance(app.screen, VoteScreen)


async def test_draft_cannot_be_voted_on(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "uddannelse")
        await pilot.press("s")
        await shows(pilot, "Afstemningen er ikke åbnet endnu.")
        await pilot.press("1")
        await notified(pilot, "Afstemningen er ikke åbnet endnu.")


# ---------------------------------------------------------------------------------- comments


async def write(pilot: Pilot, text: str) -> None:
    """Type into the open comment editor and save."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommentEditor))
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommentEditor))
    await idle(pilot)


async def test_comment_reply_edit_delete(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("k")
        await shows(pilot, "Birgitte Østergaard", "↳ Jens Mølgaard", "Det betaler sig selv hjem.")
        # Write
        await pilot.press("c")
        await write(pilot, "Jeg støtter forslaget.")
        await shows(pilot, "Demo Medlem (dig)", "Jeg støtter forslaget.", "Kommentarer (3)")
        mine = [
            c
            for c in comments.list_comments(forum, "klima", amendment=None)
            if c.author_handle == ME
        ]
        assert [c.body for c in mine] == ["Jeg støtter forslaget."]
        # Reply to Birgitte's comment
        await pilot.press("home", "r")
        await shows(pilot, "Svar til Birgitte Østergaard")
        await write(pilot, "Det koster mindre end at lade være.")
        reply = next(
            c for c in comments.list_comments(forum, "klima") if c.body.startswith("Det koster")
        )
        assert reply.parent_id is not None and reply.depth == 1
        # Editing someone else's comment is refused, nothing opens
        await pilot.press("home", "e")
        await notified(pilot, "Du kan kun redigere og slette dine egne kommentarer.")
        assert not isinstance(app.screen, CommentEditor)
        # Edit my own
        app.screen.query_one("#thread").select_comment(reply.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, CommentEditor))
        area = app.screen.query_one(TextArea)
        assert area.text == "Det koster mindre end at lade være."
        area.text = "Det koster mindre end ingenting."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommentEditor))
        await shows(pilot, "Det koster mindre end ingenting.", "redigeret")
        # Delete Birgitte's? No. Delete my first comment: it shows as deleted, replies stay.
        first = mine[0]
        comments.add_comment(forum, "jens", "klima", "Svar til demo.", reply_to=first.id)
        app.post_message(__import__("deliberate.tui.messages", fromlist=["x"]).ForumChanged())
        await shows(pilot, "Svar til demo.")
        app.screen.query_one("#thread").select_comment(first.id)
        await pilot.press("d")
        await shows(pilot, "Slet din kommentar?")
        await pilot.press("enter")
        await shows(pilot, "[kommentaren er slettet]", "Svar til demo.")
        assert next(c for c in comments.list_comments(forum, "klima") if c.id == first.id).deleted


async def test_comment_on_an_amendment(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("a", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AmendmentScreen) and app.screen.view)
        await pilot.press("c")
        await shows(pilot, "Kommentar til ændringsforslag 2 i Klima og grøn omstilling")
        await write(pilot, "Loftet bør gælde fra 2028.")
        await pilot.press("k")
        await shows(pilot, "Loftet bør gælde fra 2028.", "Kommentarer (1)")
        stored = comments.list_comments(forum, "klima", amendment=2)
        assert [c.body for c in stored] == ["Loftet bør gælde fra 2028."]


async def test_an_empty_or_refused_comment_keeps_the_editor_and_its_text(
    forum: Database, tmp_path: Path
) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CommentEditor))
        await pilot.press("ctrl+s")
        await notified(pilot, "Skriv noget, før du gemmer.")
        long_text = "x" * (comments.MAX_BODY + 1)
        app.screen.query_one(TextArea).text = long_text
        await pilot.press("ctrl+s")
        await notified(pilot, "for lang")
        await idle(pilot)
        assert (
            isinstance(app.screen, CommentEditor)
            and app.screen.query_one(TextArea).text == long_text
        )
        await pilot.press("escape")  # unsaved text: asks first
        await shows(pilot, "Kassér teksten, du har skrevet?")
        await pilot.press("escape")  # keep writing
        await wait_for(pilot, lambda: isinstance(app.screen, CommentEditor))
        assert app.screen.query_one(TextArea).text == long_text


# ---------------------------------------------------------------------------------- comfort


async def test_help_lists_every_key_of_the_screen(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        proposal = app.screen
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        body = help_screen.query_one("#help-keys").render().plain  # type: ignore[union-attr]
        ours = [b for b in declared_bindings(proposal) if b.id]
        assert len(ours) >= 12
        for binding in ours:
            assert describe(binding, app.ctx.t) in body
            assert app.get_key_display(binding) in body
        for word in ("Ja", "Betinget ja", "Udskyd", "Nej", "Bloker", "esc", "English"):
            assert word in body + help_screen.query_one("#help-choices").render().plain  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is proposal)


async def test_every_binding_has_an_id_and_a_translated_description() -> None:
    from deliberate.i18n import has_message
    from deliberate.tui.screens import (
        amendment,
        comment_editor,
        confirm,
        help,
        overview,
        proposal,
        vote,
    )
    from deliberate.tui.widgets import comment_thread, proposal_list

    classes = [
        DeliberateApp,
        overview.OverviewScreen,
        proposal.ProposalScreen,
        amendment.AmendmentScreen,
        vote.VoteScreen,
        vote.AmendmentPicker,
        comment_editor.CommentEditor,
        confirm.ConfirmScreen,
        help.HelpScreen,
        comment_thread.CommentThread,
        proposal_list.ProposalList,
    ]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, f"{cls.__name__}: {binding.key}"
            assert has_message(f"tui.key.{binding.id}"), f"{cls.__name__}: tui.key.{binding.id}"


async def test_switch_language_relabels_everything(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await open_proposal(pilot, "klima")
        await pilot.press("ctrl+l")
        text = await shows(
            pilot,
            "t Text  a Amendments (2)  k Comments (2)  s Voting",
            "You have not voted yet",
            "esc Back",
        )
        assert "Tilbage" not in text
        await pilot.press("escape")
        text = await shows(
            pilot,
            "All (5)  Needs my vote (1)",
            "● not yet",
            "1 open proposal needs your vote",
            "/ Search",
        )
        assert "Mangler" not in text
        await pilot.press("ctrl+l")
        await shows(pilot, "Alle (5)  Mangler min stemme (1)")


async def test_english_from_the_start(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path, lang="en") as (app, pilot):
        text = await shows(pilot, "Stand-alone proposals", "adopted", "Postpone", "My vote")
        assert re.search(r"open · 2h [45]m", text)
        await open_proposal(pilot, "klima")
        await pilot.press("2")
        await shows(pilot, "Conditional yes: which amendments")
        await pilot.press("space", "enter", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, VoteScreen))
        await shows(pilot, "Your vote: Conditional yes (1)")
        await notified(pilot, "Your vote was recorded: Conditional yes (1).")


async def test_a_member_without_vote_reads_and_comments_only(
    forum: Database, tmp_path: Path
) -> None:
    from deliberate.services import members

    members.add_member(forum, "gaest", "Gæst Uden Stemme", can_vote=False)
    async with running(forum, tmp_path, handle="gaest") as (app, pilot):
        await shows(pilot, "har ikke stemmeret")
        await open_proposal(pilot, "klima")
        await pilot.press("1")
        await notified(pilot, "Du har ikke stemmeret")
        assert not isinstance(app.screen, VoteScreen)


async def test_unknown_member_is_a_user_error(forum: Database) -> None:
    from deliberate.errors import UserError

    with pytest.raises(UserError, match="nobody"):
        make_app(forum, "nobody", "da")


async def test_search_input_keeps_letters_from_bindings(forum: Database, tmp_path: Path) -> None:
    async with running(forum, tmp_path) as (app, pilot):
        await pilot.press("slash", *"fnq")
        assert app.screen.query_one("#search", Input).value == "fnq"
        assert app.is_running
