"""Turn configured sources into Articles with stable ids.

An id is a hash of the file's source-relative name and the article's own content
(plus an occurrence number for exact repeats), so it is the same on every machine
and survives reordering of a digest file; reading state keyed by it persists.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator

from evreader.config import FEED_STORE_SPLIT, SourceSpec
from evreader.ingest import publisher
from evreader.ingest.files import (
    FEED_SUFFIXES,
    MAX_FILE_BYTES,
    SourceFile,
    UnreadableFile,
    WalkLog,
    content_digest,
    decode_bytes,
    read_bytes,
    root_kind,
    walk_source,
)
from evreader.ingest.metadata import Fields, read_fields, split_front_matter
from evreader.ingest.segment import Draft, segment
from evreader.ingest.sentences import derive_title
from evreader.models import Article, LoadResult, LoadWarning
from evreader.textsafe import clean_text, one_line


def load_sources(specs: Iterable[SourceSpec]) -> LoadResult:
    """All articles from all sources; a file reached twice (nested sources) counts once."""
    result = LoadResult()
    for spec, source in iter_source_files(specs, result.warnings):
        articles, warnings = read_source_file(source, spec.split)
        result.articles.extend(articles)
        result.warnings.extend(warnings)
    return result


def iter_source_files(
    specs: Iterable[SourceSpec], warnings: list[LoadWarning], log: WalkLog | None = None
) -> Iterator[tuple[SourceSpec, SourceFile]]:
    """Source files with their spec, as the walk finds them, none twice across specs;
    with `log`, the folders listed and the roots are recorded there (see WalkLog)."""
    seen: set[tuple[int, int]] = set()
    for spec in specs:
        if spec.split.startswith(FEED_STORE_SPLIT):  # the feed store: a "file" per feed
            from evreader.feeds.source import store_files
            if log is not None:  # its feeds are checked by their store stamps (index.fresh)
                log.roots.append((str(spec.path), root_kind(spec.path)))
            yield from ((spec, source) for source in store_files(spec, warnings))
            continue
        for source in walk_source(spec.path, warnings, log):
            if source.ident not in seen:
                seen.add(source.ident)
                yield spec, source


def read_source_file(
    source: SourceFile, split: str = "auto", bodies: list[bytes] | None = None,
    digests: list[str] | None = None,
) -> tuple[list[Article], list[LoadWarning]]:
    """Articles from one file, plus warnings; never raises for bad content.

    With `bodies`, the articles' texts in UTF-8 are appended to it: the id hash
    encodes them anyway, and an index stores them so (`store.Columns`). With
    `digests`, the `content_digest` of the bytes read is appended ("" when none
    could be read): the cache keeps it for files too new to trust by their stamp.
    """
    warnings: list[LoadWarning] = []
    if split.startswith(FEED_STORE_SPLIT):
        if digests is not None:
            digests.append("")  # a feed's "stamp" is its store generation, never racy
        from evreader.feeds.source import read_store_feed
        return read_store_feed(source, split[len(FEED_STORE_SPLIT):], bodies)
    suffix = source.suffix
    if suffix in FEED_SUFFIXES:
        return _feed_file(source, bodies, digests)
    try:
        data = read_bytes(source.path)
    except UnreadableFile as exc:
        if digests is not None:
            digests.append("")
        return [], [LoadWarning(source.path, str(exc))]
    if digests is not None:
        digests.append(content_digest(data))
    try:
        raw, note = decode_bytes(data)
    except UnreadableFile as exc:
        return [], [LoadWarning(source.path, str(exc))]
    if note:
        warnings.append(LoadWarning(source.path, note))
    text = clean_text(raw)
    if suffix in (".jsonl", ".ndjson"):
        drafts = _jsonl_drafts(text, source.path, warnings)
    elif suffix in (".md", ".markdown"):
        drafts = _markdown_drafts(text, split, source.path, warnings)
    else:
        drafts = segment(text, split)
    return make_articles(drafts, source, bodies), warnings


def make_articles(drafts: list[Draft], source: SourceFile,
                  bodies: list[bytes] | None = None) -> list[Article]:
    """Articles with their ids; with `bodies`, their texts in UTF-8 are appended to it."""
    articles: list[Article] = []
    occurrences: dict[str, int] = {}
    for position, draft in enumerate(drafts):
        title = _without_label(one_line(draft.title, 300)) if draft.title else ""
        title = title or derive_title(draft.body)
        # The digest of key NUL title NUL body, the body encoded once for this and the store.
        body = draft.body.encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(f"{source.key}\0{title}\0".encode("utf-8", "surrogatepass"),
                                 digest_size=8)
        digest.update(body)
        base = digest.hexdigest()
        if bodies is not None:
            bodies.append(body)
        seen = occurrences.get(base, 0)
        occurrences[base] = seen + 1
        article_id = base if seen == 0 else f"{base}-{seen}"
        articles.append(
            Article(
                id=article_id,
                source=source.path,
                title=title,
                text=draft.body,
                published=draft.published,
                authors=tuple(draft.authors),
                url=draft.url,
                position=position,
                byline=draft.byline,
                publisher=publisher.publisher(draft.publisher, draft.url),
            )
        )
    return articles


# A leading label: "[Graphic News] …", a wire service's "(LEAD) …", "BRIEF-…", "UPDATE 2-…".
_LABEL = re.compile(
    r"^(?:\[[^\[\]]{1,30}\]\s+|\((?:LEAD|URGENT|UPDATE|\d+(?:ST|ND|RD|TH)\s+LD|LD)[^()]{0,20}\)\s+"
    r"|(?:BRIEF|UPDATE(?:\s+\d+)?|EXCLUSIVE|RPT|REFILE|CORRECTED|WRAPUP(?:\s+\d+)?)-\s*)(?=\S)")


def _without_label(title: str) -> str:
    """A headline without a leading section or wire label (see `_LABEL`)."""
    return _LABEL.sub("", title, count=1)


def _feed_file(source: SourceFile, bodies: list[bytes] | None = None,
               digests: list[str] | None = None) -> tuple[list[Article], list[LoadWarning]]:
    """A local RSS/Atom/JSON Feed file: one article per entry."""
    from evreader.feeds.parse import parse_feed  # feedparser loads only when feeds are used
    data: bytes | None = None
    try:
        if os.path.getsize(source.path) > MAX_FILE_BYTES:
            return [], [LoadWarning(source.path, "feed file too large; skipped")]
        with open(source.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [], [LoadWarning(source.path, f"cannot read: {exc.strerror or exc}")]
    finally:
        if digests is not None:
            digests.append(content_digest(data) if data is not None else "")
    parsed = parse_feed(data)
    if parsed.problem:
        return [], [LoadWarning(source.path, parsed.problem)]
    drafts = [Draft(body=e.text, title=e.title or None, authors=list(e.authors),
                    published=e.published, url=e.link, publisher=e.source or parsed.title or None)
              for e in parsed.entries]
    return make_articles(drafts, source, bodies), []


def _markdown_drafts(text: str, split: str, path: str, warnings: list[LoadWarning]
                     ) -> list[Draft]:
    """Markdown: optional YAML front matter (title, date, author(s), url), then text.
    Front matter makes the note one article, whatever its layout."""
    fields, text = split_front_matter(text)
    warnings.extend(LoadWarning(path, problem) for problem in fields.problems)
    if not fields.present:
        return segment(text, split)
    drafts = segment(text, "file" if split == "auto" else split)
    if len(drafts) == 1:
        _apply(drafts[0], fields)
    elif not drafts and fields.title:
        drafts = [_apply(Draft(body=""), fields)]
    return drafts


def _apply(draft: Draft, fields: Fields) -> Draft:
    """Metadata over what the text's own layout gave; a headline the text repeats
    under a different front-matter title stays as its first line."""
    if fields.title:
        if draft.title is not None and draft.title != fields.title:
            draft.body = f"{draft.title}\n\n{draft.body}".strip()
        draft.title = fields.title
    draft.published = fields.published or draft.published
    draft.authors = fields.authors or draft.authors
    draft.url = fields.url or draft.url
    draft.publisher = fields.publisher or draft.publisher
    return draft


def _jsonl_drafts(text: str, path: str, warnings: list[LoadWarning]) -> list[Draft]:
    drafts: list[Draft] = []
    bad: list[int] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            bad.append(lineno)
            continue
        if not isinstance(obj, dict):
            bad.append(lineno)
            continue
        body = next((v for k in ("text", "body", "content", "summary", "description")
                     if isinstance(v := obj.get(k), str) and v.strip()), "")
        fields = read_fields(obj)
        if not body and not fields.title:
            bad.append(lineno)
            continue
        warnings.extend(LoadWarning(path, f"line {lineno}: {p}") for p in fields.problems)
        drafts.append(_apply(Draft(body=clean_text(body).strip()), fields))
    if bad:
        shown = ", ".join(str(n) for n in bad[:5]) + (" …" if len(bad) > 5 else "")
        warnings.append(LoadWarning(path, f"{len(bad)} line(s) skipped: not a JSON object with "
                                          f"title or text (line {shown})"))
    return drafts
