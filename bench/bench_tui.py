"""The member app's cost against an empty Textual app, measured in the same run.

    .venv/bin/python bench/bench_tui.py [--proposals 1000] [--repeat 7] [--json FILE]

first screen   `deliberate --db F tui --as demo` in a pseudo-terminal (80x24) on a forum of
               N proposals (programmes with sections, stand-alones; drafts, open, closed;
               votes and comments), from starting the console script until the terminal has
               received the filled-in overview (the "Alle (N)" tab; a hidden flag then quits).
               Also `python -m deliberate.tui`, the same app without the rest of the command
               line. Baseline: an empty Textual app painting one word in the same kind of
               pty, also started cold. Median of `--repeat` runs each, interleaved; ratio =
               ours / empty.
peak memory    the maximum resident set size of each of those processes (GNU time's %M);
               median; ratio = ours / empty.
session        peak RSS of a whole session, headless in one process: the overview, the live
               hub's first read (which loads SQLAlchemy and the services), a proposal opened;
               against the empty app run the same way (the first screen stops before that).
imports alone  `python -c "import …"` of Textual; Textual and SQLAlchemy's ORM; the app's
               modules; the whole command line: the part of the start-up that is imports.
long document  in-process: opening a proposal whose text is ~100 KB of Markdown (headings,
               lists, tables), from pressing Enter on the overview until the first screenful
               is painted, and until the whole document is laid out. Baseline: the same for a
               one-paragraph proposal.

Targets (issue 15): first screen <= 2x and peak memory <= 2x the empty app (issue 4 asked 1.5x).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import fcntl
import json
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

CLI = str(Path(sys.executable).with_name("deliberate"))
TIME = "/usr/bin/time"  # GNU time, for the peak RSS of exactly the program measured

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("deliberate")

    def on_mount(self):
        self.call_after_refresh(self.exit)

Empty().run()
"""


# ------------------------------------------------------------------------------------ the forum


def build_forum(path: Path, n: int) -> None:
    """N proposals: programmes of 40 sections and 20 % stand-alones, in every state."""
    from deliberate.services import comments, importer, members, voting
    from deliberate.store import migrate
    from deliberate.store.engine import Database
    from deliberate.store.models import utcnow

    files = path.parent / "files"
    standalone = n // 5
    in_programmes = n - standalone
    for i in range(n):
        if i < in_programmes:
            folder = files / f"programme-{i // 40:02d}"
            if not folder.exists():
                folder.mkdir(parents=True)
                (folder / "programme.yaml").write_text(
                    f"name: Program {i // 40 + 1}\n", encoding="utf-8"
                )
            section = f'section: "{i % 40 // 8 + 1}.{i % 8 + 1}"\n'
        else:
            folder = files / "enkeltstaaende"
            folder.mkdir(parents=True, exist_ok=True)
            section = ""
        amendments = "".join(
            f"\n### Ændring {k}\n\nTekst til ændring {k}.\n" for k in range(1, i % 4 + 1)
        )
        (folder / f"p{i:04d}.md").write_text(
            f"---\nid: p{i:04d}\ntitle: Forslag nummer {i} om grøn omstilling og fællesskab\n{section}---\n\n"
            + "Et afsnit med tekst om forslaget. " * 20
            + ("\n\n## Forslag til ændringer\n" + amendments if amendments else "\n"),
            encoding="utf-8",
        )
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    importer.import_paths(db, [files])
    for k in range(20):
        members.add_member(db, f"m{k:02d}", f"Medlem {k}")
    members.add_member(db, "demo", "Demo Medlem")
    members.add_member(db, "chair", "Ordstyrer", role="facilitator")
    ids = [f"p{i:04d}" for i in range(n)]
    for i, pid in enumerate(ids):
        if i % 10 < 3:  # 30 % open
            closes = utcnow() + dt.timedelta(hours=1 + i % 50) if i % 2 else None
            voting.open_voting(db, "chair", pid, closes_at=closes)
            if i % 3 == 0:
                voting.cast_vote(db, "demo", pid, "ja")
        elif i % 10 < 5:  # 20 % closed
            voting.open_voting(db, "chair", pid)
            for k in range(3):
                voting.cast_vote(db, f"m{k:02d}", pid, ("ja", "nej", "udskyd")[(i + k) % 3])
            voting.close_voting(db, "chair", pid)
    for i in range(0, n, 5):
        comments.add_comment(
            db, f"m{i % 20:02d}", ids[i], "En kommentar til forslaget.", per_minute=0
        )
    db.dispose()


