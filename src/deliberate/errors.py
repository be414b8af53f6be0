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
        from deliberate.i18n import translate

        return translate(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")
