"""On-disk cache of parsed articles and the index, for fast warm starts.

One folder per set of sources (keyed by their paths and split modes) holds
numpy arrays, NUL-joined string tables and the article bodies as one UTF-8 blob,
all loaded memory-mapped — no pickle, so a foreign file cannot run code. The
file table (`index.filetable`) records every source file and folder as the
build saw them, and the manifest the gazetteer fingerprint: unchanged files are
reused, changed ones re-read, and a changed gazetteer rebuilds. Anything
unreadable, truncated or inconsistent is a miss and is rebuilt, never an error.
Writers build a temp folder and swap it in under a lock, so two evreader
processes never leave a half-written cache. String tables a query may not need
(authors, URLs, bylines, the vocabulary) are split into strings on first use.
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
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from evreader import __version__
from evreader.config import SourceSpec
from evreader.index.corpus import CorpusIndex, EntityInfo, Forward
from evreader.index.filetable import FileStamp, FileTable
from evreader.index.rows import LEAD, LEAD_KEY, lead_table
from evreader.index.store import SEP, ArticleStore, BodyFile, LazyStrings

if TYPE_CHECKING:
    from evreader.index.chunks import EntityKey
    from evreader.search import SurfaceRow

__all__ = ["CACHE_FORMAT", "CorpusCache", "FileStamp", "Snapshot", "corpus_key",
           "forward_holds"]

CACHE_FORMAT = 10  # 9: the publisher column; 10: the file table with folders (filetable)
TABLE_FILE = "files.npz"
LEAD_WIDTH = sum(k for _, k in LEAD)
KIND_CODES = ("company", "country", "theme", "person")
_ARRAYS = ("source_idx", "positions", "day", "offsets", "m_ptr", "m_ent", "m_start", "m_end",
           "m_field", "ft_ptr", "ft_ids", "fh_ptr", "fh_ids", "e_ptr", "e_art", "pair_art",
           "pair_ent", "t_ptr", "t_art", "h_ptr", "h_art", "order", "ent_kind", "ent_disc",
           "publisher_idx", "lead", "surface_ent")
_STRINGS = ("ids", "sources", "titles", "authors", "urls", "bylines", "vocab", "ent_name",
            "publishers", "surfaces")
_LAZY = frozenset({"authors", "urls", "bylines", "vocab", "surfaces"})


@dataclass(slots=True)
class Snapshot:
    """A cached index. The file table is read only when the files are checked:
    a first screen from the cache does not need it."""

    index: CorpusIndex
    fingerprint: str
    folder: Path
    warnings: list[tuple[str, str]]  # (path, message) recorded when the files were read
    generation: str = ""  # which write of the cache folder this is (see CorpusCache.save)
    surfaces: _Surfaces | None = None  # the lookup forms the build kept (see CorpusCache.save)
    _table: FileTable | None = None

    @property
    def table(self) -> FileTable:
        """The file table; raises if it is missing or does not match the index."""
        if self._table is None:
            table = FileTable.read(self.folder / TABLE_FILE, self.generation)
            if table.articles != len(self.index):
                raise ValueError("the cached file table does not match the index")
            self._table = table
        return self._table

    @property
    def files(self) -> list[FileStamp]:
        """The file table as stamps (for a build that compares files one by one)."""
        return self.table.stamps()


class Opened(NamedTuple):
    """A cache folder's write, gazetteer fingerprint and file table (see CorpusCache.open)."""

    generation: str
    fingerprint: str
    table: FileTable


