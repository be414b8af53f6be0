"""The demo forum: the sample proposals, a handful of members, every state on show.

It lives in a database of its own, rebuilt each time, never the real forum's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from deliberate.services import importer, members
from deliberate.store import migrate
from deliberate.store.engine import Database, data_dir
from deliberate.store.models import Role

DEMO_MEMBER = "demo"

DEMO_MEMBERS: tuple[tuple[str, str, Role], ...] = (
    ("demo", "Demo Medlem", Role.MEMBER),
    ("ordstyrer", "Ole Ordstyrer", Role.FACILITATOR),
    ("arrangoer", "Anne Arrangør", Role.ORGANIZER),
    ("birgitte", "Birgitte Østergaard", Role.MEMBER),
    ("jens", "Jens Mølgaard", Role.MEMBER),
    ("fatima", "Fatima Al-Hassan", Role.MEMBER),
    ("soeren", "Søren Å. Kjær", Role.MEMBER),
    ("mette", "Mette Frederiksen-Holm", Role.MEMBER),
    ("lars", "Lars Bæk", Role.MEMBER),
    ("ida", "Ida Nørgaard", Role.MEMBER),
)


def sample_proposals_dir() -> Path:
    """The sample programme: shipped inside the wheel, or the repository's `proposals/`."""
    shipped = Path(str(resources.files("deliberate") / "_proposals"))
    if shipped.is_dir():
        return shipped
    repo = Path(__file__).resolve().parents[3] / "proposals"
    if repo.is_dir():
        return repo
    raise RuntimeError("the sample proposals are missing from this installation")


def demo_database_path() -> Path:
    return data_dir() / "demo" / "demo.db"


def build_demo(path: Path | None = None) -> Database:
    """A fresh demo forum at `path` (default: the demo file in the data folder)."""
    path = path or demo_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    importer.import_paths(db, [sample_proposals_dir()])
    for handle, name, role in DEMO_MEMBERS:
        members.add_member(db, handle, name, role=role)
    populate_activity(db)
    return db


def populate_activity(db: Database) -> None:
    """Votes, comments, open and closed items, so a newcomer sees every state."""
    try:
        from deliberate.services import demo_activity
    except ImportError:
        return
    demo_activity.populate(db)
