"""`evreader watch`: what is new on your watchlists, for scripts and cron.

    evreader fetch && evreader watch --since-last --mark-seen | mail -E -s "EV news" me

Exit codes follow grep's: 0 when some watchlist has something new, 1 when none has
(so a script can branch on it), 2 for bad usage or config, 3 when no source could
be read. A failure that other commands report with 1 (the mark could not be saved,
a bug) exits 4 here, so it is never mistaken for "nothing new". The marks move only
after the output has been flushed, so a reader that went away loses nothing.

This module is imported to build the parser: heavy imports stay inside functions.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from evreader.errors import (
    EXIT_ERROR,
    EXIT_NO_INPUT,
    EXIT_NOTHING_NEW,
    EXIT_OK,
    EXIT_WATCH_FAILED,
    EvreaderError,
    UsageError,
)

if TYPE_CHECKING:
    from evreader.config import Config
    from evreader.library import Library
    from evreader.watchlists import WatchCounts, Watchlist


class WatchFailed(EvreaderError):
    """A failure inside `watch`: exit 4, as 1 means "nothing new" there."""

    exit_code = EXIT_WATCH_FAILED


class _Report(NamedTuple):
    watchlist: Watchlist
    counts: WatchCounts
    since: datetime  # what "new" was measured from: the mark, or --since
    rows: list[int]  # the new articles, newest first


def configure_parser(p: argparse.ArgumentParser) -> None:
    """The arguments of `watch` (cli.main.build_parser makes its parser, and imports
    this module only when `watch` is the command or every command's parser is made)."""
    p.description = ("Print the articles that are new on each watchlist (a named query; "
                     "`watchlists:` in config.yaml or saved with --add). New means first "
                     "seen by evreader after the watchlist's last visit, whatever the "
                     "article's published date. Exit 0 when there is something new, 1 "
                     "when there is nothing, 2 for bad usage or config, 3 when no source "
                     "could be read, 4 when something failed (e.g. the mark was not saved).")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="watchlists to check, by name, case aside (default: all)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--since-last", action="store_true",
                      help="new since each watchlist's last visit (the default)")
    when.add_argument("--since", metavar="WHEN",
                      help="first seen by evreader after WHEN: 2025-01-02 (local midnight), "
                           "2025-01-02T08:30, or an age: 36h, 7d, 2w")
    p.add_argument("--mark-seen", action="store_true",
                   help="after printing, move the last-visit mark of each watchlist checked")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true",
                      help="list the watchlists with new (since last visit), unread and "
                           "total counts; exits 0")
    what.add_argument("--add", nargs=2, metavar=("NAME", "QUERY"),
                      help="save a watchlist (or change a saved one's query), e.g. "
                           "--add 'CATL Indonesia' 'company:catl country:indonesia'")
    what.add_argument("--remove", metavar="NAME", help="remove a saved watchlist")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")


def cmd_watch(args: argparse.Namespace, config: Config) -> int:
    """`evreader watch`; any failure that would exit 1 elsewhere exits 4 (see the module
    doc), a bug included: a cron job must not read it as "nothing new"."""
    try:
        return _run(args, config)
    except EvreaderError as exc:
        if exc.exit_code == EXIT_ERROR:
            raise WatchFailed(str(exc)) from None
        raise
    except BrokenPipeError:
        raise
    except Exception as exc:
        if os.environ.get("EVREADER_DEBUG"):
            raise
        raise WatchFailed(f"internal error: {type(exc).__name__}: {exc} "
                          "(set EVREADER_DEBUG=1 for details)") from None


def _run(args: argparse.Namespace, config: Config) -> int:
    if args.add or args.remove:
        if args.names or args.since or args.since_last or args.mark_seen or args.list:
            raise UsageError("watch --add/--remove take no other watch options")
        return _add_or_remove(args, config)
    if args.list and (args.since or args.mark_seen):
        raise UsageError("watch --list counts new articles since each last visit; "
                         "it takes neither --since nor --mark-seen")
    since = parse_since(args.since) if args.since else None
    lib = _open(config)
    if isinstance(lib, int):
        return lib
    chosen = _chosen(lib, args.names)
    if args.list:
        _list(lib, chosen, args.format)
        _warn(lib.watchlist_warnings())
        return EXIT_OK
    reports = [_Report(wl, counts, since or counts.since, lib.watch_new(wl.name, since))
               for wl in chosen for counts in [lib.watch_counts(wl.name)]]
    _warn(lib.watchlist_warnings())
    if args.format == "json":
        _json(lib, reports)
    else:
        _text(lib, reports)
    sys.stdout.flush()  # a reader that went away must not cost the marks
    if args.mark_seen:
        for report in reports:
            lib.mark_watch_seen(report.watchlist.name)
    if any(r.rows for r in reports):
        return EXIT_OK
    if sys.stderr.isatty():
        plural = "s" if len(reports) != 1 else ""
        print(f"evreader: nothing new on {len(reports)} watchlist{plural}", file=sys.stderr)
    return EXIT_NOTHING_NEW


def _add_or_remove(args: argparse.Namespace, config: Config) -> int:
    from evreader.state import ReadingState
    from evreader.watchlists import SAVED_NAME, delete_watchlist, save_watchlist
    path = config.data_dir / SAVED_NAME
    if args.add:
        saved = save_watchlist(config, args.add[0], args.add[1])
        print(f"saved watchlist {saved.name!r} ({saved.query}) in {path}", file=sys.stderr)
    else:
        state = ReadingState(config.data_dir / "state.json")
        removed = delete_watchlist(config, args.remove, state)
        if state.problem:
            raise EvreaderError(state.problem)
        print(f"removed watchlist {removed!r} from {path}", file=sys.stderr)
    return EXIT_OK


