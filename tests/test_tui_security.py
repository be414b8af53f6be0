"""DESIGN §6 in the member app: links open nothing, no MarkdownViewer, escape sequences never
reach the terminal, markup in member text is literal, no screenshot command, no traceback on
the member's screen. Each threat has a test here."""

from __future__ import annotations

import ast
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select, update
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, MarkdownViewer

from deliberate.store.engine import Database
from deliberate.store.models import Comment, Member, Proposal
from deliberate.tui.app import CrashReport, DeliberateApp, make_app
from deliberate.tui.screens.proposal import ProposalScreen
from support.tui import (
    ME,
    build_forum,
    idle,
    notified,
    screen_text,
    shows,
    terminal_output,
    wait_for,
)

TUI_SOURCE = Path(__file__).resolve().parents[1] / "src" / "deliberate" / "tui"

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = f"Ond{OSC52} titel\x1b[2J\u202eesrever\x9b31m\x07"


@pytest.fixture
def forum(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'forum.db'}")
    build_forum(db, tmp_path / "files")
    yield db
    db.dispose()


@asynccontextmanager
async def running(db: Database, tmp_path: Path) -> AsyncIterator[tuple[DeliberateApp, Pilot]]:
    app = make_app(db, ME, "da", live=False, log_path=tmp_path / "tui.log")
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        yield app, pilot


async def open_klima(pilot: Pilot) -> ProposalScreen:
    await pilot.press("slash")
    pilot.app.screen.query_one("#search", Input).value = "klima"
    await pilot.press("enter", "enter")
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, ProposalScreen) and pilot.app.screen.view
    )
    await idle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


# --------------------------------------------------------------------------------------- links


def test_the_app_never_uses_markdown_viewer() -> None:
    for path in TUI_SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert "MarkdownViewer" not in names, path


async def test_links_open_nothing(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: opened.append(str(a)))
    async with running(forum, tmp_path) as (app, pilot):
        screen = await open_klima(pilot)
        monkeypatch.setattr(app._driver, "open_url", lambda *a, **k: opened.append(str(a)))
        markdowns = list(screen.query(Markdown))
        assert markdowns and all(md._open_links is False for md in markdowns)
        assert not list(screen.query(MarkdownViewer))
        # Click the link "vores side" where it is drawn.
        await shows(pilot, "Se vores side")
        lines = screen_text(app).splitlines()
        y = next(i for i, line in enumerate(lines) if "Se vores side" in line)
        x = lines[y].index("vores side") + 2
        await pilot.click(offset=(x, y))
        await notified(pilot, "Links åbnes ikke herfra. Linket peger på: https://example.org/klima")
        app.open_url("https://example.org/evil")
        assert opened == []
        assert app.is_running


# ---------------------------------------------------------------------------- untrusted text


def plant_hostile_text(db: Database) -> None:
    """Text that bypassed sanitising on the way in (an old version, a hand-edited row)."""
    with db.write() as s:
        s.execute(
            update(Proposal)
            .where(Proposal.id == "klima")
            .values(
                title=HOSTILE, body=f"# Overskrift{OSC52}\n\nBrødtekst\x1b[2J med \u202efejl\x07.\n"
            )
        )
        s.execute(
            update(Member).where(Member.handle == "birgitte").values(name=f"Birgitte{OSC52}\u202e")
        )
        first = s.scalars(
            select(Comment).where(Comment.proposal_id == "klima").order_by(Comment.id)
        ).first()
        assert first is not None
        first.body = f"Kommentar{OSC52} med\x1b[31m farve\x9b2J og \u202ebidi\x07"


def assert_clean(output: str) -> None:
    assert "]52;" not in output
    assert "cm0gLXJmIH4=" not in output
    assert "\x07" not in output
    assert "\u202e" not in output
    assert "\x9b" not in output
    assert "\x1b[2J" not in output
    # Every escape sequence left is Textual's own styling (SGR) or cursor movement.
    for seq in re.findall(r"\x1b[^\[]", output):
        raise AssertionError(f"non-CSI escape sequence in output: {seq!r}")


async def test_escape_sequences_in_member_text_never_reach_the_terminal(
    forum: Database, tmp_path: Path
) -> None:
    plant_hostile_text(forum)
    async with running(forum, tmp_path) as (app, pilot):
        text = await shows(pilot, "Ond titel")
        assert_clean(terminal_output(app))
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "Ond"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await shows(pilot, "Ond titel", "Overskrift", "Brødtekst med fejl.")
        assert_clean(terminal_output(app))
        await pilot.press("k")
        text = await shows(pilot, "Kommentar med farve og bidi")
        assert "Birgitte" in text
        assert_clean(terminal_output(app))
        await pilot.press("1")
        await shows(pilot, "Du stemmer: Ja", "Ond titel")
        assert_clean(terminal_output(app))


async def test_markup_in_member_text_is_shown_literally(forum: Database, tmp_path: Path) -> None:
    from deliberate.services import comments

    with forum.write() as s:
        s.execute(
            update(Proposal)
            .where(Proposal.id == "klima")
            .values(title="[red]Rød[/red] [@click=app.quit]titel[/]")
        )
    comments.add_comment(
        forum, "jens", "klima", "[@click=app.quit]Klik her[/] og [b]fed[/b] $accent"
    )
    async with running(forum, tmp_path) as (app, pilot):
        await shows(pilot, "[red]Rød[/red] [@click=app.q")
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "titel"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await shows(pilot, "[red]Rød[/red] [@click=app.quit]titel[/]")
        await pilot.press("k")
        text = await shows(pilot, "[@click=app.quit]Klik her[/] og [b]fed[/b] $accent")
        lines = text.splitlines()
        y = next(i for i, line in enumerate(lines) if "Klik her" in line)
        await pilot.click(offset=(lines[y].index("Klik her") + 1, y))
        await pilot.click(offset=(lines[y].index("Klik her") + 1, y))
        await pilot.pause(0.1)
        assert app.is_running and app.return_code is None


