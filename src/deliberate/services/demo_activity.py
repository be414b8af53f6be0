"""Activity for the demo forum: items open (with and without a deadline) and closed (adopted
with amendments, blocked), drafts, votes by the sample members and a comment thread, so a
newcomer sees every state. The demo member has voted on one open item and not on the others.

Called by `services.demo.build_demo` after the sample proposals and members are in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from deliberate.errors import UserError
from deliberate.services import comments, proposals, voting
from deliberate.store.engine import Database
from deliberate.store.models import utcnow

CHAIR = "ordstyrer"


def _amendments(db: Database, proposal_id: str) -> int:
    return len(proposals.get_proposal(db, proposal_id).amendments)


def populate(db: Database) -> None:
    known = {p.id for p in proposals.list_proposals(db)}
    now = utcnow()

    def open_(pid: str, *, hours: float | None, rules: str = "pofo") -> bool:
        if pid not in known:
            return False
        closes = now + dt.timedelta(hours=hours) if hours else None
        voting.open_voting(db, CHAIR, pid, rules=rules, closes_at=closes)
        return True

    def vote(
        pid: str, handle: str, choice: str, *, amendments: tuple[int, ...] = (), reason: str = ""
    ) -> None:
        if amendments and _amendments(db, pid) < max(amendments):
            choice, amendments = "ja", ()
        # A sample file that changed shape refuses a vote: the demo works with fewer votes.
        with contextlib.suppress(UserError):
            voting.cast_vote(db, handle, pid, choice, amendments=amendments, reason=reason)

    # Closed: adopted with amendments.
    if open_("egf-2", hours=None):
        for handle, choice in (
            ("birgitte", "betinget-ja"),
            ("jens", "betinget-ja"),
            ("mette", "betinget-ja"),
            ("fatima", "ja"),
            ("soeren", "nej"),
            ("lars", "udskyd"),
            ("demo", "ja"),
        ):
            vote("egf-2", handle, choice, amendments=(1,) if choice == "betinget-ja" else ())
        voting.close_voting(db, CHAIR, "egf-2")
    # Closed: blocked, with written reasons.
    if open_("egf-3", hours=None):
        for handle, choice in (("birgitte", "ja"), ("jens", "ja"), ("ida", "nej"), ("lars", "ja")):
            vote("egf-3", handle, choice)
        vote(
            "egf-3",
            "soeren",
            "bloker",
            reason="Forslaget afskaffer de frie skolers særlige tilskud uden en overgangsordning.",
        )
        vote("egf-3", "fatima", "bloker", reason="Vi har lovet vores vælgere det modsatte i 2023.")
        voting.close_voting(db, CHAIR, "egf-3")
    # Open with a deadline; the demo member has not voted on these.
    if open_("egf-1", hours=50):
        vote("egf-1", "birgitte", "betinget-ja", amendments=(1,))
        vote("egf-1", "jens", "ja")
        vote("egf-1", "fatima", "betinget-ja", amendments=(1, 2))
        vote("egf-1", "mette", "udskyd")
    if open_("vedtaegt-2025-1", hours=26, rules="two-thirds"):
        vote("vedtaegt-2025-1", "lars", "ja")
        vote("vedtaegt-2025-1", "ida", "nej")
    # Open, closing soon; the demo member voted and may change the vote.
    if open_("egf-1.1", hours=3):
        vote("egf-1.1", "demo", "ja")
        vote("egf-1.1", "jens", "nej")
    open_("resolution-busruter", hours=None)

    # A discussion on the first section and one of its amendments.
    if "egf-1" in known:
        first = comments.add_comment(
            db,
            "birgitte",
            "egf-1",
            "Godt afsnit. Men hvordan sikrer vi, at CO2-afgiften ikke rammer pendlerne på landet?",
        )
        reply = comments.add_comment(
            db,
            "jens",
            "egf-1",
            "Provenuet føres tilbage som en grøn check – det står i punkt 2.",
            reply_to=first.id,
        )
        comments.add_comment(
            db, "birgitte", "egf-1", "Tak, det havde jeg overset.", reply_to=reply.id
        )
        gone = comments.add_comment(
            db, "lars", "egf-1", "Skrevet i vrede; jeg trækker det tilbage."
        )
        comments.delete_comment(db, "lars", gone.id)
        comments.add_comment(db, "mette", "egf-1", "Hvem har regnet på tallene i tabellen?")
        if _amendments(db, "egf-1"):
            comments.add_comment(
                db, "fatima", "egf-1", "Klima som mærkesag samler os.", amendment=1
            )
    if "egf-2" in known:
        comments.add_comment(db, "soeren", "egf-2", "Jeg stemte nej, men respekterer resultatet.")

    # Closed: rejected under the majority rule, and postponed.
    if open_("egf-1.2", hours=None, rules="majority"):
        for handle, choice in (
            ("birgitte", "ja"),
            ("jens", "nej"),
            ("fatima", "nej"),
            ("soeren", "nej"),
            ("mette", "udskyd"),
            ("demo", "nej"),
        ):
            vote("egf-1.2", handle, choice)
        vote("egf-1.2", "lars", "betinget-ja", amendments=(1,))
        question = comments.add_comment(
            db, "jens", "egf-1.2", "Landbruget er slet ikke hørt om randzonerne."
        )
        comments.add_comment(
            db, "birgitte", "egf-1.2", "Det blev de på regionsmødet i marts.", reply_to=question.id
        )
        voting.close_voting(db, CHAIR, "egf-1.2")
    if open_("egf-10", hours=None):
        for handle, choice in (
            ("birgitte", "udskyd"),
            ("jens", "udskyd"),
            ("fatima", "ja"),
            ("ida", "udskyd"),
            ("lars", "nej"),
            ("mette", "udskyd"),
        ):
            vote(
                "egf-10",
                handle,
                choice,
                reason="Sundhedsudvalget er ikke færdigt." if handle == "ida" else "",
            )
        comments.add_comment(
            db, "ida", "egf-10", "Lad os vente på sundhedsudvalgets rapport til efteråret."
        )
        voting.close_voting(db, CHAIR, "egf-10")
    # Discussion on the open items, with replies.
    if "vedtaegt-2025-1" in known:
        ask = comments.add_comment(
            db, "soeren", "vedtaegt-2025-1", "Hvad med medlemmer uden computer?"
        )
        comments.add_comment(
            db,
            "arrangoer",
            "vedtaegt-2025-1",
            "De kan stemme på papir hos lokalforeningen, se stk. 4.",
            reply_to=ask.id,
        )
    if "egf-1.1" in known:
        ask = comments.add_comment(
            db, "lars", "egf-1.1", "Kan vi få tal på, hvad en landsdækkende takstzone koster?"
        )
        comments.add_comment(
            db, "ordstyrer", "egf-1.1", "Sekretariatet regner på det til mødet.", reply_to=ask.id
        )
