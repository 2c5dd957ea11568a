"""Split a decoded text file into article drafts, by general rules.

A file of long lines with no blank lines between them is a pile of briefs, one per
line (a news digest). A file of blank-line-separated paragraphs with short heading
lines is one article: its first short line is the title, bylines and dates under
it become metadata, headings inside stay in the body. `split: lines|file` forces
either reading.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from evreader.ingest import meta

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


def choose_mode(text: str) -> str:
    """"lines" for a digest of one brief per line, else "file"."""
    return _choose_mode(_stripped_lines(text))


def _stripped_lines(text: str) -> list[str]:
    """The lines of `text`, each stripped: made once per file, read by both passes."""
    return list(map(str.strip, text.split("\n")))


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
    content = [ln for ln in lines if ln and not meta.is_debris(ln)]
    if len(content) < 2:
        return "file"
    if blanks > max(1, len(content) // 10):
        return "file"
    long_share = sum(1 for ln in content if len(ln) >= LONG_LINE) / len(content)
    median = statistics.median(len(ln) for ln in content)
    return "lines" if long_share >= 0.7 and median >= LONG_LINE else "file"


def segment(text: str, mode: str = "auto") -> list[Draft]:
    """Article drafts from the text of one file."""
    stripped = _stripped_lines(text) if mode != "lines" else []
    if mode == "auto":
        mode = _choose_mode(stripped)
    if mode == "lines":
        return split_lines(text)
    draft = _split_file(text, stripped)
    return [draft] if draft is not None else []


def split_lines(text: str) -> list[Draft]:
    """One brief per non-empty line; a trailing author name becomes metadata."""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not meta.is_debris(ln)]
    strict = [meta.trailing_author(ln, after_sentence_only=True) for ln in lines]
    # When most lines end in "…sentence. Author Name", the file has a byline per line,
    # so a line whose author follows a lowercase word is read the same way.
    pattern = sum(1 for s in strict if s) * 2 >= len(lines) >= 2
    drafts: list[Draft] = []
    for line, found in zip(lines, strict, strict=True):
        if found is None and pattern:
            found = meta.trailing_author(line, after_sentence_only=False)
        body, authors = (found[0], [found[1]]) if found and pattern else (line, [])
        body = meta.strip_image_names(body)
        if body:
            drafts.append(Draft(body=body, authors=authors))
    return drafts


def split_file(text: str) -> Draft | None:
    """The whole file as one article: header (title, byline, date), then body."""
    return _split_file(text, _stripped_lines(text))


def _split_file(text: str, stripped: list[str]) -> Draft | None:
    return _draft(text, _blocks(stripped))


def _draft(text: str, blocks: list[str]) -> Draft | None:
    """The article in `blocks`: header lines (title, bylines, dates), then the body."""
    title: str | None = None
    authors: list[str] = []
    named: set[str] = set()  # authors, for the test: a header may hold 20,000 bylines
    published: date | None = None
    bylines: list[str] = []
    i = 0
    while i < len(blocks):
        # A header block may stack several short lines ("Editorial Team" / "8 Min Read").
        lines = blocks[i].split("\n")
        rest: list[str] = []
        for n, line in enumerate(lines):
            if meta.is_debris(line):
                continue
            if title is None and meta.looks_like_title(line):
                title = line.lstrip("#").strip() or None
                continue
            byline = meta.parse_byline(line) if title is not None else None
            if byline is None:
                rest = lines[n:]
                break
            names, when = byline
            for name in names:
                if name not in named:
                    named.add(name)
                    authors.append(name)
            published = published or when
            bylines.append(line)
        if rest:
            blocks[i] = "\n".join(rest)
            break
        i += 1
    images = meta.may_name_images(text)  # else no image name to strip
    body = _body(blocks[i:], images)
    if not body and title is None:
        return None
    return Draft(body=body, title=title, authors=authors, published=published,
                 byline="\n".join(bylines) or None)


def _body(blocks: list[str], images: bool) -> str:
    """The body paragraphs, without debris lines and stray image names."""
    paragraphs = []
    for block in blocks:
        # Block lines are stripped, and a line over 200 characters is never debris.
        if "\n" in block:
            kept = [ln for ln in block.split("\n") if len(ln) > 200 or not meta.is_debris(ln)]
            cleaned = "\n".join(kept)
        else:  # one line (a paragraph joined by _join): no list to make
            cleaned = block if len(block) > 200 or not meta.is_debris(block) else ""
        if images:
            cleaned = meta.strip_image_names(cleaned)
        if cleaned:
            paragraphs.append(cleaned)
    return "\n\n".join(paragraphs)


def _blocks(stripped: list[str]) -> list[str]:
    """Paragraphs separated by blank lines; hard-wrapped lines inside are joined."""
    blocks: list[str] = []
    current: list[str] = []
    for line in stripped:
        if line:
            current.append(line)
        elif current:
            blocks.append(_join(current))
            current = []
    if current:
        blocks.append(_join(current))
    return blocks


def _join(lines: list[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    out = [lines[0]]
    for line in lines[1:]:
        # Keep list items, headings and short lines (verse, addresses) on their own line.
        if line[:1] in "-*•#>|" or line[:2].rstrip(".)").isdigit() or len(out[-1]) < 40:
            out.append("\n" + line)
        else:
            out.append(" " + line)
    return "".join(out)
