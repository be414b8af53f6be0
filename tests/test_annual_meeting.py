"""The annual meeting (issue 13): check-in, quorum of those present, proxies, secret ballots,
hand counts and the non-voters list — a scripted meeting of 40 members on both databases,
the refusals (nothing written), and the unlinkability of secret ballots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from deliberate.domain.rules import DEFAULT_RULES, AmendmentRule, RuleSet
from deliberate.errors import UserError
from deliberate.services import audit, meetings, members, secret_ballots, voting
from deliberate.services.importer import import_paths
from deliberate.store.engine import Database
from deliberate.store.models import (
    AuditEntry,
    Base,
    Member,
    SecretBallot,
    SecretParticipation,
    Vote,
)

PROPOSAL = """---
id: {id}
title: Forslag {id}
---

Tekst.

## Forslag til ændringer

### Ændring et

Mere tekst.
"""
PRESENT_RULES = """name = "landsmoede"
quorum = "1/2"
quorum_base = "present"
"""
VOTERS = [f"m{n:02d}" for n in range(1, 39)]  # 38 members + a facilitator + an organizer = 40


def everything(db: Database) -> dict[str, list]:
    """Every row of every table: what a refusal must leave untouched."""
    with db.read() as session:
        return {
            t.name: sorted(map(repr, session.execute(select(t)).all()))
            for t in Base.metadata.sorted_tables
        }


def refused(db: Database, code: str, call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    before = everything(db)
    with pytest.raises(UserError) as err:
        call(*args, **kwargs)
    assert err.value.code == code
    assert everything(db) == before


def build(db: Database, tmp_path: Path) -> int:
    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid in ("p1", "p2", "p3", "p4"):
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid), encoding="utf-8")
    import_paths(db, [folder])
    members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator")
    members.add_member(db, "anne", "Anne Arrangør", role="organizer")
    for handle in VOTERS:
        members.add_member(db, handle, f"Medlem {handle}")
    m = meetings.create_meeting(db, "ole", "Landsmøde 2027", ["p1", "p2", "p3", "p4"])
    return m.id


@pytest.fixture
def assembly(any_db: Database, tmp_path: Path) -> tuple[Database, int]:
    return any_db, build(any_db, tmp_path)


def test_check_in_proxies_and_present(assembly: tuple[Database, int]) -> None:
    db, mid = assembly
    refused(db, "meeting.checkin_closed", meetings.check_in, db, "m01", mid)
    refused(db, "meeting.not_facilitator", meetings.open_checkin, db, "m01", mid)
    meetings.open_checkin(db, "ole", mid)
    for handle in VOTERS[:28]:
        meetings.check_in(db, handle, mid)
    meetings.close_checkin(db, "ole", mid)
    refused(db, "meeting.checkin_closed", meetings.check_in, db, "m29", mid)
    stay = meetings.check_in(db, "ole", mid, "m29")  # at the door
    assert stay.checked_in_by == "ole"
    meetings.check_in(db, "ole", mid, "m30")
    refused(db, "meeting.already_checked_in", meetings.check_in, db, "ole", mid, "m30")
    refused(db, "meeting.not_facilitator", meetings.check_in, db, "m01", mid, "m31")
    meetings.start_meeting(db, "ole", mid)
    state = meetings.meeting_state(db, mid)
    assert state.present_count == 30 and state.is_checked_in("m30")

    # Proxies: within the limit, never to oneself, never passed on.
    refused(db, "meeting.not_organizer", meetings.add_proxy, db, "ole", mid, "m31", "m01")
    meetings.add_proxy(db, "anne", mid, "m31", "m01")
    meetings.add_proxy(db, "anne", mid, "m32", "m02")
    refused(db, "proxy.over_limit", meetings.add_proxy, db, "anne", mid, "m33", "m01")
    refused(db, "proxy.to_oneself", meetings.add_proxy, db, "anne", mid, "m33", "m33")
    refused(db, "proxy.already_given", meetings.add_proxy, db, "anne", mid, "m31", "m03")
    refused(db, "proxy.principal_holds_proxy", meetings.add_proxy, db, "anne", mid, "m01", "m03")
    assert meetings.meeting_state(db, mid).present_count == 32  # m31, m32 through m01, m02
    meetings.set_proxy_limit(db, "anne", 2)
    meetings.add_proxy(db, "anne", mid, "m33", "m01")
    assert meetings.meeting_state(db, mid).present_count == 33
    meetings.remove_proxy(db, "anne", mid, "m33", "m01")
    assert [(p.principal, p.holder) for p in meetings.list_proxies(db, mid)] == [
        ("m31", "m01"),
        ("m32", "m02"),
    ]
    # Checking out: m02 leaves, and with them m32's proxy.
    meetings.check_out(db, "m02", mid)
    assert meetings.meeting_state(db, mid).present_count == 30
    refused(db, "meeting.not_checked_in", meetings.check_out, db, "m02", mid)
    meetings.check_in(db, "ole", mid, "m02")
    stays = [s for s in meetings.attendance_log(db, mid) if s.handle == "m02"]
    assert len(stays) == 2 and stays[0].checked_out_at is not None
    assert audit.verify(db).ok


def scripted(db: Database, mid: int, rules_file: Path) -> dict[str, voting.TallyResult]:
    """The scripted meeting: 30 checked in, two proxies, an open vote, a secret vote, a hand
    count and a vote that fails the quorum of those present."""
    meetings.open_checkin(db, "ole", mid)
    for handle in VOTERS[:30]:
        meetings.check_in(db, handle, mid)
    meetings.start_meeting(db, "ole", mid)
    meetings.add_proxy(db, "anne", mid, "m31", "m01")
    meetings.add_proxy(db, "anne", mid, "m32", "m02")
    results: dict[str, voting.TallyResult] = {}

    # 1. An open vote; the console lists who has not voted.
    meetings.open_item_voting(db, "ole", mid)
    for handle in VOTERS[:10]:
        voting.cast_vote(db, handle, "p1", "ja")
    receipt = voting.cast_vote(db, "m01", "p1", "nej", for_member="m31")
    assert receipt.cast_for == "m31"
    voting.cast_vote(db, "m02", "p1", "udskyd", for_member="m32")
    state = meetings.meeting_state(db, mid)
    assert state.voting is not None and state.voting.voted == 12
    assert [n.handle for n in state.non_voters] == VOTERS[10:30]
    # m32's own vote replaces the proxy vote; after it, no proxy vote for m32.
    mine = voting.cast_vote(db, "m32", "p1", "ja")
    assert mine.version == 2 and mine.cast_for is None
    refused(db, "proxy.principal_voted", voting.cast_vote, db, "m02", "p1", "nej", for_member="m32")
    refused(db, "proxy.not_held", voting.cast_vote, db, "m03", "p1", "nej", for_member="m33")
    results["p1"] = voting.close_voting(db, "ole", "p1")

    # 2. A secret vote.
    meetings.next_item(db, "ole", mid)
    meetings.open_item_voting(db, "ole", mid, secret=True)
    trackers = {}
    for n, handle in enumerate(VOTERS[:20]):
        choice = ("ja", "nej", "udskyd", "ja")[n % 4]
        trackers[handle] = voting.cast_vote(db, handle, "p2", choice).receipt
    trackers["m31"] = voting.cast_vote(
        db, "m01", "p2", "bloker", reason="Nej tak", for_member="m31"
    ).receipt
    state = meetings.meeting_state(db, mid)
    assert state.voting is not None and state.voting.voted == 21 and state.voting.counts is None
    assert state.non_voters == ()  # never on a secret ballot
    refused(db, "voting.error.secret_already_voted", voting.cast_vote, db, "m05", "p2", "ja")
    refused(
        db,
        "voting.error.secret_already_voted",
        voting.cast_vote,
        db,
        "m01",
        "p2",
        "ja",
        for_member="m31",
    )
    refused(db, "voting.error.secret_already_voted", voting.cast_vote, db, "m31", "p2", "ja")
    assert voting.tally(db, "p2").as_json()["counts"] is None
    results["p2"] = voting.close_voting(db, "ole", "p2")
    published = {b.tracker: b for b in meetings_ballots(db, "p2")}
    assert set(published) == set(trackers.values())
    assert published[trackers["m31"]].reason == "Nej tak"

    # 3. A hand count.
    meetings.next_item(db, "ole", mid)
    results["p3"] = meetings.record_hand_count(
        db, "ole", mid, {"ja": 20, "betinget_ja": 0, "udskyd": 1, "nej": 5, "bloker": 0}
    )
    refused(
        db,
        "meeting.hand_count_closed",
        meetings.record_hand_count,
        db,
        "ole",
        mid,
        {"ja": 1},
    )

    # 4. A vote that fails the quorum of those present (32 present, 16 needed).
    meetings.next_item(db, "ole", mid)
    meetings.open_item_voting(db, "ole", mid, rules=str(rules_file))
    for handle in VOTERS[:15]:
        voting.cast_vote(db, handle, "p4", "ja")
    results["p4"] = voting.close_voting(db, "ole", "p4")
    return results


def meetings_ballots(db: Database, pid: str) -> list[secret_ballots.PublishedBallot]:
    with db.read() as session:
        return secret_ballots.ballots_in(session, pid)


def test_scripted_meeting(assembly: tuple[Database, int], tmp_path: Path) -> None:
    db, mid = assembly
    rules_file = tmp_path / "landsmoede.toml"
    rules_file.write_text(PRESENT_RULES, encoding="utf-8")
    results = scripted(db, mid, rules_file)
    p1, p2, p3, p4 = (results[k] for k in ("p1", "p2", "p3", "p4"))
    assert p1.counts.as_dict() == {"ja": 11, "betinget_ja": 0, "udskyd": 0, "nej": 1, "bloker": 0}
    assert p1.present == 32 and p1.outcome.value == "adopted"
    assert p2.secret and p2.cast == 21 and p2.counts.bloker == 1
    assert p3.hand_count and p3.counts.ja == 20 and p3.outcome.value == "adopted"
    assert p4.outcome.value == "no_quorum" and p4.present == 32
    assert "15 af 32 fremmødte" in p4.explanation("da")
    assert "of 32 eligible members present" in p4.explanation("en")
    # The proxy vote records who cast it (m01 for m31); m32's own vote replaced m02's.
    with db.read() as session:
        ids = {h: i for h, i in session.execute(select(Member.handle, Member.id))}
        cast_by = dict(
            session.execute(
                select(Vote.member_id, Vote.cast_by).where(Vote.proposal_id == "p1")
            ).all()
        )
    assert cast_by[ids["m31"]] == ids["m01"] and cast_by[ids["m32"]] is None
    report = audit.verify(db)
    assert report.ok, report.problems


@pytest.mark.parametrize("separate", [False, True], ids=["named", "separate-answers"])
def test_secret_ballot_cannot_be_linked_to_its_voter(
    any_db: Database, tmp_path: Path, separate: bool
) -> None:
    """Named amendments (Betinget ja), or each amendment's own answer (rule `separate`)."""
    db = any_db
    mid = build(db, tmp_path)
    meetings.start_meeting(db, "ole", mid)
    rules = RuleSet("saerskilt", amendments=AmendmentRule.SEPARATE) if separate else DEFAULT_RULES
    meetings.open_item_voting(db, "ole", mid, secret=True, rules=rules)
    voters = VOTERS[:12]
    choices = ["ja", "nej", "udskyd", "bloker", "ja" if separate else "betinget_ja", "ja"] * 2
    answers = ["ja", "nej", "undlad", "", "ja", "nej"] * 2
    trackers = []
    for handle, choice, answer in zip(voters, choices, answers, strict=True):
        trackers.append(
            voting.cast_vote(
                db,
                handle,
                "p1",
                choice,
                amendments=[1] if choice == "betinget_ja" else [],
                reason="grund" if choice == "bloker" else "",
                amendment_votes={1: answer} if separate and answer else {},
            ).receipt
        )
    voting.close_voting(db, "ole", "p1")
    with db.read() as session:
        member_ids = {m.id for m in session.scalars(select(Member))}
        handles = set(VOTERS) | {"ole", "anne"}
        participations = session.execute(
            select(AuditEntry.seq, AuditEntry.created_at, AuditEntry.payload, AuditEntry.actor)
            .where(AuditEntry.action == secret_ballots.PARTICIPATION)
            .order_by(AuditEntry.seq)
        ).all()
        rows = session.execute(select(SecretBallot)).scalars().all()
        stored = [
            (r.proposal_id, r.tracker, r.choice, r.amendments, r.reason, r.amendment_answers)
            for r in rows
        ]
        columns = set(SecretBallot.__table__.columns.keys())
        physical = [
            tuple(r)
            for r in session.execute(
                text("SELECT tracker FROM secret_ballots WHERE proposal_id = 'p1'")
            )
        ]
        if db.engine.dialect.name == "postgresql":
            xmins = {
                r[0]
                for r in session.execute(
                    text("SELECT xmin::text FROM secret_ballots WHERE proposal_id = 'p1'")
                )
            }
        else:
            xmins = {"-"}
    # 1. The row: nothing but the proposal, a random tracker, the choice, amendments, reason
    #    and the separate amendment answers (numbers and answers only, as given).
    assert columns == {
        "proposal_id",
        "tracker",
        "choice",
        "amendments",
        "reason",
        "amendment_answers",
    }
    for _, tracker, _choice, _amendments, reason, given in stored:
        for value in (tracker, reason):
            assert value not in handles
            assert not any(str(i) == value for i in member_ids)
        assert re.fullmatch(r"(1=(ja|nej|undlad))?", given)
    expected = sorted(f"1={a}" if separate and a else "" for a in answers)
    assert sorted(row[5] for row in stored) == expected
    # 2. The audit entries of the participations: the same shape for every participant,
    #    naming the member only, and nothing of the ballot (no choice, no tracker).
    assert len(participations) == len(voters)
    for _, _, payload, _ in participations:
        data = json.loads(payload)
        assert set(data) == {"member"}
        assert not any(t in payload for t in trackers)
        assert "undlad" not in payload and "amendment" not in payload
    # 3. The position: rows come back in tracker order whatever the order of casting, and on
    #    PostgreSQL the rows were all rewritten by the closing transaction (one xmin).
    assert [p[0] for p in physical] == sorted(trackers)
    assert sorted(trackers) != trackers or len(trackers) < 2  # cast order was not tracker order
    assert len(xmins) == 1
    # 4. The exports and the tally show tracker codes and choices, never a member's.
    ballots = meetings_ballots(db, "p1")
    assert {b.tracker for b in ballots} == set(trackers)
    if separate:  # and the answers are counted, as on an open ballot
        votes = voting.tally(db, "p1").counts.amendment_votes
        assert tuple(votes[1]) == (4, 4, 2)
    with db.read() as session:
        assert session.scalar(select(SecretParticipation.member_id).limit(1)) is not None
    assert audit.verify(db).ok


