"""On-disk cache of parsed articles and the index, for fast warm starts.

One folder per set of sources (keyed by their paths and split modes) holds
numpy arrays, NUL-joined string tables and the article bodies as one UTF-8 blob,
all loaded memory-mapped — no pickle, so a foreign file cannot run code. A
manifest lists every source file with its size and mtime, plus the gazetteer
fingerprint: unchanged files are reused, changed ones re-read, and a changed
gazetteer rebuilds. Anything unreadable, truncated or inconsistent is a miss and
is rebuilt, never an error. Writers build a temp folder and swap it in under a
lock, so two evreader processes never leave a half-written cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from evreader import __version__
from evreader.config import SourceSpec
from evreader.index.chunks import EntityKey
from evreader.index.corpus import CorpusIndex, EntityInfo, Forward
from evreader.index.store import SEP, ArticleStore

CACHE_FORMAT = 9  # 9: the publisher column
KIND_CODES = ("company", "country", "theme", "person")
_ARRAYS = ("source_idx", "positions", "day", "offsets", "m_ptr", "m_ent", "m_start", "m_end",
           "m_field", "ft_ptr", "ft_ids", "fh_ptr", "fh_ids", "e_ptr", "e_art", "pair_art",
           "pair_ent", "t_ptr", "t_art", "h_ptr", "h_art", "order", "ent_kind", "ent_disc",
           "publisher_idx")
_STRINGS = ("ids", "sources", "titles", "authors", "urls", "bylines", "vocab", "ent_name",
            "publishers")


class FileStamp(NamedTuple):
    """A source file as the cache saw it (a tuple: 100k of them load fast)."""

    key: str
    path: str
    size: int
    mtime_ns: int
    split: str
    articles: int = 0  # how many it produced
    warnings: str = ""  # what reading it reported, one message per line

    def warning_list(self) -> list[str]:
        return self.warnings.split("\n") if self.warnings else []

    def same_file(self, other: FileStamp) -> bool:
        """The same file, unchanged: key, path, size, mtime and how it is split."""
        return (self.key, self.path, self.size, self.mtime_ns, self.split) == \
            (other.key, other.path, other.size, other.mtime_ns, other.split)


@dataclass(slots=True)
class Snapshot:
    """A cached index. The per-file table is read only when the files are checked:
    a first screen from the cache does not need it."""

    index: CorpusIndex
    fingerprint: str
    folder: Path
    warnings: list[tuple[str, str]]  # (path, message) recorded when the files were read
    _files: list[FileStamp] | None = None

    @property
    def files(self) -> list[FileStamp]:
        """The file table; raises if it is missing or does not match the index."""
        if self._files is None:
            rows = json.loads((self.folder / "files.json").read_text(encoding="utf-8"))
            files = [FileStamp._make(r) for r in rows]
            if sum(f.articles for f in files) != len(self.index):
                raise ValueError("the cached file table does not match the index")
            self._files = files
        return self._files


def corpus_key(specs: Sequence[SourceSpec]) -> str:
    h = hashlib.sha256(f"evreader-{CACHE_FORMAT}-{__version__}".encode())
    for spec in specs:
        h.update(f"\0{spec.path.expanduser().absolute()}\0{spec.split}".encode())
    return h.hexdigest()[:24]


class CorpusCache:
    def __init__(self, root: Path, specs: Sequence[SourceSpec]) -> None:
        self.base = root / "corpora"
        self.dir = self.base / corpus_key(specs)

    # ------------------------------------------------------------ load
    def load(self) -> Snapshot | None:
        """The cached snapshot, or None when missing or unusable (never raises)."""
        try:
            return self._load()
        except Exception:  # any damage at all means: rebuild
            return None

    def _load(self) -> Snapshot | None:
        manifest_path = self.dir / "manifest.json"
        if not manifest_path.is_file():
            return None
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != CACHE_FORMAT or manifest.get("version") != __version__:
            return None
        n = int(manifest["articles"])
        arr = {name: np.load(self.dir / f"{name}.npy", mmap_mode="r", allow_pickle=False)
               for name in _ARRAYS}
        counts = manifest["strings"]
        strings = {name: _read_strings(self.dir / f"{name}.txt", int(counts[name]))
                   for name in _STRINGS}
        blob = np.memmap(self.dir / "texts.bin", dtype=np.uint8, mode="r") \
            if (self.dir / "texts.bin").stat().st_size else b""
        n_ent, n_voc = len(strings["ent_name"]), len(strings["vocab"])
        checks = [
            len(strings["ids"]) == n, len(strings["titles"]) == n, len(strings["authors"]) == n,
            len(strings["urls"]) == n, len(strings["bylines"]) == n, len(arr["day"]) == n,
            len(arr["offsets"]) == n + 1,
            int(arr["offsets"][-1]) == len(blob), len(arr["m_ptr"]) == n + 1,
            int(arr["m_ptr"][-1]) == len(arr["m_ent"]) == len(arr["m_start"]),
            len(arr["ft_ptr"]) == n + 1, int(arr["ft_ptr"][-1]) == len(arr["ft_ids"]),
            len(arr["e_ptr"]) == n_ent + 1, len(arr["t_ptr"]) == n_voc + 1,
            len(arr["ent_kind"]) == n_ent, len(arr["order"]) == n,
            n == 0 or int(arr["source_idx"].max()) < len(strings["sources"]),
            len(arr["m_ent"]) == 0 or int(arr["m_ent"].max()) < n_ent,
            len(arr["publisher_idx"]) == n, len(strings["publishers"]) >= 1,
            n == 0 or int(arr["publisher_idx"].max()) < len(strings["publishers"]),
            len(arr["ft_ids"]) == 0 or int(arr["ft_ids"].max()) < n_voc,
        ]
        if not all(checks):
            return None
        store = ArticleStore(
            ids=strings["ids"], sources=strings["sources"], source_idx=arr["source_idx"],
            titles=strings["titles"], authors=strings["authors"], urls=strings["urls"],
            bylines=strings["bylines"],
            positions=arr["positions"], day=arr["day"], blob=blob, offsets=arr["offsets"],
            publishers=strings["publishers"], publisher_idx=arr["publisher_idx"])
        # .tolist(): iterating a memmap makes one memmap scalar per item (30 ms at 100k)
        entities = [EntityInfo(i, KIND_CODES[int(k)], name, bool(d)) for i, (k, name, d) in
                    enumerate(zip(arr["ent_kind"].tolist(), strings["ent_name"],
                                  arr["ent_disc"].tolist(), strict=True))]
        forward = Forward(arr["m_ptr"], arr["m_ent"], arr["m_start"], arr["m_end"],
                          arr["m_field"], arr["ft_ptr"], arr["ft_ids"], arr["fh_ptr"],
                          arr["fh_ids"])
        index = CorpusIndex(
            articles=store, entities=entities, m_ptr=arr["m_ptr"], m_ent=arr["m_ent"],
            m_start=arr["m_start"], m_end=arr["m_end"], m_field=arr["m_field"],
            e_ptr=arr["e_ptr"], e_art=arr["e_art"], pair_art=arr["pair_art"],
            pair_ent=arr["pair_ent"], order=arr["order"], day=arr["day"],
            vocab=strings["vocab"], t_ptr=arr["t_ptr"], t_art=arr["t_art"], h_ptr=arr["h_ptr"],
            h_art=arr["h_art"], forward=forward)
        warnings = [(str(p), str(w)) for p, w in manifest["warnings"]]
        return Snapshot(index, str(manifest["gazetteer"]), self.dir, warnings)

    # ------------------------------------------------------------ save
    def save(self, index: CorpusIndex, files: Sequence[FileStamp], fingerprint: str) -> bool:
        """Write a snapshot; False (and no partial cache) if it could not be written."""
        tmp: Path | None = None
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{self.dir.name}.tmp-", dir=self.base))
            self._write(tmp, index, files, fingerprint)
            with self._lock():
                old = None
                if self.dir.exists():
                    old = self.base / f"{self.dir.name}.old-{os.getpid()}-{id(tmp)}"
                    os.rename(self.dir, old)
                os.rename(tmp, self.dir)
                tmp = None
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            return True
        except OSError:
            return False
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    def _write(self, folder: Path, index: CorpusIndex, files: Sequence[FileStamp],
               fingerprint: str) -> None:
        store = index.articles
        fw = index.forward
        if fw is None:
            raise OSError("index has no forward arrays to cache")
        with open(folder / "texts.bin", "wb") as fh:
            offsets = store.write_texts(fh)
        arrays: dict[str, Any] = {
            "source_idx": store.source_idx, "positions": store.positions, "day": store.day,
            "offsets": offsets,
            "m_ptr": fw.m_ptr, "m_ent": fw.m_ent, "m_start": fw.m_start, "m_end": fw.m_end,
            "m_field": fw.m_field, "ft_ptr": fw.ft_ptr, "ft_ids": fw.ft_ids,
            "fh_ptr": fw.fh_ptr, "fh_ids": fw.fh_ids, "e_ptr": index.e_ptr,
            "e_art": index.e_art, "pair_art": index.pair_art, "pair_ent": index.pair_ent,
            "t_ptr": index.t_ptr, "t_art": index.t_art, "h_ptr": index.h_ptr,
            "h_art": index.h_art, "order": index.order,
            "ent_kind": np.asarray([KIND_CODES.index(e.kind) for e in index.entities], np.int8),
            "ent_disc": np.asarray([e.discovered for e in index.entities], np.bool_),
            "publisher_idx": store.publisher_idx,
        }
        for name, value in arrays.items():
            np.save(folder / f"{name}.npy", np.ascontiguousarray(value), allow_pickle=False)
        strings = {
            "ids": store.ids, "sources": store.sources, "titles": store.titles,
            "authors": store.authors, "urls": store.urls, "bylines": store.bylines,
            "vocab": index.vocab,
            "ent_name": [e.name for e in index.entities],
            "publishers": store.publishers,
        }
        for name, values in strings.items():
            (folder / f"{name}.txt").write_bytes(SEP.join(values).encode("utf-8", "surrogatepass")
                                                 if values else b"")
        manifest = {
            "format": CACHE_FORMAT, "version": __version__, "gazetteer": fingerprint,
            "articles": len(store),
            "warnings": [[f.path, w] for f in files for w in f.warning_list()],
            "strings": {name: len(values) for name, values in strings.items()},
        }
        (folder / "files.json").write_text(json.dumps([list(_astuple(f)) for f in files]),
                                           encoding="utf-8")
        # The manifest is written last: a folder without it is never used.
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.base / ".lock", "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            yield

    def clear(self) -> int:
        """Remove every cached corpus; returns the number of folders removed."""
        removed = 0
        if self.base.is_dir():
            for child in self.base.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                    removed += 1
        return removed


def _read_strings(path: Path, count: int) -> list[str]:
    data = path.read_bytes()
    values = data.decode("utf-8", "surrogatepass").split(SEP) if count else []
    if len(values) != count:
        raise ValueError(f"{path.name}: expected {count} strings")
    return values


def _astuple(f: FileStamp) -> tuple[str, str, int, int, str, int, str]:
    return (f.key, f.path, f.size, f.mtime_ns, f.split, f.articles, f.warnings)


def entity_keys_of(index: CorpusIndex) -> list[EntityKey]:
    return [(e.kind, e.name, e.discovered) for e in index.entities]
