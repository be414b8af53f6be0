"""A small forum in every state, built with the core services, for the TUI tests; and helpers
to wait on conditions (never fixed sleeps) and read what the screen shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from deliberate.services import comments, importer, members, voting
from deliberate.store import migrate
from deliberate.store.engine import Database
from deliberate.store.models import Role, utcnow
from deliberate.tui import messages
from deliberate.tui.app import DeliberateApp, make_app
from deliberate.tui.screens.proposal import ProposalScreen
from support.waiting import wait_until_async

ME = "demo"

PROGRAMME = {
    "programme.yaml": "name: Et grønnere fællesskab\n",
    "1-klima.md": """---
id: klima
title: Klima og grøn omstilling
section: "1"
---

Klimakrisen er vor tids største fælles opgave.

## Udgangspunkt

- Et klart prissignal
- Social retfærdighed

| Sektor | Andel |
|---|---|
| Landbrug | 30 % |

Se [vores side](https://example.org/klima) og [en fil](file:///etc/passwd).

## Forslag til ændringer

### Ophøj afsnittet til mærkesag

Klima skal være partiets første mærkesag.

### Tilføj et CO2-loft

Et loft over udledningen fra 2030.
""",
    "1.1-trafik.md": """---
id: trafik
title: Kollektiv trafik i hele landet
section: "1.1"
---

Busser og tog skal køre, også uden for de store byer.

## Forslag til ændringer

### Gratis bus for unge

Unge under 18 kører gratis.
""",
    "2-boliger.md": """---
id: boliger
title: Boliger til alle
section: "2"
---

Alle skal have råd til et hjem.
""",
    "3-uddannelse.md": """---
id: uddannelse
title: Uddannelse og dannelse
section: "3"
---

Skolen skal give lyst til at lære.
""",
}

STANDALONE = {
    "resolution-busser.md": """---
id: busser
title: Resolution om busruter i Vestjylland
---

Busruterne skal bevares.
""",
}

MEMBERS = (
    ("demo", "Demo Medlem", Role.MEMBER),
    ("ordstyrer", "Ole Ordstyrer", Role.FACILITATOR),
    ("birgitte", "Birgitte Østergaard", Role.MEMBER),
    ("jens", "Jens Mølgaard", Role.MEMBER),
    ("fatima", "Fatima Al-Hassan", Role.MEMBER),
)


def write_files(folder: Path) -> Path:
    programme = folder / "et-groennere-faellesskab"
    programme.mkdir(parents=True)
    for name, text in PROGRAMME.items():
        (programme / name).write_text(text, encoding="utf-8")
    for name, text in STANDALONE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_forum(db: Database, files: Path) -> Database:
    """klima and trafik open (klima without my vote; trafik: I voted Ja), boliger closed
    (adopted), uddannelse and busser drafts; comments with a reply on klima."""
    migrate.upgrade(db)
    importer.import_paths(db, [write_files(files)])
    for handle, name, role in MEMBERS:
        members.add_member(db, handle, name, role=role)
    chair = "ordstyrer"
    voting.open_voting(db, chair, "klima", closes_at=utcnow() + dt.timedelta(hours=2, minutes=5))
    voting.open_voting(db, chair, "trafik")
    voting.open_voting(db, chair, "boliger")
    voting.cast_vote(db, ME, "trafik", "ja")
    voting.cast_vote(db, "birgitte", "klima", "betinget-ja", amendments=[1])
    for handle, choice in (("birgitte", "ja"), ("jens", "ja"), ("fatima", "nej"), (ME, "udskyd")):
        voting.cast_vote(db, handle, "boliger", choice)
    voting.close_voting(db, chair, "boliger")
    first = comments.add_comment(db, "birgitte", "klima", "Et godt forslag, men hvad koster det?")
    comments.add_comment(db, "jens", "klima", "Det betaler sig selv hjem.", reply_to=first.id)
    comments.add_comment(db, "fatima", "klima", "Enig i mærkesagen.", amendment=1)
    return db


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` is true; fail after `timeout` seconds with what the
    screen shows and the notifications."""

    def describe() -> str:
        notices = getattr(pilot.app, "notices", None)
        return f"the screen shows:\n{screen_text(pilot.app)}\nnotices: {notices}"

    await wait_until_async(condition, pilot.pause, timeout, what="the app", describe=describe)


async def shows(pilot: Pilot, *needles: str, timeout: float = 10.0) -> str:
    """Wait until the screen shows every needle; returns the screen text."""
    await wait_for(pilot, lambda: all(n in screen_text(pilot.app) for n in needles), timeout)
    return screen_text(pilot.app)


async def notified(pilot: Pilot, needle: str, timeout: float = 10.0) -> None:
    await wait_for(pilot, lambda: any(needle in n for n in pilot.app.notices), timeout)  # type: ignore[attr-defined]


async def idle(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until no database work is pending or running and the screen has settled."""
    from textual.worker import WorkerState

    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    app = pilot.app
    await pilot.pause()
    await wait_for(
        pilot,
        lambda: not [w for w in app.workers if w.group != "live" and w.state in busy],
        timeout,
    )
    await pilot.pause()


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def terminal_output(app: App) -> str:
    """The characters the app would send to the terminal to paint the whole screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


@asynccontextmanager
async def running(
    db: Database,
    tmp_path: Path,
    lang: str = "da",
    handle: str = ME,
    *,
    notifications: bool = False,
) -> AsyncIterator[tuple[DeliberateApp, Pilot]]:
    """The member app at 80×24; `notifications` paints toasts as a terminal would (Textual's
    test harness leaves them out unless asked)."""
    app = make_app(db, handle, lang, live=False, log_path=tmp_path / "tui.log")
    async with app.run_test(size=(80, 24), notifications=notifications) as pilot:
        await idle(pilot)
        yield app, pilot


async def open_proposal(pilot: Pilot, title: str) -> None:
    """From the overview: search for the title and open the first match."""
    await pilot.press("slash")
    pilot.app.screen.query_one("#search", Input).value = title
    await pilot.press("enter", "enter")
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, ProposalScreen) and pilot.app.screen.view
    )
    await idle(pilot)


# ---------------------------------------------------------------------------------- overview


def changed(app: App) -> None:
    """What the live watcher does when another process writes."""
    app.post_message(messages.ForumChanged())
