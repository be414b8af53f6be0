"""Core names for the read paths that run on every start and skip the ORM (`member list`,
the scheduler's check whether anything is due).

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

# The scheduler's "is anything due?" (services/due.py). Times are naive UTC, as stored.
proposals = table(
    "proposals",
    column("id", String),
    column("status", String),
    column("debate_from", DateTime),
    column("amendments_close_at", DateTime),
    column("filing_closed_at", DateTime),
    column("opens_at", DateTime),
    column("closes_at", DateTime),
)

TABLES = (members, member_keys, proposals)
