"""Per-chunk analysis: mentions and word tokens for a batch of articles.

A chunk carries its own small entity table and vocabulary (local ids), so chunks
can be built in separate processes and cached; `merge` maps local ids to global
ones with one numpy gather per chunk, which costs the size of each chunk's
vocabulary, not the number of tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evreader import _native
from evreader.extract.extractor import Extractor
from evreader.extract.matcher import fold
from evreader.extract.scan_py import WORD_RE
from evreader.models import Article, MentionRow

IntArray = npt.NDArray[np.int32]

EntityKey = tuple[str, str, bool]  # kind, name, discovered


@dataclass(slots=True)
class Chunk:
    """Analysis of consecutive articles; every array is indexed by local ids."""

    entities: list[EntityKey]
    m_ptr: IntArray  # len n+1: mentions of article i are m_*[m_ptr[i]:m_ptr[i+1]]
    m_ent: IntArray
    m_start: IntArray
    m_end: IntArray
    m_field: IntArray
    vocab: list[str]
    t_ptr: IntArray  # unique body+title tokens per article (CSR)
    t_ids: IntArray
    h_ptr: IntArray  # unique title tokens per article (CSR)
    h_ids: IntArray


def tokens_of(text: str) -> list[str]:
    """A query's words, cut exactly as the scanner cuts articles (scan_py.WORD_RE)."""
    return WORD_RE.findall(fold(text))


def build_chunk(articles: Sequence[Article], extractor: Extractor) -> Chunk:
    rows: list[MentionRow] = []
    m_ptr = [0]
    scanner = extractor.scanner()
    for article in articles:
        rows += extractor.analyse(article, scanner)
        scanner.next_article()
        m_ptr.append(len(rows))
    keys, ent, start, end, field = _native.COLUMNS(rows)  # one compiled pass over the rows
    t_ptr, t_ids, h_ptr, h_ids = (np.frombuffer(b, dtype=np.int32) for b in scanner.arrays())
    return Chunk(
        entities=keys,
        m_ptr=np.asarray(m_ptr, dtype=np.int32), m_ent=_int32(ent), m_start=_int32(start),
        m_end=_int32(end), m_field=_int32(field),
        vocab=scanner.words(),
        t_ptr=t_ptr, t_ids=t_ids, h_ptr=h_ptr, h_ids=h_ids,
    )


def _int32(data: bytes) -> IntArray:
    return np.frombuffer(data, dtype=np.int32)
