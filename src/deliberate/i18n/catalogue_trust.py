"""Messages of the trust boundaries: arguments, import limits, member-written text limits."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "argument_not_utf8": {
        "da": "Argument {n} er ikke gyldig UTF-8: '{arg}'. Skriv det igen med UTF-8-tegn.",
        "en": "Argument {n} is not valid UTF-8: '{arg}'. Type it again in UTF-8.",
    },
}
