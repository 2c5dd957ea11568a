"""Find, read and validate config.yaml.

Lookup order: --config PATH, $EVREADER_CONFIG, ./config.yaml, the user config dir,
then built-in defaults. Validation walks the YAML node tree (not the loaded dict)
so every error can name the file and line; unknown keys are errors, not silence.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from evreader.config_feeds import APP as APP
from evreader.config_feeds import FEED_STORE_NAME as FEED_STORE_NAME
from evreader.config_feeds import FEED_STORE_SPLIT as FEED_STORE_SPLIT
from evreader.config_feeds import FeedSettings as FeedSettings
from evreader.config_feeds import FeedSpec as FeedSpec
from evreader.config_feeds import FullTextSettings as FullTextSettings
from evreader.config_feeds import feed_settings, read_feeds
from evreader.config_watchlists import WatchlistSpec as WatchlistSpec
from evreader.config_watchlists import construct, watchlist_specs
from evreader.errors import ConfigError
from evreader.models import SORTS, Sort

if TYPE_CHECKING:
    import yaml

SPLIT_MODES = ("auto", "lines", "file")
EXPORT_FORMATS = ("md", "txt")
EXPORT_BODIES = ("excerpt", "full", "none")
PACKAGE_ROOT = Path(__file__).resolve().parent


def bundled_seeds() -> Path:
    """The sample corpus, the default source: `seeds/` beside the package in a
    checkout, the same files as package data (`evreader/samples`) once installed
    (setup.py copies them in when it builds)."""
    checkout = PACKAGE_ROOT.parent / "seeds"
    if checkout.is_dir() and (PACKAGE_ROOT.parent / "pyproject.toml").is_file():
        return checkout
    return Path(str(resources.files("evreader") / "samples"))


@dataclass(frozen=True, slots=True)
class SourceSpec:
    path: Path
    split: str = "auto"


@dataclass(frozen=True, slots=True)
class ExportSettings:
    path: Path = field(default_factory=lambda: Path("~/evreader-notes.md").expanduser())
    format: str = "md"
    body: str = "excerpt"
    excerpt_chars: int = 400


@dataclass(frozen=True, slots=True)
class GazetteerSettings:
    builtin: bool = True
    disable: tuple[str, ...] = ()
    companies: tuple[dict[str, Any], ...] = ()
    countries: tuple[dict[str, Any], ...] = ()
    themes: tuple[dict[str, Any], ...] = ()
    people: tuple[dict[str, Any], ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # country → places
    blockers: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()


def source_specs(config: Config) -> list[SourceSpec]:
    """The sources to load: configured ones, plus the feed store once it exists
    (a JSON Lines feed library of an older evreader is moved into it first; see
    evreader.feeds.migrate)."""
    specs = list(config.sources)
    if config.read_feed_library and config.feeds.library.is_dir():
        from evreader.feeds.source import library_spec  # sqlite3 only when feeds are used
        spec = library_spec(config.feeds)
        if spec is not None:
            specs.append(spec)
    return specs


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    sources: tuple[SourceSpec, ...] = field(
        default_factory=lambda: (SourceSpec(bundled_seeds()),)
    )
    export: ExportSettings = field(default_factory=ExportSettings)
    gazetteer: GazetteerSettings = field(default_factory=GazetteerSettings)
    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    sort: Sort = "relevance"  # the article list's order at start (see evreader.sorting)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    read_feed_library: bool = True  # also load fetched feed entries (off for explicit PATHs)
    user_entities: Path = field(
        default_factory=lambda: Path(user_config_dir(APP)) / "entities.yaml")
    cache: bool = True
    cache_dir: Path = field(default_factory=lambda: Path(user_cache_dir(APP)))
    data_dir: Path = field(default_factory=lambda: Path(user_data_dir(APP)))
    watchlists: tuple[WatchlistSpec, ...] = ()  # `watchlists:`, unchecked (see WatchlistSpec)


# ---------------------------------------------------------------- lookup


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to use, or None for built-in defaults."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError("config file not found", str(path))
        return path
    env = os.environ.get("EVREADER_CONFIG")
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError("config file named by $EVREADER_CONFIG not found", str(path))
        return path
    for candidate in (Path.cwd() / "config.yaml", Path(user_config_dir(APP)) / "config.yaml"):
        if candidate.is_file():
            return candidate
    return None


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Find and parse the config; ConfigError (exit 2) on any problem."""
    path = find_config(explicit)
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", str(path)) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    _import_yaml()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", str(path), line) from None
    if root is None:
        return Config(path=path)
    return _Builder(path).build(root)


def _import_yaml() -> None:
    """Bind `yaml` for this module: imported only when a config file is parsed (a
    start with none, or with PATHs and no config file, never pays for it)."""
    global yaml
    import yaml as module
    yaml = module


