"""Test set-up for amendment decisions: proposals with paragraph and free-text amendments,
alternative groups and states, written directly with the ORM (as the members' commands of
issue 10 will write them), then voted on through the real services."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from deliberate.domain.rules import RuleSet
from deliberate.services import voting
from deliberate.services.proposals import stored_text_hashes
from deliberate.store.engine import Database
from deliberate.store.models import Amendment, AmendmentKind, AmendmentState, Proposal
from voting_harness import FACILITATOR, make_forum

BODY = """Vi vil styrke den lokale og frivillige integrationsindsats.

Kommunerne skal have midler til at støtte foreninger, der arbejder med integration.

Frivillige skal have adgang til kurser i sprog og kultur.

Indsatsen evalueres hvert andet år."""


@dataclass(frozen=True)
class Amend:
    """One amendment to write: a paragraph change (`op` set) or free text."""

    title: str
    op: str | None = None  # replace | insert_after | delete
    paragraph: int | None = None
    new_text: str = ""
    body: str = ""
    group: int | None = None
    state: str = AmendmentState.PROPOSED


def add_proposal(
    db: Database, pid: str, amendments: Sequence[Amend], *, body: str = BODY, title: str = ""
) -> None:
    with db.write() as session:
        session.add(
            Proposal(
                id=pid,
                title=title or f"Forslag {pid}",
                body=body,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                amendments=[
                    Amendment(
                        number=k,
                        title=a.title,
                        body=a.body,
                        kind=AmendmentKind.PARAGRAPH if a.op else AmendmentKind.FREE,
                        paragraph=a.paragraph if a.op else None,
                        operation=a.op,
                        new_text=a.new_text,
                        state=a.state,
                        alternative_group=a.group,
                    )
                    for k, a in enumerate(amendments, start=1)
                ],
            )
        )
        _rehash(session, pid)


def _rehash(session: Session, pid: str) -> None:
    """The content hash as every writer computes it from the stored text (verify checks it)."""
    session.flush()
    proposal = session.get(Proposal, pid)
    assert proposal is not None
    proposal.content_hash = min(stored_text_hashes(session, pid)[pid])


def forum(db: Database, voters: int = 12) -> list[str]:
    return make_forum(db, voters=voters, proposals={})


Ballot = tuple[str, tuple[int, ...], dict[int, str]]


def ballots(*groups: tuple) -> list[Ballot]:
    """(choice, n) / (choice, n, numbers) / (choice, n, numbers, {amendment: answer})."""
    out: list[Ballot] = []
    for g in groups:
        choice, n = g[0], g[1]
        numbers = g[2] if len(g) > 2 else ()
        answers = g[3] if len(g) > 3 else {}
        out += [(choice, tuple(numbers), dict(answers))] * n
    return out


def run_vote(
    db: Database,
    pid: str,
    voters: list[str],
    rules: str | RuleSet,
    cast: Sequence[Ballot],
) -> voting.TallyResult:
    voting.open_voting(db, FACILITATOR, pid, rules=rules)
    assert len(cast) <= len(voters)
    for handle, (choice, numbers, answers) in zip(voters, cast, strict=False):
        voting.cast_vote(db, handle, pid, choice, amendments=numbers, amendment_votes=answers)
    return voting.close_voting(db, FACILITATOR, pid)


def add_amendments(db: Database, pid: str, amendments: Sequence[Amend]) -> None:
    """Amendments filed after import (as members will with `deliberate amend`), numbered on."""
    with db.write() as session:
        proposal = session.get(Proposal, pid)
        assert proposal is not None
        start = len(proposal.amendments) + 1
        for k, a in enumerate(amendments, start=start):
            proposal.amendments.append(
                Amendment(
                    number=k,
                    title=a.title,
                    body=a.body,
                    kind=AmendmentKind.PARAGRAPH if a.op else AmendmentKind.FREE,
                    paragraph=a.paragraph if a.op else None,
                    operation=a.op,
                    new_text=a.new_text,
                    state=a.state,
                    alternative_group=a.group,
                )
            )
        _rehash(session, pid)