def _open(config: Config) -> Library | int:
    """The library as the other subcommands build it (cli.commands.run), or an exit code."""
    from evreader import library
    from evreader.config import source_specs
    from evreader.library import build_library
    if not source_specs(config):
        from evreader.firstrun import first_run_help
        from evreader.watching import start_marks
        _warn(start_marks(config, library.now_us()))  # what comes from now on is new
        print(first_run_help(config.path), file=sys.stderr)
        return EXIT_NO_INPUT
    lib = build_library(config)
    _warn([str(w) for w in lib.warnings])
    if len(lib.index) == 0 and lib.warnings:
        print("evreader: error: no source could be read", file=sys.stderr)
        return EXIT_NO_INPUT
    return lib


def _chosen(lib: Library, names: Sequence[str]) -> list[Watchlist]:
    if not names:
        found = lib.watchlists()
        if not found:
            _warn(lib.watchlist_warnings())
            raise UsageError("no watchlists yet: add one with `evreader watch --add NAME "
                             "QUERY` or under `watchlists:` in config.yaml")
        return found
    chosen = {wl.key: wl for wl in (lib.watch_plan(n).watchlist for n in names)}
    return list(chosen.values())


def _warn(messages: Sequence[str]) -> None:
    for message in messages:
        print(f"evreader: warning: {message}", file=sys.stderr)


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _text(lib: Library, reports: Sequence[_Report]) -> None:
    """A digest for a terminal or a mail: watchlists with nothing new are left out, so
    nothing new prints nothing (`mail -E` then sends nothing)."""
    from evreader.textsafe import clean_text, one_line

    def safe(text: str, width: int = 160) -> str:
        return one_line(clean_text(text), width)

    store = lib.index.articles
    out: list[str] = []
    for r in reports:
        if not r.rows:
            continue
        noun = "article" if len(r.rows) == 1 else "articles"
        out.append(f"== {safe(r.watchlist.name)}: {len(r.rows)} new {noun} since "
                   f"{_local(r.since)} ({safe(r.watchlist.query)}) ==")
        for i in r.rows:
            published = store.published(i)
            day = published.isoformat() if published else "undated   "
            publisher = store.publisher(i)
            out.append(f"{day}  {safe(store.titles[i])}"
                       + (f"  ({safe(publisher, 60)})" if publisher else ""))
            url = store.urls[i]
            out.append(f"            {store.ids[i]}" + (f"  {safe(url, 300)}" if url else ""))
        out.append("")
    if out:
        sys.stdout.write("\n".join(out))


def _json(lib: Library, reports: Sequence[_Report]) -> None:
    """Every watchlist checked, each with its new articles in `list --format json`'s
    shape plus `first_seen`."""
    import json

    from evreader.state import us_to_datetime
    from evreader.watching import first_seen_times
    seen = first_seen_times(lib)
    groups = []
    for r in reports:
        articles = []
        for i in r.rows:
            record = lib.index.as_dict(i)
            record["first_seen"] = us_to_datetime(int(seen[i])).isoformat()
            articles.append(record)
        groups.append({**_summary(r.watchlist, r.counts), "since": r.since.isoformat(),
                       "new": len(r.rows), "articles": articles})
    json.dump(groups, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _summary(wl: Watchlist, counts: WatchCounts) -> dict[str, object]:
    return {"name": wl.name, "query": wl.query, "origin": wl.origin,
            "last_visit": counts.since.isoformat(), "new": counts.new,
            "unread": counts.unread, "total": counts.total}


def _list(lib: Library, chosen: Sequence[Watchlist], fmt: str) -> None:
    """The watchlists with their counts: JSON, aligned columns on a terminal, tab-
    separated lines in a pipe (name, new, unread, total, last visit, query)."""
    rows = [(wl, lib.watch_counts(wl.name)) for wl in chosen]
    if fmt == "json":
        import json
        json.dump([_summary(wl, c) for wl, c in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for wl in chosen:
        for note in lib.watch_plan(wl.name).notes:
            print(f"evreader: watchlist {wl.name!r}: {note}", file=sys.stderr)
    from evreader.textsafe import clean_text, one_line
    table = [(one_line(clean_text(wl.name)), str(c.new), str(c.unread), str(c.total),
              _local(c.since), one_line(clean_text(wl.query))) for wl, c in rows]
    if not sys.stdout.isatty():
        sys.stdout.write("".join("\t".join(r) + "\n" for r in table))
        return
    header = ("name", "new", "unread", "total", "last visit", "query")
    widths = [max(len(r[n]) for r in [header, *table]) for n in range(5)]
    for r in [header, *table]:
        cells = [r[0].ljust(widths[0]), *(r[k].rjust(widths[k]) for k in (1, 2, 3)),
                 r[4].ljust(widths[4]), r[5]]
        sys.stdout.write("  ".join(cells) + "\n")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A `--since` value: a date (2025-01-02, midnight local time), a date and time
    (2025-01-02T08:30, local unless it has a zone), or an age (36h, 7d, 2w)."""
    value = text.strip()
    age = re.fullmatch(r"(\d{1,5})\s*([hdw])", value, re.IGNORECASE)
    if age:
        hours = int(age.group(1)) * {"h": 1, "d": 24, "w": 168}[age.group(2).lower()]
        return (now or datetime.now().astimezone()) - timedelta(hours=hours)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since needs a date (2025-01-02), a date and time "
                         f"(2025-01-02T08:30) or an age (36h, 7d, 2w); got {text!r}") from None
    return when if when.tzinfo else when.astimezone()
