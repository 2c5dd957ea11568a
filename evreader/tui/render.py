"""Article-derived text for the screen, never markup.

Everything here builds `Text` (or a `Document` of plain strings and spans), so
an article containing "[bold]" or "[link=file:///etc/passwd]" is shown exactly
as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePath

import numpy as np
import numpy.typing as npt
from rich.style import Style
from rich.text import Text

from evreader import firstrun
from evreader.config import Config, source_specs
from evreader.highlight import Highlighter
from evreader.index.corpus import CorpusIndex
from evreader.library import Library
from evreader.models import KINDS, SOURCE, Filters
from evreader.profile import related_articles
from evreader.state import ReadingState
from evreader.textsafe import one_line
from evreader.tui.document import NBSP, Document, Layer, Span

KIND_LABELS = {"watchlists": "Watchlists", "discovered": "Discovered companies",
               "company": "Companies",
               "country": "Countries", "theme": "Themes", "person": "People",
               SOURCE: "Sources"}
KIND_SINGULAR = {"company": "company", "country": "country", "theme": "theme",
                 "person": "person", SOURCE: "source"}
RELATED_SHOWN = 5

StyleFor = Callable[[str], Style]  # kind → style (from the widget's component classes)


def file_label(path: str) -> str:
    return PurePath(path).name or path


def article_document(index: CorpusIndex, i: int, marks: Highlighter,
                     state: ReadingState | None = None, *, related: bool = True,
                     note: str | None = None) -> Document:
    """The reader's content for article `i`: title, meta, entity chips, the body with
    its mentions and search hits, and related articles. Style keys: "title", "meta",
    a kind ("company" …) for mentions, "chip-<kind>" for chips, "hit" for hits.
    `note`: a line about the text itself (why there is no full text)."""
    article = index.articles[i]
    doc = Document()
    title = one_line(article.title)
    title_spans = _mention_spans(index, i, 0) if title == article.title else []
    doc.add(title, "title", title_spans, marks.spans(title))
    meta = [article.published_iso() or "undated"]
    if article.authors:
        meta.append(", ".join(article.authors))
    meta.append(article.publisher or f"file:{NBSP}{file_label(article.source)}")
    if state is not None and state.is_starred(article.id):
        meta.append(f"★{NBSP}starred")
    doc.add(" · ".join(meta), "meta")
    if article.url:
        doc.add(article.url, "meta")
    if note:
        doc.add(note, "meta")
    chips, chip_spans = _chips(index.entity_names(i).items())
    if chips:
        doc.add("")
        doc.add(chips, "", chip_spans)
    doc.add("")
    body = doc.add(article.text, "", None, marks.spans(article.text))
    body.spans = _mention_layer(index, i, 1)
    if related:
        _related(doc, index, i)
    return doc


def _chips(names: Iterable[tuple[str, list[str]]]) -> tuple[str, list[Span]]:
    """' Nissan ' chips in one line of text (spaces inside a chip do not break)."""
    text = ""
    spans: list[Span] = []
    for kind, values in names:
        for name in values:
            if text:
                text += " "
            chip = f"{NBSP}{name.replace(' ', NBSP)}{NBSP}"
            spans.append((len(text), len(text) + len(chip), f"chip-{kind}"))
            text += chip
    return text, spans


def _related(doc: Document, index: CorpusIndex, i: int) -> None:
    found = related_articles(index, i, limit=RELATED_SHOWN)
    if not found:
        return
    doc.add("")
    doc.add("Related  (R lists them)", "title", [(7, 23, "meta")])
    store = index.articles
    for j, _ in found:
        published = store.published(j)
        date = published.isoformat() if published else "undated"
        doc.add(f"{date:>10}  {one_line(store.titles[j], 100)}", "", [(0, 10, "meta")])


def _kind_codes(index: CorpusIndex) -> npt.NDArray[np.int64]:
    """Each entity's kind as its place in KINDS (kept on the index)."""
    found = index.derived.get("kind-code")
    if found is None:
        code: dict[str, int] = {kind: n for n, kind in enumerate(KINDS)}
        found = np.asarray([code[e.kind] for e in index.entities], dtype=np.int64)
        index.derived["kind-code"] = found
    return found


