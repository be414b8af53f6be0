"""Reading one big JSON object member by member, and its arrays element by element, with
memory bounded by the largest single element — so a forum export with millions of votes
loads without holding them all."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any, cast

_SPACE = re.compile(r"[ \t\n\r]*").match  # JSON's whitespace
_DECODER = json.JSONDecoder()
END = object()  # marks the end of an array in `members()`


class StreamError(ValueError):
    """Not valid JSON, or not an object at the top: `line` and `column` say where."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class NotAnObject(StreamError):
    """Some other JSON value (a list, a number) where an object was expected."""


class JsonObjectStream:
    """`members()` yields (key, None, value) for a plain member, (key, i, element) for each
    element of an array member, then (key, END, count)."""

    def __init__(self, source: IO[bytes] | IO[str], chunk: int = 1 << 20) -> None:
        if isinstance(source, io.TextIOBase):
            self._text: IO[str] = source
        else:
            self._text = io.TextIOWrapper(cast("IO[bytes]", source), encoding="utf-8-sig")
        self._chunk = chunk
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._line_base = 1  # line number of the buffer's first character
        self._col_base = 1

    # -- buffer ---------------------------------------------------------------------------

    def _fill(self, want: int | None = None) -> bool:
        """Read more; False at the end (positions in the buffer stay valid either way)."""
        if self._eof:
            return False
        data = self._text.read(want or self._chunk)
        if not data:
            self._eof = True
            return False
        if self._pos > len(self._buf) // 2:  # drop what has been read, keep counting lines
            done = self._buf[: self._pos]
            newlines = done.count("\n")
            if newlines:
                self._line_base += newlines
                self._col_base = len(done) - done.rfind("\n")
            else:
                self._col_base += len(done)
            self._buf, self._pos = self._buf[self._pos :], 0
        self._buf += data
        return True

    def _where(self, pos: int) -> tuple[int, int]:
        before = self._buf[:pos]
        newlines = before.count("\n")
        if newlines:
            return self._line_base + newlines, pos - before.rfind("\n")
        return self._line_base, self._col_base + pos

    def _fail(self, message: str, pos: int | None = None) -> StreamError:
        line, column = self._where(self._pos if pos is None else pos)
        return StreamError(message, line, column)

    def _peek(self) -> str:
        """The next non-whitespace character ('' at the end), without consuming it."""
        while True:
            buf = self._buf
            space = _SPACE(buf, self._pos)
            assert space is not None  # "*" matches the empty text too
            pos = self._pos = space.end()
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return ""

    def _expect(self, char: str, what: str) -> None:
        if self._peek() != char:
            raise self._fail(f"expected {what}")
        self._pos += 1

    def _value(self) -> Any:
        """Decode one value at the position, reading more until it is complete."""
        self._peek()
        want = self._chunk
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._fill(want):
                    want *= 2  # a large value: read bigger pieces, not quadratically often
                    continue
                raise self._fail(exc.msg, exc.pos) from None
            if end == len(self._buf) and self._fill(want):
                continue  # a number may go on in the next piece
            self._pos = end
            return value

    # -- the object -----------------------------------------------------------------------

    def members(self) -> Iterator[tuple[str, Any, Any]]:
        if self._peek() not in ("{", ""):
            raise NotAnObject("expected a JSON object", *self._where(self._pos))
        self._expect("{", "a JSON object")
        if self._peek() == "}":
            self._pos += 1
            return
        while True:
            if self._peek() != '"':
                raise self._fail("expected a member name in double quotes")
            key = self._value()
            self._expect(":", "':'")
            if self._peek() == "[":
                self._pos += 1
                count = 0
                if self._peek() == "]":
                    self._pos += 1
                else:
                    while True:
                        yield key, count, self._value()
                        count += 1
                        char = self._peek()
                        self._pos += 1
                        if char == "]":
                            break
                        if char != ",":
                            raise self._fail("expected ',' or ']'", self._pos - 1)
                yield key, END, count
            else:
                yield key, None, self._value()
            char = self._peek()
            self._pos += 1
            if char == "}":
                break
            if char != ",":
                raise self._fail("expected ',' or '}'", self._pos - 1)
        if self._peek() != "":
            raise self._fail("extra data after the object")