# ----------------------------------------------------------------------------------- processes


def run_in_pty(argv: list[str], marker: bytes, timeout: float = 120.0) -> tuple[float, int]:
    """Run `argv` in an 80x24 pseudo-terminal until it exits: (seconds until `marker` was
    painted, peak RSS in KiB).

    The peak RSS comes from GNU time wrapped around the program: the rusage of a child
    forked from this (large) process would count the pages it shares with us until exec."""
    rss_file = Path(tempfile.mkstemp(prefix="bench-tui-rss-")[1])
    argv = [TIME, "-q", "-o", str(rss_file), "-f", "%M", *argv]
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    deadline = started + timeout
    output = bytearray()
    painted = None
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.perf_counter()))
            if not ready:
                proc.kill()
                raise TimeoutError(
                    f"{argv[0]} did not finish; last output: {bytes(output[-400:])!r}"
                )
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            output += data
            if painted is None and marker in output:
                painted = time.perf_counter() - started
        status = proc.wait()
    finally:
        os.close(master)
    peak = rss_file.read_text().strip().splitlines()
    rss_file.unlink()
    if status != 0 or painted is None:
        raise RuntimeError(f"{argv} failed: {bytes(output[-600:]).decode(errors='replace')}")
    return painted, int(peak[-1])


def first_screen(forum: Path, repeat: int, n: int) -> dict[str, float]:
    """Medians for the console script, the app's own entry point and the empty app."""
    # What the terminal shows once the forum is there: the "all" tab with its count.
    marker = f"Alle ({n:,})".replace(",", ".").encode()
    argvs = {
        "cli": [CLI, "--db", str(forum), "tui", "--as", "demo", "--exit-after-first-screen"],
        "module": [
            sys.executable,
            "-m",
            "deliberate.tui",
            "--db",
            str(forum),
            "--as",
            "demo",
            "--exit-after-first-screen",
        ],
        "empty": [sys.executable, "-c", EMPTY_APP],
    }
    markers = {"cli": marker, "module": marker, "empty": b"deliberate"}
    for name, argv in argvs.items():
        run_in_pty(argv, markers[name])  # warm the page cache
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():  # interleaved, so load changes hit all alike
            runs[name].append(run_in_pty(argv, markers[name]))
    t = {name: statistics.median(s for s, _ in r) for name, r in runs.items()}
    m = {name: statistics.median(k for _, k in r) / 1024 for name, r in runs.items()}
    return {
        "first_screen_s": t["cli"],
        "first_screen_module_s": t["module"],
        "empty_app_s": t["empty"],
        "first_screen_ratio": t["cli"] / t["empty"],
        "first_screen_module_ratio": t["module"] / t["empty"],
        "peak_rss_mib": m["cli"],
        "peak_rss_module_mib": m["module"],
        "empty_app_rss_mib": m["empty"],
        "peak_rss_ratio": m["cli"] / m["empty"],
        "peak_rss_module_ratio": m["module"] / m["empty"],
    }


def import_floor(repeat: int) -> dict[str, float]:
    """What importing alone costs (no terminal, no database): where the start-up goes."""
    sets = {
        "textual": "import textual.app",
        "textual_sqlalchemy": "import textual.app, sqlalchemy.orm",
        "app": "import deliberate.tui.app, deliberate.tui.screens.overview, deliberate.store.migrate",
        "cli": "import deliberate.cli",
    }
    out: dict[str, float] = {}
    for name, code in sets.items():
        times, peaks = [], []
        for _ in range(repeat):
            rss_file = Path(tempfile.mkstemp(prefix="bench-tui-rss-")[1])
            started = time.perf_counter()
            subprocess.run(
                [TIME, "-q", "-o", str(rss_file), "-f", "%M", sys.executable, "-c", code],
                check=True,
            )
            times.append(time.perf_counter() - started)
            peaks.append(int(rss_file.read_text().split()[-1]) / 1024)
            rss_file.unlink()
        out[f"import_{name}_s"] = statistics.median(times)
        out[f"import_{name}_rss_mib"] = statistics.median(peaks)
    return out


