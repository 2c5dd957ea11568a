"""Articles stored by column, with bodies that may stay on disk.

100k Article objects with their bodies would cost more memory and start-up time
than the index itself. The store keeps short columns (ids, titles, sources…) in
lists, and the bodies on disk: a fresh build's in the unnamed file it spilled
them to, a cached index's in the cache's compressed blocks (`index.bodies`), each
read when asked for; an `Article` is assembled only when one is asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, overload

import numpy as np
import numpy.typing as npt

from evreader.index.bodies import BlockBodies
from evreader.models import Article

SEP = "\x00"  # never in cleaned text (ingest strips control characters)
AUTHOR_SEP = "\x01"


class LazyStrings(Sequence[str]):
    """A string table from the cache (NUL-joined UTF-8), split into strings only when
    first read: a warm `list` never reads the authors, URLs, bylines or vocabulary,
    and 100k short strings cost ~10 ms and ~6 MB each to make."""

    __slots__ = ("_count", "_data", "_values")

    def __init__(self, data: bytes, count: int) -> None:
        # UTF-8 has no 0 byte but NUL's own: counting them counts the strings.
        if (data.count(SEP.encode()) + 1 if data or count == 1 else 0) != count:
            raise ValueError(f"expected {count} strings")
        self._data = data
        self._count = count
        self._values: list[str] | None = None

    def _get(self) -> list[str]:
        values = self._values
        if values is None:
            try:
                text = self._data.decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:  # damage the count could not see: shown, not fatal
                text = self._data.decode("utf-8", "replace")
            values = self._values = text.split(SEP) if self._count else []
            self._data = b""
        return values

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...

    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self._get()[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())


class BodyFile:
    """Article bodies in a file, read with pread when one is asked for.

    Not memory-mapped: a mapped file's pages count as the process's memory as
    they are touched, and the kernel maps a fault's neighbours too (~64 KB), so
    printing 25k bodies spread over a 230 MB file made ~500 MB resident. A pread
    costs a system call (~3 us) and holds only what was read.
    """

    __slots__ = ("_fh", "_size")

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh  # kept open: the store reads from this file (and no other write)
        self._size = os.fstat(fh.fileno()).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, span: slice) -> bytes:
        lo, hi, _ = span.indices(self._size)
        return os.pread(self._fh.fileno(), max(0, hi - lo), lo) if hi > lo else b""


class ArticleStore(Sequence[Article]):
    def __init__(self, ids: list[str], sources: list[str], source_idx: npt.NDArray[np.int32],
                 titles: list[str], authors: Sequence[str], urls: Sequence[str],
                 bylines: Sequence[str],
                 positions: npt.NDArray[np.int32], day: npt.NDArray[np.int32],
                 texts: list[bytes] | None = None,
                 blob: BodyFile | BlockBodies | npt.NDArray[np.uint8] | bytes | None = None,
                 offsets: npt.NDArray[np.int64] | None = None,
                 publishers: list[str] | None = None,
                 publisher_idx: npt.NDArray[np.int32] | None = None) -> None:
        self.ids = ids
        self.sources = sources
        self.source_idx = source_idx
        self.titles = titles
        self.authors = authors
        self.urls = urls
        self.bylines = bylines
        self.positions = positions
        self.day = day
        self._texts = texts
        self._blob = blob
        self._offsets = offsets
        # Publishers as a table and an index per article (a few hundred names at most);
        # entry 0 is always "" (unknown).
        self.publishers = publishers if publishers else [""]
        self.publisher_idx = publisher_idx if publisher_idx is not None else \
            np.zeros(len(ids), dtype=np.int32)

    @classmethod
    def from_articles(cls, articles: Sequence[Article]) -> ArticleStore:
        builder = StoreBuilder()
        builder.extend(articles)
        return builder.build()

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> Article: ...

    @overload
    def __getitem__(self, i: slice) -> list[Article]: ...

    def __getitem__(self, i: int | slice) -> Article | list[Article]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self.ids):
            raise IndexError(i)
        day = int(self.day[i])
        authors = self.authors[i]
        return Article(
            id=self.ids[i],
            source=self.sources[int(self.source_idx[i])],
            title=self.titles[i],
            text=self.text(i),
            published=date.fromordinal(day) if day else None,
            authors=tuple(authors.split(AUTHOR_SEP)) if authors else (),
            url=self.urls[i] or None,
            position=int(self.positions[i]),
            byline=self.bylines[i] or None,
            publisher=self.publishers[int(self.publisher_idx[i])],
        )

    def __iter__(self) -> Iterator[Article]:
        for i in range(len(self)):
            yield self[i]

    def text(self, i: int) -> str:
        if self._texts is not None:
            return self._texts[i].decode("utf-8", "surrogatepass")
        assert self._blob is not None and self._offsets is not None
        lo, hi = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._blob[lo:hi]).decode("utf-8", "surrogatepass")

    def source(self, i: int) -> str:
        return self.sources[int(self.source_idx[i])]

    def publisher(self, i: int) -> str:
        """The article's publisher ("" when unknown; see ingest.publisher)."""
        return self.publishers[int(self.publisher_idx[i])]

    def published(self, i: int) -> date | None:
        day = int(self.day[i])
        return date.fromordinal(day) if day else None

    def texts(self, rows: Sequence[int]) -> list[str]:
        """The bodies of `rows`, in that order, read in the order they are stored:
        from the cache each compressed block is then decompressed once, where rows
        in display order (newest first, best match first) would go back and forth."""
        if self._texts is not None:
            return [self.text(i) for i in rows]
        out = [""] * len(rows)
        for at in sorted(range(len(rows)), key=rows.__getitem__):
            out[at] = self.text(rows[at])
        return out

    def body_offsets(self) -> npt.NDArray[np.int64]:
        """Where each body starts in the UTF-8 stream of all of them, and its end (n + 1)."""
        if self._offsets is not None:
            return self._offsets
        assert self._texts is not None
        offsets = np.zeros(len(self._texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, self._texts), dtype=np.int64, count=len(self._texts)),
                  out=offsets[1:])
        return offsets

    def raw_span(self, lo: int, hi: int) -> bytes:
        """The UTF-8 bodies of articles lo..hi back to back, without decoding (the
        cache compresses them so). A fresh build's come from its spill file with
        plain reads, so the bodies never all become resident just to be written."""
        if self._texts is not None:
            return b"".join(self._texts[lo:hi])
        assert self._blob is not None and self._offsets is not None
        a, b = int(self._offsets[lo]), int(self._offsets[hi])
        if isinstance(self._blob, BlockBodies):
            return self._blob.read(a, b)  # DamagedBodies rather than the notice
        return bytes(self._blob[a:b])