class _Surfaces:
    """The cached `search.surface_rows`, made into rows only when a lookup asks."""

    def __init__(self, forms: Sequence[str], ents: np.ndarray[Any, np.dtype[Any]],
                 index: CorpusIndex) -> None:
        self._forms, self._ents, self._index = forms, ents, index

    def __call__(self) -> list[SurfaceRow]:
        from evreader.extract.folding import fold
        entities = self._index.entities
        return [(fold(form), form, entities[e].kind, entities[e].name, bool(disc))
                for form, (e, disc) in zip(self._forms, self._ents.tolist(), strict=True)]


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
    def load(self, opened: Opened | None = None) -> Snapshot | None:
        """The cached snapshot, or None when missing or unusable (never raises).
        With `opened` (from `open`), only if the folder still holds that write,
        whose file table then comes with it."""
        try:
            return self._load(opened)
        except Exception:  # any damage at all means: rebuild
            return None

    def open(self) -> Opened | None:
        """The manifest's fingerprint and the file table, without the index: what a
        check of the files needs, so that it can run while the index loads."""
        try:
            manifest = self._manifest()
            if manifest is None:
                return None
            generation = str(manifest["generation"])
            return Opened(generation, str(manifest["gazetteer"]),
                          FileTable.read(self.dir / TABLE_FILE, generation))
        except Exception:  # any damage at all means: rebuild
            return None

    def _manifest(self) -> dict[str, Any] | None:
        manifest_path = self.dir / "manifest.json"
        if not manifest_path.is_file():
            return None
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != CACHE_FORMAT or manifest.get("version") != __version__:
            return None
        return manifest

    def _load(self, opened: Opened | None) -> Snapshot | None:
        manifest = self._manifest()
        if manifest is None:
            return None
        if opened is not None and manifest["generation"] != opened.generation:
            return None  # rewritten since it was opened
        n = int(manifest["articles"])
        # Plain ndarray views of the maps: np.memmap's own __getitem__ is Python code,
        # and a list of 5k rows indexed its arrays ~400k times (0.5 s).
        arr = {name: np.asarray(np.load(self.dir / f"{name}.npy", mmap_mode="r",
                                        allow_pickle=False))
               for name in _ARRAYS}
        counts = manifest["strings"]
        strings: dict[str, Sequence[str]] = {
            name: (LazyStrings((self.dir / f"{name}.txt").read_bytes(), int(counts[name]))
                   if name in _LAZY else _read_strings(self.dir / f"{name}.txt", int(counts[name])))
            for name in _STRINGS}
        blob = BodyFile(open(self.dir / "texts.bin", "rb", buffering=0))  # noqa: SIM115
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

            len(arr["publisher_idx"]) == n, len(strings["publishers"]) >= 1,
            arr["lead"].shape == (n, LEAD_WIDTH),
            arr["surface_ent"].shape == (len(strings["surfaces"]), 2),
            len(arr["surface_ent"]) == 0 or (int(arr["surface_ent"][:, 0].max()) < n_ent
                                              and int(arr["surface_ent"].min()) >= 0),
            n == 0 or int(arr["lead"].max()) < n_ent, n == 0 or int(arr["lead"].min()) >= -1,
            n == 0 or int(arr["publisher_idx"].max()) < len(strings["publishers"]),
            int(arr["fh_ptr"][-1]) == len(arr["fh_ids"]),
            int(arr["e_ptr"][-1]) == len(arr["e_art"]),
            int(arr["t_ptr"][-1]) == len(arr["t_art"]),
            int(arr["h_ptr"][-1]) == len(arr["h_art"]),
            len(arr["fh_ptr"]) == n + 1, len(arr["h_ptr"]) == n_voc + 1,
            # The mention and word lists (m_ent, ft_ids, fh_ids: ~110 MB at 100k) are
            # not scanned here: a list reads the lead table instead, numpy and list
            # indexing refuse an id out of range, and an incremental build checks
            # them first (forward_holds), to rebuild rather than fail.
        ]
        if not all(checks):
            return None
        store = ArticleStore(
            ids=_list(strings["ids"]), sources=_list(strings["sources"]),
            source_idx=arr["source_idx"], titles=_list(strings["titles"]),
            authors=strings["authors"], urls=strings["urls"], bylines=strings["bylines"],
            positions=arr["positions"], day=arr["day"], blob=blob, offsets=arr["offsets"],
            publishers=_list(strings["publishers"]), publisher_idx=arr["publisher_idx"])
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
        index.derived[LEAD_KEY] = arr["lead"]
        warnings = [(str(p), str(w)) for p, w in manifest["warnings"]]
        snapshot = Snapshot(index, str(manifest["gazetteer"]), self.dir, warnings,
                            str(manifest["generation"]),
                            _Surfaces(strings["surfaces"], arr["surface_ent"], index))
        if opened is not None:
            if opened.table.articles != n:
                return None
            snapshot._table = opened.table
        return snapshot

    # ------------------------------------------------------------ save
    def save(self, index: CorpusIndex, table: FileTable, fingerprint: str,
             surfaces: Sequence[SurfaceRow] = ()) -> bool:
        """Write a snapshot; False (and no partial cache) if it could not be written.
        `surfaces`: the index's `search.surface_rows`, kept so that a lookup in the
        cached library needs no gazetteer."""
        tmp: Path | None = None
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{self.dir.name}.tmp-", dir=self.base))
            self._write(tmp, index, table, fingerprint, surfaces)
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

    def update_table(self, snapshot: Snapshot, table: FileTable) -> bool:
        """Replace the file table of the cached index `snapshot` read, after a walk
        found the same files (so the next check need not walk). Nothing is written
        if the folder now holds another write of the cache, or the table is the same."""
        old = snapshot._table
        if old is not None and _same_table(old, table):
            return True
        try:
            with self._lock():
                manifest = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
                if manifest.get("generation") != snapshot.generation:
                    return False
                tmp = self.dir / f"{TABLE_FILE}.tmp-{os.getpid()}"
                table.write(tmp, snapshot.generation)
                os.replace(tmp, self.dir / TABLE_FILE)
            snapshot._table = table
            return True
        except (OSError, ValueError, KeyError):
            return False

    def _write(self, folder: Path, index: CorpusIndex, table: FileTable, fingerprint: str,
               surfaces: Sequence[SurfaceRow]) -> None:
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
            "publisher_idx": store.publisher_idx, "lead": lead_table(index),
            "surface_ent": np.asarray([(index.by_key[(kind, name)][0], disc)
                                       for _, _, kind, name, disc in surfaces],
                                      dtype=np.int32).reshape(len(surfaces), 2),
        }
        for name, value in arrays.items():
            np.save(folder / f"{name}.npy", np.ascontiguousarray(value), allow_pickle=False)
        strings: dict[str, Sequence[str]] = {
            "ids": store.ids, "sources": store.sources, "titles": store.titles,
            "authors": store.authors, "urls": store.urls, "bylines": store.bylines,
            "vocab": index.vocab,
            "ent_name": [e.name for e in index.entities],
            "publishers": store.publishers, "surfaces": [form for _, form, *_ in surfaces],
        }
        for name, values in strings.items():
            (folder / f"{name}.txt").write_bytes(SEP.join(values).encode("utf-8", "surrogatepass")
                                                 if values else b"")
        generation = os.urandom(8).hex()
        manifest = {
            "format": CACHE_FORMAT, "version": __version__, "gazetteer": fingerprint,
            "articles": len(store), "generation": generation,
            "warnings": [[w.path, w.message] for w in table.load_warnings()],
            "strings": {name: len(values) for name, values in strings.items()},
        }
        table.write(folder / TABLE_FILE, generation)
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