def test_minutes_and_json_round_trip(assembly: tuple[Database, int], tmp_path: Path) -> None:
    import io

    from deliberate.services.export.html_report import render_html
    from deliberate.services.export.json_dump import export_forum
    from deliberate.services.export.json_load import import_forum
    from deliberate.services.export.minutes import render_minutes
    from deliberate.services.export.results import Selection, build_report
    from deliberate.store import migrate

    db, mid = assembly
    rules_file = tmp_path / "landsmoede.toml"
    rules_file.write_text(PRESENT_RULES, encoding="utf-8")
    scripted(db, mid, rules_file)
    meetings.request_to_speak(db, "m07", mid)
    meetings.grant_floor(db, "ole", mid)
    meetings.finish_speaker(db, "ole", mid)
    meetings.end_meeting(db, "ole", mid)
    report = build_report(db, Selection(meeting=mid))
    for text_ in (render_minutes(report, "en"), render_html(report, "en")):
        assert "Attendance (30 members)" in text_
        assert "m31 → m01" in text_
        assert "counted in the room" in text_ and "Secret ballots (21)" in text_
        assert "Medlem m07 (m07)" in text_  # a speaker, under item 4
    minutes = render_minutes(report, "da")
    p2 = minutes.split("Forslag p2")[1].split("Forslag p3")[0]
    assert "Nej tak" in p2 and "(m01)" not in p2  # a Bloker reason, without a name
    for handle in VOTERS:
        assert f"({handle}): " not in p2.split("Hemmelige stemmesedler")[1]

    first = io.StringIO()
    export_forum(db, first, now=report.exported_at)
    target = Database(f"sqlite:///{tmp_path / 'copy.db'}")  # from either backend
    try:
        migrate.upgrade(target)
        import_forum(target, io.StringIO(first.getvalue()))
        assert audit.verify(target).ok
        again = io.StringIO()
        export_forum(target, again, now=report.exported_at)
        assert again.getvalue() == first.getvalue()  # byte for byte
    finally:
        target.dispose()


