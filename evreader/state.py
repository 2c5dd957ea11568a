"""Reading state: which articles are read and starred, and each watchlist's last visit.

Kept by article id (stable across runs and machines) in a small JSON file in the
user data dir, written whole-or-absent (temp file, fsync, rename). A damaged file
is set aside, not fatal: the user sees a warning and starts from an empty state
rather than a traceback.

Two processes may hold the state at once (the reader open while cron runs
`evreader watch --mark-seen`, or `evreader mark` in another terminal). Each keeps
what the file held when it last read or wrote it; a save takes an exclusive lock
on the data dir (flock on `state.lock`), re-reads the file, applies only this
process's own changes since then, and writes the result. So no process's changes
are lost, and each picks up the others' at its next save.

`first-seen.json`, beside it, records when evreader first saw each article (what
watchlists call "new"; see `record_first_seen`). It is a separate file because it
holds every article id ever seen and changes only when articles arrive, while the
reading state is rewritten each time an article is opened.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

LOCK_NAME = "state.lock"
FIRST_SEEN_NAME = "first-seen.json"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# ---------------------------------------------------------------- time and files


def now_us() -> int:
    """The time now, in whole microseconds since the epoch (UTC): the unit of marks and
    first-seen times. Whole numbers, so a time read back from a file compares equal
    to the one written (floats would not after a round trip through text)."""
    return (datetime.now(UTC) - _EPOCH) // _MICROSECOND


def us_to_datetime(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def datetime_to_us(when: datetime) -> int:
    """Microseconds since the epoch; a naive `when` is taken as local time."""
    if when.tzinfo is None:
        when = when.astimezone()
    return (when - _EPOCH) // _MICROSECOND


def _iso(us: int) -> str:
    return us_to_datetime(us).isoformat(timespec="microseconds")


def _from_iso(text: object) -> int:
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r}")
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(f"a time without its zone: {text!r}")
    return datetime_to_us(when)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the exclusive lock on the state files in `folder`, across processes.

    flock on a lock file that is never removed (removing it would let a second
    process lock a new file while the first still holds the old one). Closing the
    descriptor releases the lock, also when the process dies."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temp file beside it, fsynced, renamed over
    it. Raises OSError, leaving the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _set_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.replace(path, path.with_suffix(".damaged.json"))


# ---------------------------------------------------------------- the reading state


class _Snapshot(NamedTuple):
    """The reading state as one file holds it."""

    read: frozenset[str]
    starred: frozenset[str]
    marks: Mapping[str, int]  # watchlist key → last visit, µs since the epoch
    extra: Mapping[str, Any]  # keys this version does not know, kept as they are

    def payload(self) -> str:
        body: dict[str, Any] = dict(self.extra)
        body.update(read=sorted(self.read), starred=sorted(self.starred),
                    watch={k: _iso(v) for k, v in sorted(self.marks.items())})
        return json.dumps(body)


_EMPTY = _Snapshot(frozenset(), frozenset(), {}, {})


def _parse_state(text: str) -> _Snapshot:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    extra = {k: v for k, v in data.items() if k not in ("read", "starred", "watch")}
    return _Snapshot(frozenset(map(str, data.get("read", []))),
                     frozenset(map(str, data.get("starred", []))),
                     _marks(data.get("watch")), extra)


def _marks(raw: object) -> dict[str, int]:
    """The marks a file holds; one that does not read as a time is dropped (that
    watchlist starts afresh), not a reason to discard the read and starred sets."""
    marks: dict[str, int] = {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        with contextlib.suppress(ValueError, TypeError, OverflowError):
            marks[str(key)] = _from_iso(value)
    return marks


def _apply(base: frozenset[str], synced: frozenset[str], now: set[str]) -> frozenset[str]:
    """`base` with what changed from `synced` to `now` (added and removed) applied."""
    return (base | (now - synced)) - (synced - now)


class MarkMove(NamedTuple):
    at: int  # the mark now (µs since the epoch); another process may have moved it further
    saved: bool  # False: kept in memory only, the reason is in ReadingState.problem


class ReadingState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.watch_marks: dict[str, int] = {}  # see watch_mark
        self.problem: str | None = None
        self.version = 0  # bumped on every change, so views can cache what they derive
        self._lock = threading.Lock()
        self._synced = _EMPTY  # what the file held when last read or written here
        self._synced_text = ""  # and its text: unchanged text needs no parsing
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
            snap = _parse_state(text)
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError) as exc:
            self.problem = f"reading state {self.path} was unreadable ({exc}); starting afresh"
            _set_aside(self.path)
            return
        self.read, self.starred = set(snap.read), set(snap.starred)
        self.watch_marks = dict(snap.marks)
        self._synced, self._synced_text = snap, text

    def is_read(self, article_id: str) -> bool:
        return article_id in self.read

    def is_starred(self, article_id: str) -> bool:
        return article_id in self.starred

    def set_read(self, ids: Iterable[str], value: bool = True) -> None:
        with self._lock:
            (self.read.update if value else self.read.difference_update)(ids)
            self.version += 1
        self.save()

    def toggle_read(self, article_id: str) -> bool:
        now = not self.is_read(article_id)
        self.set_read([article_id], now)
        return now

    def toggle_star(self, article_id: str) -> bool:
        with self._lock:
            now = article_id not in self.starred
            (self.starred.add if now else self.starred.discard)(article_id)
            self.version += 1
        self.save()
        return now

    # ------------------------------------------------------------ watchlist marks
    def watch_mark(self, key: str) -> int | None:
        """A watchlist's last visit (µs since the epoch), None before the first."""
        return self.watch_marks.get(key)

    def move_watch_mark(self, key: str, at: int, *, only_if_absent: bool = False) -> MarkMove:
        """Move a watchlist's mark to `at`, never backwards (a visit with an older
        library must not make what a newer one showed new again); with
        `only_if_absent`, only start a mark. Saved at once."""
        with self._lock:
            old = self.watch_marks.get(key)
            if old is None or (not only_if_absent and old < at):
                self.watch_marks[key] = at
            now = self.watch_marks[key]
            if self._synced.marks.get(key) == now:  # on disk already
                return MarkMove(now, True)
        saved = self.save()  # also when an earlier save of this mark failed
        return MarkMove(self.watch_marks.get(key, now), saved)

    def forget_watch_mark(self, key: str) -> None:
        with self._lock:
            if self.watch_marks.pop(key, None) is None:
                return
        self.save()

    # ------------------------------------------------------------ saving
    def save(self) -> bool:
        """Write the state, merged with what other processes wrote since this one last
        read or wrote it (see the module doc). False on failure, which is kept in
        `problem` (the reader shows it); the changes stay pending for the next save."""
        with self._lock:
            try:
                with locked(self.path.parent):
                    disk = self._on_disk()
                    merged = self._merged(disk)
                    payload = merged.payload()
                    write_atomic(self.path, payload)
            except OSError as exc:
                self.problem = f"cannot save reading state to {self.path}: {exc.strerror or exc}"
                return False
            if disk is not self._synced:  # another process wrote: take its changes in
                if (merged.read != self.read or merged.starred != self.starred
                        or merged.marks != self.watch_marks):
                    self.version += 1
                self.read, self.starred = set(merged.read), set(merged.starred)
                self.watch_marks = dict(merged.marks)
            self._synced, self._synced_text = merged, payload
            return True

    def _on_disk(self) -> _Snapshot:
        """The file as it is now (`_synced` itself when no other process wrote since:
        the common case, kept cheap for a reading state of 100k ids); if another
        process damaged it, what this one holds."""
        try:
            text = self.path.read_text(encoding="utf-8")
            return self._synced if text == self._synced_text else _parse_state(text)
        except FileNotFoundError:
            return _EMPTY
        except (ValueError, TypeError, UnicodeDecodeError):
            _set_aside(self.path)
            return _Snapshot(frozenset(self.read), frozenset(self.starred),
                             dict(self.watch_marks), {})

    def _merged(self, disk: _Snapshot) -> _Snapshot:
        synced = self._synced
        if disk is synced:  # nobody else wrote: what this process holds is the state
            return _Snapshot(frozenset(self.read), frozenset(self.starred),
                             dict(self.watch_marks), disk.extra)
        marks = dict(disk.marks)
        for key, at in self.watch_marks.items():
            if synced.marks.get(key) != at:
                marks[key] = max(at, marks.get(key, at))  # forward only, as move_watch_mark
        for key in synced.marks.keys() - self.watch_marks.keys():
            marks.pop(key, None)
        return _Snapshot(_apply(disk.read, synced.read, self.read),
                         _apply(disk.starred, synced.starred, self.starred), marks, disk.extra)


