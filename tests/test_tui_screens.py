"""The main screens pinned at 80×24: the overview, a proposal, the vote dialog and a result,
line by line as the terminal shows them. Times, receipts and dates are the only parts left
free (they change from run to run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input

from deliberate.store.engine import Database
from deliberate.tui.app import make_app
from deliberate.tui.screens.proposal import ProposalScreen
from support.tui import ME, build_forum, idle, screen_text, shows, wait_for


def normalised(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"åben · 2 t \d+ m", "åben · <tid>", text)
    text = re.sub(r"åben · 2 t\. \d+ min\.", "åben · <tid>", text)
    text = re.sub(r"\d+\. [a-zæøå]+\.? \d{4} \d\d\.\d\d", "<tidspunkt>", text)
    return re.sub(r"kvittering [0-9A-Z]{4}-[0-9A-Z]{4}", "kvittering <kode>", text)


OVERVIEW = """\
 §                            deliberate — Forum
 Demo Medlem · 1 åbent forslag mangler din stemme (tryk n)
 ▸ Alle (5)  Mangler min stemme (1)  Åbne (2)  Lukkede (1)  Kladder (2)
 Søg i titler … (tryk / for at søge, Esc for listen)
 Forslag                                 Status              Æ   K Min stemme
 Et grønnere fællesskab
   1 Klima og grøn omstilling            åben · <tid>     2   3 ● mangler
   1.1 Kollektiv trafik i hele landet    åben               1   · Ja
   2 Boliger til alle                    vedtaget           ·   · Udskyd
   3 Uddannelse og dannelse              kladde             ·   · –
 Selvstændige forslag
 Resolution om busruter i Vestjylland    kladde             ·   · –











 / Søg  f Filter  n Mangler stemme  ? Hjælp  q Afslut  ^l English
"""

PROPOSAL = """\
 §                           deliberate — Forslag
 1 Klima og grøn omstilling
 åben · <tid> · Du har ikke stemt endnu
 t Tekst  a Ændringsforslag (2)  k Kommentarer (2)  s Afstemning
 Klimakrisen er vor tids største fælles opgave.


 Udgangspunkt

 • Et klart prissignal
 • Social retfærdighed

 ┌────────────────────────────────────────────┬───────────────────────────────┐
 │ Sektor                                     │ Andel                         │
 ├────────────────────────────────────────────┼───────────────────────────────┤
 │ Landbrug                                   │ 30 %                          │
 └────────────────────────────────────────────┴───────────────────────────────┘

 Se vores side og [en fil](file:///etc/passwd).




 esc Tilbage  v Stem  c Kommentér  ? Hjælp  q Afslut  ^l English
"""

VOTE_DIALOG = """\



 ╭────────────────────────────────────────────────────────────────────────────╮
 │ Stem om Klima og grøn omstilling                                           │
 │                                                                            │
 │ 1  Ja                                                                      │
 │    Godkend forslaget som det oprindeligt er skrevet.                       │
 │ 2  Betinget ja                                                             │
 │    Godkend kun med de ændringsforslag, du vælger.                          │
 │ 3  Udskyd                                                                  │
 │    Behandlingen bør udskydes til næste forum.                              │
 │ 4  Nej                                                                     │
 │    Imod forslaget.                                                         │
 │ 5  Bloker                                                                  │
 │    Jeg kan ikke acceptere, at dette bliver vores politik. Kræver en        │
 │    begrundelse.                                                            │
 │                                                                            │
 │ Tryk 1–5, eller vælg med ↑/↓ og Enter. Esc fortryder.                      │
 ╰────────────────────────────────────────────────────────────────────────────╯




"""

RESULT_TOP = """\
 §                           deliberate — Forslag
 2 Boliger til alle
 lukket · vedtaget · Din stemme: Udskyd · kvittering <kode>
 t Tekst  a Ændringsforslag (0)  k Kommentarer (0)  s Resultat
 Afstemningen er lukket (<tidspunkt>).

 Din stemme: Udskyd · kvittering <kode>

 Resultat: Vedtaget
 Vedtaget: Ja og Betinget ja har 2 af 3 stemmer for og imod (66,7 %); der
 kræves mere end 50 %.
 Afgivne stemmer: 4 af 5 stemmeberettigede.

 Ja          █████████████████████████████████████████████████████████████ 2
 Betinget ja ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0
 Udskyd      ██████████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 1
 Nej         ██████████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 1
 Bloker      ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0

"""


@pytest.fixture
def forum(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    yield db
    db.dispose()


async def test_main_screens_at_80x24(forum: Database, tmp_path: Path) -> None:
    app = make_app(forum, ME, "da", live=False, log_path=tmp_path / "tui.log")
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await shows(pilot, "Klima")
        assert normalised(screen_text(app)) + "\n" == OVERVIEW

        await pilot.press("n", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await idle(pilot)
        await shows(pilot, "Udgangspunkt")
        assert normalised(screen_text(app)) + "\n" == PROPOSAL

        await pilot.press("v")
        await shows(pilot, "Stem om")
        assert normalised(screen_text(app)) + "\n" == VOTE_DIALOG

        await pilot.press("escape", "escape")
        await idle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "boliger"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await idle(pilot)
        await pilot.press("s")
        await shows(pilot, "Resultat:", "Bloker      ")
        top = "\n".join(normalised(screen_text(app)).splitlines()[:19]) + "\n"
        assert top == RESULT_TOP
