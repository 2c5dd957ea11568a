"""The in-memory index: articles, entity postings, facet counts and filters.

Postings are numpy CSR arrays, so a filter is a few boolean masks and a facet
count over 100k articles is one `bincount` — never a rescan of article text.
Filters combine AND across kinds and OR within a kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from evreader.index.facets import PairRuns
from evreader.index.forward import Forward
from evreader.index.store import ArticleStore
from evreader.models import KINDS, SOURCE, Filters, Mention

if TYPE_CHECKING:  # the building side (chunks, postings) loads only when a build runs
    from evreader.index.chunks import Chunk, EntityKey, IntArray

BoolArray = npt.NDArray[np.bool_]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EntityInfo:
    id: int
    kind: str
    name: str
    discovered: bool


@dataclass(slots=True)
class CorpusIndex:
    articles: ArticleStore
    entities: list[EntityInfo]
    m_ptr: IntArray
    m_ent: IntArray
    m_start: IntArray
    m_end: IntArray
    m_field: IntArray
    e_ptr: IntArray  # entity postings: articles of entity e are e_art[e_ptr[e]:e_ptr[e+1]]
    e_art: IntArray
    pair_art: IntArray  # unique (article, entity) pairs, for facet counts
    pair_ent: IntArray
    order: IntArray  # default display order: newest first, undated in source order
    day: IntArray  # published date as ordinal, 0 when unknown
    vocab: Sequence[str] = field(default_factory=list)  # sorted
    t_ptr: IntArray = field(default_factory=lambda: np.zeros(1, np.int32))
    t_art: IntArray = field(default_factory=lambda: np.zeros(0, np.int32))
    h_ptr: IntArray = field(default_factory=lambda: np.zeros(1, np.int32))
    h_art: IntArray = field(default_factory=lambda: np.zeros(0, np.int32))
    forward: Forward | None = None
    by_key: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _by_id: dict[str, int] | None = None  # see by_id
    pair_runs: PairRuns | None = None  # made on the first facet count
    # Arrays derived on first use (sort ranks, entity kinds), kept while the index lives.
    derived: dict[str, npt.NDArray[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for info in self.entities:
            self.by_key.setdefault((info.kind, info.name), []).append(info.id)

    @property
    def by_id(self) -> dict[str, int]:
        """Article index by id, made on first use (a warm `list` never asks: 100k ids
        cost ~15 ms and ~10 MB)."""
        if self._by_id is None:
            self._by_id = {article_id: i for i, article_id in enumerate(self.articles.ids)}
        return self._by_id

    # ------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.articles)

    def mentions(self, i: int) -> list[Mention]:
        from evreader.extract.extractor import FIELD_NAMES  # the extraction side, when shown
        lo, hi = int(self.m_ptr[i]), int(self.m_ptr[i + 1])
        out = []
        for j in range(lo, hi):
            info = self.entities[int(self.m_ent[j])]
            out.append(Mention(info.kind, info.name, int(self.m_start[j]),  # type: ignore[arg-type]
                               int(self.m_end[j]), FIELD_NAMES[int(self.m_field[j])],
                               info.discovered))
        return out

    def entity_names(self, i: int) -> dict[str, list[str]]:
        """Canonical names per kind for article i, in order of first mention.

        Each name is kept once by dict keys (an ordered set): an article may name
        thousands of entities, and a list's `in` made that quadratic."""
        out: dict[str, dict[str, None]] = {k: {} for k in KINDS}
        lo, hi = int(self.m_ptr[i]), int(self.m_ptr[i + 1])
        for e in self.m_ent[lo:hi].tolist():
            info = self.entities[e]
            if not info.discovered:
                out[info.kind][info.name] = None
        return {kind: list(names) for kind, names in out.items()}

    def discovered_names(self, i: int) -> list[str]:
        lo, hi = int(self.m_ptr[i]), int(self.m_ptr[i + 1])
        names: dict[str, None] = {}  # an ordered set, as in entity_names
        for e in self.m_ent[lo:hi].tolist():
            info = self.entities[e]
            if info.discovered:
                names[info.name] = None
        return list(names)

    def as_dict(self, i: int) -> dict[str, object]:
        """The stable JSON shape of article i (see README, "JSON output")."""
        a = self.articles[i]
        return {
            "id": a.id,
            "source": a.source,
            "publisher": a.publisher or None,
            "title": a.title,
            "published": a.published_iso(),
            "authors": list(a.authors),
            "url": a.url,
            "byline": a.byline,
            "text": a.text,
            "entities": self.entity_names(i),
            "discovered": {"company": self.discovered_names(i)},
        }

    def postings(self, entity_id: int) -> IntArray:
        return self.e_art[self.e_ptr[entity_id]: self.e_ptr[entity_id + 1]]

    def entity_ids(self, kind: str, name: str) -> list[int]:
        return self.by_key.get((kind, name), [])

    def article_count(self, kind: str, name: str) -> int:
        return sum(len(self.postings(e)) for e in self.entity_ids(kind, name))

    # ------------------------------------------------------------ filtering
    def mask_for(self, filters: Filters, query_hits: IntArray | None = None) -> BoolArray:
        """Articles passing the entity and date filters (and the query hits, if given)."""
        n = len(self.articles)
        mask = np.ones(n, dtype=bool)
        by_kind: dict[str, list[str]] = {}
        for kind, name in filters.entities:
            by_kind.setdefault(kind, []).append(name)
        for kind, names in by_kind.items():
            mask &= self.any_of(kind, names)
        for kind, name in filters.exclude:
            mask &= ~self.any_of(kind, [name])
        if filters.since or filters.until:
            lo = filters.since.toordinal() if filters.since else 1
            hi = filters.until.toordinal() if filters.until else 10**7
            mask &= (self.day >= lo) & (self.day <= hi)
        if query_hits is not None:
            hit_mask = np.zeros(n, dtype=bool)
            hit_mask[query_hits] = True
            mask &= hit_mask
        return mask

    def any_of(self, kind: str, names: Sequence[str]) -> BoolArray:
        """Articles mentioning any of `names` (of `kind`; "source": published by)."""
        n = len(self.articles)
        if kind == SOURCE:
            chosen = set(names)
            wanted = [i for i, p in enumerate(self.articles.publishers) if p in chosen]
            return np.isin(self.articles.publisher_idx, wanted) if wanted else \
                np.zeros(n, dtype=bool)
        found = np.zeros(n, dtype=bool)
        for name in names:
            for e in self.entity_ids(kind, name):
                found[self.postings(e)] = True
        return found

    def entities_of_kind(self, kind: str) -> npt.NDArray[np.int64]:
        """Ids of the entities of `kind`."""
        key = f"kind:{kind}"
        found = self.derived.get(key)
        if found is None:
            found = np.asarray([e.id for e in self.entities if e.kind == kind], dtype=np.int64)
            self.derived[key] = found
        return found

    def publisher_counts(self, mask: BoolArray) -> list[tuple[str, int]]:
        """Known publishers with articles in `mask`, most first (then by name)."""
        counts = np.bincount(np.asarray(self.articles.publisher_idx)[mask],
                             minlength=len(self.articles.publishers))
        table = self.articles.publishers
        rows = [(table[i], int(c)) for i, c in enumerate(counts.tolist()) if c and table[i]]
        rows.sort(key=lambda r: (-r[1], r[0].casefold()))
        return rows

    def ordered(self, mask: BoolArray) -> IntArray:
        """Indices of articles in `mask`, in default display order."""
        return self.order[mask[self.order]]

    def facet_counts(self, mask: BoolArray) -> npt.NDArray[np.int64]:
        """Article count per entity id among the articles in `mask`."""
        if len(mask) and mask.all():  # nothing filtered out (the first screen): the
            return np.diff(np.asarray(self.e_ptr)).astype(np.int64)  # postings' lengths
        if self.pair_runs is None:
            self.pair_runs = PairRuns.of(self.pair_art, len(self.articles))
        return self.pair_runs.counts(mask, self.pair_art, self.pair_ent, len(self.entities))

    def top_entities(self, counts: npt.NDArray[np.int64], kind: str, *,
                     discovered: bool = False, limit: int | None = None
                     ) -> list[tuple[EntityInfo, int]]:
        """Entities of a kind with a non-zero count, most articles first."""
        rows = [(info, int(counts[info.id])) for info in self.entities
                if info.kind == kind and info.discovered == discovered and counts[info.id] > 0]
        rows.sort(key=lambda r: (-r[1], r[0].name.lower()))
        return rows[:limit] if limit is not None else rows


