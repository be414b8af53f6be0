"""Finding a rule set: a built-in one by name, or a custom one read from a TOML file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from deliberate.domain.rules import BUILTIN_RULES, RuleSet, builtin_rules, rules_from_toml
from deliberate.errors import UserError


def load_rules(name_or_path: str) -> RuleSet:
    """A built-in rule set by name, or a custom one from a TOML file."""
    builtin = builtin_rules(name_or_path)
    if builtin is not None:
        return builtin
    if not name_or_path.strip():
        raise UserError(
            "rules.error.unknown_name", name=name_or_path, names=", ".join(BUILTIN_RULES)
        )
    path = Path(name_or_path)
    if not path.exists():
        if path.suffix.lower() == ".toml" or len(path.parts) > 1:
            raise UserError("rules.error.file_missing", path=str(path))
        raise UserError(
            "rules.error.unknown_name", name=name_or_path, names=", ".join(BUILTIN_RULES)
        )
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise UserError(
            "rules.error.unreadable", path=str(path), reason=exc.strerror or exc
        ) from exc
    except UnicodeDecodeError as exc:
        raise UserError("rules.error.not_utf8", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError("rules.error.not_toml", path=str(path), reason=str(exc)) from exc
    return rules_from_toml(data, where=str(path), default_name=path.stem)