def test_verify_sees_a_proxy_vote_rewritten_and_a_secret_ballot_added(
    assembly: tuple[Database, int], tmp_path: Path
) -> None:
    from sqlalchemy import insert, update

    db, mid = assembly
    rules_file = tmp_path / "landsmoede.toml"
    rules_file.write_text(PRESENT_RULES, encoding="utf-8")
    scripted(db, mid, rules_file)
    assert audit.verify(db).ok
    with db.write() as session:
        m31 = session.scalar(select(Member.id).where(Member.handle == "m31"))
        session.execute(update(Vote).where(Vote.member_id == m31).values(cast_by=None))
        session.execute(
            insert(SecretBallot).values(
                proposal_id="p2", tracker="0000-0000-0000", choice="ja", amendments="", reason=""
            )
        )
    report = audit.verify(db, lang="en")
    assert not report.ok
    text_ = "\n".join(report.problems)
    assert "m31" in text_ and "cast_by" in text_
    assert "22 secret ballots but 21 participations" in text_
    assert "do not match the hash" in text_


def test_a_hand_count_may_close_a_secret_ballot_nobody_used(
    assembly: tuple[Database, int],
) -> None:
    """Opened secret, then counted in the room before anyone voted: `verify` checks the
    hand count, and does not look for a ballot list the close never had."""
    db, mid = assembly
    meetings.start_meeting(db, "ole", mid)
    meetings.open_item_voting(db, "ole", mid, secret=True)
    result = meetings.record_hand_count(db, "ole", mid, {"ja": 20, "nej": 3})
    assert result.hand_count and result.counts.ja == 20
    report = audit.verify(db)
    assert report.ok, report.problems


def test_results_csv_marks_hand_counts_and_secret_ballots(
    assembly: tuple[Database, int], tmp_path: Path
) -> None:
    """results.csv says how each result came about: `method` hand (counted in the room) or
    electronic, and `secret` true for a secret ballot."""
    import csv
    import io

    from deliberate.services.export import RESULT_COLUMNS, export_csv

    db, mid = assembly
    rules_file = tmp_path / "landsmoede.toml"
    rules_file.write_text(PRESENT_RULES, encoding="utf-8")
    scripted(db, mid, rules_file)
    out = io.StringIO()
    export_csv(db, results_out=out, ballots_out=None)
    assert out.getvalue().splitlines()[0] == ",".join(RESULT_COLUMNS)
    rows = {
        r["proposal"]: (r["method"], r["secret"])
        for r in csv.DictReader(io.StringIO(out.getvalue()))
    }
    assert rows == {
        "p1": ("electronic", "false"),
        "p2": ("electronic", "true"),
        "p3": ("hand", "false"),
        "p4": ("electronic", "false"),
    }