# ---------------------------------------------------------------- building


def merge_chunks(store: ArticleStore, chunks: list[Chunk], *, prune: bool = True
                 ) -> CorpusIndex:
    """One CorpusIndex from chunks that together cover `store` in order.

    `prune` drops entities and words no article uses, which only reused cache slices
    bring (they carry whole tables); freshly built chunks list only what they use.

    Entity and vocabulary tables are sorted, so the result does not depend on how the
    articles were split into chunks (serial, parallel and incremental builds agree).
    `chunks` is consumed (emptied as it is merged) to keep peak memory down.
    """
    from evreader.index.postings import ptr
    entity_keys = sorted(set().union(*(c.entities for c in chunks)) if chunks else set())
    entity_ids = {k: i for i, k in enumerate(entity_keys)}
    vocab = sorted(set().union(*(c.vocab for c in chunks)) if chunks else set())
    vocab_ids = {w: i for i, w in enumerate(vocab)}
    # Filled in place, chunk by chunk, each chunk freed as it goes: no second copy of
    # the postings-sized arrays at any point.
    sizes = {"m": sum(len(c.m_ent) for c in chunks), "t": sum(len(c.t_ids) for c in chunks),
             "h": sum(len(c.h_ids) for c in chunks), "n": sum(len(c.m_ptr) - 1 for c in chunks)}
    dims = {"m_ent": "m", "m_start": "m", "m_end": "m", "m_field": "m", "t_ids": "t",
            "h_ids": "h", "m_count": "n", "t_count": "n", "h_count": "n"}
    cat = {key: np.empty(sizes[dim], np.int32) for key, dim in dims.items()}
    at = dict.fromkeys(("m", "t", "h", "n"), 0)
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()  # dropped after this pass: its vocabulary and local ids go
        emap = np.fromiter((entity_ids[k] for k in chunk.entities), dtype=np.int32,
                           count=len(chunk.entities))
        vmap = np.fromiter((vocab_ids[w] for w in chunk.vocab), dtype=np.int32,
                           count=len(chunk.vocab))
        n, m, t, h = len(chunk.m_ptr) - 1, len(chunk.m_ent), len(chunk.t_ids), len(chunk.h_ids)
        put = {"m_count": (np.diff(chunk.m_ptr), "n", n), "m_start": (chunk.m_start, "m", m),
               "m_end": (chunk.m_end, "m", m), "m_field": (chunk.m_field, "m", m),
               "t_count": (np.diff(chunk.t_ptr), "n", n), "h_count": (np.diff(chunk.h_ptr), "n", n)}
        for key, (values, dim, size) in put.items():
            cat[key][at[dim]:at[dim] + size] = values
        np.take(emap, chunk.m_ent, out=cat["m_ent"][at["m"]:at["m"] + m])
        np.take(vmap, chunk.t_ids, out=cat["t_ids"][at["t"]:at["t"] + t])
        np.take(vmap, chunk.h_ids, out=cat["h_ids"][at["h"]:at["h"] + h])
        for dim, size in (("n", n), ("m", m), ("t", t), ("h", h)):
            at[dim] += size
        del chunk, emap, vmap
    if len(cat["m_count"]) != len(store):
        raise ValueError("chunks do not cover the articles")
    if prune:
        entity_keys, (cat["m_ent"],) = _prune(entity_keys, cat["m_ent"])
        vocab, (cat["t_ids"], cat["h_ids"]) = _prune(vocab, cat["t_ids"], cat["h_ids"])
    forward = Forward(ptr(cat["m_count"]), cat["m_ent"], cat["m_start"], cat["m_end"],
                      cat["m_field"], ptr(cat["t_count"]), cat["t_ids"], ptr(cat["h_count"]),
                      cat["h_ids"])
    return index_from_forward(store, entity_keys, vocab, forward)


