"""Subcommand bodies. Each returns an exit code; output goes through cli.output.

What only some commands use (the query language, dates, export, profiles) is
imported by them: `list` starts in a few hundred milliseconds, and every module
loaded counts.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from evreader.cli import output
from evreader.config import Config, source_specs
from evreader.errors import (
    EXIT_ERROR,
    EXIT_NO_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    EvreaderError,
    UsageError,
)
from evreader.library import Library, build_library
from evreader.models import Filters, Sort

if TYPE_CHECKING:
    from evreader.search import SearchEngine

KINDS_FLAGS = ("company", "country", "theme", "person")


def sort_of(args: argparse.Namespace, lib: Library) -> Sort:
    """--sort, else the config's `sort:`."""
    chosen: Sort | None = getattr(args, "sort", None)
    return chosen or lib.config.sort


def run(args: argparse.Namespace, config: Config) -> int:
    if args.command == "watch":  # builds its library itself (--add/--remove need none)
        from evreader.cli.watch import cmd_watch
        return cmd_watch(args, config)
    if args.command == "cache":
        return cmd_cache(args, config)
    if args.command in FEED_COMMANDS:
        return FEED_COMMANDS[args.command](args, config)
    if args.command in ("promote", "ignore"):
        return cmd_decide(args, config)
    if not source_specs(config):
        from evreader.firstrun import first_run_help
        print(first_run_help(config.path), file=sys.stderr)
        return EXIT_NO_INPUT
    library = build_library(config)
    for warning in library.warnings:
        print(f"evreader: warning: {warning}", file=sys.stderr)
    if len(library.index) == 0 and not library.warnings:
        print("evreader: warning: no articles found in the sources", file=sys.stderr)
    elif len(library.index) == 0:
        print("evreader: error: no source could be read", file=sys.stderr)
        return EXIT_NO_INPUT
    handler = {
        "list": cmd_list, "search": cmd_search, "entities": cmd_entities,
        "lookup": cmd_lookup, "show": cmd_show, "export": cmd_export,
        "profile": cmd_profile, "related": cmd_related, "mark": cmd_mark,
        "full-text": cmd_full_text,
    }[args.command]
    return handler(args, library)


def filters_from(args: argparse.Namespace, engine: SearchEngine) -> Filters:
    """Filters from the command line, entity names fuzzy-resolved to canonical ones."""
    entities: list[tuple[str, str]] = []
    for kind in KINDS_FLAGS:
        for value in getattr(args, kind, []) or []:
            entities.append((kind, resolve(engine, kind, value)))
    for value in getattr(args, "source", []) or []:
        names = engine.lookup_publishers(value)
        if not names:
            known = sorted({p for p in engine.index.articles.publishers if p}, key=str.casefold)
            hint = f" (publishers: {', '.join(known[:8])}{' …' if len(known) > 8 else ''})" \
                if known else " (no article states its publisher)"
            raise UsageError(f"no source in these articles matches {value!r}{hint}")
        entities += [("source", name) for name in names if ("source", name) not in entities]
    flags = {f for f in ("starred", "unread") if getattr(args, f, False)}
    base = Filters(
        entities=tuple(entities),
        since=_date_arg(getattr(args, "since", None), "--since", start=True),
        until=_date_arg(getattr(args, "until", None), "--until", start=False),
        flags=frozenset(flags),
    )
    query = getattr(args, "query", "") or ""
    if not query:
        return base
    from evreader.query import resolve_query
    resolved = resolve_query(query, engine, base)
    if resolved.errors:
        raise UsageError("--query: " + "; ".join(resolved.errors))
    for note in resolved.notes:
        print(f"evreader: {note}", file=sys.stderr)
    return resolved.filters


def resolve(engine: SearchEngine, kind: str, value: str) -> str:
    match = engine.best(value, [kind])
    if match is None or match.score < 75:
        hint = ""
        loose = engine.lookup(value, [kind], limit=3, present_only=False)
        if loose:
            hint = " (closest: " + ", ".join(m.name for m in loose) + ")"
        raise UsageError(f"no {kind} in these articles matches {value!r}{hint}")
    return match.name


def _date_arg(value: str | None, flag: str, *, start: bool) -> date | None:
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 7 and text[4] == "-":  # YYYY-MM
            year, month = int(text[:4]), int(text[5:])
            if start:
                return date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1) if start else date(int(text), 12, 31)
    except ValueError:
        pass
    from evreader.ingest.dates import parse_date
    parsed = parse_date(text)
    if parsed is None:
        raise UsageError(f"{flag} needs a date like 2024-03-16, 2024-03 or 2024 (got {value!r})")
    return parsed


def cmd_list(args: argparse.Namespace, lib: Library) -> int:
    filters = filters_from(args, lib.engine)
    selected = lib.select(filters, sort_of(args, lib))
    # The summary line is for a terminal (it reads the reading state: unread counts).
    summary = lib.summary(selected) if output.shows_summary(args.format) else None
    output.articles(lib.index, selected[: args.limit] if args.limit else selected, args.format,
                    summary=summary, fields=args.fields)
    return EXIT_OK