# ---------------------------------------------------------------- first seen


class FirstSeen(NamedTuple):
    """When evreader first saw each article id (µs since the epoch), and any problem
    met reading or writing the file (the times are still right for this run)."""

    times: dict[str, int]
    added: int  # ids this recording saw for the first time
    problem: str | None


def record_first_seen(folder: Path, ids: Sequence[str], at: int) -> FirstSeen:
    """Record that the articles `ids` were present at `at`, and return every first-seen
    time: an id's time becomes the earliest time any library held it.

    Earliest, not latest write: a library made at 09:00 and recorded at 11:00 held
    its articles at 09:00, even if a library made at 10:00 recorded them first.
    Under the state lock and whole-or-absent, like the reading state; the file is
    written only when something changed. The file is `first-seen.json`:
    {"format": 1, "batches": [{"at": ISO time, "ids": [...]}, ...]} (ids grouped by
    time, as articles arrive in batches). A damaged file is set aside: every
    article is then first seen at `at`, which makes none of them new."""
    path = folder / FIRST_SEEN_NAME
    problem: str | None = None
    times: dict[str, int] = {}
    added = -1
    try:
        with locked(folder):
            try:
                times = _parse_first_seen(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                pass
            except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
                problem = f"first-seen times {path} were unreadable ({exc}); starting afresh"
                _set_aside(path)
            added, changed = _earliest(times, ids, at)
            if changed or problem:
                write_atomic(path, _first_seen_payload(times))
    except OSError as exc:  # the times still hold for this run
        problem = f"cannot record first-seen times in {path}: {exc.strerror or exc}"
        if added < 0:
            added, _ = _earliest(times, ids, at)
    return FirstSeen(times, added, problem)


class _Lowered(NamedTuple):
    added: int  # ids new to the times
    changed: int  # ids whose time was set or lowered


def _earliest(times: dict[str, int], ids: Sequence[str], at: int) -> _Lowered:
    """Lower each id's time to `at` (set it for an id not there yet)."""
    added = changed = 0
    for article_id in ids:
        old = times.get(article_id)
        if old is None or old > at:
            times[article_id] = at
            changed += 1
            added += old is None
    return _Lowered(added, changed)


def _parse_first_seen(text: str) -> dict[str, int]:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ValueError("not a first-seen file of format 1")
    times: dict[str, int] = {}
    for batch in data["batches"]:
        at = _from_iso(batch["at"])
        for article_id in batch["ids"]:
            times[str(article_id)] = at
    return times


def _first_seen_payload(times: Mapping[str, int]) -> str:
    batches: dict[int, list[str]] = {}
    for article_id, at in times.items():
        batches.setdefault(at, []).append(article_id)
    return json.dumps({"format": 1, "batches": [
        {"at": _iso(at), "ids": sorted(batches[at])} for at in sorted(batches)]})
