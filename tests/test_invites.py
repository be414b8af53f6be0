"""Invite codes (services/invites.py) and the CSV member import, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from deliberate.errors import UserError
from deliberate.services import audit, invites, member_import, members
from deliberate.store.engine import Database
from deliberate.store.models import AuditEntry, Invite, InviteAttempt, MemberKey, utcnow


def _key(tmp_path: Path, name: str = "k") -> members.PublicKey:
    path = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@test", "-f", str(path)],
        check=True,
    )
    return members.read_public_key_file(Path(f"{path}.pub"))


def _snapshot(db: Database) -> tuple[int, int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Invite)) or 0,
            s.scalar(select(func.count()).select_from(InviteAttempt)) or 0,
            s.scalar(select(func.count()).select_from(MemberKey)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def _actions(db: Database) -> list[str]:
    return [e.action for e in audit.entries(db)]


def _refusal(exc: pytest.ExceptionInfo[UserError]) -> str:
    return exc.value.code.rsplit(".", 1)[-1]


def test_codes_are_readable_and_only_their_salted_hash_is_stored(any_db: Database) -> None:
    members.add_member(any_db, "anna", "Anna")
    issued = invites.create_invite(any_db, "anna")
    groups = issued.code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert all(c in invites.ALPHABET for c in "".join(groups))
    assert not set("01ILOU") & set(issued.code)
    with any_db.read() as s:
        row = s.scalars(select(Invite)).one()
        salt, digest = row.code_salt, row.code_hash
    plain = issued.code.replace("-", "")
    assert digest == hashlib.sha256(bytes.fromhex(salt) + plain.encode()).hexdigest()
    assert digest != hashlib.sha256(plain.encode()).hexdigest()
    # The code is nowhere in the database: not in the invite, not in the audit chain.
    with any_db.read() as s:
        stored = " ".join(str(v) for v in s.execute(select(Invite.__table__)).one())
        log = " ".join(e.payload for e in s.scalars(select(AuditEntry)))
    assert plain not in stored and issued.code not in stored
    assert plain not in log and issued.code not in log
    assert _actions(any_db) == [invites.INVITE_CREATE]
    assert invites.normalize_code(issued.code.lower().replace("-", " ")) == plain


def test_the_right_code_binds_the_key_once(any_db: Database, tmp_path: Path) -> None:
    members.add_member(any_db, "anna", "Anna")
    issued = invites.create_invite(any_db, "anna")
    key = _key(tmp_path)
    assert members.member_for_key(any_db, key.algorithm, key.key_data) is None
    member = invites.redeem(any_db, issued.code.lower(), key=key, address="10.0.0.1")
    assert member.handle == "anna" and member.keys[0].fingerprint == key.fingerprint
    found = members.member_for_key(any_db, key.algorithm, key.key_data)
    assert found is not None and found.handle == "anna"
    assert _actions(any_db) == [invites.INVITE_CREATE, invites.INVITE_USE]
    assert not invites.has_pending(any_db)

    # Used: refused with its own message, another key is not bound, the refusal is recorded.
    other = _key(tmp_path, "other")
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, issued.code, key=other, address="10.0.0.2")
    assert _refusal(refused) == invites.USED
    assert "allerede brugt" in refused.value.message("da")
    assert "already been used" in refused.value.message("en")
    assert members.member_for_key(any_db, other.algorithm, other.key_data) is None
    assert _actions(any_db)[-1] == invites.INVITE_REFUSE
    assert audit.verify(any_db).ok


def test_expired_and_wrong_codes_are_refused_each_with_its_message(
    any_db: Database, tmp_path: Path
) -> None:
    members.add_member(any_db, "anna", "Anna")
    issued = invites.create_invite(any_db, "anna", valid=dt.timedelta(hours=1))
    key = _key(tmp_path)
    later = utcnow() + dt.timedelta(hours=2)
    before = _snapshot(any_db)
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, issued.code, key=key, address="10.0.0.1", now=later)
    assert _refusal(refused) == invites.EXPIRED and "udløbet" in refused.value.message("da")
    for wrong in ("AAAA-BBBB-CCCC", "kort", "0000-1111-IIII"):
        with pytest.raises(UserError) as refused:
            invites.redeem(any_db, wrong, key=key, address="10.0.0.3")
        assert _refusal(refused) == invites.WRONG
    assert "forkert" in refused.value.message("da")
    # Each refusal: one attempt and one audit entry; no key, no change to the invite.
    assert _snapshot(any_db) == (before[0], before[1] + 4, before[2], before[3] + 4)
    assert members.member_for_key(any_db, key.algorithm, key.key_data) is None
    reasons = [e.payload["reason"] for e in audit.entries(any_db) if e.action == "invite_refuse"]
    assert reasons == ["expired", "wrong", "wrong", "wrong"]
    assert audit.verify(any_db).ok


def test_a_new_invite_revokes_the_old_one(any_db: Database, tmp_path: Path) -> None:
    members.add_member(any_db, "anna", "Anna")
    first = invites.create_invite(any_db, "anna")
    second = invites.create_invite(any_db, "anna")
    assert second.replaced == 1
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, first.code, key=_key(tmp_path), address="10.0.0.1")
    assert _refusal(refused) == invites.WRONG
    assert invites.redeem(any_db, second.code, key=_key(tmp_path, "b"), address="10.0.0.1")
    creates = [e for e in audit.entries(any_db) if e.action == invites.INVITE_CREATE]
    assert creates[1].payload["replaces"] == [creates[0].payload["invite"]]
    assert audit.verify(any_db).ok


def test_five_wrong_codes_in_a_minute_lock_the_address_out(
    any_db: Database, tmp_path: Path
) -> None:
    members.add_member(any_db, "anna", "Anna")
    issued = invites.create_invite(any_db, "anna")
    key = _key(tmp_path)
    policy = invites.InvitePolicy(
        max_failures=5, window=dt.timedelta(minutes=1), lockout=dt.timedelta(minutes=10)
    )
    start = utcnow()
    lefts = []
    for i in range(5):
        with pytest.raises(UserError) as refused:
            invites.redeem(
                any_db,
                "AAAA-AAAA-AAAA",
                key=key,
                address="10.0.0.9",
                policy=policy,
                now=start + dt.timedelta(seconds=5 * i),
            )
        lefts.append(refused.value.params["left"])
    assert lefts == [4, 3, 2, 1, 0]
    assert refused.value.code == "invite.refused.wrong_locked"
    assert "forkert" in refused.value.message("da") and "10 minutter" in refused.value.message("da")
    # Locked: even the right code is refused from that address, and nothing is written.
    before = _snapshot(any_db)
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, issued.code, key=key, address="10.0.0.9", policy=policy, now=start)
    assert _refusal(refused) == invites.LOCKED and refused.value.params["minutes"] == 11
    assert "For mange" in refused.value.message("da")
    assert _snapshot(any_db) == before
    assert invites.lockout_for(any_db, "10.0.0.9", policy, now=start) is not None
    # Another address is not locked; the lock ends after the lockout.
    assert invites.lockout_for(any_db, "10.0.0.8", policy, now=start) is None
    after = start + dt.timedelta(seconds=20) + policy.lockout + dt.timedelta(seconds=1)
    assert invites.lockout_for(any_db, "10.0.0.9", policy, now=after) is None
    member = invites.redeem(
        any_db, issued.code, key=key, address="10.0.0.9", policy=policy, now=after
    )
    assert member.handle == "anna"


def test_wrong_codes_spread_out_do_not_lock() -> None:
    policy = invites.InvitePolicy()
    start = utcnow()
    slow = [start + dt.timedelta(seconds=20 * i) for i in range(10)]
    assert invites.locked_until(slow, policy) is None
    fast = [start + dt.timedelta(seconds=i) for i in range(5)]
    assert invites.locked_until(fast, policy) == fast[-1] + policy.lockout


def test_an_inactive_member_or_a_registered_key_cannot_use_a_code(
    any_db: Database, tmp_path: Path
) -> None:
    members.add_member(any_db, "anna", "Anna")
    key = _key(tmp_path)
    members.add_member(any_db, "bo", "Bo", key=key)
    issued = invites.create_invite(any_db, "anna")
    before = _snapshot(any_db)
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, issued.code, key=key, address="10.0.0.1")
    assert refused.value.code == "key_in_use"
    assert _snapshot(any_db) == before
    members.remove_member(any_db, "anna")
    with pytest.raises(UserError) as refused:
        invites.redeem(any_db, issued.code, key=_key(tmp_path, "new"), address="10.0.0.1")
    assert _refusal(refused) == invites.WRONG
    with pytest.raises(UserError):
        invites.create_invite(any_db, "anna")  # inactive
    with pytest.raises(UserError):
        invites.create_invite(any_db, "nobody")


def test_verify_catches_a_forged_invite_use(any_db: Database, tmp_path: Path) -> None:
    members.add_member(any_db, "anna", "Anna")
    issued = invites.create_invite(any_db, "anna", valid=dt.timedelta(hours=1))
    invites.redeem(any_db, issued.code, key=_key(tmp_path), address="10.0.0.1")
    assert audit.verify(any_db).ok
    # Rewrite the chain so the invite was created already expired (hashes recomputed).
    with any_db.write() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = audit.GENESIS
        for row in rows:
            payload = audit.json.loads(row.payload)
            if row.action == invites.INVITE_CREATE:
                payload["expires_at"] = audit.timestamp(row.created_at)
            digest = audit.entry_hash(
                prev, row.seq, row.created_at, row.actor, row.action, row.subject, payload
            )
            s.execute(
                update(AuditEntry)
                .where(AuditEntry.seq == row.seq)
                .values(payload=audit.canonical(payload), prev_hash=prev, hash=digest)
            )
            prev = digest
        s.execute(update(audit.AuditHead).values(hash=prev))
    report = audit.verify(any_db, lang="en")
    assert not report.ok and any("was used while not valid" in p for p in report.problems)


def test_validity_is_parsed_with_clear_refusals() -> None:
    assert invites.parse_validity("7d") == dt.timedelta(days=7)
    assert invites.parse_validity("36H") == dt.timedelta(hours=36)
    assert invites.parse_validity("90m") == dt.timedelta(minutes=90)
    for bad in ("", "7", "7w", "0m", "400d", "-1d", "7d\x1b"):
        with pytest.raises(UserError) as refused:
            invites.parse_validity(bad)
        assert "\x1b" not in refused.value.message("en")


# ------------------------------------------------------------------------------ CSV import


def test_a_csv_adds_members_and_invites_each_in_one_go(any_db: Database) -> None:
    members.add_member(any_db, "ole", "Ole Ordstyrer", role="facilitator")
    rows = member_import.parse_rows(
        '\ufeffhandle,name,role\n\nanna,"Hansen, Anna",organizer\n# a comment\nbo,Bo\nole,Ole\n',
        "m.csv",
    )
    result = member_import.import_members(any_db, rows, invite=True)
    assert result.added == ("anna", "bo") and result.kept == ("ole",)
    assert [i.handle for i in result.invites] == ["anna", "bo", "ole"]
    listed = {m.handle: m for m in members.list_members(any_db)}
    assert listed["anna"].name == "Hansen, Anna" and listed["anna"].role == "organizer"
    assert listed["ole"].name == "Ole Ordstyrer"  # kept as it was
    assert _actions(any_db).count(invites.INVITE_CREATE) == 3
    # Importing again: nobody added, everyone a new code (the old ones stop working).
    again = member_import.import_members(any_db, rows, invite=True)
    assert again.added == () and all(i.replaced == 1 for i in again.invites)
    assert audit.verify(any_db).ok


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("anna,Anna\nBad Handle,X\n", 2, "not a handle"),
        ("anna,Anna\nbo\n", 2, "handle,name"),
        ("anna,Anna\nbo,Bo,king\n", 2, "unknown role"),
        ("anna,Anna\nbo,\n", 2, "name is empty"),
        ('anna,Anna\nbo,"Bo\n', 2, "not valid CSV"),
        ("anna,Anna\nbo,Bo\nanna,Anna Igen\n", 3, "also on line 1"),
    ],
)
def test_a_bad_csv_line_is_named_and_nothing_is_added(
    any_db: Database, text: str, line: int, words: str
) -> None:
    with pytest.raises(UserError) as refused:
        member_import.parse_rows(text, "m.csv")
    message = refused.value.message("en")
    assert f"m.csv, line {line}" in message and words in message
    assert members.list_members(any_db) == []


def test_an_inactive_member_in_the_list_refuses_the_whole_import(any_db: Database) -> None:
    members.add_member(any_db, "ole", "Ole")
    members.remove_member(any_db, "ole")
    rows = member_import.parse_rows("anna,Anna\nole,Ole\n", "m.csv")
    before = _snapshot(any_db)
    with pytest.raises(UserError):
        member_import.import_members(any_db, rows, invite=True)
    assert [m.handle for m in members.list_members(any_db)] == ["ole"]
    assert _snapshot(any_db) == before
