"""Sanitising untrusted text (DESIGN §6).

Member text may carry terminal escape sequences (an OSC 52 would write to other members'
clipboards), C1 controls or bidi overrides that make text read differently from what it is.
We strip them when storing and again when rendering.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab (\t) and newline (\n); DEL; C1 controls.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f\x80-\x9f"
# Bidi embeddings/overrides/isolates and their pops.
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNSAFE_RE = re.compile(f"[{_CONTROL}{_BIDI}]")
# A full escape sequence (CSI / OSC / other) is removed whole, not just its ESC byte,
# so "\x1b]52;c;..." does not leave "]52;c;..." behind.
_ESCAPE_SEQ_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
)


def sanitize(text: str) -> str:
    """Remove escape sequences, control characters (but tab and newline) and bidi overrides.

    Carriage returns are normalised to newlines first so Windows line endings survive.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQ_RE.sub("", text)
    return _UNSAFE_RE.sub("", text)


def sanitize_line(text: str) -> str:
    """Sanitise and fold to a single line (names, titles, handles)."""
    return " ".join(sanitize(text).split())


def normalize(text: str) -> str:
    """NFC normalisation, so 'æ' typed two ways compares equal."""
    return unicodedata.normalize("NFC", text)


def is_safe(text: str) -> bool:
    """True when sanitize() would change nothing (after line-ending normalisation)."""
    return sanitize(text) == text.replace("\r\n", "\n").replace("\r", "\n")
