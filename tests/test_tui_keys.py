"""Every key of every screen is discoverable at 80×24 (issue 9, defect 3).

The footer shows a screen's important keys and always "? Hjælp" whole, never cut off; every
other key of the screen (its widgets' keys and the app's included) is listed on the help
screen that `?` opens. Checked in both languages, on the overview, the proposal's four tabs,
an amendment, the vote dialog, the member's meeting view, the facilitator console (before,
during and after a vote) and the projector."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from deliberate.services import meetings, submissions
from deliberate.services import voting as voting_service
from deliberate.services.demo import build_demo
from deliberate.store.engine import Database
from deliberate.tui.app import make_app
from deliberate.tui.bindings import describe
from deliberate.tui.screens.help import HelpScreen
from deliberate.tui.widgets.key_footer import FooterEntry, KeyFooter
from support.tui import idle, screen_text, wait_for

WIDTH, HEIGHT = 80, 24


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "demo.db"
    build_demo(path).dispose()
    return path


@pytest.fixture
def forum(demo_file: Path, tmp_path: Path) -> Database:
    path = tmp_path / "forum.db"
    path.write_bytes(demo_file.read_bytes())
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


SPEAKERS = ("birgitte", "jens", "fatima", "soeren")


def _meeting(db: Database, *, voting: str) -> int:
    """A running meeting on the demo's drafts; voting 'none', 'open' or 'closed' (with votes);
    four members on the speakers' list."""
    m = meetings.create_meeting(db, "ordstyrer", "Landsmøde 2027", ["egf-2.1", "egf-4"])
    meetings.start_meeting(db, "ordstyrer", m.id)
    if voting in ("open", "closed"):
        meetings.open_item_voting(db, "ordstyrer", m.id, countdown_seconds=300)
        for handle, choice in zip(SPEAKERS, ("ja", "nej", "udskyd", "ja"), strict=True):
            voting_service.cast_vote(db, handle, "egf-2.1", choice)
    if voting == "closed":
        meetings.close_item_voting(db, "ordstyrer", m.id)
    for handle in SPEAKERS:
        meetings.request_to_speak(db, handle, m.id)
    return m.id


def footer_keys(pilot: Pilot) -> list[tuple[KeyFooter, FooterEntry]]:
    footers = [f for f in pilot.app.screen.query(KeyFooter) if f.display]
    return [(footer, entry) for footer in footers for entry in footer.entries]


async def check_discoverable(pilot: Pilot, label: str) -> None:
    app = pilot.app
    await idle(pilot)
    await pilot.pause(0.2)
    in_view = footer_keys(pilot)
    assert in_view, f"{label}: no footer"
    for footer, key in in_view:
        assert key.end <= min(WIDTH, footer.size.width), (
            f"{label}: footer key {key.key_display} {key.description!r} is cut off "
            f"(columns {key.start}-{key.end}):\n{screen_text(app).splitlines()[-1]}"
        )
    shown = [key for _, key in in_view]
    # '?' opens help; where the focus takes typed text (an editor), F1 does, and says so.
    help_keys = [k.key for k in shown if k.key in ("question_mark", "f1")]
    assert help_keys, f"{label}: no '?' (or F1 in an editor) in the footer"
    in_footer = {k.key for k in shown}
    ours = [b.binding for b in app.active_bindings.values() if b.binding.id]
    hidden = [b for b in ours if b.key not in in_footer]
    screen = app.screen
    await pilot.press(help_keys[0])
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    help_text = str(app.screen.query_one("#help-keys", Static).render())
    for binding in hidden:
        assert describe(binding, app.ctx.t) in help_text, (  # type: ignore[attr-defined]
            f"{label}: key {binding.key} ({binding.id}) is neither in the footer nor in help"
        )
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is screen)


Step = Callable[[Pilot], Awaitable[None]]


async def _press(pilot: Pilot, *keys: str) -> None:
    await idle(pilot)
    await pilot.press(*keys)
    await idle(pilot)


async def _open_first_open_proposal(pilot: Pilot) -> None:
    await _press(pilot, "n", "enter")


