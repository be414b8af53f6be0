"""Key bindings in the member's language, through Textual's public API only.

Bindings are declared once, in English-free form: every Binding has an `id`, and its
description is the message `tui.key.<id>`. They are translated where they are shown: a
screen's `active_bindings` (what the footer lists) hands out translated copies
(`translated_bindings`), and the help screen describes each key with `describe`. A language
switch only asks the footer to show the keys again (`Screen.refresh_bindings`).

Which keys apply when is decided by the node's `check_action` (Textual's dynamic actions),
never by editing a node's bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode

from deliberate.i18n import Translator, has_message


def describe(binding: Binding, t: Translator) -> str:
    if binding.id and has_message(f"tui.key.{binding.id}"):
        return t(f"tui.key.{binding.id}")
    return binding.description


def translated_bindings(
    active: Mapping[str, ActiveBinding], t: Translator
) -> dict[str, ActiveBinding]:
    """`active` (a screen's active bindings) with our bindings described in `t`'s language."""
    return {
        key: ActiveBinding(
            entry.node,
            replace(entry.binding, description=describe(entry.binding, t)),
            entry.enabled,
            entry.tooltip,
        )
        if entry.binding.id
        else entry
        for key, entry in active.items()
    }


def declared_bindings(
    node: DOMNode, offered: Callable[[Binding], bool] = lambda binding: True
) -> list[Binding]:
    """The bindings `node`'s classes declare (their public `BINDINGS`), a subclass's binding
    of a key replacing its base's, keeping those `offered` accepts."""
    by_key: dict[str, list[Binding]] = {}
    for cls in reversed(type(node).__mro__):
        if not issubclass(cls, DOMNode):
            continue
        own: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            own.setdefault(binding.key, []).append(binding)
        by_key.update(own)
    return [b for bindings in by_key.values() for b in bindings if offered(b)]


def key_display(binding: Binding, node: DOMNode) -> str:
    """How a key is written in the help screen ('ctrl+s' -> '^s', 'question_mark' -> '?')."""
    if binding.key_display:
        return binding.key_display
    return node.app.get_key_display(binding)
