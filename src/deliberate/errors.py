"""Errors a user can cause. They carry a message key so every front end can translate them."""

from __future__ import annotations

import errno
from typing import Any


class UserError(Exception):
    """Bad input or a refused action: shown to the user as one clear line, never a traceback."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, lang: str = "da") -> str:
        from deliberate.domain.text import sanitize_line
        from deliberate.i18n import translate

        # Parameters are often what the user typed or a file name: one safe line each.
        params = {k: sanitize_line(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return translate(self.code, lang, **params)

    def __str__(self) -> str:
        return self.message("en")


class Message:
    """A message not yet translated: a parameter of another message (e.g. why a file could
    not be read), translated into the same language when that message is shown."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params

    def __str__(self) -> str:
        from deliberate.i18n import translate

        return translate(self.key, "en", **self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


_ERRNO_KEYS = {
    errno.ENOENT: "os.not_found",
    errno.EACCES: "os.permission_denied",
    errno.EPERM: "os.permission_denied",
    errno.EISDIR: "os.is_a_directory",
    errno.ENOTDIR: "os.not_a_directory",
    errno.ENOSPC: "os.no_space",
    errno.EROFS: "os.read_only",
    errno.EADDRINUSE: "os.address_in_use",
}


def os_reason(exc: OSError) -> Message:
    """Why a file operation failed, in the reader's language (never Python's English)."""
    key = _ERRNO_KEYS.get(exc.errno or 0)
    if key is not None:
        return Message(key)
    return Message("os.other", errno=exc.errno or "?")
