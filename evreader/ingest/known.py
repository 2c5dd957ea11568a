"""What the built-in gazetteer's data files say, for the rules of reading a page.

Reading a page needs a little world knowledge before any entity is extracted: that
"Zeekr Australia" or "New Delhi" is not a reporter's name, and that a page's
masthead "Axios" or "POLITICO" names its publisher. The data files are read once per
process, on first use, as plain YAML (no gazetteer object is built, and a user's own
entities do not change how a page is read).
"""

from __future__ import annotations

import functools
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _records(name: str) -> list[Any]:
    """A data file's records, parsed once per process (several tables read each)."""
    from evreader.gazetteer import DATA_DIR
    loaded = yaml.load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    return loaded if isinstance(loaded, list) else []


def _forms(rec: dict[Any, Any], keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in keys:
        value = rec.get(key)
        out.extend(f for f in (value if isinstance(value, list) else [value]) if isinstance(f, str))
    return out


@functools.cache
def things() -> frozenset[str]:
    """Lower-case company forms, countries, demonyms and places."""
    out: set[str] = set()
    for name in ("companies", "countries"):
        for rec in _records(name):
            if isinstance(rec, dict):
                out.update(f.lower() for f in _forms(rec, ("name", "aliases", "demonyms")))
    from evreader.gazetteer import DATA_DIR
    places = yaml.load((DATA_DIR / "places.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    if isinstance(places, dict):
        for names in places.values():
            for place in names if isinstance(names, list) else (names or {}):
                if isinstance(place, str):
                    out.add(place.lower())
    return frozenset(out)


@functools.cache
def demonyms() -> frozenset[str]:
    """Lower-case demonyms ("chinese", "south korean"): adjectives, not names."""
    return frozenset(f.lower() for rec in _records("countries") if isinstance(rec, dict)
                     for f in _forms(rec, ("demonyms",)))


@functools.cache
def media() -> dict[str, str]:
    """Each lower-case form of a news outlet (type: media) → its canonical name."""
    out: dict[str, str] = {}
    for rec in _records("companies"):
        if isinstance(rec, dict) and rec.get("type") == "media" \
                and isinstance(rec.get("name"), str):
            for form in _forms(rec, ("name", "aliases")):
                out.setdefault(form.lower(), rec["name"])
    return out
