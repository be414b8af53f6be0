"""The forum the export tests read: every outcome, a changed vote, hostile names, reasons and
comments, a meeting."""

from __future__ import annotations

from pathlib import Path

from deliberate.services import comments, importer, meetings, members, voting
from deliberate.store.engine import Database
from deliberate.store.models import Role

REPO = Path(__file__).resolve().parents[2]


SCRIPT = "<script>alert(1)</script>"


HYPERLINK = '=HYPERLINK("http://x","y")'


OSC52 = "\x1b]52;c;SGVsbG8=\x07"


MARKUP = "[@click=app.quit]"


HOSTILE = f"{SCRIPT} {HYPERLINK} {OSC52}{MARKUP}"

# The forum every test reads: proposal -> (rules, outcome once closed)


EXPECTED = {
    "egf-1": ("pofo", "adopted_with_amendments"),
    "egf-2": ("pofo", "blocked"),
    "egf-3": ("pofo", "rejected"),
    "egf-4": ("pofo", "postponed"),
    "egf-1.1": ("majority", "open"),
    "resolution-busruter": ("consensus", "adopted"),
    "vedtaegt-2025-1": ("two-thirds", "no_quorum"),
}
AGENDA = ["egf-4", "egf-10", "egf-1"]  # not in programme order, with a draft on it


def build_forum(db: Database) -> None:
    """Every outcome, a changed vote, hostile names, reasons and comments, a session."""
    importer.import_paths(db, [REPO / "proposals"])
    members.add_member(db, "org", "Anne Arrangør", role=Role.ORGANIZER)
    members.add_member(db, "ole", "Ole Ordstyrer", role=Role.FACILITATOR, can_vote=False)
    names = {3: HYPERLINK, 4: SCRIPT, 5: "@SUM(1+1)", 6: "-2+3", 7: "Birgitte Østergaard"}
    for i in range(10):
        members.add_member(db, f"m{i}", names.get(i, f"Medlem {i}"))

    def vote(pid: str, who: range | list[int], choice: str, **kw: object) -> None:
        for i in who:
            voting.cast_vote(db, f"m{i}", pid, choice, **kw)  # type: ignore[arg-type]

    voting.open_voting(db, "org", "egf-1")
    vote("egf-1", [0, 1], "ja")
    vote("egf-1", [2], "betinget-ja", amendments=[1, 3])
    vote("egf-1", [3, 4], "betinget-ja", amendments=[1])
    vote("egf-1", [5], "betinget-ja", amendments=[1], reason="@SUM(1+1)")
    vote("egf-1", [6], "betinget-ja", amendments=[1], reason="-2+3")
    vote("egf-1", [7], "nej", reason=f"{HYPERLINK}\n-1+1")
    voting.close_voting(db, "org", "egf-1")

    voting.open_voting(db, "ole", "egf-2")
    vote("egf-2", range(0, 6), "ja")
    vote("egf-2", [6], "bloker", reason=HOSTILE)
    vote(
        "egf-2",
        [7],
        "bloker",
        reason="# Overskrift\n> citat\n1. liste [link](http://evil) ![img](x.png) | a | b |",
    )
    voting.close_voting(db, "ole", "egf-2")

    voting.open_voting(db, "org", "egf-3")
    vote("egf-3", [0], "ja")
    vote("egf-3", range(1, 5), "nej")
    voting.close_voting(db, "org", "egf-3")

    voting.open_voting(db, "org", "egf-4")
    vote("egf-4", range(0, 5), "udskyd")
    vote("egf-4", [5], "ja")
    vote("egf-4", [6], "nej")
    voting.close_voting(db, "org", "egf-4")

    voting.open_voting(db, "org", "resolution-busruter", rules="consensus")
    vote("resolution-busruter", range(0, 4), "ja")
    vote("resolution-busruter", [4], "nej")
    vote("resolution-busruter", [4], "ja")  # changed
    voting.close_voting(db, "org", "resolution-busruter")

    voting.open_voting(db, "org", "vedtaegt-2025-1", rules="two-thirds")
    voting.close_voting(db, "org", "vedtaegt-2025-1")

    voting.open_voting(db, "org", "egf-1.1", rules="majority")
    vote("egf-1.1", [0], "ja")
    vote("egf-1.1", [1], "betinget-ja", amendments=[2])

    first = comments.add_comment(db, "m1", "egf-1", HOSTILE)
    comments.add_comment(db, "m2", "egf-1", f"Svar: {HYPERLINK}", reply_to=first.id)
    comments.add_comment(db, "m3", "egf-1", "Om ændringsforslaget", amendment=1)
    gone = comments.add_comment(db, "m4", "egf-2", "slettes")
    comments.delete_comment(db, "m4", gone.id)

    meeting = meetings.create_meeting(db, "ole", f"Politisk Forum {SCRIPT}", AGENDA)
    meetings.start_meeting(db, "ole", meeting.id)
    meetings.request_to_speak(db, "m1", meeting.id)
    meetings.grant_floor(db, "ole", meeting.id)
    meetings.end_meeting(db, "ole", meeting.id)
