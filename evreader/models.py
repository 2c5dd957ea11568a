"""Plain data the core passes around: articles, mentions, warnings.

Frozen dataclasses with slots: cheap to hold 100k of them, safe to share with
worker threads, picklable for worker processes and the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

Kind = Literal["company", "country", "theme", "person"]
KINDS: tuple[Kind, ...] = ("company", "country", "theme", "person")


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