def index_from_forward(store: ArticleStore, entity_keys: list[EntityKey], vocab: list[str],
                       fw: Forward) -> CorpusIndex:
    """Derive postings, facets and display order from the per-article arrays."""
    from evreader.index.postings import postings, unique_pairs
    n = len(store)
    entities = [EntityInfo(i, k, name, disc) for i, (k, name, disc) in enumerate(entity_keys)]
    # The word postings are built in a thread beside the entity postings: the loops of
    # both release the GIL, and a cold build gets here with one core idle (at 100k
    # articles the two sides take ~0.3 and ~0.4 s).
    with ThreadPoolExecutor(1, thread_name_prefix="evreader-postings") as beside:
        words = beside.submit(_word_postings, fw, len(vocab))
        pair_art, pair_ent = unique_pairs(fw.m_ptr, fw.m_ent, len(entities))
        e_ptr, e_art = postings(pair_ent, pair_art, len(entities))
        (t_ptr, t_post), (h_ptr, h_post) = words.result()
    day = np.asarray(store.day, dtype=np.int32)
    order = np.lexsort((np.arange(n), -day)).astype(np.int32) if n else np.zeros(0, np.int32)
    return CorpusIndex(
        articles=store, entities=entities, m_ptr=fw.m_ptr, m_ent=fw.m_ent,
        m_start=fw.m_start, m_end=fw.m_end, m_field=fw.m_field,
        e_ptr=e_ptr, e_art=e_art, pair_art=pair_art, pair_ent=pair_ent, order=order, day=day,
        vocab=vocab, t_ptr=t_ptr, t_art=t_post, h_ptr=h_ptr, h_art=h_post, forward=fw,
    )


def _word_postings(fw: Forward, n_words: int) -> tuple[tuple[IntArray, IntArray], ...]:
    """Word → articles postings, for body+title words and for title words."""
    from evreader.index.postings import transpose
    return (transpose(fw.ft_ptr, fw.ft_ids, n_words), transpose(fw.fh_ptr, fw.fh_ids, n_words))


def _prune(table: list[T], used: IntArray, *also: IntArray) -> tuple[list[T], list[IntArray]]:
    """Keep the table entries `used` refers to; renumber `used` and `also` (a subset)."""
    present = np.bincount(used, minlength=len(table)) > 0 if len(used) else \
        np.zeros(len(table), dtype=bool)
    if present.all():
        return table, [used, *also]
    new_id = np.cumsum(present, dtype=np.int64).astype(np.int32) - 1
    kept = [table[int(i)] for i in np.flatnonzero(present)]
    return kept, [new_id[a] if len(a) else a for a in (used, *also)]
