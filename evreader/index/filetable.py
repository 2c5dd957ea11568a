"""The cache's record of the source files and folders as they were when it was read.

A warm start must know, before it answers, that no file was added, removed,
renamed or edited since the cache was written (`index.fresh` checks). For that
it keeps, by column so that 100k rows load in milliseconds:

- every file read: path, key, size, mtime, ctime, inode, device, its folder, how
  many articles it gave and the warnings reading it gave;
- every folder listed: path, device, inode, mtime, ctime, its parent and a hash
  of what it listed — an entry added, removed or renamed changes a folder's
  mtime and ctime, so an unchanged folder need not be listed again;
- what each source root was (a folder, a file, missing …), the walk's own
  warnings, and when the walk began.

A stamp taken within `RACY_NS` of a change cannot be trusted alone: file times
come from a coarse clock (a few ms on Linux, 1–2 s on some file systems), and a
second write within the same tick leaves them as they were. For such files the
hash of the bytes the build read is kept, and compared while they are racy; such
folders are listed again (see `index.fresh`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from evreader.config import SPLIT_MODES
from evreader.index.store import SEP, LazyStrings
from evreader.ingest.files import Folder, WalkLog
from evreader.models import LoadWarning

RACY_NS = 3_000_000_000  # > the coarsest file time granularity in use (FAT: 2 s)

FILE_DTYPE = np.dtype([("size", "<u8"), ("ino", "<u8"), ("dev", "<u8"), ("mtime", "<i8"),
                       ("ctime", "<i8"), ("articles", "<i4"), ("folder", "<i4"),
                       ("split", "<i1")])
FOLDER_DTYPE = np.dtype([("dev", "<u8"), ("ino", "<u8"), ("mtime", "<i8"), ("ctime", "<i8"),
                         ("listing", "<i8"), ("parent", "<i4"), ("volatile", "<i1")])


class FileStamp(NamedTuple):
    """A source file as the cache saw it (a tuple: 100k of them are made fast)."""

    key: str
    path: str
    size: int
    mtime_ns: int
    split: str
    articles: int = 0  # how many it produced
    warnings: str = ""  # what reading it reported, one message per line
    ctime_ns: int = 0
    ino: int = 0
    dev: int = 0
    folder: int = -1  # its row in the folder table (-1: a source named as a file)
    digest: str = ""  # of the bytes read, kept while its stamp is too new to trust

    def warning_list(self) -> list[str]:
        return self.warnings.split("\n") if self.warnings else []

    def same_file(self, other: FileStamp) -> bool:
        """The same file with the same stamp, read the same way. A racy stamp (one
        with a digest) also needs its content checked (`fresh.digest_matches`)."""
        return (self.key, self.path, self.size, self.mtime_ns, self.ctime_ns, self.ino,
                self.dev, self.split) == (other.key, other.path, other.size, other.mtime_ns,
                                          other.ctime_ns, other.ino, other.dev, other.split)


def is_racy(mtime_ns: int, ctime_ns: int, taken_ns: int) -> bool:
    """Whether a stamp read at `taken_ns` could miss a later write (see module doc)."""
    return max(mtime_ns, ctime_ns) > taken_ns - RACY_NS


@dataclass(slots=True)
class FileTable:
    """The files and folders a build read, by column (see the module doc)."""

    paths: list[str]
    keys: Sequence[str]  # split into strings when a build asks (a warm check does not)
    files: np.ndarray[Any, np.dtype[np.void]]  # FILE_DTYPE rows
    folder_paths: list[str]
    folders: np.ndarray[Any, np.dtype[np.void]]  # FOLDER_DTYPE rows
    taken_ns: int  # when the walk that stamped these began
    roots: list[tuple[str, str]]  # (path, kind) of each source, in order
    walk_warnings: list[tuple[str, str]]  # (path, message) from listing, not reading
    warnings: dict[int, str] = field(default_factory=dict)  # row -> what reading it said
    digests: dict[int, str] = field(default_factory=dict)  # row -> content digest (racy)
    # Splits beyond SPLIT_MODES ("feed-store:<path>": a feed of the store, checked
    # by the store's own stamps, not stat): a row's split code indexes SPLIT_MODES
    # followed by these.
    extra_splits: list[str] = field(default_factory=list)

    @property
    def modes(self) -> tuple[str, ...]:
        return (*SPLIT_MODES, *self.extra_splits)

    def store_rows(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Rows that are feeds of a store (see extra_splits), not files."""
        return np.asarray(self.files["split"] >= len(SPLIT_MODES))

    def same_as(self, b: FileTable) -> bool:
        """The same files, folders, roots, notes and time of taking."""
        return (self.taken_ns == b.taken_ns and self.paths == b.paths
                and self.folder_paths == b.folder_paths and self.roots == b.roots
                and np.array_equal(self.files, b.files)
                and np.array_equal(self.folders, b.folders)
                and self.walk_warnings == b.walk_warnings and self.warnings == b.warnings
                and self.digests == b.digests)

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def articles(self) -> int:
        return int(self.files["articles"].sum(dtype=np.int64))

    def stamps(self) -> list[FileStamp]:
        """Every row as a FileStamp, for a build that re-reads some files."""
        f = self.files
        columns = (f["size"].tolist(), f["mtime"].tolist(), f["articles"].tolist(),
                   f["ctime"].tolist(), f["ino"].tolist(), f["dev"].tolist(),
                   f["folder"].tolist(), f["split"].tolist())
        warnings, digests = self.warnings, self.digests
        modes = self.modes
        return [FileStamp(key, path, size, mtime, modes[split], articles,
                          warnings.get(i, ""), ctime, ino, dev, folder, digests.get(i, ""))
                for i, (key, path, size, mtime, articles, ctime, ino, dev, folder, split)
                in enumerate(zip(self.keys, self.paths, *columns, strict=True))]

    def load_warnings(self) -> list[LoadWarning]:
        """The walk's warnings, then each file's, as a build from these files gave them."""
        out = [LoadWarning(p, m) for p, m in self.walk_warnings]
        for row in sorted(self.warnings):
            out.extend(LoadWarning(self.paths[row], m) for m in self.warnings[row].split("\n"))
        return out

    @classmethod
    def of(cls, stamps: Sequence[FileStamp], log: WalkLog, taken_ns: int,
           walk_warnings: Sequence[LoadWarning]) -> FileTable:
        files = np.zeros(len(stamps), dtype=FILE_DTYPE)
        extra = list(dict.fromkeys(s.split for s in stamps if s.split not in SPLIT_MODES))
        modes = [*SPLIT_MODES, *extra]
        if stamps:
            files["size"] = [s.size for s in stamps]
            files["ino"] = [s.ino for s in stamps]
            files["dev"] = [s.dev for s in stamps]
            files["mtime"] = [s.mtime_ns for s in stamps]
            files["ctime"] = [s.ctime_ns for s in stamps]
            files["articles"] = [s.articles for s in stamps]
            files["folder"] = [s.folder for s in stamps]
            files["split"] = [modes.index(s.split) for s in stamps]
        return cls(
            paths=[s.path for s in stamps], keys=[s.key for s in stamps], files=files,
            folder_paths=[f.path for f in log.folders], folders=_folder_rows(log.folders),
            taken_ns=taken_ns, roots=list(log.roots),
            walk_warnings=[(w.path, w.message) for w in walk_warnings],
            warnings={i: s.warnings for i, s in enumerate(stamps) if s.warnings},
            digests={i: s.digest for i, s in enumerate(stamps) if s.digest},
            extra_splits=extra)

    # ------------------------------------------------------------ on disk
    def write(self, path: Path, generation: str) -> None:
        """One file (an uncompressed .npz), so that it can be replaced in one rename;
        `generation` ties it to the index it describes (see cache.CorpusCache)."""
        meta = {"generation": generation, "taken_ns": self.taken_ns, "roots": self.roots,
                "walk_warnings": self.walk_warnings,
                "warnings": {str(k): v for k, v in self.warnings.items()},
                "digests": {str(k): v for k, v in self.digests.items()},
                "extra_splits": self.extra_splits}
        with open(path, "wb") as fh:
            np.savez(fh, files=self.files, folders=self.folders, paths=_joined(self.paths),
                     keys=_joined(self.keys), folder_paths=_joined(self.folder_paths),
                     meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))

    @classmethod
    def read(cls, path: Path, generation: str) -> FileTable:
        """The table in `path`; raises (ValueError, OSError, KeyError …) when it is
        missing, of another generation, or does not hold together."""
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            if meta["generation"] != generation:
                raise ValueError("the file table is not the index's")
            files, folders = npz["files"], npz["folders"]
            if files.dtype != FILE_DTYPE or folders.dtype != FOLDER_DTYPE or files.ndim != 1 \
                    or folders.ndim != 1:
                raise ValueError("foreign file table")
            n, m = len(files), len(folders)
            table = cls(
                paths=_split(npz["paths"], n), keys=_lazy(npz["keys"], n), files=files,
                folder_paths=_split(npz["folder_paths"], m), folders=folders,
                taken_ns=int(meta["taken_ns"]),
                roots=[(str(p), str(k)) for p, k in meta["roots"]],
                walk_warnings=[(str(p), str(w)) for p, w in meta["walk_warnings"]],
                warnings={int(k): str(v) for k, v in meta["warnings"].items()},
                digests={int(k): str(v) for k, v in meta["digests"].items()},
                extra_splits=[str(x) for x in meta.get("extra_splits", [])])
        if n and (int(files["folder"].max()) >= m or int(files["folder"].min()) < -1
                  or int(files["split"].max()) >= len(table.modes)
                  or int(files["split"].min()) < 0):
            raise ValueError("file table points outside itself")
        if m and (int(folders["parent"].max()) >= m or int(folders["parent"].min()) < -1):
            raise ValueError("folder table points outside itself")
        if any(not 0 <= k < n for k in (*table.warnings, *table.digests)):
            raise ValueError("file notes point outside the table")
        return table


