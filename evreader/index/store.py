"""Articles stored by column, with bodies that may stay on disk.

100k Article objects with their bodies would cost more memory and start-up time
than the index itself. The store keeps short columns (ids, titles, sources…) in
lists and the bodies either in a list (fresh build) or in a memory-mapped UTF-8
blob from the cache; an `Article` is assembled only when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import overload

import numpy as np
import numpy.typing as npt

from evreader.models import Article

SEP = "\x00"  # never in cleaned text (ingest strips control characters)
AUTHOR_SEP = "\x01"


class ArticleStore(Sequence[Article]):
    def __init__(self, ids: list[str], sources: list[str], source_idx: npt.NDArray[np.int32],
                 titles: list[str], authors: list[str], urls: list[str], bylines: list[str],
                 positions: npt.NDArray[np.int32], day: npt.NDArray[np.int32],
                 texts: list[bytes] | None = None,
                 blob: np.memmap[tuple[int], np.dtype[np.uint8]] | bytes | None = None,
                 offsets: npt.NDArray[np.int64] | None = None) -> None:
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
        )

    def __iter__(self) -> Iterator[Article]:
        for i in range(len(self)):
            yield self[i]

    def text(self, i: int) -> str:
        if self._texts is not None:
            return self._texts[i].decode("utf-8", "surrogatepass")
        assert self._blob is not None and self._offsets is not None
        lo, hi = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._blob[lo:hi]).decode("utf-8")

    def source(self, i: int) -> str:
        return self.sources[int(self.source_idx[i])]

    def published(self, i: int) -> date | None:
        day = int(self.day[i])
        return date.fromordinal(day) if day else None

    def raw_texts(self) -> Iterator[bytes]:
        """Bodies as UTF-8 bytes, without decoding (for writing the cache)."""
        for i in range(len(self)):
            if self._texts is not None:
                yield self._texts[i]
            else:
                assert self._blob is not None and self._offsets is not None
                yield bytes(self._blob[int(self._offsets[i]):int(self._offsets[i + 1])])


class StoreBuilder:
    """Collects articles column by column, so Article objects can be dropped early."""

    def __init__(self) -> None:
        self.source_ids: dict[str, int] = {}
        self.ids: list[str] = []
        self.source_idx: list[int] = []
        self.titles: list[str] = []
        self.authors: list[str] = []
        self.urls: list[str] = []
        self.bylines: list[str] = []
        self.positions: list[int] = []
        self.day: list[int] = []
        self.texts: list[bytes] = []

    def extend(self, articles: Iterable[Article]) -> None:
        for a in articles:
            self.ids.append(a.id)
            self.source_idx.append(self.source_ids.setdefault(a.source, len(self.source_ids)))
            self.titles.append(a.title)
            self.authors.append(AUTHOR_SEP.join(a.authors))
            self.urls.append(a.url or "")
            self.bylines.append(a.byline or "")
            self.positions.append(a.position)
            self.day.append(a.published.toordinal() if a.published else 0)
            self.texts.append(a.text.encode("utf-8", "surrogatepass"))

    def build(self) -> ArticleStore:
        return ArticleStore(
            ids=self.ids, sources=list(self.source_ids),
            source_idx=np.asarray(self.source_idx, dtype=np.int32), titles=self.titles,
            authors=self.authors, urls=self.urls, bylines=self.bylines,
            positions=np.asarray(self.positions, dtype=np.int32),
            day=np.asarray(self.day, dtype=np.int32), texts=self.texts)
