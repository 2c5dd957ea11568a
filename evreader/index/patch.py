"""Replace a few articles of an index without reading or analysing the others.

A file is the unit of the incremental build (build.py): a changed file is read
again whole. A feed of the store is one such file, so one article's new full text
would have the whole feed re-analysed — hundreds of articles for one. Here the
cached index's per-article arrays (`Forward`, which only the cache keeps) supply
every other article as slices, the changed articles alone are analysed, and the
result is merged exactly as a build merges its pieces; so the patched index
equals what a full build of the same sources gives. The cache is then saved with
the changed files' new stamps, so the next start finds it current.
"""

from __future__ import annotations

from collections.abc import Mapping

from evreader.cache import CorpusCache, Snapshot
from evreader.extract.extractor import Extractor
from evreader.gazetteer import Gazetteer
from evreader.index.build import old_slice
from evreader.index.chunks import Chunk, build_chunk
from evreader.index.corpus import CorpusIndex, merge_chunks
from evreader.index.filetable import FileTable
from evreader.index.store import Columns, StoreBuilder
from evreader.models import Article


def replace_articles(snapshot: Snapshot, changed: Mapping[int, Article], gazetteer: Gazetteer,
                     *, cache: CorpusCache | None = None,
                     table: FileTable | None = None) -> CorpusIndex:
    """`snapshot`'s index with the articles at the positions of `changed` replaced
    (same positions, so rows held elsewhere stay valid). With `cache`, the result
    is saved there with `table` (default: the snapshot's) as its file table.
    Linear in the index's size; only the changed articles are analysed."""
    old = snapshot.index
    if old.forward is None:
        raise ValueError("the snapshot has no per-article arrays")
    builder = StoreBuilder(cache.base.parent if cache is not None else None)
    chunks: list[Chunk] = []
    extractor = Extractor(gazetteer) if changed else None
    lo = 0
    for i in sorted(changed):
        if not 0 <= i < len(old):
            raise IndexError(f"no article {i} in an index of {len(old)}")
        if lo < i:
            builder.add(Columns.of_store(old.articles, lo, i))
            chunks.append(old_slice(old, lo, i))
        article = changed[i]
        assert extractor is not None
        builder.add(Columns.of([article]))
        chunks.append(build_chunk([article], extractor))
        lo = i + 1
    if lo < len(old):
        builder.add(Columns.of_store(old.articles, lo, len(old)))
        chunks.append(old_slice(old, lo, len(old)))
    index = merge_chunks(builder.build(), chunks, prune=True)
    if cache is not None:
        from evreader.search import surface_rows
        cache.save(index, table if table is not None else snapshot.table,
                   gazetteer.fingerprint, surface_rows(index, gazetteer))
    index.forward = None  # as after a build: only the cache needs them
    return index


__all__ = ["replace_articles"]