# ---------------------------------------------------------------- validation


class _Builder:
    """Turns the YAML node tree into a Config, raising ConfigError with a line number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, node: yaml.Node, message: str) -> ConfigError:
        return ConfigError(message, str(self.path), node.start_mark.line + 1)

    # scalar helpers -------------------------------------------------
    def string(self, node: yaml.Node, what: str) -> str:
        val = construct(node)
        if not isinstance(val, str) or not val.strip():
            raise self.fail(node, f"{what} must be a non-empty string")
        return val

    def boolean(self, node: yaml.Node, what: str) -> bool:
        val = construct(node)
        if not isinstance(val, bool):
            raise self.fail(node, f"{what} must be true or false")
        return val

    def choice(self, node: yaml.Node, what: str, choices: tuple[str, ...]) -> str:
        val = self.string(node, what)
        if val not in choices:
            raise self.fail(node, f"{what} must be one of {', '.join(choices)} (got {val!r})")
        return val

    def integer(self, node: yaml.Node, what: str, low: int, high: int) -> int:
        val = construct(node)
        if isinstance(val, bool) or not isinstance(val, int) or not low <= val <= high:
            raise self.fail(node, f"{what} must be a whole number from {low} to {high}")
        return val

    def number(self, node: yaml.Node, what: str, low: float, high: float) -> float:
        val = construct(node)
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not low <= val <= high:
            raise self.fail(node, f"{what} must be a number from {low:g} to {high:g}")
        return float(val)

    def url(self, node: yaml.Node, what: str) -> str:
        val = self.string(node, what).strip()
        if not val.startswith(("http://", "https://")) or len(val) < 10:
            raise self.fail(node, f"{what} must be an http:// or https:// URL (got {val!r})")
        return val

    def path_of(self, node: yaml.Node, what: str) -> Path:
        p = Path(os.path.expandvars(self.string(node, what))).expanduser()
        return p if p.is_absolute() else (self.base / p)

    def mapping(
        self, node: yaml.Node, what: str, handlers: Mapping[str, Callable[[yaml.Node], None]]
    ) -> None:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        seen: set[str] = set()
        for key_node, val_node in node.value:
            key = construct(key_node)
            if not isinstance(key, str) or key not in handlers:
                known = ", ".join(sorted(handlers))
                raise self.fail(key_node, f"unknown key {key!r} in {what} (known: {known})")
            if key in seen:
                raise self.fail(key_node, f"duplicate key {key!r} in {what}")
            seen.add(key)
            handlers[key](val_node)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        return tuple(self.string(n, f"each item of {what}") for n in self.sequence(node, what))

    def records(self, node: yaml.Node, what: str, required: tuple[str, ...],
                optional: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
        out: list[dict[str, Any]] = []
        for item in self.sequence(node, what):
            rec: dict[str, Any] = {}
            handlers: dict[str, Callable[[yaml.Node], None]] = {}
            for key in (*required, *optional):
                handlers[key] = self._record_field(rec, key, what)
            self.mapping(item, f"an entry of {what}", handlers)
            missing = [k for k in required if k not in rec]
            if missing:
                raise self.fail(item, f"an entry of {what} lacks {', '.join(missing)}")
            out.append(rec)
        return tuple(out)

    def _record_field(self, rec: dict[str, Any], key: str, what: str
                      ) -> Callable[[yaml.Node], None]:
        def handle(n: yaml.Node) -> None:
            if key in ("aliases", "keywords", "demonyms", "context_aliases", "context", "units"):
                rec[key] = list(self.strings(n, f"{what}.{key}"))
            else:
                rec[key] = self.string(n, f"{what}.{key}")
        return handle

    # sections --------------------------------------------------------
    def build(self, root: yaml.Node) -> Config:
        values: dict[str, Any] = {"path": self.path}
        defaults = Config()

        feed_urls: list[FeedSpec] = []

        def sources(n: yaml.Node) -> None:
            specs: list[SourceSpec] = []
            for item in self.sequence(n, "sources"):
                if isinstance(item, yaml.ScalarNode):
                    text = self.string(item, "a source")
                    if "://" in text:  # a feed URL: fetched into the feed library
                        feed_urls.append(FeedSpec(self.url(item, "a feed URL")))
                    else:
                        specs.append(SourceSpec(self.path_of(item, "a source")))
                    continue
                spec: dict[str, Any] = {}

                def set_path(v: yaml.Node, spec: dict[str, Any] = spec) -> None:
                    spec["path"] = self.path_of(v, "source path")

                def set_split(v: yaml.Node, spec: dict[str, Any] = spec) -> None:
                    spec["split"] = self.choice(v, "split", SPLIT_MODES)

                self.mapping(item, "a source", {"path": set_path, "split": set_split})
                if "path" not in spec:
                    raise self.fail(item, "a source needs a path")
                specs.append(SourceSpec(**spec))
            values["sources"] = tuple(specs)

        def export(n: yaml.Node) -> None:
            ex: dict[str, Any] = {}
            self.mapping(n, "export", {
                "path": lambda v: ex.__setitem__("path", self.path_of(v, "export.path")),
                "format": lambda v: ex.__setitem__(
                    "format", self.choice(v, "export.format", EXPORT_FORMATS)),
                "body": lambda v: ex.__setitem__(
                    "body", self.choice(v, "export.body", EXPORT_BODIES)),
                "excerpt_chars": lambda v: ex.__setitem__(
                    "excerpt_chars", self.integer(v, "export.excerpt_chars", 20, 100_000)),
            })
            values["export"] = ExportSettings(**ex)

        def gazetteer(n: yaml.Node) -> None:
            gz: dict[str, Any] = {}
            company_fields = ("country", "type", "aliases", "context_aliases", "context", "units")
            self.mapping(n, "gazetteer", {
                "builtin": lambda v: gz.__setitem__(
                    "builtin", self.boolean(v, "gazetteer.builtin")),
                "disable": lambda v: gz.__setitem__(
                    "disable", self.strings(v, "gazetteer.disable")),
                "companies": lambda v: gz.__setitem__("companies", self.records(
                    v, "gazetteer.companies", ("name",), company_fields)),
                "countries": lambda v: gz.__setitem__("countries", self.records(
                    v, "gazetteer.countries", ("name",), ("code", "aliases", "demonyms"))),
                "themes": lambda v: gz.__setitem__("themes", self.records(
                    v, "gazetteer.themes", ("name", "keywords"), ())),
                "people": lambda v: gz.__setitem__("people", self.records(
                    v, "gazetteer.people", ("name",), ("aliases", "role"))),
                "aliases": lambda v: gz.__setitem__("aliases", self.alias_map(v)),
                "places": lambda v: gz.__setitem__("places", self.alias_map(v)),
                "blockers": lambda v: gz.__setitem__(
                    "blockers", self.strings(v, "gazetteer.blockers")),
                "files": lambda v: gz.__setitem__("files", tuple(
                    self.path_of(x, "a gazetteer file") for x in self.sequence(v, "files"))),
            })
            values["gazetteer"] = GazetteerSettings(**gz)

        def feeds(n: yaml.Node) -> None:
            values["feeds_settings"] = read_feeds(self, n, feed_urls)

        def keymap(n: yaml.Node) -> None:
            km: dict[str, str] = {}
            if not isinstance(n, yaml.MappingNode):
                raise self.fail(n, "keymap must be a mapping of binding id to keys")
            for k, v in n.value:
                km[self.string(k, "a keymap id")] = self.string(v, "keymap keys")
            values["keymap"] = km

        self.mapping(root, "config", {
            "sources": sources,
            "export": export,
            "gazetteer": gazetteer,
            "theme": lambda v: values.__setitem__("theme", self.string(v, "theme")),
            "sort": lambda v: values.__setitem__("sort", self.choice(v, "sort", SORTS)),
            "keymap": keymap,
            "feeds": feeds,
            "cache": lambda v: values.__setitem__("cache", self.boolean(v, "cache")),
            "cache_dir": lambda v: values.__setitem__("cache_dir", self.path_of(v, "cache_dir")),
            "data_dir": lambda v: values.__setitem__("data_dir", self.path_of(v, "data_dir")),
            "user_entities": lambda v: values.__setitem__(
                "user_entities", self.path_of(v, "user_entities")),
            "watchlists": lambda v: values.__setitem__("watchlists", self.watchlists(v)),
        })
        values["feeds"] = feed_settings(feed_urls, values.pop("feeds_settings", {}),
                                        values.get("data_dir"))
        merged = {
            "sources": defaults.sources, "export": defaults.export,
            "gazetteer": defaults.gazetteer, **values,
        }
        return Config(**merged)

    def watchlists(self, node: yaml.Node) -> tuple[WatchlistSpec, ...]:
        """Only the section's shape stops the config; a bad entry is a warning later."""
        if isinstance(node, yaml.ScalarNode) and construct(node) is None:
            return ()
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            raise self.fail(node, "watchlists must map names to queries, or list "
                                  "{name, query} entries")
        return watchlist_specs(node)

    def alias_map(self, node: yaml.Node) -> dict[str, tuple[str, ...]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, "this section must map a name to a list of names")
        out: dict[str, tuple[str, ...]] = {}
        for k, v in node.value:
            out[self.string(k, "an entity name")] = self.strings(v, "aliases")
        return out
