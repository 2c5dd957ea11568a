"""Config → gazetteer → articles → index → search engine, in one object.

`Library` is what both faces use: the CLI builds one and prints, the TUI builds
one in a worker thread and shows it. It knows nothing of either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from evreader.config import Config, SourceSpec
from evreader.extract import Extractor
from evreader.gazetteer import Gazetteer, load_gazetteer
from evreader.index.chunks import build_chunk
from evreader.index.corpus import BoolArray, CorpusIndex, Filters, merge_chunks
from evreader.ingest import load_sources
from evreader.models import Article, LoadWarning
from evreader.search import SearchEngine

Progress = Callable[[str, int, int], None]  # stage, done, total
CHUNK = 2000


@dataclass(slots=True)
class Library:
    config: Config
    gazetteer: Gazetteer
    index: CorpusIndex
    engine: SearchEngine
    warnings: list[LoadWarning] = field(default_factory=list)

    def select(self, filters: Filters) -> list[int]:
        """Article indices passing `filters`: ranked by relevance when there is a query,
        else newest first."""
        mask = self.index.mask_for(filters)
        if filters.query.strip():
            return [h.article for h in self.engine.search(filters.query, candidates=mask)]
        return [int(i) for i in self.index.ordered(mask)]

    def mask(self, filters: Filters, selected: Sequence[int] | None = None) -> BoolArray:
        if selected is None:
            selected = self.select(filters)
        mask = np.zeros(len(self.index), dtype=bool)
        mask[np.asarray(selected, dtype=np.int64)] = True
        return mask

    def article(self, i: int) -> Article:
        return self.index.articles[i]


def build_library(config: Config, sources: Sequence[SourceSpec] | None = None,
                  progress: Progress | None = None) -> Library:
    """Load every source and index it. Bad files become warnings, never exceptions."""
    gazetteer = load_gazetteer(config.gazetteer)
    specs = list(sources) if sources is not None else list(config.sources)
    if progress:
        progress("reading", 0, 0)
    loaded = load_sources(specs)
    index = index_articles(loaded.articles, gazetteer, progress)
    return Library(config, gazetteer, index, SearchEngine(index, gazetteer), loaded.warnings)


def index_articles(articles: Sequence[Article], gazetteer: Gazetteer,
                   progress: Progress | None = None) -> CorpusIndex:
    extractor = Extractor(gazetteer)
    chunks = []
    total = len(articles)
    for start in range(0, total, CHUNK):
        chunks.append(build_chunk(articles[start:start + CHUNK], extractor))
        if progress:
            progress("indexing", min(total, start + CHUNK), total)
    return merge_chunks(articles, chunks)
