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

from evreader.extract import Extractor
from evreader.extract.matcher import fold
from evreader.extract.scan_py import WORD_RE
from evreader.models import Article

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
    entity_ids: dict[EntityKey, int] = {}
    m_ptr = [0]
    m_ent: list[int] = []
    m_start: list[int] = []
    m_end: list[int] = []
    m_field: list[int] = []
    entity_id = entity_ids.__getitem__
    scanner = extractor.scanner()
    for article in articles:
        rows = extractor.analyse(article, scanner)
        scanner.next_article()
        if rows:
            kinds, names, starts, ends, fields, discovered = zip(*rows, strict=True)
            keys = list(zip(kinds, names, discovered, strict=True))
            entity_ids.update((k, len(entity_ids)) for k in keys if k not in entity_ids)
            m_ent.extend(map(entity_id, keys))
            m_start.extend(starts)
            m_end.extend(ends)
            m_field.extend(fields)
        m_ptr.append(len(m_ent))
    t_ptr, t_ids, h_ptr, h_ids = (np.frombuffer(b, dtype=np.int32) for b in scanner.arrays())
    return Chunk(
        entities=list(entity_ids),
        m_ptr=_arr(m_ptr), m_ent=_arr(m_ent), m_start=_arr(m_start), m_end=_arr(m_end),
        m_field=_arr(m_field),
        vocab=scanner.words(),
        t_ptr=t_ptr, t_ids=t_ids, h_ptr=h_ptr, h_ids=h_ids,
    )


def _arr(values: list[int]) -> IntArray:
    return np.asarray(values, dtype=np.int32)
