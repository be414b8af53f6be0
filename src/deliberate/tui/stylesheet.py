"""Parsed CSS shared by every app in the process (issue 15: parse the stylesheets once).

Textual parses an app's CSS into rule sets per app, and parses *all* of it again each time a
screen with CSS of its own is first shown (`Stylesheet.reparse` starts from an empty
stylesheet). A server worker hosts hundreds of members' apps with the same CSS, and a member's
app reparses on every new kind of screen: the same text parsed over and over. Here parsed
rule sets are kept per process, keyed by everything the parse depends on (the CSS text, where
it came from, default or not, tie breaker, scope, and the theme's variables).

Sharing is safe because Textual treats parsed rule sets as read-only: a stylesheet already
hands the same rule sets to every `parse()` from its own cache; applying them copies values
into each node's styles. This subclass leans on `Stylesheet`'s protected parse step (Textual
has no public hook for it); Textual is pinned and tests/test_tui_stylesheet.py checks that
apps share rules and still look the same.
"""

from __future__ import annotations

from typing import ClassVar

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

_MAX_ENTRIES = 4096  # CSS sources × themes in use; far more than one process ever meets


class SharedStylesheet(Stylesheet):
    """A Stylesheet whose parsed rules come from, and go to, one cache for the process."""

    _parsed: ClassVar[dict[tuple[object, ...], list[RuleSet]]] = {}
    parses: ClassVar[int] = 0  # sources actually parsed in this process (tests, benches)

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_key: tuple[tuple[str, str], ...] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = None

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        if self._variables_key is None:
            self._variables_key = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._variables_key)
        rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            SharedStylesheet.parses += 1
            if len(self._parsed) >= _MAX_ENTRIES:
                self._parsed.clear()
            self._parsed[key] = rules
        return rules

    def reparse(self) -> None:
        """As `Stylesheet.reparse` (a fresh stylesheet, so an error leaves this one intact),
        but the fresh one shares the process's parsed rules."""
        fresh = SharedStylesheet(variables=self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(
                css,
                read_from=read_from,
                is_default_css=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False
