"""Errors a user can cause. They carry a message key so every front end can translate them."""

from __future__ import annotations

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
