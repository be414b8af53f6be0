"""Headless Chromium for the tests that look at HTML output, installed only when one runs.

Debian's `chromium` is installed on first use when the tests run as root (as CI does); a
machine that cannot install it skips those tests with the reason, except under CI=true.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
_LOCK = Path("/tmp/deliberate-tests-chromium.lock")


def _which() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@cache
def _install() -> str | None:
    """Install Debian's chromium once (test processes queue on a lock); the reason if not."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "chromium is not installed (Debian: apt-get install chromium)"
    with _LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other test process may be installing it now
        if _which():
            return None
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            done = subprocess.run(step, env=env, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
                return f"chromium could not be installed ({' '.join(step)}: {' '.join(tail)})"
    return None if _which() else "chromium could not be installed"


def require_chromium() -> str:
    """The path of a headless Chromium, installing it if need be; skips (fails in CI) if none."""
    found = _which()
    if found:
        return found
    reason = _install()
    found = _which()
    if found:
        return found
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason or "chromium is not available")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throwaway profile, no network chatter, no sandbox (root)."""
    return subprocess.run(
        [
            require_chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
