"""The per-article arrays an index is merged from, which the cache keeps.

An incremental build (`index.build`) and a patch (`index.patch`) take unchanged
articles from a cached index as slices of these arrays instead of analysing them
again. A warm start that only queries never reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from evreader.index.chunks import Chunk, IntArray
    from evreader.index.corpus import CorpusIndex


class WordPostings(NamedTuple):
    """Word → articles postings (body+title words, title words) of `articles`
    articles: what a cached `Forward` makes its word lists from."""

    t_ptr: IntArray
    t_art: IntArray
    h_ptr: IntArray
    h_art: IntArray
    articles: int


class Forward:
    """Per-article arrays (article → mentions, article → words): what the cache keeps
    for incremental builds.

    The word lists are the transpose of the word postings, which the index holds
    anyway (the same entries, ~87 MB each at 100k articles). So the cache keeps only
    the postings, and a Forward read from it (`of_postings`) transposes them when an
    incremental build first asks — ~0.1 s at 100k, paid by that build alone; a
    warm start never reads them. Each article's words then come in word-id order,
    where a fresh build has them in scan order: the postings made from either are
    the same.
    """

    __slots__ = ("_fh", "_ft", "_words", "m_end", "m_ent", "m_field", "m_ptr", "m_start")

    def __init__(self, m_ptr: IntArray, m_ent: IntArray, m_start: IntArray, m_end: IntArray,
                 m_field: IntArray, ft_ptr: IntArray, ft_ids: IntArray, fh_ptr: IntArray,
                 fh_ids: IntArray) -> None:
        self.m_ptr, self.m_ent, self.m_start, self.m_end, self.m_field = \
            m_ptr, m_ent, m_start, m_end, m_field
        self._ft: tuple[IntArray, IntArray] | None = (ft_ptr, ft_ids)
        self._fh: tuple[IntArray, IntArray] | None = (fh_ptr, fh_ids)
        self._words: WordPostings | None = None

    @classmethod
    def of_postings(cls, m_ptr: IntArray, m_ent: IntArray, m_start: IntArray, m_end: IntArray,
                    m_field: IntArray, words: WordPostings) -> Forward:
        """The mention arrays as given, the word lists made from `words` when first read."""
        fw = cls.__new__(cls)
        fw.m_ptr, fw.m_ent, fw.m_start, fw.m_end, fw.m_field = \
            m_ptr, m_ent, m_start, m_end, m_field
        fw._ft = fw._fh = None
        fw._words = words
        return fw

    def _word_lists(self) -> None:
        from evreader.index.postings import transpose
        words = self._words
        assert words is not None
        # transpose checks every article id against `articles` (ValueError if out of range)
        self._ft = transpose(words.t_ptr, words.t_art, words.articles)
        self._fh = transpose(words.h_ptr, words.h_art, words.articles)
        self._words = None

    @property
    def ft_ptr(self) -> IntArray:
        return self.words()[0]

    @property
    def ft_ids(self) -> IntArray:
        return self.words()[1]

    @property
    def fh_ptr(self) -> IntArray:
        return self.words()[2]

    @property
    def fh_ids(self) -> IntArray:
        return self.words()[3]

    def words(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """(ft_ptr, ft_ids, fh_ptr, fh_ids), made from the postings on first use."""
        if self._ft is None or self._fh is None:
            self._word_lists()
        assert self._ft is not None and self._fh is not None
        return (*self._ft, *self._fh)

    def slice(self, lo: int, hi: int) -> Chunk:
        """Articles lo..hi as a chunk whose local ids are these global ids."""
        from evreader.index.chunks import Chunk

        def part(ptr: IntArray, *arrays: IntArray) -> tuple[IntArray, ...]:
            a, b = int(ptr[lo]), int(ptr[hi])
            return (np.asarray(ptr[lo:hi + 1] - ptr[lo], dtype=np.int32),
                    *(np.asarray(x[a:b]) for x in arrays))
        ft_ptr, ft_ids, fh_ptr, fh_ids = self.words()
        m = part(self.m_ptr, self.m_ent, self.m_start, self.m_end, self.m_field)
        t = part(ft_ptr, ft_ids)
        h = part(fh_ptr, fh_ids)
        return Chunk([], m[0], m[1], m[2], m[3], m[4], [], t[0], t[1], h[0], h[1])


def forward_holds(index: CorpusIndex) -> bool:
    """Whether the cached index's word postings and mentions point inside their
    tables, and its per-article word lists can be made from them. Checked before an
    incremental build reads them back (its gathers would raise IndexError on an id
    out of range: it rebuilds instead); a warm start that only queries never reads
    them."""
    fw = index.forward
    if fw is None:
        return False
    n, n_ent = len(index), len(index.entities)
    if not all(len(a) == 0 or (int(a.min()) >= 0 and int(a.max()) < bound)
               for a, bound in ((index.t_art, n), (index.h_art, n), (fw.m_ent, n_ent))):
        return False
    if not all(bool((np.diff(np.asarray(p)) >= 0).all()) for p in (index.t_ptr, index.h_ptr)):
        return False
    try:
        fw.words()  # the word lists, transposed from the postings (now, once)
    except ValueError:
        return False
    return True


__all__ = ["Forward", "WordPostings", "forward_holds"]
