"""Watchlists: named queries, and what is new on them since the last visit.

A watchlist is a name and a query in the query language (`company:catl
company:gotion country:indonesia`, `theme:recalls company:tesla`). They come from
`watchlists:` in config.yaml, which evreader never writes (its comments stay the
user's), and from `watchlists.yaml` in the data dir, which the reader's save key
and `evreader watch --add` write. A bad entry in either is a warning naming the
file, line and watchlist; the others still load. On a name clash config.yaml wins.

What "new" means, precisely:

- An article's *first-seen time* is the earliest observation time of a library
  that held it and on which watchlists were evaluated. A library's observation
  time (`Library.observed_at`) is when it was made from the files; for one opened
  straight from the cache, when that cache was written. The times are recorded in
  `first-seen.json` the first time a library is asked about watchlists (see
  `evreader.state.record_first_seen`). The published date plays no part: a feed
  fetched today can carry items dated last week, and those are new today.
- A watchlist's *mark* (its last visit) is kept with the reading state. A
  watchlist with no mark yet gets one at the observation time of the first library
  it is evaluated on, so what was there when it was first met is not new.
- An article is *new* on a watchlist when it matches the query and its first-seen
  time is strictly after the mark (or after an explicit `since`).
- A visit (`mark_seen`) moves the mark to the observation time of the library
  shown, never backwards: everything that library held has been seen; what
  another process saw only later stays new.
- First run: without `first-seen.json` every article of the first library is first
  seen at that library's observation time, and every mark starts no earlier, so
  the files already there count as not new.
- A file edited in place: an article's id hashes its file's place and its title
  and body, so an edit that changes an article gives it a new id, first seen at the
  next look: it is new (its read mark does not carry over, as everywhere in the
  reading state). A file touched or re-saved unchanged keeps its ids: not new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import yaml

from evreader.config import Config
from evreader.config_watchlists import WatchlistSpec, watchlist_specs
from evreader.errors import EvreaderError, UsageError
from evreader.models import Filters
from evreader.query import Query, parse_query
from evreader.state import (
    ReadingState,
    locked,
    write_atomic,
)

if TYPE_CHECKING:
    pass

__all__ = ["SAVED_NAME", "WatchCache", "WatchCounts", "WatchPlan", "WatchStatus", "Watchlist",
           "Watchlists", "check_name", "check_query", "delete_watchlist", "load_watchlists",
           "save_watchlist", "suggest_name", "watch_key"]

SAVED_NAME = "watchlists.yaml"
MAX_NAME = 60
MATCH_SCORE = 75  # as the query language's fuzzy entity values
SAVED_HEADER = (
    "# Watchlists saved in evreader (the reader's save key, `evreader watch --add`):\n"
    "# name: query, in the query language (README, \"Query language\"). Edit freely;\n"
    "# evreader rewrites this file when it saves or removes one (only this header is\n"
    "# kept). `watchlists:` in config.yaml is read too and wins on a name clash.\n")
Int64Array = npt.NDArray[np.int64]


class Watchlist(NamedTuple):
    name: str
    query: str  # as written; what the reader puts in the search box to apply it
    parsed: Query
    origin: Literal["config", "saved"]
    where: str  # "file:line", for messages

    @property
    def key(self) -> str:
        return watch_key(self.name)


class Watchlists(NamedTuple):
    items: tuple[Watchlist, ...]  # config.yaml's first, then the saved ones, in file order
    warnings: tuple[str, ...]  # "file:line: watchlist 'X': why it was left out"
    rejected: dict[str, str]  # key → its warning, so naming a bad one says why


class WatchPlan(NamedTuple):
    """A watchlist's query resolved against a library's entities."""

    watchlist: Watchlist
    filters: Filters  # what applying the watchlist filters by (the counts use these)
    notes: tuple[str, ...]  # how values were read ("company:catl → CATL"), or not found


class WatchCounts(NamedTuple):
    new: int  # matching articles first seen after the mark
    unread: int  # matching articles not read
    total: int  # matching articles
    since: datetime  # the mark (UTC)

    def describe(self) -> str:
        """"3 new · 12 unread" (the shape the reader shows under a watchlist's name)."""
        return f"{self.new:,} new · {self.unread:,} unread"


class WatchStatus(NamedTuple):
    """One line of the reader's Watchlists section: a watchlist and its counts."""

    watchlist: Watchlist
    counts: WatchCounts


class CheckedQuery(NamedTuple):
    parsed: Query
    problem: str | None


@dataclass(slots=True)
class WatchCache:
    """What one library has worked out about watchlists, made on first use: a library
    holds one set of articles, so its first-seen times are recorded once."""

    loaded: Watchlists | None = None
    plans: dict[str, WatchPlan] = field(default_factory=dict)
    first_seen: Int64Array | None = None  # by article index, µs since the epoch
    problems: list[str] = field(default_factory=list)

    def forget_watchlists(self) -> None:
        self.loaded = None
        self.plans.clear()


# ---------------------------------------------------------------- names, queries, loading


def watch_key(name: str) -> str:
    """Names compare without case and with runs of spaces as one: `evreader watch catl`
    finds "CATL", and a mark survives recasing the name in config.yaml."""
    return " ".join(name.split()).casefold()


def check_name(name: str) -> str | None:
    """Why `name` cannot name a watchlist, or None. One printable line, not starting
    with "-" (it is typed as a command-line argument)."""
    clean = " ".join(name.split())
    if not clean:
        return "a watchlist needs a name"
    if len(clean) > MAX_NAME:
        return f"a watchlist name is at most {MAX_NAME} characters"
    if not clean.isprintable():
        return "a watchlist name must be printable text"
    if clean.startswith("-"):
        return "a watchlist name cannot start with '-'"
    return None


def check_query(text: str) -> CheckedQuery:
    """The parsed query, and why it cannot be a watchlist: empty, or anything the query
    language would only warn about in the search box (an unknown filter, a bad date,
    an open quote). A standing query is read unattended, so it must say what it means."""
    parsed = parse_query(text)
    if not text.strip():
        return CheckedQuery(parsed, "the query is empty")
    if parsed.errors:  # not "searched as text" here: the watchlist is left out
        return CheckedQuery(parsed, "; ".join(e.replace("; searched as text", "")
                                              for e in parsed.errors))
    return CheckedQuery(parsed, None)


def load_watchlists(config: Config) -> Watchlists:
    """Every watchlist config.yaml and the saved file define; bad ones are warnings."""
    items: dict[str, Watchlist] = {}
    warnings: list[str] = []
    rejected: dict[str, str] = {}
    sources = [(str(config.path or "config.yaml"), "config", config.watchlists)]
    saved_path = config.data_dir / SAVED_NAME
    saved, problem = _read_saved(saved_path)
    if problem:
        warnings.append(problem)
    sources.append((str(saved_path), "saved", saved))
    for path, origin, specs in sources:
        for spec in specs:
            where = f"{path}:{spec.line}"
            problem = spec.problem or check_name(spec.name) or check_query(spec.query).problem
            key = watch_key(spec.name)
            if not problem and key in items:
                problem = f"the same name as the watchlist at {items[key].where}, which is used"
            if problem:
                label = f"watchlist {spec.name!r}" if spec.name.strip() else "a watchlist"
                warnings.append(f"{where}: {label}: {problem}; the others still load")
                if key and key not in items:
                    rejected.setdefault(key, f"{problem} ({where})")
                continue
            name = " ".join(spec.name.split())
            items[key] = Watchlist(name, spec.query.strip(), parse_query(spec.query),
                                   "config" if origin == "config" else "saved", where)
            rejected.pop(key, None)
    return Watchlists(tuple(items.values()), tuple(warnings), rejected)


class _Saved(NamedTuple):
    specs: tuple[WatchlistSpec, ...]
    problem: str | None


def _read_saved(path: Path) -> _Saved:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _Saved((), None)
    except (OSError, UnicodeDecodeError) as exc:
        return _Saved((), f"{path}: cannot read the saved watchlists: {exc}")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        return _Saved((), f"{where}: invalid YAML ({getattr(exc, 'problem', None) or exc}); "
                          "no saved watchlist was loaded")
    if node is None:
        return _Saved((), None)
    if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        return _Saved((), f"{path}: must map watchlist names to queries; "
                          "no saved watchlist was loaded")
    return _Saved(watchlist_specs(node), None)


# ---------------------------------------------------------------- saving and removing


def save_watchlist(config: Config, name: str, query: str, *, replace: bool = True) -> Watchlist:
    """Add a watchlist to the saved file, or (`replace`) change the query of a saved one.
    Never touches config.yaml: a name config.yaml defines is an error (edit it there).
    UsageError for a bad name or query, or, without `replace`, a name in use (the
    reader's save key: saving must not silently overwrite a watchlist); EvreaderError
    when the file cannot be written."""
    name = " ".join(name.split())
    problem = check_name(name)
    checked = check_query(query)
    if problem or checked.problem:
        raise UsageError(problem or f"watchlist {name!r}: {checked.problem}")
    _refuse_config_name(config, name, "change" if replace else None)
    path = config.data_dir / SAVED_NAME
    key = watch_key(name)

    def change(entries: dict[str, object]) -> None:
        same = [n for n in entries if watch_key(n) == key]
        if same and not replace:
            raise UsageError(f"there is already a saved watchlist named {same[0]!r} "
                             f"({entries[same[0]]}); choose another name, or delete that "
                             "one first")
        for other in same:
            del entries[other]
        entries[name] = query.strip()

    _rewrite_saved(path, change)
    return Watchlist(name, query.strip(), checked.parsed, "saved", str(path))


def delete_watchlist(config: Config, name: str, state: ReadingState | None = None) -> str:
    """Remove a saved watchlist (and its mark, when `state` is given); its name as it
    was saved. A watchlist of config.yaml is an error: evreader never rewrites it."""
    _refuse_config_name(config, name, "remove")
    path = config.data_dir / SAVED_NAME
    key = watch_key(name)
    removed: list[str] = []

    def change(entries: dict[str, object]) -> None:
        removed.extend(n for n in entries if watch_key(n) == key)
        for n in removed:
            del entries[n]

    _rewrite_saved(path, change)
    if not removed:
        known = [w.name for w in load_watchlists(config).items if w.origin == "saved"]
        hint = f" (saved: {', '.join(known)})" if known else ""
        raise UsageError(f"no saved watchlist named {name!r}{hint}")
    if state is not None:
        state.forget_watch_mark(key)
    return removed[0]


def _refuse_config_name(config: Config, name: str, verb: str | None) -> None:
    """UsageError when config.yaml defines `name`: `verb` it there, or (None, a new
    watchlist) choose another name."""
    key = watch_key(name)
    for spec in config.watchlists:
        if watch_key(spec.name) == key:
            where = f"{config.path or 'config.yaml'}:{spec.line}"
            if verb is None:
                raise UsageError(f"there is already a watchlist named {spec.name!r}, in "
                                 f"{where}; choose another name")
            raise UsageError(f"watchlist {spec.name!r} is defined in {where}; {verb} it "
                             "there (evreader never rewrites config.yaml)")


def suggest_name(query: str) -> str:
    """A name to offer when saving `query` as a watchlist: its values in order, without
    the filter names (`company:catl country:indonesia` → "catl indonesia"), or the query
    itself when it has none. Always a valid name for a non-empty query."""
    q = parse_query(query)
    parts = [*(v for _, v in q.entities), *(f"not {v}" for _, v in q.exclude), *q.words,
             *q.phrases, *(f"not {w}" for w in q.not_words), *sorted(q.flags)]
    if q.since or q.until:
        parts.append("–".join(str(d) for d in (q.since, q.until) if d))
    name = " ".join(" ".join(parts).split()) or " ".join(query.split())
    name = "".join(c if c.isprintable() else " " for c in name).lstrip("- ")
    return " ".join(name[:MAX_NAME].split())


def _rewrite_saved(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    """Read, change and write the saved file under the state lock, whole-or-absent, so
    two processes saving at once both land. A file that cannot be read as a mapping
    is not overwritten (it may hold the user's edits): the error says so."""
    try:
        with locked(path.parent):
            try:
                data: object = yaml.safe_load(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                data = None
            except (UnicodeDecodeError, yaml.YAMLError) as exc:
                raise EvreaderError(f"{path}: cannot read the saved watchlists ({exc}); "
                                    "fix or remove that file") from None
            if isinstance(data, list):  # the list form, as in config.yaml
                data = {e["name"]: e["query"] for e in data if isinstance(e, dict)
                        and isinstance(e.get("name"), str) and isinstance(e.get("query"), str)}
            if data is not None and not isinstance(data, dict):
                raise EvreaderError(f"{path}: must map watchlist names to queries; "
                                    "fix or remove that file")
            entries = {str(k): v for k, v in (data or {}).items()}  # bad ones kept as written
            before = dict(entries)
            change(entries)
            if entries != before:
                body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000)
                write_atomic(path, SAVED_HEADER + (body if entries else ""))
    except OSError as exc:
        raise EvreaderError(f"cannot write the saved watchlists {path}: "
                            f"{exc.strerror or exc}") from None
