"""Is a cached index still what the files say? Known without walking the folders.

A warm command must never answer from a stale cache: a file added, removed,
renamed or edited in place since the cache was written has to be seen. Listing
every folder and stat-ing every entry from Python (what a build's walk does) took
~0.9 s at 100k files. The check here does less:

1. Each source root is still what it was (a folder, a file, missing …).
2. Each folder the walk listed is stat-ed: while its mtime, ctime, inode and
   device are the same, no entry was added, removed or renamed in it, and its
   listing stands. A folder whose stamp is too new to trust (see
   `filetable.RACY_NS`) or that held something odd (a broken symlink) is listed
   again and its listing's hash compared.
3. Every file is stat-ed — the one thing an in-place edit changes is the
   file's own size, mtime and ctime — by its name in its open folder, in
   Python (see `_files_changed` for what that costs and why it is not C).
4. A file whose stamp is too new to trust is read and its hash compared with
   the hash of the bytes the build read.
5. The feeds of a feed store are not files: their stamps (the store generation
   of each feed's last change, its text bytes) are read from the store with one
   query and compared.

Anything that differs, or cannot be stat-ed, makes the answer "stale"; the
build then walks and re-reads what changed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from evreader.config import FEED_STORE_SPLIT, SourceSpec
from evreader.index import filetable
from evreader.index.filetable import FileTable, is_racy
from evreader.ingest.files import UnreadableFile, content_digest, list_folder, read_bytes, root_kind

STAT_SLICE = 4096  # files stat-ed before they are compared (bounds what is held)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class Verdict(NamedTuple):
    """The check's answer; `reason` names the first difference found (for tests
    and `cache info`), empty when the cache is fresh."""

    fresh: bool
    reason: str = ""
    started_ns: int = 0  # the clock before the check's first stat


def check(table: FileTable, specs: Sequence[SourceSpec]) -> Verdict:
    """Whether the files under `specs` are exactly the ones `table` recorded, unchanged."""
    started = time.time_ns()
    roots = [(str(spec.path), root_kind(spec.path)) for spec in specs]
    if roots != table.roots:
        return Verdict(False, "a source was added, removed or changed kind")
    reason = _folders_changed(table)
    if reason:
        return Verdict(False, reason)
    reason = _files_changed(table) or _feeds_changed(table, specs)
    if reason:
        return Verdict(False, reason)
    for row, digest in table.digests.items():
        if not digest_matches(table.paths[row], digest):
            return Verdict(False, f"{table.paths[row]} changed")
    return Verdict(True, "", started)


def settled(table: FileTable, verdict: Verdict) -> FileTable | None:
    """The table as of a check that found it fresh, if that lets stamps that were
    too new be trusted from now on (so later checks read and list less); None if
    it changes nothing. Every stamp was found as recorded after `started_ns`, the
    racy files' bytes as read: the table is then as good as one taken then."""
    if not verdict.fresh or verdict.started_ns <= table.taken_ns:
        return None
    now = verdict.started_ns
    rows = table.folders
    racy_folders = bool(len(rows)) and bool(np.any(
        np.maximum(rows["mtime"], rows["ctime"]) > table.taken_ns - filetable.RACY_NS))
    files = table.files
    digests = {row: d for row, d in table.digests.items()
               if is_racy(int(files["mtime"][row]), int(files["ctime"][row]), now)}
    if digests == table.digests and not racy_folders:
        return None
    return replace(table, taken_ns=now, digests=digests)


def digest_matches(path: str, digest: str) -> bool:
    """Whether the file now holds the bytes whose `content_digest` is `digest`."""
    if not digest:
        return False
    try:
        return content_digest(read_bytes(path)) == digest
    except UnreadableFile:
        return False


def _folders_changed(table: FileTable) -> str:
    rows = table.folders
    if not len(rows):
        return ""
    dev, ino = rows["dev"].tolist(), rows["ino"].tolist()
    mtime, ctime = rows["mtime"].tolist(), rows["ctime"].tolist()
    listing, volatile = rows["listing"].tolist(), rows["volatile"].tolist()
    for i, path in enumerate(table.folder_paths):
        try:
            st = os.stat(path)
        except OSError:
            return f"folder {path} is gone"
        if (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns) != \
                (dev[i], ino[i], mtime[i], ctime[i]):
            return f"folder {path} changed"
        # A folder that held something odd, or whose stamp is too new, is listed again.
        if (volatile[i] or is_racy(mtime[i], ctime[i], table.taken_ns)) \
                and list_folder(path, []).digest != listing[i]:
            return f"folder {path} changed"
    return ""


COLUMNS = ("size", "mtime", "ctime", "ino", "dev")  # what a stamp compares
_STAMP = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")


