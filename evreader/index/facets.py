"""Facet counts: how many of the chosen articles mention each entity.

The index keeps every distinct (article, entity) pair, sorted by article. A filter
usually leaves few articles, so their pairs are gathered run by run rather than
picked out of all of them (~2.4M at 100k): over the benchmark's filters, p95 went
from 10.5 to 2.2 ms, and a full count from 15.9 to 10.3 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PairRuns:
    """Where each article's pairs are: `count[i]` of them from `start[i]`."""

    count: Int64Array
    start: Int64Array
    by_article: bool  # pairs ascending by article; if not, runs are not used

    @classmethod
    def of(cls, pair_art: npt.ArrayLike, n_articles: int) -> PairRuns:
        pairs = np.asarray(pair_art)
        count = np.bincount(pairs, minlength=n_articles).astype(np.int64)
        by_article = bool(len(pairs) < 2 or np.all(pairs[1:] >= pairs[:-1]))
        return cls(count, np.cumsum(count) - count, by_article)

    def counts(self, mask: BoolArray, pair_art: npt.NDArray[np.int32],
               pair_ent: npt.NDArray[np.int32], n_entities: int) -> Int64Array:
        if not self.by_article:
            return np.bincount(pair_ent[mask[pair_art]], minlength=n_entities)
        arts = np.flatnonzero(mask)
        if len(arts) * 4 >= len(mask):  # most articles: one pass over all pairs
            return np.bincount(pair_ent[np.repeat(mask, self.count)], minlength=n_entities)
        lens = self.count[arts]
        total = int(lens.sum())
        if total == 0:
            return np.zeros(n_entities, dtype=np.int64)
        # every pair of the chosen articles: each run's start, then steps of one
        idx = np.repeat(self.start[arts] - (np.cumsum(lens) - lens), lens) + np.arange(total)
        return np.bincount(pair_ent[idx], minlength=n_entities)
