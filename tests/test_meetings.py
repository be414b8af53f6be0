"""The meeting core: agenda, navigation, speakers' list, presence and the snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from deliberate.errors import UserError
from deliberate.i18n.explain import explain
from deliberate.services import audit, meetings, members
from deliberate.services.importer import import_paths
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, MeetingStatus, Presence, SpeakerRequest

PROPOSAL = """---
id: {id}
title: Forslag {id}
---

Tekst.

## Forslag til ændringer

### Ændring et

Mere tekst.
"""


def make_forum(
    db: Database, tmp_path: Path, proposals: tuple[str, ...] = ("p1", "p2", "p3")
) -> None:
    folder = tmp_path / "forslag"
    folder.mkdir()
    for pid in proposals:
        (folder / f"{pid}.md").write_text(PROPOSAL.format(id=pid), encoding="utf-8")
    import_paths(db, [folder])
    members.add_member(db, "ole", "Ole Ordstyrer", role="facilitator")
    members.add_member(db, "anne", "Anne Arrangør", role="organizer")
    members.add_member(db, "birgitte", "Birgitte Østergaard")
    members.add_member(db, "jens", "Jens Mølgaard")
    members.add_member(db, "ida", "Ida Nørgaard")


@pytest.fixture
def forum(any_db: Database, tmp_path: Path) -> Database:
    make_forum(any_db, tmp_path)
    return any_db


def started(db: Database, **options: object) -> int:
    m = meetings.create_meeting(db, "ole", "Landsmøde 2027", ["p1", "p2", "p3"], **options)  # type: ignore[arg-type]
    meetings.start_meeting(db, "ole", m.id)
    return m.id


def audit_actions(db: Database) -> list[str]:
    """The log's actions in order, without the set-up's member and import entries."""
    with db.read() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq))
        return [a for a in actions if a not in SET_UP_ACTIONS]


SET_UP_ACTIONS = {audit.PROPOSAL_IMPORT, *audit.MEMBER_ACTIONS}


def audit_seq(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.max(AuditEntry.seq))) or 0


def test_create_start_move_and_end(forum: Database) -> None:
    m = meetings.create_meeting(
        forum, "ole", "  Landsmøde\x1b[31m 2027 ", ["p1", "p2", "p3"], speaker_limit_seconds=120
    )
    assert m.title == "Landsmøde 2027" and m.status == MeetingStatus.PLANNED and m.item_count == 3
    assert meetings.running_meeting_id(forum) is None
    s = meetings.start_meeting(forum, "anne", m.id)
    assert s.status == MeetingStatus.RUNNING and s.current_position == 1
    assert meetings.running_meeting_id(forum) == m.id
    assert meetings.next_item(forum, "ole", m.id).current_position == 2
    assert meetings.next_item(forum, "ole", m.id).current_position == 3
    with pytest.raises(UserError, match="last agenda item"):
        meetings.next_item(forum, "ole", m.id)
    assert meetings.previous_item(forum, "ole", m.id).current_position == 2
    assert meetings.goto_item(forum, "ole", m.id, 1).current_position == 1
    with pytest.raises(UserError, match="first agenda item"):
        meetings.previous_item(forum, "ole", m.id)
    with pytest.raises(UserError, match="no agenda item 9"):
        meetings.goto_item(forum, "ole", m.id, 9)
    ended = meetings.end_meeting(forum, "ole", m.id)
    assert ended.status == MeetingStatus.ENDED and ended.ended_at is not None
    assert meetings.running_meeting_id(forum) is None
    with pytest.raises(UserError, match="has ended"):
        meetings.next_item(forum, "ole", m.id)
    with pytest.raises(UserError, match="has ended"):
        meetings.start_meeting(forum, "ole", m.id)
    assert audit_actions(forum) == [
        "meeting_start",
        "meeting_item",
        "meeting_item",
        "meeting_item",
        "meeting_item",
        "meeting_end",
    ]


def test_only_facilitators_and_organizers_run_meetings(forum: Database) -> None:
    with pytest.raises(UserError) as err:
        meetings.create_meeting(forum, "birgitte", "Møde", ["p1"])
    assert "facilitator" in err.value.message("en") and "ordstyrer" in err.value.message("da")
    m = meetings.create_meeting(forum, "ole", "Møde", ["p1", "p2"])
    for action in (
        meetings.start_meeting,
        meetings.end_meeting,
        meetings.next_item,
        meetings.grant_floor,
    ):
        with pytest.raises(UserError, match="neither a facilitator"):
            action(forum, "jens", m.id)
    with pytest.raises(UserError, match="Unknown member"):
        meetings.start_meeting(forum, "nobody", m.id)
    members.remove_member(forum, "ole")
    with pytest.raises(UserError, match="no longer active"):
        meetings.start_meeting(forum, "ole", m.id)
    assert meetings.get_meeting(forum, m.id).status == MeetingStatus.PLANNED


def test_bad_agenda_and_settings_are_refused_and_nothing_is_written(forum: Database) -> None:
    with pytest.raises(UserError, match="Unknown proposal 'nope'"):
        meetings.create_meeting(forum, "ole", "Møde", ["p1", "nope"])
    with pytest.raises(UserError, match="already on the agenda"):
        meetings.create_meeting(forum, "ole", "Møde", ["p1", "p1"])
    with pytest.raises(UserError, match="needs a title"):
        meetings.create_meeting(forum, "ole", " \x07 ", ["p1"])
    with pytest.raises(UserError, match="seconds"):
        meetings.create_meeting(forum, "ole", "Møde", ["p1"], speaker_limit_seconds=0)
    assert meetings.list_meetings(forum) == []
    empty = meetings.create_meeting(forum, "ole", "Tomt", [])
    with pytest.raises(UserError, match="no agenda"):
        meetings.start_meeting(forum, "ole", empty.id)
    with pytest.raises(UserError, match="Unknown meeting"):
        meetings.start_meeting(forum, "ole", 999)


def test_one_meeting_runs_at_a_time(forum: Database) -> None:
    first = started(forum)
    second = meetings.create_meeting(forum, "ole", "Ekstra", ["p1"])
    with pytest.raises(UserError, match=f"Meeting {first} is still running"):
        meetings.start_meeting(forum, "ole", second.id)
    meetings.end_meeting(forum, "ole", first)
    meetings.start_meeting(forum, "ole", second.id)
    assert meetings.running_meeting_id(forum) == second.id


def test_agenda_add_and_reorder_keeps_the_current_item(forum: Database) -> None:
    m = meetings.create_meeting(forum, "ole", "Møde", ["p1", "p2"])
    meetings.add_agenda_item(forum, "ole", m.id, "p3", countdown_seconds=60)
    with pytest.raises(UserError, match="already on the agenda"):
        meetings.add_agenda_item(forum, "ole", m.id, "p1")
    meetings.start_meeting(forum, "ole", m.id)
    meetings.next_item(forum, "ole", m.id)  # p2 is current
    meetings.reorder_agenda(forum, "ole", m.id, ["p3", "p2", "p1"])
    state = meetings.meeting_state(forum, m.id)
    assert [a.proposal_id for a in state.agenda] == ["p3", "p2", "p1"]
    assert state.current is not None and state.current.proposal_id == "p2"
    assert state.agenda[0].countdown_seconds == 60
    with pytest.raises(UserError, match="exactly the proposals"):
        meetings.reorder_agenda(forum, "ole", m.id, ["p3", "p2"])
    with pytest.raises(UserError, match="exactly the proposals"):
        meetings.reorder_agenda(forum, "ole", m.id, ["p3", "p3", "p1"])
    meetings.set_countdown(forum, "ole", m.id, 3, 90)
    assert meetings.meeting_state(forum, m.id).agenda[2].countdown_seconds == 90


def test_speakers_list_point_of_order_jumps_the_queue(forum: Database) -> None:
    mid = started(forum, speaker_limit_seconds=90)
    meetings.request_to_speak(forum, "birgitte", mid)
    meetings.request_to_speak(forum, "jens", mid)
    with pytest.raises(UserError, match="already on the speakers"):
        meetings.request_to_speak(forum, "jens", mid)
    meetings.point_of_order(forum, "ida", mid)
    state = meetings.meeting_state(forum, mid)
    assert [(e.handle, e.kind) for e in state.queue] == [
        ("ida", "point_of_order"),
        ("birgitte", "speak"),
        ("jens", "speak"),
    ]
    assert state.queue_position("jens") == 3 and state.queue_position("ole") is None

    granted = meetings.grant_floor(forum, "ole", mid)
    assert granted.handle == "ida" and granted.limit_seconds == 90
    assert meetings.grant_floor(forum, "ole", mid).handle == "birgitte"
    meetings.withdraw_request(forum, "jens", mid)
    with pytest.raises(UserError, match="not on the speakers"):
        meetings.withdraw_request(forum, "jens", mid)
    with pytest.raises(UserError, match="list is empty"):
        meetings.grant_floor(forum, "ole", mid)
    state = meetings.meeting_state(forum, mid)
    assert state.speaker is not None and state.speaker.handle == "birgitte"
    assert state.queue == ()
    finished = meetings.finish_speaker(forum, "ole", mid)
    assert finished.finished_at is not None
    with pytest.raises(UserError, match="Nobody has the floor"):
        meetings.finish_speaker(forum, "ole", mid)
    assert meetings.meeting_state(forum, mid).speaker is None
    assert audit_actions(forum).count("floor_granted") == 2


def test_grant_a_chosen_request_and_requests_need_a_running_meeting(forum: Database) -> None:
    planned = meetings.create_meeting(forum, "ole", "Senere", ["p1"])
    with pytest.raises(UserError, match="has not started"):
        meetings.request_to_speak(forum, "jens", planned.id)
    mid = started(forum)
    meetings.request_to_speak(forum, "birgitte", mid)
    jens = meetings.request_to_speak(forum, "jens", mid)
    assert meetings.grant_floor(forum, "ole", mid, request_id=jens.id).handle == "jens"
    with pytest.raises(UserError, match=f"Request {jens.id} is not waiting"):
        meetings.grant_floor(forum, "ole", mid, request_id=jens.id)
    meetings.end_meeting(forum, "ole", mid)
    with pytest.raises(UserError, match="has ended"):
        meetings.request_to_speak(forum, "jens", mid)
    state = meetings.meeting_state(forum, mid)
    assert state.speaker is None and state.queue == ()  # ending finishes and lapses everything


def test_speaking_totals_add_up_each_members_turns(forum: Database) -> None:
    mid = started(forum)
    base = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
    turns = [("birgitte", 0, 60), ("jens", 60, 90), ("birgitte", 90, 135)]
    for handle, _, _ in turns:
        meetings.request_to_speak(forum, handle, mid)
        meetings.grant_floor(forum, "ole", mid)
        meetings.finish_speaker(forum, "ole", mid)
    # Put the turns at known times (the service stamps real time).
    with forum.write() as s:
        rows = s.scalars(select(SpeakerRequest).order_by(SpeakerRequest.id)).all()
        for row, (_, start, end) in zip(rows, turns, strict=True):
            row.granted_at = base + dt.timedelta(seconds=start)
            row.finished_at = base + dt.timedelta(seconds=end)
    totals = {t.handle: (t.seconds, t.turns) for t in meetings.speaking_totals(forum, mid)}
    assert totals == {"birgitte": (105.0, 2), "jens": (30.0, 1)}
    assert [t.handle for t in meetings.meeting_state(forum, mid).totals] == ["birgitte", "jens"]


def test_presence_heartbeat_window_and_disconnect(forum: Database) -> None:
    a = meetings.heartbeat(forum, "birgitte", client="ssh 127.0.0.1")
    b = meetings.heartbeat(forum, "birgitte", client="local")
    c = meetings.heartbeat(forum, "jens")
    assert meetings.heartbeat(forum, "jens", presence_id=c) == c
    connected = {m.handle: m.connections for m in meetings.connected_now(forum)}
    assert connected == {"birgitte": 2, "jens": 1}
    meetings.disconnect(forum, a)
    with forum.write() as s:  # jens' front end stopped beating two minutes ago
        s.execute(
            update(Presence)
            .where(Presence.id == c)
            .values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=120))
        )
    assert [(m.handle, m.connections) for m in meetings.connected_now(forum)] == [("birgitte", 1)]
    assert meetings.prune_presence(forum, older_than_seconds=30) == 1
    assert meetings.heartbeat(forum, "birgitte", presence_id=b) == b
    # A pruned connection that beats again gets a new row rather than failing.
    meetings.heartbeat(forum, "jens", presence_id=c)
    assert [m.handle for m in meetings.connected_now(forum)] == ["birgitte", "jens"]
    with pytest.raises(UserError, match="Unknown member"):
        meetings.heartbeat(forum, "nobody")


def test_state_of_a_planned_meeting_and_the_audit_head(forum: Database) -> None:
    m = meetings.create_meeting(forum, "ole", "Møde", ["p2", "p1"], hide_counts=True)
    state = meetings.meeting_state(forum, m.id)
    assert state.meeting.status == MeetingStatus.PLANNED and state.meeting.hide_counts
    assert state.current is None and state.voting is None and state.speaker is None
    assert [(a.position, a.proposal_id, a.title) for a in state.agenda] == [
        (1, "p2", "Forslag p2"),
        (2, "p1", "Forslag p1"),
    ]
    before = audit_seq(forum)
    meetings.start_meeting(forum, "ole", m.id)
    state = meetings.meeting_state(forum, m.id)
    assert state.audit_seq == before + 1 and len(state.audit_hash) == 64
    assert state.voting is not None and not state.voting.is_open
    assert (state.voting.voted, state.voting.eligible) == (0, 5)


def test_voting_on_the_current_item_with_hidden_counts(forum: Database) -> None:
    from deliberate.services import voting

    mid = started(forum, hide_counts=True)
    with pytest.raises(UserError):
        meetings.open_item_voting(forum, "birgitte", mid)  # members cannot open
    assert meetings.open_item_voting(forum, "ole", mid, countdown_seconds=300) == "p1"
    voting.cast_vote(forum, "birgitte", "p1", "ja")
    voting.cast_vote(forum, "jens", "p1", "nej")
    state = meetings.meeting_state(forum, mid)
    v = state.voting
    assert v is not None and v.is_open and (v.voted, v.eligible) == (2, 5)
    assert v.counts is None  # hidden until close
    assert v.seconds_left is not None and 290 < v.seconds_left <= 300
    before = v.closes_at
    assert before is not None
    new_deadline = meetings.extend_item_voting(forum, "ole", mid, 60)
    assert new_deadline == before + dt.timedelta(seconds=60)
    voting.cast_vote(forum, "ida", "p1", "ja")
    assert meetings.close_item_voting(forum, "ole", mid) == "p1"
    v = meetings.meeting_state(forum, mid).voting
    assert v is not None and v.is_closed and v.counts is not None
    assert v.counts["ja"] == 2 and v.counts["nej"] == 1 and (v.voted, v.eligible) == (3, 5)
    assert v.outcome == "adopted" and v.decision is not None
    result = voting.tally(forum, "p1")
    assert explain(v.decision, "da") == result.explanation("da")
    assert meetings.meeting_state(forum, mid).agenda[0].outcome == "adopted"
    assert meetings.meeting_state(forum, mid).audit_hash == audit.head(forum)[1]


def test_the_items_countdown_closes_voting_when_it_runs_out(forum: Database) -> None:
    from deliberate.store.models import Proposal

    m = meetings.create_meeting(forum, "ole", "Møde", ["p1", "p2"], countdown_seconds=120)
    meetings.start_meeting(forum, "ole", m.id)
    meetings.open_item_voting(forum, "ole", m.id)
    state = meetings.meeting_state(forum, m.id)
    assert state.voting is not None and state.voting.counts == {
        "ja": 0,
        "betinget_ja": 0,
        "udskyd": 0,
        "nej": 0,
        "bloker": 0,
    }
    assert state.voting.seconds_left is not None and 110 < state.voting.seconds_left <= 120
    with forum.write() as s:  # the countdown has run out
        s.execute(
            update(Proposal)
            .where(Proposal.id == "p1")
            .values(closes_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    state = meetings.meeting_state(forum, m.id)
    assert (
        state.voting is not None and state.voting.is_closed and state.voting.outcome == "no_quorum"
    )
    # The read wrote nothing; the facilitator's close (or the scheduler) writes the close as
    # of the deadline, with the result the read showed; a second close is refused.
    meetings.close_item_voting(forum, "ole", m.id)
    assert meetings.meeting_state(forum, m.id).voting == state.voting
    with pytest.raises(UserError):
        meetings.close_item_voting(forum, "ole", m.id)
