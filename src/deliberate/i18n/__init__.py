"""Translations (Danish default, English) and locale-aware formatting with Babel.

Each area keeps its messages in its own catalogue module (core, cli, tui, ...), a dict of
key -> {"da": ..., "en": ...}. Messages use str.format placeholders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from deliberate.errors import Message, os_reason  # noqa: F401 - re-exported

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
_LOCALES = {"da": "da_DK", "en": "en_GB"}

_CATALOGUE: dict[str, dict[str, str]] = {}


def _load() -> None:
    from deliberate.i18n import catalogue_core

    for module in (catalogue_core,):
        _CATALOGUE.update(module.MESSAGES)
    _load_optional()


def _load_optional() -> None:
    """Catalogues of optional areas (TUI, exports, SSH) register when present."""
    import importlib
    import pkgutil

    import deliberate.i18n as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("catalogue_") and info.name != "catalogue_core":
            module = importlib.import_module(f"deliberate.i18n.{info.name}")
            for key, texts in module.MESSAGES.items():
                if key in _CATALOGUE and _CATALOGUE[key] != texts:
                    raise RuntimeError(f"message key {key!r} defined twice ({info.name})")
                _CATALOGUE[key] = texts


def check_language(lang: str) -> str:
    lang = (lang or DEFAULT_LANGUAGE).lower()
    if lang not in LANGUAGES:
        from deliberate.errors import UserError

        raise UserError("unknown_language", lang=lang)
    return lang


def _localise(value: Any, lang: str) -> Any:
    """A message parameter in `lang`: nested messages translated, times as `moment`."""
    if isinstance(value, Message):
        return translate(value.key, lang, **value.params)
    if isinstance(value, dt.datetime):
        return Translator(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).moment(value)
    return value


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message `key` in `lang`, formatted with `params`. Unknown keys return the key.

    Parameters that are `Message`s are translated into `lang` first, and times formatted."""
    if not _CATALOGUE:
        _load()
    params = {k: _localise(v, lang) for k, v in params.items()}
    if params:  # parameters carry names, titles, file names: the output sanitiser, always
        from deliberate.domain.text import for_terminal

        params = {k: for_terminal(v) if isinstance(v, str) else v for k, v in params.items()}
    texts = _CATALOGUE.get(key)
    if texts is None:
        return key if not params else f"{key}: " + ", ".join(f"{k}={v}" for k, v in params.items())
    template = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return template.format(**params) if params else template


def has_message(key: str) -> bool:
    if not _CATALOGUE:
        _load()
    return key in _CATALOGUE


def all_keys() -> dict[str, dict[str, str]]:
    if not _CATALOGUE:
        _load()
    return dict(_CATALOGUE)


class Translator:
    """Bound to one language; what a screen or a command holds instead of a global."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = check_language(lang)
        self.locale = _LOCALES[self.lang]

    def __call__(self, key: str, /, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def number(self, value: int | float | Decimal) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def percent(self, fraction: float | Decimal, digits: int = 1) -> str:
        # The locale's own pattern ("12,5 %" in Danish, "12.5%" in English) with fixed decimals.
        pattern = Locale.parse(self.locale).percent_formats[None].pattern
        if digits:
            pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
        return babel_numbers.format_percent(fraction, format=pattern, locale=self.locale)

    def datetime(self, value: dt.datetime, fmt: str = "short") -> str:
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return babel_dates.format_datetime(value, format=fmt, locale=self.locale)

    def moment(self, value: dt.datetime) -> str:
        """A time as the screens and the command line show it, in local time, to the minute:
        "2. dec. 2026 14.05" / "2 Dec 2026, 14:05". (Exports have their own formats.)"""
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone()
        locale = Locale.parse(self.locale)
        date = babel_dates.format_date(value, format="medium", locale=locale)
        time = babel_dates.format_time(value, format="short", locale=locale)
        return str(locale.datetime_formats["medium"]).format(time, date)

    def date(self, value: dt.date, fmt: str = "medium") -> str:
        return babel_dates.format_date(value, format=fmt, locale=self.locale)

    def duration(self, seconds: float) -> str:
        seconds = max(0, int(seconds))
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_percent(fraction: float, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    return Translator(lang).percent(fraction, digits)


def format_number(value: int | float, lang: str = DEFAULT_LANGUAGE) -> str:
    return Translator(lang).number(value)
