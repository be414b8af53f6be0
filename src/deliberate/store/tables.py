"""Core names for the read paths that run on every start and skip the ORM (`member list`,
`proposals`, the scheduler's check whether anything is due, the ballots CSV).

`store.models` stays the one description of the schema (the migrations are checked against
it). These are lightweight `table()` clauses that name only the columns those queries read;
tests/test_cli_lazy.py checks that each exists in the models with the same type.
"""

from __future__ import annotations

from sqlalchemy import Boolean, DateTime, Integer, String, column, table

members = table(
    "members",
    column("id", Integer),
    column("handle", String),
    column("name", String),
    column("role", String),
    column("can_vote", Boolean),
    column("active", Boolean),
)

member_keys = table(
    "member_keys",
    column("id", Integer),
    column("member_id", Integer),
    column("algorithm", String),
    column("fingerprint", String),
    column("comment", String),
)

# The scheduler's "is anything due?" (services/due.py) and the proposal list
# (services/listing.py). Times are naive UTC, as stored.
proposals = table(
    "proposals",
    column("id", String),
    column("status", String),
    column("section", String),
    column("debate_from", DateTime),
    column("amendments_close_at", DateTime),
    column("filing_closed_at", DateTime),
    column("opens_at", DateTime),
    column("closes_at", DateTime),
    column("title", String),
    column("section_key", String),
    column("programme_id", Integer),
)

# The exports' selection of proposals and the ballots CSV (services/export/selection.py,
# csv_export.py). `cast_at` is read as the stored text, not parsed (see csv_export).
programmes = table("programmes", column("id", Integer), column("name", String))
meetings = table("meetings", column("id", Integer))
agenda_items = table(
    "agenda_items",
    column("meeting_id", Integer),
    column("position", Integer),
    column("proposal_id", String),
)
votes = table(
    "votes",
    column("id", Integer),
    column("proposal_id", String),
    column("member_id", Integer),
    column("choice", String),
    column("reason", String),
    column("receipt", String),
    column("version", Integer),
    column("cast_at", DateTime),
)
vote_amendments = table(
    "vote_amendments",
    column("vote_id", Integer),
    column("number", Integer),
)

# The proposal list (services/listing.py): counts beside each proposal, the frozen outcome.
amendments = table("amendments", column("proposal_id", String))
comments = table("comments", column("proposal_id", String), column("deleted_at", DateTime))
tallies = table(
    "tallies",
    column("proposal_id", String),
    column("outcome", String),
    column("carried_amendments", String),
)

TABLES = (
    members,
    member_keys,
    proposals,
    programmes,
    meetings,
    agenda_items,
    votes,
    vote_amendments,
    amendments,
    comments,
    tallies,
)
