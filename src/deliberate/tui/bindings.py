"""Key bindings in the member's language.

Bindings are declared once, in English-free form: every Binding has an `id`, and its
description is the message `tui.key.<id>`. `translate_bindings` rewrites a node's bindings
in the current language (at start and when the language changes), so the footer and the
help screen always speak the member's language.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from deliberate.i18n import Translator, has_message


def describe(binding: Binding, t: Translator) -> str:
    if binding.id and has_message(f"tui.key.{binding.id}"):
        return t(f"tui.key.{binding.id}")
    return binding.description


def translate_bindings(node: DOMNode, t: Translator, *, refresh: bool = True) -> None:
    """Rewrite `node`'s bindings in `t`'s language. Call it from `__init__` (refresh=False):
    done after mounting, it makes the footer rebuild itself once more."""
    translated: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        translated[key] = [
            replace(b, description=describe(b, t), tooltip="") if b.id else b for b in bindings
        ]
    node._bindings = BindingsMap.from_keys(translated)
    if refresh:
        node.refresh_bindings()


def key_display(binding: Binding, node: DOMNode) -> str:
    """How a key is written in the help screen ('ctrl+s' -> '^s', 'question_mark' -> '?')."""
    if binding.key_display:
        return binding.key_display
    return node.app.get_key_display(binding)
