"""The entity gazetteer: built-in data files plus what config.yaml adds or switches off.

Everything the matcher needs is flattened here into `Surface` records (one per
alias), so the matcher only builds its word trie from them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evreader.config import GazetteerSettings
from evreader.errors import ConfigError, EvreaderError
from evreader.models import Kind

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILES = ("companies", "countries", "places", "themes", "people", "blockers")


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity with the names it goes by."""

    kind: Kind
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None  # HQ country for companies
    type: str | None = None  # company type, or a person's role
    builtin: bool = True
    units: tuple[str, ...] = ()  # a group's companies its bare name may stand for


@dataclass(frozen=True, slots=True)
class Surface:
    """One matchable form: the text, how its case must match, and what it means.

    `targets` is a tuple of (kind, name); more than one means an ambiguous place
    that the matcher resolves from the rest of the article. kind "block" is a
    known false friend whose span yields nothing. A company form that is also an
    ordinary word ("Genesis", "Cruise") has its company first, then ("context",
    name) targets: it counts only in an article that names one of them.
    """

    text: str
    case: str  # "exact" (acronyms), "cap" (must start upper-case), "any"
    targets: tuple[tuple[str, str], ...]


_LOOSENESS = {"any": 0, "cap": 1, "exact": 2}


def case_mode(surface: str) -> str:
    if not any(c.islower() for c in surface):
        return "exact"
    return "cap" if surface[:1].isupper() else "any"


@dataclass(slots=True)
class Gazetteer:
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    surfaces: dict[str, Surface] = field(default_factory=dict)  # key: casefolded text
    fingerprint: str = ""
    places: set[str] = field(default_factory=set)  # casefolded forms that are places

    def get(self, kind: str, name: str) -> Entity | None:
        return self.entities.get((kind, name))

    def names(self, kind: str) -> list[str]:
        return [e.name for (k, _), e in self.entities.items() if k == kind]

    def add_entity(self, entity: Entity, *, surfaces: Iterable[str] = ()) -> None:
        self.entities[(entity.kind, entity.name)] = entity
        for text in (entity.name, *entity.aliases, *surfaces):
            self.add_surface(text, ((entity.kind, entity.name),), replace=not entity.builtin)

    def add_surface(self, text: str, targets: tuple[tuple[str, str], ...], *,
                    replace: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        key = text.lower()
        known = self.surfaces.get(key)
        if known is not None and not replace:
            if known.targets == targets and _LOOSENESS[case_mode(text)] < _LOOSENESS[known.case]:
                # "NIO" and "Nio" for one company: the looser form reads both spellings
                self.surfaces[key] = Surface(text, case_mode(text), targets)
            return  # else the first definition wins among built-ins
        self.surfaces[key] = Surface(text, case_mode(text), targets)

    def remove(self, kind: str, name: str) -> None:
        self.entities.pop((kind, name), None)
        for key in [k for k, s in self.surfaces.items() if (kind, name) in s.targets]:
            del self.surfaces[key]


if TYPE_CHECKING:
    import yaml


def _loader() -> type[yaml.SafeLoader]:
    """libyaml's loader where there is one (~10x); yaml is imported only to parse:
    a warm start checks the files by their fingerprint and never parses them."""
    import yaml
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def _read_yaml(path: Path) -> Any:
    import yaml
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_loader())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gazetteer file: {exc}", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", str(path),
                          mark.line + 1 if mark else None) from None