def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    args.query = " ".join(filter(None, [args.search_query, args.query]))
    filters = filters_from(args, lib.engine)
    hits = lib.engine.search(filters.text_query, candidates=lib.base_mask(filters))
    if filters.phrases:
        keep = set(lib.select(filters))
        hits = [h for h in hits if h.article in keep]
    score = {h.article: h.score for h in hits}
    from evreader.sorting import sort_rows
    rows = sort_rows(lib.index, [h.article for h in hits], sort_of(args, lib), searching=True)
    summary = lib.summary(rows) if output.shows_summary(args.format) else None
    rows = rows[: args.limit] if args.limit else rows
    output.articles(lib.index, rows, args.format, scores=[score[i] for i in rows],
                    summary=summary, fields=args.fields)
    return EXIT_OK


def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    filters = filters_from(args, lib.engine)
    counts = lib.index.facet_counts(lib.mask(filters))
    kinds = [args.kind] if args.kind else list(KINDS_FLAGS)
    if args.discovered:
        kinds = ["company"]
    rows = []
    for kind in kinds:
        for info, count in lib.index.top_entities(counts, kind, discovered=args.discovered,
                                                  limit=args.limit):
            entity = lib.gazetteer.get(kind, info.name)
            rows.append({"kind": kind, "name": info.name, "count": count,
                         "discovered": info.discovered,
                         "country": entity.country if entity and kind == "company" else None})
    output.entities(rows, args.format)
    return EXIT_OK


def cmd_lookup(args: argparse.Namespace, lib: Library) -> int:
    kinds = [args.kind] if args.kind else None
    matches = lib.engine.lookup(args.fragment, kinds, limit=args.limit)
    output.lookup(matches, args.format)
    return EXIT_OK


def article_of(args: argparse.Namespace, lib: Library) -> int:
    """The article `args.article_id` names, or a usage error that says where it looked."""
    i = lib.index.by_id.get(args.article_id)
    if i is None:
        raise UsageError(f"no article with id {args.article_id!r} {_where(args)}")
    return i


def _where(args: argparse.Namespace) -> str:
    paths = getattr(args, "paths", None)
    if paths:
        return "in " + ", ".join(paths)
    return "in the configured sources (give the files or folders it came from, as for list)"


def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    i = article_of(args, lib)
    output.article_detail(lib.index, i, args.format)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, lib: Library) -> int:
    settings = lib.config.export
    if args.ids:
        missing = [x for x in args.ids if x not in lib.index.by_id]
        if missing:
            raise UsageError(f"no article with id {', '.join(missing)} {_where(args)}")
        selected = [lib.index.by_id[x] for x in args.ids]
        filters = None
    else:
        filters = filters_from(args, lib.engine)
        selected = lib.select(filters, sort_of(args, lib))
    if args.limit:
        selected = selected[: args.limit]
    if not selected:
        raise UsageError("nothing to export: no article matches")
    from pathlib import Path
    note = Path(args.output).expanduser() if args.output else settings.path
    fmt = args.format if args.format else settings.format
    from evreader.export import append_note, render_note
    entry = render_note(lib.index, selected, filters=filters, fmt=fmt,
                        body=args.body or settings.body, excerpt_chars=settings.excerpt_chars)
    written = append_note(note, entry)
    print(f"exported {len(selected)} article{'s' if len(selected) != 1 else ''} to {written}",
          file=sys.stderr)
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace, config: Config) -> int:
    from evreader.feeds.store import all_feeds
    from evreader.library import fetch_feeds
    if not all_feeds(config.feeds):
        raise UsageError("no feeds configured: add URLs under `sources:` or `feeds.urls:` in "
                         "config.yaml, or run `evreader import-opml FILE`")
    if args.retry and not args.full_text:
        raise UsageError("--retry goes with --full-text (evreader fetch --full-text --retry)")
    if args.no_full_text and args.full_text:
        raise UsageError("--full-text and --no-full-text ask for opposite things")
    reports = fetch_feeds(config, full_text=not args.no_full_text, every_entry=args.full_text,
                          retry=args.retry)
    if args.format == "json":
        import json
        print(json.dumps([{"url": r.url, "status": r.status, "new": r.new, "entries": r.seen,
                           "reason": r.reason or None,
                           "full_text": [{"key": a.key, "url": a.link, "ok": a.ok,
                                          "chars": a.chars, "reason": a.reason or None}
                                         for a in r.full_text]}
                          for r in reports], indent=2))
    else:
        for r in reports:
            print(r.line())
            for a in r.full_text:
                if not a.ok:
                    print(f"           {a.line()}")
        total = sum(r.new for r in reports)
        print(f"{total} new article{'s' if total != 1 else ''} in {config.feeds.store}",
              file=sys.stderr)
        pages = [a for r in reports for a in r.full_text]
        if pages:
            got = sum(a.ok for a in pages)
            print(f"full text for {got} of {len(pages)} article{'s' if len(pages) != 1 else ''}",
                  file=sys.stderr)
    return EXIT_ERROR if any(r.status == "failed" for r in reports) else EXIT_OK


