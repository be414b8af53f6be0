"""The SSH server's host key: generated once, kept in the data folder (or where told)."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from deliberate.errors import UserError, os_reason
from deliberate.store.engine import data_dir

HOST_KEY_NAME = "ssh_host_ed25519_key"
HOST_KEY_ENV = "DELIBERATE_SSH_HOST_KEY"


def host_key_path(override: str | os.PathLike[str] | None = None) -> Path:
    """--host-key, else $DELIBERATE_SSH_HOST_KEY, else the data folder."""
    chosen = override or os.environ.get(HOST_KEY_ENV)
    return Path(chosen).expanduser() if chosen else data_dir() / HOST_KEY_NAME


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The key at `path`; a new Ed25519 key (mode 0600, plus a .pub) if there is none yet."""
    if path.exists():
        try:
            return asyncssh.read_private_key(str(path))
        except (OSError, asyncssh.KeyImportError, ValueError) as exc:
            raise UserError(
                "ssh.host_key_unreadable", path=str(path), reason=str(exc).strip() or "?"
            ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="deliberate host key")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two servers starting at once never overwrite each other's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return asyncssh.read_private_key(str(path))
    except OSError as exc:
        raise UserError("ssh.host_key_unwritable", path=str(path), reason=os_reason(exc)) from None
    with os.fdopen(fd, "wb") as out:
        out.write(key.export_private_key("openssh"))
    Path(f"{path}.pub").write_bytes(key.export_public_key("openssh"))
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    return key.get_fingerprint("sha256")


def openssh_parts(key: asyncssh.SSHKey) -> tuple[str, str]:
    """(algorithm, base64 blob) as an authorized_keys line has them."""
    algorithm, blob = key.export_public_key("openssh").decode("ascii").split()[:2]
    return algorithm, blob
