"""The JSON export writes votes, their history and the log line by line from the stored
text when a batch has its usual shape, and through dicts and the encoder otherwise: both ways
must give the same bytes, whatever the rows hold."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import text

from deliberate.services.export import json_dump
from deliberate.store.engine import Database
from support.exports import build_forum

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def export(db: Database) -> str:
    out = io.StringIO()
    json_dump.export_forum(db, out, now=NOW)
    return out.getvalue()


def careful(db: Database, monkeypatch: pytest.MonkeyPatch) -> str:
    """The export with every batch sent the dict way."""
    with monkeypatch.context() as m:
        m.setattr(json_dump, "_all_int", lambda *args, **kwargs: False)
        return export(db)


def test_lines_and_dicts_give_the_same_bytes(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_forum(any_db)
    with any_db.engine.begin() as conn:  # a member who left: a second time, maybe NULL
        conn.execute(
            text("UPDATE members SET active = false, deactivated_at = created_at WHERE id = 3")
        )
    lines = export(any_db)
    assert '"votes": [\n  {"id":' in lines
    assert '"active":false,"created_at":"' in lines
    assert lines == careful(any_db, monkeypatch)


def test_rows_off_the_usual_shape_give_the_same_bytes(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Payloads not in the encoder's form, text to escape, odd lists and times: each batch
    holding one goes the dict way, and the file is what that way writes for every row."""
    build_forum(any_db)
    changes = [
        "UPDATE votes SET reason = 'a <b> \u202e x\n\"q\"' WHERE id = 2",
        'UPDATE audit_log SET payload = \'{"b": 1, "a":[1, 2.50]}\' WHERE seq = 3',
        "UPDATE audit_log SET payload = 'not json' WHERE seq = 4",
        'UPDATE audit_log SET payload = \'{"x":"\\u00e9"}\' WHERE seq = 5',
        "UPDATE audit_log SET payload = '' WHERE seq = 6",
        "UPDATE audit_log SET actor = 'Å<' WHERE seq = 7",
        "UPDATE vote_history SET amendments = '3,1' WHERE id = 3",
        "UPDATE vote_history SET amendments = '01,,2' WHERE id = 4",
        "UPDATE vote_history SET receipt = 'é' WHERE id = 5",
        "UPDATE members SET handle = 'x<y' WHERE id = 4",
    ]
    if not any_db.is_postgres:  # SQLite keeps a time as the text it was given
        changes += [
            "UPDATE votes SET cast_at = '2026-01-02 03:04:05' WHERE id = 3",
            "UPDATE vote_history SET cast_at = '2026-01-02 03:04:05.5' WHERE id = 6",
        ]
    with any_db.engine.begin() as conn:
        for change in changes:
            conn.execute(text(change))
    written = export(any_db)
    assert '"payload":"not json"' in written
    assert '"payload":{"b":1,"a":[1,2.5]}' in written
    assert "\\u003cb\\u003e \\u202e x\\n" in written
    assert written == careful(any_db, monkeypatch)