def cmd_full_text(args: argparse.Namespace, lib: Library) -> int:
    """One article's full text; exit 0 when it has it, 1 when the page gave none."""
    i = article_of(args, lib)
    result = lib.fetch_full_text(i)
    # Not asked of the network (not a feed article, no link): the request was wrong.
    code = EXIT_OK if result.ok else EXIT_ERROR if result.fetched else EXIT_USAGE
    if args.format == "json":
        import json
        print(json.dumps({"id": args.article_id, "ok": result.ok, "chars": result.chars,
                          "fetched": result.fetched, "url": result.url or None,
                          "reason": result.reason or None}, indent=2))
    elif result.ok:
        where = f" from {result.url}" if result.url else ""
        state = "fetched" if result.fetched else "already stored"
        print(f"{args.article_id}: full text, {result.chars:,} characters{where} ({state})")
    elif code == EXIT_ERROR:
        print(f"{args.article_id}: no full text: {result.reason}")
    else:
        raise UsageError(f"{args.article_id}: {result.reason}")
    return code


def cmd_import_opml(args: argparse.Namespace, config: Config) -> int:
    from pathlib import Path

    from evreader.feeds.store import import_opml
    added, known = import_opml(Path(args.opml).expanduser(), config.feeds)
    print(f"added {added} feed{'s' if added != 1 else ''} to {config.feeds.file}"
          f" ({known} already known)")
    return EXIT_OK


def cmd_export_opml(args: argparse.Namespace, config: Config) -> int:
    from pathlib import Path

    from evreader.feeds.store import all_feeds, export_opml
    from evreader.state import write_atomic
    text = export_opml(all_feeds(config.feeds))
    if args.output:
        write_atomic(Path(args.output).expanduser(), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


FEED_COMMANDS = {"fetch": cmd_fetch, "import-opml": cmd_import_opml,
                 "export-opml": cmd_export_opml}


def cmd_cache(args: argparse.Namespace, config: Config) -> int:
    from evreader.cache import CorpusCache
    specs = source_specs(config)  # with the feed store, as every build reads it
    cache = CorpusCache(config.cache_dir, specs)
    if args.action == "clear":
        removed = cache.clear()
        print(f"removed {removed} cached corpus folder{'s' if removed != 1 else ''} "
              f"from {cache.base}")
        return EXIT_OK
    size = sum(p.stat().st_size for p in cache.base.rglob("*") if p.is_file()) \
        if cache.base.is_dir() else 0
    state = "present" if (cache.dir / "manifest.json").is_file() else "not built yet"
    sources = "".join(f"\n  {spec.path}" + (f" (split: {spec.split})" if spec.split != "auto"
                                            else "") for spec in specs) or " none"
    print(f"cache folder: {cache.base}\nthis corpus: {cache.dir} ({state})\n"
          f"its sources:{sources}\ntotal size: {size / 1e6:.1f} MB")
    return EXIT_OK


def cmd_profile(args: argparse.Namespace, lib: Library) -> int:
    from evreader.profile import entity_profile
    kinds = [args.kind] if args.kind else None
    matches = lib.engine.lookup(args.name, kinds, limit=1)
    if not matches or matches[0].score < 75:
        raise UsageError(f"no entity in these articles matches {args.name!r}")
    m = matches[0]
    profile = entity_profile(lib.index, m.kind, m.name, lib.gazetteer)
    assert profile is not None
    output.profile(lib.index, profile, args.format)
    return EXIT_OK


def cmd_related(args: argparse.Namespace, lib: Library) -> int:
    from evreader.profile import related_articles
    i = article_of(args, lib)
    rel = related_articles(lib.index, i, limit=args.limit)
    output.articles(lib.index, [r for r, _ in rel], args.format, scores=[s for _, s in rel],
                    fields=args.fields)
    return EXIT_OK


def cmd_mark(args: argparse.Namespace, lib: Library) -> int:
    state = lib.state
    assert state is not None
    missing = [x for x in args.ids if x not in lib.index.by_id]
    if missing:
        raise UsageError(f"no article with id {', '.join(missing)} {_where(args)}")
    if args.mark in ("read", "unread"):
        state.set_read(args.ids, args.mark == "read")
    else:
        for article_id in args.ids:
            if state.is_starred(article_id) != (args.mark == "starred"):
                state.toggle_star(article_id)
    if state.problem:
        raise EvreaderError(state.problem)
    print(f"marked {len(args.ids)} article{'s' if len(args.ids) != 1 else ''} {args.mark}",
          file=sys.stderr)
    return EXIT_OK


def cmd_decide(args: argparse.Namespace, config: Config) -> int:
    from evreader.library import ignore_company, promote_company
    if args.command == "promote":
        promote_company(config, args.name, country=args.country)
        print(f"promoted {args.name!r} to a company in {config.user_entities}")
    else:
        ignore_company(config, args.name)
        print(f"ignoring {args.name!r} from now on ({config.user_entities})")
    return EXIT_OK