class _Run(NamedTuple):
    """Rows lo..hi of the table, all in the folder of row `folder` (-1: sources
    named as files, stat-ed by their full paths)."""

    lo: int
    hi: int
    folder: int


_FEED = -2  # the "folder" of a feed store's rows: never stat-ed (see _feeds_changed)


def _runs(table: FileTable) -> list[_Run]:
    """The table as runs of rows in one folder (the walk writes a folder's files
    together), none longer than STAT_SLICE: no more than a slice's stat results
    are held at once, however large a folder."""
    folders = table.files["folder"]
    store = table.store_rows()
    if store.any():
        folders = np.where(store, _FEED, folders)
    n = len(folders)
    cuts = (np.flatnonzero(folders[1:] != folders[:-1]) + 1).tolist()
    starts, ends = [0, *cuts], [*cuts, n]
    return [_Run(a, min(hi, a + STAT_SLICE), folder)
            for lo, hi, folder in zip(starts, ends, folders[starts].tolist(), strict=True)
            for a in range(lo, hi, STAT_SLICE)]


def _run_changed(table: FileTable, run: _Run) -> int:
    """The first row of `run` whose file is not as stamped (gone, or another size,
    mtime, ctime, inode or device), else -1.

    Each name is stat-ed relative to its folder, opened once (fstatat): the kernel
    then looks up one name, not every folder of the path again, and the pass costs
    about a fifth less. Python's share is the call and one tuple per file."""
    lo, hi, folder = run
    paths = table.paths[lo:hi]
    stat, stamp = os.stat, _STAMP
    if folder < 0:
        try:
            found = [stamp(stat(p)) for p in paths]
        except OSError:
            return _first_missing(lo, paths, None)
    else:
        try:
            fd = os.open(table.folder_paths[folder], _DIR_FLAGS)
        except OSError:
            return lo  # the folder is gone or unreadable: its files are not as read
        try:
            prefix = os.path.join(table.folder_paths[folder], "")
            cut = len(prefix)
            # A path not under its folder (never written so) is stat-ed whole:
            # fstatat ignores the folder for an absolute path.
            names = [p[cut:] if p.startswith(prefix) else p for p in paths]
            try:
                # A comprehension, not map over functools.partial: the partial copied
                # its keywords on every call (~0.02 s at 90k files).
                found = [stamp(stat(name, dir_fd=fd)) for name in names]
            except OSError:
                return _first_missing(lo, names, fd)
        finally:
            os.close(fd)
    rows = table.files[lo:hi]
    recorded = list(zip(*(rows[c].tolist() for c in COLUMNS), strict=True))
    if found == recorded:
        return -1
    return lo + next(i for i, (a, b) in enumerate(zip(found, recorded, strict=True)) if a != b)


def _first_missing(lo: int, names: Sequence[str], fd: int | None) -> int:
    """The row of the first name that no longer stats (else `lo`: changing under us)."""
    for i, name in enumerate(names):
        try:
            os.stat(name, dir_fd=fd)
        except OSError:
            return lo + i  # gone: its folder changed, or a symlink's target
    return lo


def _files_changed(table: FileTable) -> str:
    """Every file stat-ed against its stamp, in Python, in the one thread the check
    runs in (beside the index load, see library.open_cached).

    At 90k files this costs ~0.3 s of CPU, about half of it the kernel's. A pool
    of threads over slices was tried: os.stat lets go of the interpreter in the
    kernel, but the other half is Python, and the threads queued on the lock; the
    whole `list` process used more CPU and was no faster (benchmarks/README.md). A
    compiled loop saved ~0.1 s and was removed: native code is kept to the word
    scanner and the postings (docs/architecture.md)."""
    if not len(table):
        return ""
    for run in _runs(table):
        if run.folder == _FEED:
            continue
        row = _run_changed(table, run)
        if row >= 0:
            return f"{table.paths[row]} changed"
    return ""


def _feeds_changed(table: FileTable, specs: Sequence[SourceSpec]) -> str:
    """The feed store's feeds against their rows: the same feeds, each with the
    store generation and size it had (one query per store, no entry read)."""
    stores = [spec for spec in specs if spec.split.startswith(FEED_STORE_SPLIT)]
    rows = np.flatnonzero(table.store_rows()).tolist()
    if not stores and not rows:
        return ""
    from evreader.feeds.source import store_files
    modes, files = table.modes, table.files
    recorded = sorted((modes[int(files["split"][r])], table.keys[r], table.paths[r],
                       int(files["size"][r]), int(files["mtime"][r])) for r in rows)
    found = sorted((spec.split, f.key, f.path, f.size, f.mtime_ns)
                   for spec in stores for f in store_files(spec, []))
    return "" if found == recorded else "a feed of the store changed"