@dataclass(slots=True)
class Columns:
    """A batch of articles by column: what a worker process sends back.

    Lists of strings and one bytes blob pickle in a few large copies, where
    Article objects pickle field by field; the parent then only extends lists.
    """

    ids: list[str]
    sources: list[str]
    titles: list[str]
    authors: list[str]  # joined with AUTHOR_SEP
    urls: list[str]
    bylines: list[str]
    positions: list[int]
    day: list[int]
    texts: bytes  # UTF-8 bodies, back to back
    lengths: list[int]  # byte length of each body
    publishers: list[str]

    @classmethod
    def of_store(cls, store: ArticleStore, lo: int, hi: int) -> Columns:
        """Articles lo..hi of a store, column by column as they are kept: what an
        incremental build reuses, with no Article made and no body decoded (the
        cache's blocks are read once each; DamagedBodies if one fails)."""
        offsets = store.body_offsets()
        sources, publishers = store.sources, store.publishers
        return cls(
            ids=store.ids[lo:hi],
            sources=[sources[s] for s in np.asarray(store.source_idx[lo:hi]).tolist()],
            titles=store.titles[lo:hi], authors=list(store.authors[lo:hi]),
            urls=list(store.urls[lo:hi]), bylines=list(store.bylines[lo:hi]),
            positions=np.asarray(store.positions[lo:hi]).tolist(),
            day=np.asarray(store.day[lo:hi]).tolist(), texts=store.raw_span(lo, hi),
            lengths=np.diff(np.asarray(offsets[lo:hi + 1])).tolist(),
            publishers=[publishers[p] for p in np.asarray(store.publisher_idx[lo:hi]).tolist()])

    @classmethod
    def of(cls, articles: Sequence[Article], bodies: Sequence[bytes] | None = None) -> Columns:
        """The articles' columns; `bodies` are their texts in UTF-8 when already encoded."""
        if bodies is None:
            bodies = [a.text.encode("utf-8", "surrogatepass") for a in articles]
        return cls(
            ids=[a.id for a in articles], sources=[a.source for a in articles],
            titles=[a.title for a in articles],
            authors=[AUTHOR_SEP.join(a.authors) for a in articles],
            urls=[a.url or "" for a in articles], bylines=[a.byline or "" for a in articles],
            positions=[a.position for a in articles],
            day=[a.published.toordinal() if a.published else 0 for a in articles],
            texts=b"".join(bodies), lengths=[len(b) for b in bodies],
            publishers=[a.publisher for a in articles])