# ------------------------------------------------------------------------------ a whole session

SESSION = """
import asyncio, sys
from deliberate.services.database import Database
from deliberate.tui.app import make_app
from deliberate.tui.screens.proposal import ProposalScreen


async def main():
    app = make_app(Database(sys.argv[1]), "demo", "da")
    async with app.run_test(size=(80, 24)) as pilot:
        while not (app.screen.query("ProposalList") and app.screen.query_one("ProposalList").row_count):
            await asyncio.sleep(0.01)
        app.screen.query_one("ProposalList").action_select()  # open the first proposal
        while not (isinstance(app.screen, ProposalScreen) and app.screen.view is not None):
            await asyncio.sleep(0.01)
        await pilot.pause(1.0)  # the live hub has read; the proposal is drawn
        assert app.hub.reads > 0


asyncio.run(main())
"""

EMPTY_SESSION = """
import asyncio
from textual.app import App
from textual.widgets import Static


class Empty(App):
    def compose(self):
        yield Static("deliberate")


async def main():
    async with Empty().run_test(size=(80, 24)) as pilot:
        await pilot.pause(1.0)


asyncio.run(main())
"""


def session_memory(forum: Path, repeat: int) -> dict[str, float]:
    """Peak RSS of a whole session (headless, in one process): the overview, the live hub's
    first read (SQLAlchemy and the services loaded), a proposal opened — against the empty
    app run the same way. The first-screen figure stops before all that is loaded. Through
    GNU time, as the other figures: a child forked from this (large) process would report
    this process's peak as its own."""
    ours, empty = [], []
    for _ in range(repeat):
        for code, out in ((SESSION, ours), (EMPTY_SESSION, empty)):
            rss_file = Path(tempfile.mkstemp(prefix="bench-tui-rss-")[1])
            subprocess.run(
                [TIME, "-q", "-o", str(rss_file), "-f", "%M"]
                + [sys.executable, "-c", code, f"sqlite:///{forum}"],
                check=True,
                capture_output=True,
            )
            out.append(int(rss_file.read_text().split()[-1]) / 1024)
            rss_file.unlink()
    m, e = statistics.median(ours), statistics.median(empty)
    return {"session_rss_mib": m, "empty_session_rss_mib": e, "session_rss_ratio": m / e}


# ------------------------------------------------------------------------------- long document


def long_markdown(target_bytes: int = 100_000) -> str:
    parts = []
    k = 0
    while sum(len(p.encode()) for p in parts) < target_bytes:
        k += 1
        parts.append(
            f"## Afsnit {k}\n\n"
            + "Vi vil styrke fællesskabet og den grønne omstilling i hele landet. " * 8
            + "\n\n- første punkt med **fed** tekst\n- andet punkt med *kursiv*\n- tredje punkt\n\n"
            + "| Område | Mål | År |\n|---|---|---|\n| Transport | 50 % | 2030 |\n| Landbrug | 30 % | 2035 |\n\n"
        )
    return "".join(parts)


