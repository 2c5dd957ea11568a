"""Article-derived text as Rich `Text`, never markup.

Everything here builds `Text` objects with `append`, so an article containing
"[bold]" or "[link=file:///etc/passwd]" is shown exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePath
from urllib.parse import urlparse

from rich.style import Style
from rich.text import Text

from evreader.index.corpus import CorpusIndex
from evreader.models import Filters, Mention
from evreader.textsafe import one_line

KIND_LABELS = {"discovered": "Discovered companies",
               "company": "Companies", "country": "Countries", "theme": "Themes",
               "person": "People"}
KIND_SINGULAR = {"company": "company", "country": "country", "theme": "theme",
                 "person": "person"}

StyleFor = Callable[[str], Style]  # kind → style (from the widget's component classes)


def short_source(source: str, width: int = 14) -> str:
    """A compact label for an article's source: a feed's host or a file's stem."""
    if "://" in source:
        host = urlparse(source).netloc or source
        label = host.removeprefix("www.")
    else:
        label = PurePath(source).stem or source
    return label if len(label) <= width else label[: width - 1] + "…"


def highlighted(text: str, mentions: Iterable[Mention], style_for: StyleFor,
                base: Style | None = None) -> Text:
    """`text` with each mention's span styled in its kind's colour (overlaps: first wins)."""
    out = Text(text, style=base or "", end="")
    last = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < last or not 0 <= m.start < m.end <= len(text):
            continue
        out.stylize(style_for(m.kind), m.start, m.end)
        last = m.end
    return out


def article_text(index: CorpusIndex, i: int, style_for: StyleFor, *, title_style: Style,
                 meta_style: Style) -> Text:
    """The reader's whole content for article `i`: header, entity chips, highlighted body."""
    article = index.articles[i]
    mentions = index.mentions(i)
    out = Text(end="")
    title = highlighted(one_line(article.title), [], style_for, title_style)
    if one_line(article.title) == article.title:
        title = highlighted(article.title, [m for m in mentions if m.field == "title"],
                            style_for, title_style)
    out.append_text(title)
    out.append("\n")
    meta = [article.published_iso() or "undated", short_source(article.source, 40)]
    if article.authors:
        meta.insert(1, ", ".join(article.authors))
    out.append(" · ".join(meta), style=meta_style)
    out.append("\n")
    if article.url:
        out.append(article.url, style=meta_style)
        out.append("\n")
    chips = entity_chips(index.entity_names(i).items(), style_for)
    if chips.plain:
        out.append("\n")
        out.append_text(chips)
        out.append("\n")
    out.append("\n")
    out.append_text(highlighted(article.text, [m for m in mentions if m.field == "text"],
                                style_for))
    return out


def entity_chips(names: Iterable[tuple[str, list[str]]], style_for: StyleFor,
                 suffix: str = "") -> Text:
    """' Nissan ' style chips, one per entity, in its kind's colour."""
    out = Text(end="")
    for kind, values in names:
        for name in values:
            if out.plain:
                out.append(" ")
            out.append(f" {name}{suffix} ", style=style_for(kind) + Style(reverse=True))
    return out


def filter_chips(filters: Filters, style_for: StyleFor) -> Text:
    """The filter bar's chips: one per entity filter plus the query."""
    out = Text(end="")
    for kind, name in filters.entities:
        if out.plain:
            out.append(" ")
        out.append(f" {KIND_SINGULAR.get(kind, kind)}: {name} ",
                   style=style_for(kind) + Style(reverse=True))
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
            out.append(" ")
        out.append(f" {extra} ", style=Style(reverse=True, bold=True))
    return out


def article_as_text(index: CorpusIndex, i: int) -> str:
    """Plain text of an article for the clipboard."""
    a = index.articles[i]
    lines = [one_line(a.title)]
    meta = [a.published_iso() or "undated", a.source]
    if a.authors:
        meta.insert(1, ", ".join(a.authors))
    lines.append(" · ".join(meta))
    if a.url:
        lines.append(a.url)
    lines += ["", a.text]
    return "\n".join(lines) + "\n"
