"""The invite-code screen (tui/screens/invite.py) with a real forum database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from deliberate.services import invites, members
from deliberate.store.engine import Database
from deliberate.tui.screens.invite import InviteScreen, JoinApp


def _key(tmp_path: Path) -> members.PublicKey:
    path = tmp_path / "newcomer"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "n@test", "-f", str(path)],
        check=True,
    )
    return members.read_public_key_file(Path(f"{path}.pub"))


def _app(db: Database, key: members.PublicKey, lang: str) -> JoinApp:
    def gate(code: str) -> members.MemberInfo:
        return invites.redeem(db, code, key=key, address="192.0.2.7")

    return JoinApp(gate, lang, log_path=db_log(db))


def db_log(db: Database) -> Path:
    return Path(db.url.removeprefix("sqlite:///")).with_suffix(".log")


def _status(app: JoinApp) -> str:
    return str(app.screen.query_one("#invite-status", Static).render())


async def _wait(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.025)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_wrong_then_the_right_code_binds_the_key_and_exits_with_the_member(
    sqlite_db: Database, tmp_path: Path
) -> None:
    members.add_member(sqlite_db, "anna", "Anna Æblerød")
    issued = invites.create_invite(sqlite_db, "anna")
    key = _key(tmp_path)
    app = _app(sqlite_db, key, "da")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, InviteScreen)
        assert "invitationskode" in str(app.screen.query_one("#invite-intro", Static).render())
        # Nothing else is reachable: no other mode, no palette, the forum's keys do nothing.
        assert list(app.MODES) == ["invite"]
        for key_name in ("f2", "f3", "f4", "f5", "ctrl+p", "question_mark", "escape"):
            await pilot.press(key_name)
        assert isinstance(app.screen, InviteScreen) and len(app.screen_stack) == 1
        await pilot.press(*"AAAA-BBBB-CCCC", "enter")
        await _wait(pilot, lambda: "forkert" in _status(app), "the wrong-code message")
        assert app.screen.query_one(Input).value == ""
        await pilot.press(*issued.code.lower(), "enter")
        await _wait(pilot, lambda: "Velkommen, Anna" in _status(app), "the welcome")
        await _wait(pilot, lambda: app.return_value == "anna", "the app to exit")
    assert members.member_for_key(sqlite_db, key.algorithm, key.key_data).handle == "anna"  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_the_screen_speaks_both_languages(
    sqlite_db: Database, tmp_path: Path, lang: str
) -> None:
    members.add_member(sqlite_db, "anna", "Anna")
    issued = invites.create_invite(sqlite_db, "anna", valid=invites.parse_validity("1m"))
    key = _key(tmp_path)
    invites.redeem(sqlite_db, issued.code, key=_key_other(tmp_path), address="x")
    app = _app(sqlite_db, key, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        intro = str(app.screen.query_one("#invite-intro", Static).render())
        assert ("invite code" in intro) == (lang == "en")
        await pilot.press(*issued.code, "enter")
        used = "already been used" if lang == "en" else "allerede brugt"
        await _wait(pilot, lambda: used in _status(app), "the used-code message")
        await pilot.press("ctrl+l")
        other = "invitationskode" if lang == "en" else "invite code"
        assert other in str(app.screen.query_one("#invite-intro", Static).render())
        await pilot.press("ctrl+q")
    assert app.return_value is None


def _key_other(tmp_path: Path) -> members.PublicKey:
    path = tmp_path / "first"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "f@test", "-f", str(path)],
        check=True,
    )
    return members.read_public_key_file(Path(f"{path}.pub"))