def _records(data: Any, what: str) -> list[Mapping[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ConfigError(f"{what} must be a list of entries")
    return data


def load_gazetteer(settings: GazetteerSettings | None = None,
                   user_file: Path | None = None) -> Gazetteer:
    """Built-in data (unless switched off), the user's entities file (promoted and
    ignored names), then the additions from config."""
    settings = settings or GazetteerSettings()
    gz = Gazetteer()
    if settings.builtin:
        raw = {name: _read_yaml(DATA_DIR / f"{name}.yaml") for name in DATA_FILES}
        _add_data(gz, raw, builtin=True)
    user: dict[str, Any] = {
        "companies": list(settings.companies), "countries": list(settings.countries),
        "themes": list(settings.themes), "people": list(settings.people),
        "blockers": list(settings.blockers),
        "places": {country: list(names) for country, names in settings.places.items()},
    }
    for path in (*([user_file] if user_file is not None else []), *settings.files):
        extra = _read_yaml(path)
        if extra is None:
            continue  # a user entities file that does not exist yet is fine
        if not isinstance(extra, dict):
            raise ConfigError("a gazetteer file must be a mapping of companies/countries/"
                              "themes/people/blockers lists", str(path))
        for key, value in extra.items():
            if key not in user:
                raise ConfigError(f"unknown key {key!r} in gazetteer file", str(path))
            if key == "places" and isinstance(value, dict):
                for country, names in value.items():
                    user["places"].setdefault(country, []).extend(names or [])
                continue
            if not isinstance(value, list):
                raise ConfigError(f"{key} must be a list", str(path))
            user[key].extend(value)
    _check_user_collisions(gz, user, settings.aliases)
    _add_data(gz, user, builtin=False)
    for name, aliases in settings.aliases.items():
        target = next((e for (k, n), e in gz.entities.items() if n == name), None)
        if target is None:
            raise ConfigError(f"gazetteer.aliases names an unknown entity {name!r}")
        for alias in aliases:
            gz.add_surface(alias, ((target.kind, target.name),), replace=True)
    for name in settings.disable:
        hits = [k for k in gz.entities if k[1] == name]
        if not hits:
            raise ConfigError(f"gazetteer.disable names an unknown entity {name!r}")
        for kind, entity_name in hits:
            gz.remove(kind, entity_name)
    gz.fingerprint = gazetteer_fingerprint(settings, user_file)
    return gz


def gazetteer_fingerprint(settings: GazetteerSettings | None = None,
                          user_file: Path | None = None) -> str:
    """What a gazetteer is made from, hashed without parsing it: the built-in files,
    the user's files (those that exist) and the settings. The cache is checked by it,
    so the first screen need not wait for the YAML to be parsed."""
    settings = settings or GazetteerSettings()
    digest = hashlib.sha256()
    if settings.builtin:
        for name in DATA_FILES:
            path = DATA_DIR / f"{name}.yaml"
            digest.update(path.read_bytes() if path.exists() else b"")
    for path in (*([user_file] if user_file is not None else []), *settings.files):
        try:
            digest.update(path.read_bytes())
        except FileNotFoundError:
            continue  # as load_gazetteer: a user file not there yet adds nothing
        except OSError as exc:
            raise ConfigError(f"cannot read gazetteer file: {exc}", str(path)) from None
    digest.update(repr(settings).encode())
    return digest.hexdigest()[:16]


class DeferredGazetteer:
    """A gazetteer loaded on first use, once, from whichever thread asks first.

    A library opened straight from the cache holds one: its first screen needs only
    the fingerprint. Should the files fail to load by then (changed or unreadable
    since the fingerprint was taken) it reads as an empty gazetteer rather than
    raise in whichever worker asked; the build that follows the first screen loads
    them itself and reports the error.
    """

    def __init__(self, settings: GazetteerSettings, user_file: Path | None) -> None:
        self._args = (settings, user_file)
        self._loaded: Gazetteer | None = None
        self._lock = threading.Lock()

    def get(self) -> Gazetteer:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    try:
                        self._loaded = load_gazetteer(*self._args)
                    except EvreaderError:
                        self._loaded = Gazetteer()
        return self._loaded

    def set(self, gazetteer: Gazetteer) -> None:
        """Take one already loaded (by the build that checks the files)."""
        with self._lock:
            self._loaded = gazetteer

    @property
    def loaded(self) -> bool:
        return self._loaded is not None


def _add_data(gz: Gazetteer, raw: Mapping[str, Any], *, builtin: bool) -> None:
    for rec in _records(raw.get("countries"), "countries"):
        gz.add_entity(Entity("country", str(rec["name"]), tuple(rec.get("aliases") or ()),
                             builtin=builtin), surfaces=rec.get("demonyms") or ())
    for rec in _records(raw.get("companies"), "companies"):
        name = str(rec["name"])
        gz.add_entity(Entity("company", name, tuple(rec.get("aliases") or ()),
                             country=rec.get("country"), type=rec.get("type"), builtin=builtin,
                             units=tuple(str(u) for u in rec.get("units") or ())))
        context = tuple(("context", str(c)) for c in rec.get("context") or ())
        for form in rec.get("context_aliases") or ():
            if context:  # over the company's own plain form of that text ("Mini" named Mini)
                gz.add_surface(str(form), (("company", name), *context), replace=True)
    for rec in _records(raw.get("themes"), "themes"):
        entity = Entity("theme", str(rec["name"]), builtin=builtin)
        gz.entities[("theme", entity.name)] = entity
        for kw in rec.get("keywords") or ():
            gz.add_surface(str(kw), (("theme", entity.name),), replace=not builtin)
    for rec in _records(raw.get("people"), "people"):
        gz.add_entity(Entity("person", str(rec["name"]), tuple(rec.get("aliases") or ()),
                             type=rec.get("role"), builtin=builtin))
    places = raw.get("places")
    if isinstance(places, dict):
        for country, names in places.items():
            if country == "ambiguous" and isinstance(names, dict):
                for place, candidates in names.items():
                    targets = tuple(("country", str(c)) for c in candidates or ())
                    gz.add_surface(str(place), targets, replace=True)
                    gz.places.add(str(place).strip().lower())
            elif isinstance(names, list):
                for place in names:
                    gz.add_surface(str(place), (("country", str(country)),), replace=not builtin)
                    gz.places.add(str(place).strip().lower())
    for phrase in raw.get("blockers") or ():
        gz.add_surface(str(phrase), (("block", ""),), replace=True)


def _check_user_collisions(gz: Gazetteer, user: Mapping[str, Any],
                           aliases: Mapping[str, tuple[str, ...]]) -> None:
    """Two user entries claiming one alias is a config error, named precisely."""
    claimed: dict[str, str] = {}
    for kind in ("companies", "countries", "people"):
        for rec in user.get(kind) or ():
            if not isinstance(rec, dict) or not isinstance(rec.get("name"), str):
                raise ConfigError(f"every gazetteer {kind} entry needs a name")
            forms: list[object] = [rec["name"], *(rec.get("aliases") or ()),
                                   *(rec.get("demonyms") or ())]
            for form in forms:
                if not isinstance(form, str):
                    raise ConfigError(f"aliases of {rec['name']!r} must be strings")
                key = form.strip().lower()
                owner = claimed.get(key)
                if owner is not None and owner != rec["name"]:
                    raise ConfigError(
                        f"alias {form!r} is claimed by both {owner!r} and {rec['name']!r}")
                claimed[key] = rec["name"]
    for name, alias_forms in aliases.items():
        for alias in alias_forms:
            owner = claimed.get(alias.strip().lower())
            if owner is not None and owner != name:
                raise ConfigError(f"alias {alias!r} is claimed by both {owner!r} and {name!r}")
