"""Plain data the core passes around: articles, mentions, warnings.

Frozen dataclasses with slots: cheap to hold 100k of them, safe to share with
worker threads, picklable for worker processes and the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, NamedTuple

Kind = Literal["company", "country", "theme", "person"]
KINDS: tuple[Kind, ...] = ("company", "country", "theme", "person")
SOURCE = "source"  # the filter kind of publishers: Filters.entities may hold ("source", name)
FILTER_KINDS: tuple[str, ...] = (*KINDS, SOURCE)
# The orders of a list (see `sorting`); relevance is newest first when not searching.
Sort = Literal["relevance", "newest", "oldest", "source", "title"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest", "source", "title")


@dataclass(frozen=True, slots=True)
class Article:
    """One news item. `text` is the clean body shown to the user (debris removed)."""

    id: str
    source: str
    title: str
    text: str
    published: date | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    position: int = 0  # order within its source file
    byline: str | None = None  # the header lines read as byline/date, kept verbatim
    publisher: str = ""  # a feed's title, a stated source, or the URL's site ("": unknown)

    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity found in an article.

    `start`/`end` index the article's `field`: "title", "text", or "byline" (the
    authors joined with ", ").
    """

    kind: Kind
    name: str
    start: int
    end: int
    field: Literal["title", "text", "byline"] = "text"
    discovered: bool = False  # found by a pattern, not in the gazetteer


class MentionRow(NamedTuple):
    """A mention as the index stores it: a row per hit, made by the million, so a
    tuple (the word scanner builds them in C) with names for its fields."""

    kind: str
    name: str
    start: int
    end: int
    field: int  # 0 title, 1 text, 2 byline
    discovered: bool


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """A source that was skipped or partly read, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class LoadResult:
    """Articles read from sources plus the warnings met on the way."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user narrowed the corpus to. Entity values are canonical names."""

    entities: tuple[tuple[str, str], ...] = ()  # (kind, name), AND across kinds, OR within
    exclude: tuple[tuple[str, str], ...] = ()  # (kind, name) that must not be mentioned
    since: date | None = None
    until: date | None = None
    query: str = ""  # free words, fuzzy-matched
    phrases: tuple[str, ...] = ()  # must appear verbatim (case-insensitive)
    not_words: tuple[str, ...] = ()  # must not appear
    flags: frozenset[str] = frozenset()  # "unread", "read", "starred"

    def with_entity(self, kind: str, name: str) -> Filters:
        if (kind, name) in self.entities:
            return self
        return replace(self, entities=(*self.entities, (kind, name)))

    def without_entity(self, kind: str, name: str) -> Filters:
        return replace(self, entities=tuple(e for e in self.entities if e != (kind, name)))

    def toggled(self, kind: str, name: str) -> Filters:
        if (kind, name) in self.entities:
            return self.without_entity(kind, name)
        return self.with_entity(kind, name)

    def with_query(self, query: str) -> Filters:
        return replace(self, query=query)

    def with_flag(self, flag: str, on: bool = True) -> Filters:
        flags = set(self.flags)
        (flags.add if on else flags.discard)(flag)
        return replace(self, flags=frozenset(flags))

    def describe(self) -> str:
        parts = [f"{k}:{n}" for k, n in self.entities]
        parts += [f"-{k}:{n}" for k, n in self.exclude]
        if self.since:
            parts.append(f"since:{self.since.isoformat()}")
        if self.until:
            parts.append(f"until:{self.until.isoformat()}")
        parts += [f"is:{f}" for f in sorted(self.flags)]
        parts += [f'"{p}"' for p in self.phrases]
        parts += [f"-{w}" for w in self.not_words]
        if self.query:
            parts.append(self.query)
        return " ".join(parts) or "all articles"

    @property
    def active(self) -> bool:
        return bool(self.entities or self.exclude or self.since or self.until or self.query
                    or self.phrases or self.not_words or self.flags)

    @property
    def text_query(self) -> str:
        """The words the fuzzy search must match (free words and phrase words)."""
        return " ".join([self.query, *self.phrases]).strip()
