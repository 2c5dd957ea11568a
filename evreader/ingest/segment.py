"""Split a decoded text file into article drafts, by general rules.

A file of long lines with no blank lines between them is a digest: one brief
per line (`digest`). Anything else is one article: a copied page, a note or a
clipping (`page`). `split: lines|file` in the config forces either reading.
Front matter makes a note one article whatever its layout (see `load`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from evreader.ingest import debris
from evreader.ingest.digest import read_digest
from evreader.ingest.page import read_page

LONG_LINE = 100  # characters; a "brief" line is at least this long


@dataclass(slots=True)
class Draft:
    """An article before it gets an id: what the segmenter made of a piece of text."""

    body: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    url: str | None = None
    byline: str | None = None
    publisher: str | None = None  # a name the source states (see ingest.publisher)


def choose_mode(text: str) -> str:
    """"lines" for a digest of one brief per line, else "file"."""
    return _choose_mode(_stripped_lines(text))


def _stripped_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def _choose_mode(stripped: list[str]) -> str:
    lo, hi = 0, len(stripped)
    while hi > lo and not stripped[hi - 1]:
        hi -= 1
    while lo < hi and not stripped[lo]:
        lo += 1
    lines = stripped[lo:hi]
    blanks = lines.count("")
    if blanks > max(1, (len(lines) - blanks) // 10):
        return "file"  # paragraphs: so with debris left out too (it only lowers the count)
    content = [ln for ln in lines if ln and not debris.is_chrome(ln)]
    if len(content) < 2:
        return "file"
    if blanks > max(1, len(content) // 10):
        return "file"
    long_share = sum(1 for ln in content if len(ln) >= LONG_LINE) / len(content)
    median = statistics.median(len(ln) for ln in content)
    return "lines" if long_share >= 0.7 and median >= LONG_LINE else "file"


def segment(text: str, mode: str = "auto") -> list[Draft]:
    """Article drafts from the text of one file."""
    stripped = _stripped_lines(text)
    if mode == "auto":
        mode = _choose_mode(stripped)
    if mode == "lines":
        return split_lines(stripped)
    draft = split_file(stripped)
    return [draft] if draft is not None else []


def split_lines(stripped: list[str]) -> list[Draft]:
    """One brief per non-empty line that is not page furniture."""
    lines = [ln for ln in stripped if ln and not debris.is_chrome(ln)]
    drafts: list[Draft] = []
    for brief in read_digest(lines):
        body = debris.strip_image_names(brief.body)
        if body or brief.title:
            drafts.append(Draft(body=body, title=brief.title, authors=brief.authors,
                                published=brief.published, publisher=brief.publisher))
    return drafts


def split_file(stripped: list[str]) -> Draft | None:
    """The whole file as one article (see `page`)."""
    parts = read_page(stripped)
    if parts is None:
        return None
    return Draft(body=parts.body, title=parts.title, authors=parts.authors,
                 published=parts.published, byline=parts.byline, publisher=parts.publisher)
