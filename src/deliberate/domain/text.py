"""Sanitising untrusted text (DESIGN §6).

Member text may carry terminal escape sequences (an OSC 52 would write to other members'
clipboards), C1 controls or bidi overrides that make text read differently from what it is.
We strip them when storing and again when rendering.
"""

from __future__ import annotations

import logging
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


# ---------------------------------------------------------------------------------------------
# The output boundary: every string that leaves the program for a terminal, a log or a file
# passes one of these (CLI printing: cli/output.py; logs: SafeLogFormatter; the TUI: render).


def for_terminal(text: str) -> str:
    """What may be written to a terminal: sanitize() (escape sequences, C0/C1 controls and
    bidi overrides removed; tab and newline kept). THE output sanitiser."""
    return sanitize(text)


safe_output = for_terminal


def escape_unsafe(text: str, *, newlines: bool = False) -> str:
    """Make unsafe characters visible instead of removing them (`\\x1b`, `\\u202e`), for
    logs and JSON where the exact value matters; with `newlines`, also `\\n` and `\\r`."""
    pattern = _UNSAFE_LOG_RE if newlines else _UNSAFE_RE
    return pattern.sub(_escaped, text)


_UNSAFE_LOG_RE = re.compile(f"[{_CONTROL}{_BIDI}\n\r]")


def _escaped(match: re.Match[str]) -> str:
    ch = match.group(0)
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def json_safe(text: str) -> str:
    """A JSON document made safe for terminals without changing its value: every unsafe
    character (DEL, C1, bidi; json.dumps already escapes C0) becomes a \\uXXXX escape."""
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_JSON_UNSAFE_RE = re.compile(f"[{_CONTROL}{_BIDI}\u2028\u2029]")


def for_log_block(text: str) -> str:
    """A multi-line block under a log record (a traceback): sanitised, every line indented,
    so nothing in it can pass for a record of its own."""
    return "\n".join("    " + line for line in sanitize(text).rstrip("\n").split("\n"))


class SafeLogFormatter(logging.Formatter):
    """Log records as one line each, whatever they carry: the message (with its arguments,
    e.g. a client's TERM value) has escape sequences, controls, bidi and newlines made
    visible, so nobody can forge a log line or send escapes to whoever reads the log; a
    traceback follows indented, sanitised."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.msg = escape_unsafe(record.getMessage(), newlines=True)
        record.args = None
        exc_info, exc_text, stack = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        line = super().format(record)
        extra = ""
        if exc_info:
            extra = self.formatException(exc_info)
        elif exc_text:
            extra = exc_text
        if stack:
            extra = f"{extra}\n{stack}" if extra else stack
        if extra:
            line += "\n" + for_log_block(extra)
        return line
