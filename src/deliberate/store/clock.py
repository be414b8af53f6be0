"""The clock the stored times use (aware UTC): one function, importable without SQLAlchemy."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
