"""CLI output: JSON for programs, a Rich table on a terminal, tab-separated lines in a pipe.

Article text reaches Rich only as `Text` objects (never parsed as markup) and has
had control characters removed at ingest, so nothing in an article can style or
drive the terminal. Rich is imported only for a terminal: a pipe gets plain text.

A list's rows are made column by column (`index.rows`): printing N rows costs a
few microseconds each, whatever the corpus.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from evreader.index.corpus import CorpusIndex
from evreader.index.rows import ARTICLE_FIELDS, iso_days, lead_names, records
from evreader.textsafe import clean_text, one_line

BLOCK = 2048  # rows formatted and written at a time (a block of JSON with bodies: ~20 MB)

if TYPE_CHECKING:
    from rich.console import Console, Group
    from rich.text import Text

    from evreader.library import ListSummary
    from evreader.profile import Profile
    from evreader.search import EntityMatch


def _json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _json_lines(items: Iterable[Sequence[dict[str, object]]]) -> None:
    """A JSON array with one item per line, written block by block: json's C
    encoder does each line (its indenting encoder is pure Python, ~10x slower), a
    line is one article, and no more than a block is held at once."""
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    write = sys.stdout.write
    opened = False
    for block in items:
        if block:
            write((",\n" if opened else "[\n") + ",\n".join(map(dumps, block)))
            opened = True
    write("\n]\n" if opened else "[]\n")


def _tsv(rows: Iterable[Sequence[object]]) -> None:
    write = sys.stdout.write
    for row in rows:
        write("\t".join(_cell(v) for v in row) + "\n")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # what the line below gives for it (see test_cli_rows), 10x faster
    return one_line(clean_text(text)).replace("\t", " ")


def _console() -> Console:
    from rich.console import Console
    return Console(markup=False, emoji=False, highlight=False, soft_wrap=False)


def _table(columns: Sequence[tuple[str, dict[str, Any]]], rows: Iterable[Sequence[object]]) -> None:
    from rich.table import Table
    from rich.text import Text
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for name, opts in columns:
        table.add_column(name, **opts)
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row))
    _console().print(table)


def _tty() -> bool:
    return sys.stdout.isatty()


def shows_summary(fmt: str) -> bool:
    """Whether `articles` prints a summary line (then it needs one)."""
    return fmt != "json" and _tty()


def articles(index: CorpusIndex, selected: Sequence[int], fmt: str,
             scores: Sequence[float] | None = None, summary: ListSummary | None = None,
             fields: Sequence[str] | None = None) -> None:
    """Articles as JSON (`fields` of each, default all; one article a line), a
    table on a terminal, or tab-separated lines in a pipe (id, date, title,
    companies, countries, file, publisher)."""
    if fmt == "json":
        def blocks() -> Iterator[list[dict[str, object]]]:
            for lo in range(0, len(selected), BLOCK):
                out = records(index, selected[lo:lo + BLOCK],
                              ARTICLE_FIELDS if fields is None else fields)
                if scores is not None:
                    for record, score in zip(out, scores[lo:lo + BLOCK], strict=True):
                        record["score"] = round(score, 3)
                yield out
        _json_lines(blocks())
        return
    if not _tty():
        for lo in range(0, len(selected), BLOCK):
            _tsv_articles(index, selected[lo:lo + BLOCK])
        return
    from rich.text import Text
    console = _console()
    console.print(article_table(index, selected, console.width))
    if summary is not None:
        shown = f"{len(selected):,} of " if len(selected) != summary.shown else ""
        _console().print(Text(shown + summary.describe(), style="dim"))


def _tsv_articles(index: CorpusIndex, selected: Sequence[int]) -> None:
    """One tab-separated line per article (a block of them: `articles` writes a
    list block by block, so its memory does not grow with it); each file and
    publisher cleaned once."""
    store = index.articles
    rows = np.asarray(selected, dtype=np.int64)
    published = iso_days(np.asarray(index.day)[rows].tolist() if len(rows) else [])
    sources = np.asarray(store.source_idx)[rows].tolist() if len(rows) else []
    publishers = np.asarray(store.publisher_idx)[rows].tolist() if len(rows) else []
    source_cell: dict[int, str] = {}
    publisher_cell: dict[int, str] = {}
    ids, titles = store.ids, store.titles
    lines = []
    for i, when, s, p, (companies, countries) in zip(
            selected, published, sources, publishers, lead_names(index, selected), strict=True):
        src = source_cell.get(s)
        if src is None:
            src = source_cell[s] = _cell(store.sources[s])
        pub = publisher_cell.get(p)
        if pub is None:
            pub = publisher_cell[p] = _cell(store.publishers[p])
        lines.append("\t".join((_cell(ids[i]), when or "", _cell(titles[i]), _cell(companies),
                                _cell(countries), src, pub)))
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")


def article_table(index: CorpusIndex, selected: Sequence[int], width: int) -> Group:
    """One line per article, cut with … to `width` cells, never wrapped: the id (for
    show, mark, export --ids), date, title, then publisher and leading companies when
    there is room. The file is in `show`, the JSON and the tab-separated output."""
    from rich.console import Group
    store = index.articles
    rest = width - 16 - 1 - 10 - 1
    source_w = 14 if rest >= 64 else 12 if rest >= 48 else 0
    companies_w = 22 if rest >= 90 else 0
    title_w = max(8, rest - (source_w + 1 if source_w else 0)
                  - (companies_w + 1 if companies_w else 0))
    columns = [("id", 16, "dim"), ("date", 10, ""), ("title", title_w, "")]
    if source_w:
        columns.append(("source", source_w, "dim"))
    if companies_w:
        columns.append(("companies", companies_w, ""))
    lines = [_line([(name, w, "bold") for name, w, _ in columns])]
    for i in selected:
        published = store.published(i)
        names = index.entity_names(i)
        values = {"id": store.ids[i], "date": published.isoformat() if published else "undated",
                  "title": one_line(store.titles[i]), "source": store.publisher(i) or "—",
                  "companies": ", ".join(names["company"][:4])}
        lines.append(_line([(values[name], w, "dim" if name == "date" and not published
                             else style) for name, w, style in columns]))
    return Group(*lines)


def _line(cells: Sequence[tuple[str, int, str]]) -> Text:
    from rich.text import Text
    line = Text(no_wrap=True)
    for n, (value, width, style) in enumerate(cells):
        cell = Text(value, style=style, no_wrap=True, end="")
        cell.truncate(width, overflow="ellipsis", pad=n < len(cells) - 1)
        if n:
            line.append(" ")
        line.append_text(cell)
    return line


def entities(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        _json(rows)
        return
    table_rows = [(r["kind"], r["name"], r["count"], r.get("country") or "") for r in rows]
    if _tty():
        _table([("kind", {}), ("name", {}), ("articles", {"justify": "right"}),
                ("HQ", {"style": "dim"})], table_rows)
    else:
        _tsv(table_rows)


def lookup(matches: Sequence[EntityMatch], fmt: str) -> None:
    if fmt == "json":
        _json([{"kind": m.kind, "name": m.name, "score": round(m.score, 1), "count": m.count,
                "matched": m.matched, "discovered": m.discovered} for m in matches])
        return
    rows = [(m.kind, m.name, m.count, m.matched, f"{m.score:.0f}") for m in matches]
    if _tty():
        _table([("kind", {}), ("name", {}), ("articles", {"justify": "right"}),
                ("matched", {"style": "dim"}), ("score", {"justify": "right"})], rows)
    else:
        _tsv(rows)


def article_detail(index: CorpusIndex, i: int, fmt: str) -> None:
    record = index.as_dict(i)
    record["mentions"] = [
        {"kind": m.kind, "name": m.name, "field": m.field, "start": m.start, "end": m.end,
         "discovered": m.discovered}
        for m in index.mentions(i)
    ]
    if fmt == "json":
        _json(record)
        return
    a = index.articles[i]
    lines = [a.title, f"{a.published_iso() or 'undated'} · {a.source}"]
    if a.authors:
        lines.append("by " + ", ".join(a.authors))
    for kind, names in index.entity_names(i).items():
        if names:
            lines.append(f"{kind}: {', '.join(names)}")
    lines += ["", a.text]
    text = "\n".join(lines)
    if _tty():
        from rich.text import Text
        _console().print(Text(text))
    else:
        sys.stdout.write(text + "\n")


def profile(index: CorpusIndex, prof: Profile, fmt: str) -> None:
    store = index.articles  # by column: the bodies (compressed in the cache) are not read

    def iso(i: int) -> str | None:
        day = store.published(i)
        return day.isoformat() if day else None
    if fmt == "json":
        record = prof.as_dict()
        record["article_list"] = [
            {"id": store.ids[i], "title": store.titles[i], "published": iso(i)}
            for i in prof.articles]
        _json(record)
        return
    lines = [f"{prof.name} ({prof.kind}{', discovered' if prof.discovered else ''})"]
    if prof.country:
        lines.append(f"HQ: {prof.country}")
    if prof.aliases:
        lines.append("also: " + ", ".join(prof.aliases))
    span = f"{prof.first} … {prof.last}" if prof.first else "none dated"
    undated = f", {prof.undated} undated" if prof.undated and prof.first else ""
    lines.append(f"{prof.count} article{'s' if prof.count != 1 else ''}{undated}, {span}")
    if prof.months:
        lines.append(f"{prof.months[0][0]} {prof.sparkline()} {prof.months[-1][0]}")
    for kind, rows in prof.co_mentions.items():
        if rows:
            lines.append(f"with {kind}: " + ", ".join(f"{n} ({c})" for n, c in rows))
    lines.append("")
    for i in prof.articles:
        lines.append(f"{store.ids[i]}  {iso(i) or '          '}  {one_line(store.titles[i], 90)}")
    text = "\n".join(lines)
    if _tty():
        from rich.text import Text
        _console().print(Text(text))
    else:
        sys.stdout.write(text + "\n")
