"""The command line's only way to print (issue 14): every line passes the output sanitiser,
every JSON document the JSON escaper. Use `echo`, `echo_err` and `print_json`, never
typer.echo / print / sys.stdout.write."""

from __future__ import annotations

import json
import sys
from typing import Any

from deliberate.domain.text import for_terminal, json_safe


def echo(text: str = "") -> None:
    sys.stdout.write(for_terminal(str(text)) + "\n")
    sys.stdout.flush()


def echo_err(text: str = "") -> None:
    sys.stderr.write(for_terminal(str(text)) + "\n")
    sys.stderr.flush()


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON with unsafe characters escaped (\\u202e, \\u009b): the value is unchanged, the
    terminal that shows it is safe."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=indent, default=str))


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")
    sys.stdout.flush()
