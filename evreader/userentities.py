"""Decisions about discovered companies: promote one into the gazetteer, or ignore it.

Both go to a user entities file (by default entities.yaml in the user config dir,
loaded automatically with the built-in gazetteer) — the user's config.yaml and its
comments are never rewritten. A promoted name becomes a company; an ignored name
becomes a blocker, so the pattern finder no longer proposes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evreader.errors import ConfigError, UsageError
from evreader.state import write_atomic

HEADER = ("# Entities you added in evreader (promoted discovered companies, ignored names).\n"
          "# Loaded with the built-in gazetteer; edit freely. Same keys as config.yaml's\n"
          "# gazetteer section: companies, countries, themes, people, places, blockers.\n")


def read_user_entities(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read user entities: {exc}", str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("the user entities file must be a mapping", str(path))
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    body = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    write_atomic(path, body)


def promote(path: Path, name: str, *, country: str | None = None,
            aliases: list[str] | None = None) -> None:
    """Add `name` as a company (idempotent; un-ignores it if it was ignored)."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("a company needs a name")
    data = read_user_entities(path)
    companies = data.setdefault("companies", [])
    if not any(isinstance(c, dict) and c.get("name") == name for c in companies):
        record: dict[str, Any] = {"name": name, "type": "other"}
        if country:
            record["country"] = country
        if aliases:
            record["aliases"] = aliases
        companies.append(record)
    data["blockers"] = [b for b in data.get("blockers") or [] if b != name]
    if not data["blockers"]:
        del data["blockers"]
    _write(path, data)


def ignore(path: Path, name: str) -> None:
    """Never propose `name` again (idempotent; un-promotes it if it was promoted)."""
    name = " ".join(name.split())
    if not name:
        raise UsageError("nothing to ignore")
    data = read_user_entities(path)
    blockers = data.setdefault("blockers", [])
    if name not in blockers:
        blockers.append(name)
    companies = [c for c in data.get("companies") or []
                 if not (isinstance(c, dict) and c.get("name") == name)]
    if companies:
        data["companies"] = companies
    else:
        data.pop("companies", None)
    _write(path, data)