def _list(values: Sequence[str]) -> list[str]:
    assert isinstance(values, list)
    return values


def _same_table(a: FileTable, b: FileTable) -> bool:
    """The same files, folders, roots, notes and time of taking."""
    return (a.taken_ns == b.taken_ns and a.paths == b.paths
            and a.folder_paths == b.folder_paths and a.roots == b.roots
            and np.array_equal(a.files, b.files) and np.array_equal(a.folders, b.folders)
            and a.walk_warnings == b.walk_warnings and a.warnings == b.warnings
            and a.digests == b.digests)


def forward_holds(index: CorpusIndex) -> bool:
    """Whether the cached index's word and mention lists point inside their tables.
    Checked before an incremental build reads them back (its gathers would raise
    IndexError on an id out of range: it rebuilds instead); a warm start that only
    queries never reads them."""
    fw = index.forward
    if fw is None:
        return False
    n_voc, n_ent = len(index.vocab), len(index.entities)
    return all(len(a) == 0 or (int(a.min()) >= 0 and int(a.max()) < bound)
               for a, bound in ((fw.ft_ids, n_voc), (fw.fh_ids, n_voc), (fw.m_ent, n_ent)))


def entity_keys_of(index: CorpusIndex) -> list[EntityKey]:
    return [(e.kind, e.name, e.discovered) for e in index.entities]
