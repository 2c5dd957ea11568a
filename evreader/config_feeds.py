"""The `feeds:` section of config.yaml: the feed and full-text settings, and their reading.

Split from config.py, which reads every other section: the feeds bring two
settings classes and the most validation of any section, and feed code imports
its settings from here without the rest of the config. `from evreader.config
import FeedSettings, …` keeps working (config re-exports them). The reading goes
through config's `_Builder` helpers, so errors name the file and line as
everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_config_dir, user_data_dir

if TYPE_CHECKING:
    import yaml

    from evreader.config import _Builder

APP = "evreader"  # the name of the platform's config, data and cache folders


@dataclass(frozen=True, slots=True)
class FeedSpec:
    url: str
    title: str = ""
    # download each new entry's page and keep its main text; None: as
    # feeds.full_text.default says
    full_text: bool | None = None


@dataclass(frozen=True, slots=True)
class FullTextSettings:
    """How article pages are downloaded for their full text (evreader.feeds.fulltext).

    The defaults are a polite reader's, not a crawler's: one request at a time to a
    site with a pause between two, robots.txt obeyed, no page on the user's own
    machine or network (an article link is written by a stranger), and a page cap
    that keeps the extractor's worst case to seconds (see fulltext.py for numbers).
    """

    per_host: int = 1  # requests to one site at once
    delay: float = 1.0  # seconds between two requests to one site (robots.txt may ask more)
    connections: int = 4  # requests at once, all sites together
    robots: bool = True  # obey robots.txt
    timeout: float = 20.0  # seconds for one page, the whole download
    max_bytes: int = 5_000_000  # a page's cap, after decompression
    private_addresses: bool = False  # allow links to loopback/private addresses
    default: bool = False  # full text for the new entries of feeds that do not say


FEED_STORE_NAME = "feeds.sqlite3"
# The split of the feed store's source spec: this prefix, then the database's path
# (see evreader.feeds.source; the walk and the reader hand such a spec to it).
FEED_STORE_SPLIT = "feed-store:"


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """Feeds to fetch; fetched entries are stored in one SQLite database in
    `library` (see evreader.feeds.db). Downloads run `connections` at a time, at
    most `per_host` to one host, whose requests start `delay` seconds apart (the
    same keys as `full_text`'s, with a feed reader's defaults)."""

    urls: tuple[FeedSpec, ...] = ()
    file: Path = field(default_factory=lambda: Path(user_config_dir(APP)) / "feeds.yaml")
    library: Path = field(default_factory=lambda: Path(user_data_dir(APP)) / "feeds")
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    full_text: FullTextSettings = field(default_factory=FullTextSettings)
    connections: int = 8
    per_host: int = 2
    delay: float = 0.1

    @property
    def store(self) -> Path:
        """The feed store: the database of every fetched entry."""
        return self.library / FEED_STORE_NAME


def feed_settings(urls: list[FeedSpec], read: dict[str, Any], data_dir: Path | None
                  ) -> FeedSettings:
    """FeedSettings from what `read_feeds` found; the store follows `data_dir`
    (the user's data folder) unless `feeds.library` places it."""
    if "library" not in read and data_dir is not None:
        read = {**read, "library": data_dir / "feeds"}
    return FeedSettings(urls=tuple(urls), **read)


def read_feeds(b: _Builder, n: yaml.Node, feed_urls: list[FeedSpec]) -> dict[str, Any]:
    """The `feeds:` mapping: its settings as keyword arguments of FeedSettings; the
    feeds listed under `urls` are appended to `feed_urls` (where `sources:` puts
    its URLs too)."""
    import yaml
    fs: dict[str, Any] = {}

    def urls(v: yaml.Node) -> None:
        for item in b.sequence(v, "feeds.urls"):
            if isinstance(item, yaml.ScalarNode):
                feed_urls.append(FeedSpec(b.url(item, "a feed URL")))
                continue
            rec: dict[str, Any] = {}

            def set_url(x: yaml.Node, rec: dict[str, Any] = rec) -> None:
                rec["url"] = b.url(x, "feed url")

            def set_title(x: yaml.Node, rec: dict[str, Any] = rec) -> None:
                rec["title"] = b.string(x, "feed title")

            def set_full_text(x: yaml.Node, rec: dict[str, Any] = rec) -> None:
                rec["full_text"] = b.boolean(x, "a feed's full_text")

            b.mapping(item, "a feed", {"url": set_url, "title": set_title,
                                       "full_text": set_full_text})
            if "url" not in rec:
                raise b.fail(item, "a feed needs a url")
            feed_urls.append(FeedSpec(**rec))

    b.mapping(n, "feeds", {
        "urls": urls,
        "file": lambda v: fs.__setitem__("file", b.path_of(v, "feeds.file")),
        "library": lambda v: fs.__setitem__("library", b.path_of(v, "feeds.library")),
        "timeout": lambda v: fs.__setitem__(
            "timeout", float(b.integer(v, "feeds.timeout", 1, 600))),
        "max_bytes": lambda v: fs.__setitem__(
            "max_bytes", b.integer(v, "feeds.max_bytes", 1024, 1 << 31)),
        "full_text": lambda v: fs.__setitem__("full_text", read_full_text(b, v)),
        "connections": lambda v: fs.__setitem__(
            "connections", b.integer(v, "feeds.connections", 1, 64)),
        "per_host": lambda v: fs.__setitem__(
            "per_host", b.integer(v, "feeds.per_host", 1, 16)),
        "delay": lambda v: fs.__setitem__("delay", b.number(v, "feeds.delay", 0, 60)),
    })
    return fs


def read_full_text(b: _Builder, node: yaml.Node) -> FullTextSettings:
    """feeds.full_text: how pages are fetched (which feeds get full text is each
    feed's own `full_text: true`, or `default`)."""
    import yaml
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool"):
        raise b.fail(node, "feeds.full_text holds the page-fetch settings (a mapping); "
                           "to fetch full text for a feed, give that feed "
                           "`full_text: true` under feeds.urls")
    ft: dict[str, Any] = {}
    what = "feeds.full_text"
    b.mapping(node, what, {
        "per_host": lambda v: ft.__setitem__(
            "per_host", b.integer(v, f"{what}.per_host", 1, 8)),
        "delay": lambda v: ft.__setitem__("delay", b.number(v, f"{what}.delay", 0, 60)),
        "connections": lambda v: ft.__setitem__(
            "connections", b.integer(v, f"{what}.connections", 1, 32)),
        "robots": lambda v: ft.__setitem__("robots", b.boolean(v, f"{what}.robots")),
        "timeout": lambda v: ft.__setitem__(
            "timeout", b.number(v, f"{what}.timeout", 1, 120)),
        "max_bytes": lambda v: ft.__setitem__(
            "max_bytes", b.integer(v, f"{what}.max_bytes", 10_000, 20_000_000)),
        "private_addresses": lambda v: ft.__setitem__(
            "private_addresses", b.boolean(v, f"{what}.private_addresses")),
        "default": lambda v: ft.__setitem__("default", b.boolean(v, f"{what}.default")),
    })
    return FullTextSettings(**ft)


__all__ = ["APP", "FEED_STORE_NAME", "FEED_STORE_SPLIT", "FeedSettings", "FeedSpec",
           "FullTextSettings", "feed_settings", "read_feeds", "read_full_text"]