class StoreBuilder:
    """Collects articles column by column; bodies go straight to an unnamed temp file.

    The bodies are most of a corpus's bytes, so they are never all in memory at
    once: the built store maps the file and decodes a body when one is shown.
    """

    def __init__(self, spill_dir: str | os.PathLike[str] | None = None) -> None:
        self.source_ids: dict[str, int] = {}
        self.publisher_ids: dict[str, int] = {"": 0}
        self.publisher_idx: list[int] = []
        self.ids: list[str] = []
        self.source_idx: list[int] = []
        self.titles: list[str] = []
        self.authors: list[str] = []
        self.urls: list[str] = []
        self.bylines: list[str] = []
        self.positions: list[int] = []
        self.day: list[int] = []
        self.lengths: list[int] = []
        # In the cache folder when there is one: /tmp may be RAM (tmpfs).
        self.spill: BinaryIO = tempfile.TemporaryFile(  # noqa: SIM115  (lives with the store)
            prefix="evreader-bodies-", dir=_usable_dir(spill_dir))

    def extend(self, articles: Sequence[Article]) -> None:
        self.add(Columns.of(articles))

    def add(self, cols: Columns) -> None:
        self.ids.extend(cols.ids)
        setdefault, ids = self.source_ids.setdefault, self.source_ids
        self.source_idx.extend([setdefault(src, len(ids)) for src in cols.sources])
        self.titles.extend(cols.titles)
        known = self.publisher_ids
        self.publisher_idx.extend([known.setdefault(p, len(known)) for p in cols.publishers])
        self.authors.extend(cols.authors)
        self.urls.extend(cols.urls)
        self.bylines.extend(cols.bylines)
        self.positions.extend(cols.positions)
        self.day.extend(cols.day)
        self.lengths.extend(cols.lengths)
        self.spill.write(cols.texts)

    def build(self) -> ArticleStore:
        self.spill.flush()
        offsets = np.zeros(len(self.lengths) + 1, dtype=np.int64)
        np.cumsum(np.asarray(self.lengths, dtype=np.int64), out=offsets[1:])
        blob: BodyFile | bytes = BodyFile(self.spill) if offsets[-1] else b""
        return ArticleStore(
            ids=self.ids, sources=list(self.source_ids),
            source_idx=np.asarray(self.source_idx, dtype=np.int32), titles=self.titles,
            authors=self.authors, urls=self.urls, bylines=self.bylines,
            positions=np.asarray(self.positions, dtype=np.int32),
            day=np.asarray(self.day, dtype=np.int32), blob=blob, offsets=offsets,
            publishers=list(self.publisher_ids),
            publisher_idx=np.asarray(self.publisher_idx, dtype=np.int32))


def _usable_dir(path: str | os.PathLike[str] | None) -> str | None:
    if path is None:
        return None
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None  # the system temp folder will do
    return os.fspath(path) if os.access(path, os.W_OK) else None