# ------------------------------------------------------------------------------ screenshots


async def test_the_command_palette_has_no_screenshot_or_file_command(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.command import CommandPalette

    monkeypatch.chdir(tmp_path)
    async with running(forum, tmp_path) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not [
            t for t in titles if re.search(r"screen|skærm|save|gem|file|fil", t, re.I)
        ]
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)
        assert "Screenshot" not in screen_text(app)
        await pilot.press("escape")
        app.action_screenshot()
        app.deliver_screenshot()
        await notified(pilot, "Skærmbilleder kan ikke gemmes herfra.")
        before = set(tmp_path.iterdir())
        await pilot.pause(0.2)
        assert not [p for p in set(tmp_path.iterdir()) - before if p.suffix == ".svg"]
        assert not list(tmp_path.glob("*.svg"))


# ------------------------------------------------------------------------------ tracebacks


async def test_a_bug_in_a_database_job_is_logged_and_shown_in_plain_words(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deliberate.tui import data

    async with running(forum, tmp_path) as (app, pilot):

        def broken(*args: object) -> object:
            raise RuntimeError("boom in load_proposal")

        monkeypatch.setattr(data, "load_proposal", broken)
        monkeypatch.setattr("deliberate.tui.screens.proposal.load_proposal", broken)
        monkeypatch.setattr(data, "load_proposal_shared", broken)  # the live hub
        await pilot.press("enter")
        await notified(pilot, "Der skete en uventet fejl; intet er gået tabt.")
        assert "boom in load_proposal" in (tmp_path / "tui.log").read_text(encoding="utf-8")
        assert not any("Traceback" in n or "boom" in n for n in app.notices)
        assert app.is_running


async def test_a_crash_prints_one_plain_sentence_and_logs_the_traceback(
    forum: Database, tmp_path: Path
) -> None:
    app = make_app(forum, ME, "da", live=False, log_path=tmp_path / "tui.log")

    def explode() -> None:
        raise ZeroDivisionError("a bug")

    with pytest.raises(CrashReport) as caught:
        async with app.run_test(size=(80, 24)) as pilot:
            await idle(pilot)
            app.call_later(explode)
            await pilot.pause(0.5)
    report = caught.value
    assert isinstance(report.__cause__, ZeroDivisionError)
    assert "Traceback" not in report.text and "tui.log" in report.text
    assert "deliberate stoppede på grund af en uventet fejl" in report.text
    log = (tmp_path / "tui.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug" in log and "Traceback" in log
    # What the member's terminal gets on exit is that one sentence, not a traceback.
    printed = [r for r in app._exit_renderables]
    assert not printed or all("Traceback" not in str(r) for r in printed)


# ------------------------------------------------------------------------------ comfort bits


async def test_no_color_is_respected(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(forum, tmp_path) as (app, pilot):
        assert app.no_color
        await shows(pilot, "● mangler")
        output = terminal_output(app)
        params = [p for sgr in re.findall(r"\x1b\[([0-9;]*)m", output) for p in sgr.split(";") if p]
        hues = {p for p in params if re.fullmatch(r"(3|4|9|10)[1-6]", p)}  # red ... cyan
        assert params and not hues, hues
        assert all(r == g == b for r, g, b in re.findall(r"[34]8;2;(\d+);(\d+);(\d+)", output))


def test_no_mouse_reaches_the_driver(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deliberate.tui import launch

    seen: dict[str, object] = {}

    def fake_run(self: DeliberateApp, **kwargs: object) -> None:
        seen.update(kwargs, mouse_setting=self.ctx.settings.mouse)

    monkeypatch.setattr(DeliberateApp, "run", fake_run)
    assert launch.run_tui(db_url=forum.url, handle=ME, mouse=False, log_path=tmp_path / "l") == 0
    assert seen == {"mouse": False, "mouse_setting": False}


async def test_no_color_on_every_screen(
    forum: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Monochrome rendering of each kind of widget, a long document included (Rich leaves
    some segments without a style, which Textual's NO_COLOR filter cannot take)."""
    from deliberate.services import importer

    body = "".join(
        f"## Del {k}\n\n" + "Tekst. " * 80 + "\n\n- punkt\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        for k in range(20)
    )
    (tmp_path / "lang.md").write_text(
        f"---\nid: lang\ntitle: Langt\n---\n\n{body}", encoding="utf-8"
    )
    importer.import_paths(forum, [tmp_path / "lang.md"])
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(forum, tmp_path) as (app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "Langt"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen.view)
        await shows(pilot, "Del 0", "Tekst. Tekst.")
        await pilot.press("pagedown", "end")
        await shows(pilot, "Del 19")
        await pilot.press("escape")
        screen = await open_klima(pilot)
        for key, needle in (
            ("k", "Birgitte"),
            ("a", "Ophøj"),
            ("s", "Afstemningen er åben"),
            ("question_mark", "Hjælp"),
        ):
            await pilot.press(key)
            await shows(pilot, needle)
        await pilot.press("escape", "v")
        await shows(pilot, "Stem om")
        assert app.is_running and screen.is_attached