def _folder_rows(folders: Sequence[Folder]) -> np.ndarray[Any, np.dtype[np.void]]:
    rows = np.zeros(len(folders), dtype=FOLDER_DTYPE)
    if folders:
        rows["dev"] = [f.dev for f in folders]
        rows["ino"] = [f.ino for f in folders]
        rows["mtime"] = [f.mtime_ns for f in folders]
        rows["ctime"] = [f.ctime_ns for f in folders]
        rows["listing"] = [f.listing for f in folders]
        rows["parent"] = [f.parent for f in folders]
        rows["volatile"] = [f.volatile for f in folders]
    return rows


def _joined(values: Sequence[str]) -> np.ndarray[Any, np.dtype[np.uint8]]:
    data = SEP.join(values).encode("utf-8", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint8)


def _lazy(data: np.ndarray[Any, np.dtype[np.uint8]], count: int) -> LazyStrings:
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError("foreign string table")
    return LazyStrings(data.tobytes(), count)


def _split(data: np.ndarray[Any, np.dtype[np.uint8]], count: int) -> list[str]:
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError("foreign string table")
    values = data.tobytes().decode("utf-8", "surrogatepass").split(SEP) if count else []
    if len(values) != count:
        raise ValueError(f"expected {count} strings, found {len(values)}")
    return values