SCENARIOS: dict[str, tuple[str, str, list[tuple[str, tuple[str, ...]]]]] = {
    # name: (handle, meeting voting state, [(label, keys pressed before checking)])
    "forum": (
        "demo",
        "",
        [
            ("overview", ()),
            ("proposal text", ("n", "enter")),
            ("proposal amendments", ("a",)),
            ("amendment", ("enter",)),
            ("proposal comments", ("escape", "k")),
            ("proposal voting", ("s",)),
            ("vote dialog", ("v",)),
        ],
    ),
    "my draft": (
        "demo",
        "draft",
        [("overview with my draft", ()), ("my draft", ("enter",)), ("draft editor", ("E",))],
    ),
    "member meeting": ("birgitte", "open", [("meeting view", ())]),
    "console, no meeting": ("ordstyrer", "", [("console", ("f4",))]),
    "console, before the vote": ("ordstyrer", "none", [("console", ("f4",))]),
    "console, voting open": ("ordstyrer", "open", [("console", ("f4",))]),
    "console, voting closed": (
        "ordstyrer",
        "closed",
        [("console", ("f4",)), ("projector", ("f5",))],
    ),
}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_every_key_is_discoverable_at_80x24(
    forum: Database, tmp_path: Path, scenario: str, lang: str
) -> None:
    handle, voting, steps = SCENARIOS[scenario]
    if voting == "draft":  # a draft of my own, saved and not submitted: listed first
        submissions.propose(forum, handle, "Min kladde", "Min tekst.", submit=False)
    elif voting:
        _meeting(forum, voting=voting)
    start = "meeting" if handle == "birgitte" else "forum"
    app = make_app(forum, handle, lang, live=False, start_mode=start, log_path=tmp_path / "log")
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        for label, keys in steps:
            await _press(pilot, *keys)
            await check_discoverable(pilot, f"{scenario} / {label} ({lang})")


async def test_the_console_shows_the_speakers_list_without_scrolling(
    forum: Database, tmp_path: Path
) -> None:
    _meeting(forum, voting="closed")
    app = make_app(forum, "ordstyrer", "da", live=False, log_path=tmp_path / "log")
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await _press(pilot, "f4")
        await wait_for(pilot, lambda: "Vedtaget" in screen_text(app))
        text = screen_text(app)
        for name in ("Birgitte Østergaard", "Jens Mølgaard", "Fatima Al-Hassan", "Søren Å. Kjær"):
            assert name in text, text


async def test_the_footer_speaks_the_members_language_and_switches_with_it(
    forum: Database, tmp_path: Path
) -> None:
    """Key labels are translated where shown (the screen's active bindings), and Ctrl+L
    relabels the footer at once, app keys and screen keys alike."""
    app = make_app(forum, "demo", "da", live=False, log_path=tmp_path / "log")

    def label(pilot: Pilot, key: str) -> str:
        return next((k.description for _, k in footer_keys(pilot) if k.key == key), "")

    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await wait_for(pilot, lambda: label(pilot, "question_mark") == "Hjælp")
        assert app.active_bindings["ctrl+l"].binding.description == "English"
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: label(pilot, "question_mark") == "Help")
        assert app.active_bindings["ctrl+l"].binding.description == "Dansk"
        assert app.active_bindings["f2"].binding.description == "Forum"


async def test_a_click_on_a_footer_key_presses_it(forum: Database, tmp_path: Path) -> None:
    """The footer is one widget; a click on a key's label presses that key, the key under
    the mouse is highlighted, and a click between the keys' ends does nothing."""
    app = make_app(forum, "demo", "da", live=False, log_path=tmp_path / "log")
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await wait_for(pilot, lambda: any(k.key == "question_mark" for _, k in footer_keys(pilot)))
        footer, help_key = next((f, k) for f, k in footer_keys(pilot) if k.key == "question_mark")
        last = footer.entries[-1]
        assert screen_text(app).splitlines()[-1].startswith(" / Søg  f Filter")
        overview = app.screen
        await pilot.hover(KeyFooter, offset=(help_key.start + 1, 0))
        assert footer.hovered == footer.entries.index(help_key)
        await pilot.click(KeyFooter, offset=(last.end + 2, 0))  # past the last key
        await idle(pilot)
        assert app.screen is overview
        await pilot.click(KeyFooter, offset=(help_key.end - 2, 0))  # on "Hjælp"
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