async def open_document(tmp: Path, body: str) -> tuple[float, float]:
    """Seconds from Enter on the overview to the first screenful, and to the whole text."""
    from textual.widgets._markdown import MarkdownBlock

    from deliberate.services import importer, members
    from deliberate.store import migrate
    from deliberate.store.engine import Database
    from deliberate.tui.app import make_app
    from deliberate.tui.screens.proposal import ProposalScreen
    from deliberate.tui.widgets.document import RenderedDocument, SafeMarkdown

    tmp.mkdir()
    (tmp / "doc.md").write_text(f"---\nid: doc\ntitle: Dokumentet\n---\n\n{body}", encoding="utf-8")
    db = Database(f"sqlite:///{tmp / 'forum.db'}")
    migrate.upgrade(db)
    importer.import_paths(db, [tmp / "doc.md"])
    members.add_member(db, "demo", "Demo")
    app = make_app(db, "demo", "da", live=False, log_path=tmp / "log")
    first = last = None
    async with app.run_test(size=(80, 24)) as pilot:
        while (
            not app.screen.query("ProposalList")
            or not app.screen.query_one("ProposalList").row_count
        ):
            await asyncio.sleep(0.005)
        await pilot.pause(0.5)
        started = time.perf_counter()
        app.screen.query_one("ProposalList").action_select()  # what Enter does (no pilot waits)
        while last is None:
            screen = app.screen
            if isinstance(screen, ProposalScreen) and screen.view is not None:
                long_docs = screen.query(RenderedDocument)
                if long_docs:
                    doc = long_docs.first()
                    if first is None and doc.lines:
                        first = time.perf_counter() - started
                    if doc.complete:
                        last = time.perf_counter() - started
                elif screen.query(SafeMarkdown):
                    md = screen.query_one(SafeMarkdown)
                    if md.query(MarkdownBlock) and not md.lock.is_locked:
                        first = last = time.perf_counter() - started
            await asyncio.sleep(0.002)
        await pilot.press("end")  # and it scrolls to the end
    db.dispose()
    return first or 0.0, last


def long_document(tmp: Path) -> dict[str, float]:
    body = long_markdown()
    big_first, big_all = asyncio.run(open_document(tmp / "big", body))
    small_first, small_all = asyncio.run(open_document(tmp / "small", "Et kort forslag.\n"))
    return {
        "document_bytes": len(body.encode()),
        "long_first_screen_s": big_first,
        "long_complete_s": big_all,
        "short_first_screen_s": small_first,
        "short_complete_s": small_all,
    }


# ---------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp_name:
        tmp = Path(tmp_name)
        forum = tmp / "forum" / "forum.db"
        forum.parent.mkdir()
        started = time.perf_counter()
        build_forum(forum, args.proposals)
        print(f"forum of {args.proposals} proposals built in {time.perf_counter() - started:.1f} s")
        figures = {"proposals": args.proposals, "repeat": args.repeat}
        figures |= first_screen(forum, args.repeat, args.proposals)
        print(json.dumps(figures))
        figures |= session_memory(forum, min(args.repeat, 3))
        figures |= import_floor(args.repeat)
        figures |= long_document(tmp)
    f = figures
    print(
        f"empty Textual app      first screen {f['empty_app_s'] * 1000:6.0f} ms   peak RSS {f['empty_app_rss_mib']:6.1f} MiB"
    )
    print(
        f"deliberate tui         first screen {f['first_screen_s'] * 1000:6.0f} ms ({f['first_screen_ratio']:.2f}x)"
        f"   peak RSS {f['peak_rss_mib']:6.1f} MiB ({f['peak_rss_ratio']:.2f}x)   targets <= 2x"
    )
    print(
        f"python -m deliberate.tui first screen {f['first_screen_module_s'] * 1000:4.0f} ms ({f['first_screen_module_ratio']:.2f}x)"
        f"   peak RSS {f['peak_rss_module_mib']:6.1f} MiB ({f['peak_rss_module_ratio']:.2f}x)"
    )
    print(
        f"a whole session        peak RSS {f['session_rss_mib']:6.1f} MiB ({f['session_rss_ratio']:.2f}x the empty"
        f" app's {f['empty_session_rss_mib']:.1f} MiB): overview, live hub, a proposal opened"
    )
    print(
        f"100 KB document       first screenful {figures['long_first_screen_s'] * 1000:.0f} ms, complete "
        f"{figures['long_complete_s'] * 1000:.0f} ms   (one paragraph: {figures['short_first_screen_s'] * 1000:.0f} ms"
        f" / {figures['short_complete_s'] * 1000:.0f} ms)"
    )
    print(
        "imports alone          "
        + "   ".join(
            f"{name} {f[f'import_{name}_s'] * 1000:.0f} ms / {f[f'import_{name}_rss_mib']:.0f} MiB"
            for name in ("textual", "textual_sqlalchemy", "app", "cli")
        )
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
