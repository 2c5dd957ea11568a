"""Articles stored by column, with bodies that may stay on disk.

100k Article objects with their bodies would cost more memory and start-up time
than the index itself. The store keeps short columns (ids, titles, sources…) in
lists and the bodies either in a list (fresh build) or in a memory-mapped UTF-8
blob from the cache; an `Article` is assembled only when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
                 texts: Sequence[str] | None = None,
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
        source_ids: dict[str, int] = {}
        idx = [source_ids.setdefault(a.source, len(source_ids)) for a in articles]
        return cls(
            ids=[a.id for a in articles],
            sources=list(source_ids),
            source_idx=np.asarray(idx, dtype=np.int32),
            titles=[a.title for a in articles],
            authors=[AUTHOR_SEP.join(a.authors) for a in articles],
            urls=[a.url or "" for a in articles],
            bylines=[a.byline or "" for a in articles],
            positions=np.asarray([a.position for a in articles], dtype=np.int32),
            day=np.asarray([a.published.toordinal() if a.published else 0 for a in articles],
                           dtype=np.int32),
            texts=[a.text for a in articles],
        )

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
            return self._texts[i]
        assert self._blob is not None and self._offsets is not None
        lo, hi = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._blob[lo:hi]).decode("utf-8")

    def source(self, i: int) -> str:
        return self.sources[int(self.source_idx[i])]

    def published(self, i: int) -> date | None:
        day = int(self.day[i])
        return date.fromordinal(day) if day else None

    def all_texts(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self.text(i)
