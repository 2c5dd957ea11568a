"""Fuzzy search over articles, and entity lookup from a typed fragment.

Article search matches each query word against the index vocabulary (typo
tolerant with rapidfuzz; prefix matching for words of ≤ 3 characters), then
scores articles through word postings — the text is never rescanned. A query
that names an entity by any alias ('hon hai') also finds the articles that
mention that entity. Every query word must be matched (AND).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from evreader.extract.folding import fold
from evreader.gazetteer import DeferredGazetteer, Gazetteer
from evreader.index.corpus import CorpusIndex
from evreader.models import KINDS

if TYPE_CHECKING:  # the rest loads on first use: a warm `list` needs none of it
    from evreader.fragment_match import FormIndex
    from evreader.index.chunks import IntArray

SurfaceRow = tuple[str, str, str, str, bool]  # folded form, form, kind, name, discovered

SHORT = 3  # queries of this length or less use prefix matching
TITLE_BOOST = 2.0


@dataclass(frozen=True, slots=True)
class EntityMatch:
    kind: str
    name: str
    score: float  # 0–100
    count: int  # articles mentioning it (in the whole corpus)
    matched: str  # the alias or name that matched
    discovered: bool = False


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: int  # index into CorpusIndex.articles
    score: float


class SearchEngine:
    """Built once per index; methods are safe to call from a worker thread."""

    def __init__(self, index: CorpusIndex,
                 gazetteer: Gazetteer | DeferredGazetteer | None = None,
                 surfaces: Callable[[], list[SurfaceRow]] | None = None) -> None:
        """`surfaces`: `surface_rows(index, gazetteer)` as the cache kept them, so that
        a lookup in a cached library need not parse the gazetteer."""
        self.index = index
        self.n = len(index)
        df = np.diff(index.t_ptr).astype(np.float64)
        self.idf = np.log1p(self.n / np.maximum(df, 1.0))
        self.vocab = index.vocab
        self._gazetteer = gazetteer
        self._lock = threading.Lock()
        # Built on first use, not at start-up: a warm start should only map the cache.
        self._by_len: dict[int, tuple[list[int], list[str]]] | None = None
        self._surface_rows: list[SurfaceRow] | None = None
        self._cached_surfaces = surfaces
        # Forms of the wanted kinds only (a company lookup scores 1 form in 5), with
        # each one's row in _surface_rows; keyed by the kinds, None for all.
        self._forms: dict[frozenset[str] | None, tuple[FormIndex, list[int]]] = {}
        self._term_cache = lru_cache(maxsize=4096)(self._expand_uncached)

    @property
    def by_len(self) -> dict[int, tuple[list[int], list[str]]]:
        """Vocabulary ids and words by word length (typo candidates differ by ≤ 2)."""
        if self._by_len is None:
            with self._lock:
                if self._by_len is None:
                    by_len: dict[int, list[int]] = {}
                    for i, word in enumerate(self.vocab):
                        by_len.setdefault(len(word), []).append(i)
                    self._by_len = {k: (v, [self.vocab[i] for i in v])
                                    for k, v in by_len.items()}
        return self._by_len

    @property
    def _surfaces(self) -> list[SurfaceRow]:
        if self._surface_rows is None:
            with self._lock:
                if self._surface_rows is None:
                    rows = self._cached_surfaces() if self._cached_surfaces else None
                    if rows is None:
                        source = self._gazetteer
                        rows = surface_rows(self.index, source.get() if isinstance(
                            source, DeferredGazetteer) else source)
                    self._surface_rows = rows
        return self._surface_rows

    def warm(self) -> None:
        """Build the lazy tables now (call from a background thread after the first paint)."""
        self.by_len  # noqa: B018
        for kind in KINDS:  # the pickers look up one kind at a time
            self._surface_forms(frozenset((kind,)))

    @property
    def warmed(self) -> bool:
        return self._by_len is not None and self._surface_rows is not None

    def _surface_forms(self, kinds: frozenset[str] | None) -> tuple[FormIndex, list[int]]:
        """The forms of these kinds (all when None), and their rows in _surfaces."""
        rows = self._surfaces  # builds the table on first use
        found = self._forms.get(kinds)
        if found is None:
            from evreader.fragment_match import FormIndex
            with self._lock:
                if (found := self._forms.get(kinds)) is not None:
                    return found
                picked = [i for i, row in enumerate(rows) if kinds is None or row[2] in kinds]
                found = (FormIndex([rows[i][0] for i in picked]), picked)
                self._forms[kinds] = found
        return found

    # ------------------------------------------------------------ entities
    def lookup(self, fragment: str, kinds: Iterable[str] | None = None, limit: int = 10,
               *, present_only: bool = True, min_score: float = 0.0) -> list[EntityMatch]:
        """Best entities for a typed fragment: 'nisan' → Nissan, 'hon hai' → Foxconn.

        With `min_score`, only matches scoring that much: the fuzzy scorers then skip
        forms that cannot reach it (so where two forms of an entity tie, `matched` may
        name the other one)."""
        q = " ".join(fold(fragment).split())
        if not q:
            return []
        wanted = frozenset(kinds) if kinds is not None else None
        best: dict[tuple[str, str], EntityMatch] = {}
        for idx, score in self._surface_scores(q, wanted, min_score):
            _, form, kind, name, disc = self._surfaces[idx]
            count = self.index.article_count(kind, name)
            if present_only and count == 0:
                continue
            prev = best.get((kind, name))
            if prev is None or score > prev.score:
                best[(kind, name)] = EntityMatch(kind, name, score, count, form, disc)
        ranked = sorted((m for m in best.values() if m.score >= min_score),
                        key=lambda m: (-m.score, -m.count, m.name.lower()))
        return ranked[:limit]

    def best(self, fragment: str, kinds: Iterable[str] | None = None) -> EntityMatch | None:
        """`lookup(fragment, kinds, limit=1)[0]`, or None. A fragment that spells a
        form exactly (`--company nissan`) is answered from the forms alone: only an
        exact form scores 100, so the best match is among those (ties: most articles,
        then by name, as lookup ranks), and no fuzzy scorer is loaded."""
        q = " ".join(fold(fragment).split())
        wanted = frozenset(kinds) if kinds is not None else None
        exact: dict[tuple[str, str], EntityMatch] = {}
        for key, form, kind, name, disc in self._surfaces:
            if key == q and (wanted is None or kind in wanted) and (kind, name) not in exact:
                count = self.index.article_count(kind, name)
                if count:
                    exact[(kind, name)] = EntityMatch(kind, name, 100.0, count, form, disc)
        if exact:
            return min(exact.values(), key=lambda m: (-m.count, m.name.lower()))
        found = self.lookup(fragment, kinds, limit=1)
        return found[0] if found else None

    def _surface_scores(self, q: str, kinds: frozenset[str] | None = None,
                        min_score: float = 0.0) -> list[tuple[int, float]]:
        """(surface index, 0–100) for forms of these kinds the fragment could mean.

        A prefix of the form (or of one of its words) scores high — the user may still
        be typing; otherwise native rapidfuzz ratio (typos) and partial ratio.
        """
        from rapidfuzz import fuzz
        forms, rows = self._surface_forms(kinds)
        keys = forms.keys
        scores: dict[int, float] = {}
        for i, starts_form in forms.word_prefix_hits(q):
            top = 100.0 if starts_form else 90.0
            scores[i] = top - min(10.0, 0.25 * (len(keys[i]) - len(q)))
        if len(q) > SHORT:
            # A score under either cutoff cannot lift a form to min_score.
            for i, score in forms.scores(q, fuzz.ratio, max(75.0, min_score)):
                scores[i] = max(scores.get(i, 0.0), score)
            for i, score in forms.scores(q, fuzz.partial_ratio, max(85.0, min_score / 0.9 - 0.01)):
                if len(keys[i]) >= len(q):
                    scores[i] = max(scores.get(i, 0.0), score * 0.9)
        return [(rows[i], score) for i, score in scores.items()]

    def lookup_publishers(self, fragment: str) -> list[str]:
        """The publishers a typed fragment names: 'reuters' → Reuters and reuters.com
        (every publisher with the best match's grouping key), or none."""
        from rapidfuzz import fuzz

        from evreader.ingest.publisher import key as publisher_key
        q = " ".join(fragment.casefold().split())
        names = [p for p in self.index.articles.publishers if p]
        if not q or not names:
            return []
        keys = [publisher_key(p) for p in names]
        qkey = publisher_key(q)
        best: tuple[float, str] | None = None
        for name, key in zip(names, keys, strict=True):
            folded = name.casefold()
            if qkey in (key, folded) or q == folded:
                score = 100.0
            elif key.startswith(qkey) or folded.startswith(q):
                score = 95.0 - min(10.0, 0.25 * (len(key) - len(qkey)))
            else:
                score = max(fuzz.ratio(qkey, key), 0.9 * fuzz.partial_ratio(qkey, key)
                            if len(qkey) > SHORT else 0.0)
            if score >= 75 and (best is None or score > best[0]):
                best = (score, key)
        if best is None:
            return []
        return [name for name, key in zip(names, keys, strict=True) if key == best[1]]

    # ------------------------------------------------------------ articles
    def search(self, query: str, candidates: npt.NDArray[np.bool_] | None = None,
               limit: int | None = None) -> list[SearchHit]:
        """Articles matching every word of `query` (fuzzily), best first."""
        from evreader.index.chunks import tokens_of
        words = tokens_of(query)
        if not words or self.n == 0:
            return []
        scores = np.zeros(self.n, dtype=np.float64)
        covered = np.zeros(self.n, dtype=np.int32)
        entity_hits = self._entity_articles(query)
        for word in words:
            word_scores = np.zeros(self.n, dtype=np.float64)
            for term, weight in self._term_cache(word):
                w = weight * float(self.idf[term])
                lo, hi = self.index.t_ptr[term], self.index.t_ptr[term + 1]
                arts = self.index.t_art[lo:hi]
                word_scores[arts] = np.maximum(word_scores[arts], w)
                hlo, hhi = self.index.h_ptr[term], self.index.h_ptr[term + 1]
                harts = self.index.h_art[hlo:hhi]
                word_scores[harts] = np.maximum(word_scores[harts], w * TITLE_BOOST)
            covered += word_scores > 0
            scores += word_scores
        full = covered == len(words)
        if entity_hits is not None:
            arts, boost = entity_hits
            full[arts] = True
            scores[arts] += boost
        if candidates is not None:
            full &= candidates
        hits = np.flatnonzero(full)
        if len(hits) == 0:
            return []
        order = np.lexsort((hits, -scores[hits]))
        ranked = hits[order]
        if limit is not None:
            ranked = ranked[:limit]
        return [SearchHit(int(i), float(scores[i])) for i in ranked]

    def expand(self, word: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary ids a folded query word stands for (itself, prefix completions,
        typo neighbours), each with its similarity weight: what `search` scores."""
        return self._term_cache(word)

    def exact_terms(self, word: str) -> list[int]:
        """Vocabulary ids of the tokens of `word`, exactly (for excluded words)."""
        out = []
        from evreader.index.chunks import tokens_of
        for token in tokens_of(word):
            i = bisect.bisect_left(self.vocab, token)
            if i < len(self.vocab) and self.vocab[i] == token:
                out.append(i)
        return out

    def term_articles(self, term: int) -> IntArray:
        return self.index.t_art[self.index.t_ptr[term]: self.index.t_ptr[term + 1]]

    def matching_articles(self, query: str) -> IntArray:
        """Indices of all articles matching `query` (unordered set semantics)."""
        hits = self.search(query)
        return np.array(sorted(h.article for h in hits), dtype=np.int32)

    def _entity_articles(self, query: str) -> tuple[IntArray, float] | None:
        """Articles of entities whose name or alias the whole query spells (fuzzily)."""
        q = " ".join(fold(query).split())
        if len(q) <= SHORT:
            return None
        strong = [m for m in self.lookup(q, limit=5, min_score=88)
                  if not self._is_place(m.matched)]
        if not strong:
            return None
        found = np.zeros(self.n, dtype=bool)  # the union, sorted (np.unique hashed: 6 ms)
        named = False
        for match in strong:
            for e in self.index.entity_ids(match.kind, match.name):
                found[self.index.postings(e)] = True
                named = True
        if not named:
            return None
        return np.flatnonzero(found).astype(np.int32), 5.0

    def _is_place(self, form: str) -> bool:
        """A place that implies a country ("Nevada"): searching it must not bring
        every article of the country (the country filter asks for that)."""
        source = self._gazetteer
        gazetteer = source.get() if isinstance(source, DeferredGazetteer) else source
        return gazetteer is not None and form.strip().lower() in gazetteer.places

    def _expand_uncached(self, word: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary terms a query word stands for, with a similarity weight."""
        from rapidfuzz import fuzz, process
        vocab = self.vocab
        out: dict[int, float] = {}
        exact = bisect.bisect_left(vocab, word)
        if exact < len(vocab) and vocab[exact] == word:
            out[exact] = 1.0
        if len(word) <= SHORT:
            i = exact
            while i < len(vocab) and vocab[i].startswith(word) and len(out) < 2000:
                out.setdefault(i, 0.8)
                i += 1
            return tuple(out.items())
        # Prefix completions count (the user may still be typing), then typo neighbours.
        i = exact
        while i < len(vocab) and vocab[i].startswith(word) and len(out) < 500:
            out.setdefault(i, 0.85)
            i += 1
        max_edit = 1 if len(word) <= 5 else 2
        for length in range(len(word) - max_edit, len(word) + max_edit + 1):
            bucket = self.by_len.get(length)
            if not bucket:
                continue
            ids, words = bucket
            for _, score, j in process.extract(word, words, scorer=fuzz.ratio, limit=50,
                                               score_cutoff=_cutoff(len(word))):
                out.setdefault(ids[j], float(score) / 100.0 * 0.9)
        return tuple(out.items())


def surface_rows(index: CorpusIndex, gazetteer: Gazetteer | None) -> list[SurfaceRow]:
    """(folded form, form, kind, canonical name, discovered) for every entity in the
    index: each form the gazetteer knows it by, then its own name."""
    present = {(e.kind, e.name) for e in index.entities}
    rows: dict[tuple[str, str, str], SurfaceRow] = {}
    if gazetteer is not None:
        for surface in gazetteer.surfaces.values():
            for kind, name in surface.targets:
                if (kind, name) in present:
                    key = (fold(surface.text), kind, name)
                    rows.setdefault(key, (key[0], surface.text, kind, name, False))
    for info in index.entities:
        key = (fold(info.name), info.kind, info.name)
        rows.setdefault(key, (key[0], info.name, info.kind, info.name, info.discovered))
    return list(rows.values())


def _cutoff(n: int) -> float:
    return 80.0 if n <= 5 else 75.0