def _mention_arrays(index: CorpusIndex, i: int, field: int
                    ) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and kinds of article i's mentions in `field` (0 title, 1 text),
    sorted, each overlapping one dropped: straight from the index's arrays (an
    article may have 100k mentions)."""
    lo, hi = int(index.m_ptr[i]), int(index.m_ptr[i + 1])
    if lo == hi:
        return [], [], []
    sel = np.asarray(index.m_field[lo:hi]) == field
    starts = np.asarray(index.m_start[lo:hi])[sel].astype(np.int64)
    ends = np.asarray(index.m_end[lo:hi])[sel].astype(np.int64)
    kinds = _kind_codes(index)[np.asarray(index.m_ent[lo:hi])[sel]]
    order = np.lexsort((-ends, starts))
    starts, ends, kinds = starts[order], ends[order], kinds[order]
    if len(starts) > 1:
        reach = np.maximum.accumulate(ends)
        keep = np.ones(len(starts), dtype=bool)
        keep[1:] = starts[1:] >= reach[:-1]
        starts, ends, kinds = starts[keep], ends[keep], kinds[keep]
    return starts.tolist(), ends.tolist(), [KINDS[k] for k in kinds.tolist()]


def _mention_layer(index: CorpusIndex, i: int, field: int) -> Layer:
    starts, ends, kinds = _mention_arrays(index, i, field)
    return Layer(starts, ends, kinds)


def _mention_spans(index: CorpusIndex, i: int, field: int) -> list[Span]:
    return list(zip(*_mention_arrays(index, i, field), strict=True))


def highlighted(text: str, spans: Iterable[tuple[int, int]], style: Style,
                base: Style | None = None) -> Text:
    """`text` with each span styled (search hits in a list row)."""
    out = Text(text, style=base or "", end="", no_wrap=True)
    for start, end in spans:
        out.stylize(style, start, end)
    return out


def filter_chips(filters: Filters, style_for: StyleFor, joiner: Style) -> Text:
    """The filter bar's chips: entities grouped by kind, joined by "or" within a kind
    and "and" across kinds, then exclusions, dates, flags and the query."""
    out = Text(end="")
    by_kind: dict[str, list[str]] = {}
    for kind, name in filters.entities:
        by_kind.setdefault(kind, []).append(name)
    for kind, names in by_kind.items():
        if out.plain:
            out.append(" and ", style=joiner)
        for n, name in enumerate(names):
            if n:
                out.append(" or ", style=joiner)
            label = f" {KIND_SINGULAR.get(kind, kind)}: {name} " if n == 0 else f" {name} "
            out.append(label, style=style_for(kind) + Style(reverse=True))
    extras = [f"not {KIND_SINGULAR.get(k, k)}: {n}" for k, n in filters.exclude]
    if filters.since:
        extras.append(f"since {filters.since.isoformat()}")
    if filters.until:
        extras.append(f"until {filters.until.isoformat()}")
    extras += [f"is:{flag}" for flag in sorted(filters.flags)]
    extras += [f'"{p}"' for p in filters.phrases]
    extras += [f"-{w}" for w in filters.not_words]
    if filters.query.strip():
        extras.append(f"“{filters.query.strip()}”")
    for extra in extras:
        if out.plain:
            out.append(" and ", style=joiner)
        out.append(f" {extra} ", style=Style(reverse=True, bold=True))
    return out


def article_as_text(index: CorpusIndex, i: int) -> str:
    """Plain text of an article for the clipboard."""
    a = index.articles[i]
    lines = [one_line(a.title)]
    meta = [a.published_iso() or "undated"]
    if a.authors:
        meta.append(", ".join(a.authors))
    meta.append(a.publisher or a.source)
    lines.append(" · ".join(meta))
    if a.url:
        lines.append(a.url)
    lines += ["", a.text]
    return "\n".join(lines) + "\n"


def nothing_to_read(library: Library | None, config: Config) -> Document:
    """What the reader pane says with no article: loading, nothing matches, or (no
    article at all) how to add a folder or a feed."""
    doc = Document()
    if library is None:
        doc.add("Loading…", "meta")
    elif len(library.index):
        doc.add("No article matches the filters.", "meta")
    else:
        doc.add("Welcome to evreader", "title")
        doc.add(firstrun.opening(sources_empty=bool(source_specs(config))))
        for step in firstrun.steps(config.path):
            doc.add(f"  {step.command}", "", [(2, 2 + len(step.command), "company")])
            doc.add(f"      {step.purpose}", "meta")
        for line in firstrun.CLOSING.split("\n"):
            doc.add(line, "meta")
    return doc
