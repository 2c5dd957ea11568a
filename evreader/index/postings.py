"""CSR building blocks of the index: postings and distinct pairs.

numpy throughout, but for the word postings' transpose: compiled in `_csr.c`
where `_native` has it (its loop releases the GIL, so the word postings build
beside the entity postings in a thread); `postings` gives the same arrays
otherwise, and tests hold the two equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from evreader._native import CSR
from evreader.index.chunks import IntArray

BLOCK = 1 << 20  # entries per pass where a whole-array temporary would be large


def concat(arrays: list[IntArray]) -> IntArray:
    """The arrays end to end, as int32 (an empty int32 array for none)."""
    if not arrays:
        return np.zeros(0, dtype=np.int32)
    return np.concatenate(arrays).astype(np.int32, copy=False)


def ptr(counts: npt.NDArray[np.integer[Any]]) -> IntArray:
    """Row pointers from row lengths: int32, or int64 past 2**31 entries."""
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out.astype(np.int32) if out[-1] < 2**31 - 1 else out  # type: ignore[return-value]


def counts_of(keys: IntArray, n_keys: int) -> npt.NDArray[np.int64]:
    """np.bincount of keys in [0, n_keys), a block at a time: bincount copies its
    input to int64 first, 170 MB for the word lists of 100k articles."""
    counts = np.zeros(n_keys, dtype=np.int64)
    for lo in range(0, len(keys), BLOCK):
        counts += np.bincount(keys[lo:lo + BLOCK], minlength=n_keys)
    return counts


def unique_pairs(m_ptr: IntArray, ent: IntArray, n_ent: int,
                 block: int = 8192) -> tuple[IntArray, IntArray]:
    """Distinct (article, entity) pairs, sorted by article then entity.

    Done a block of articles at a time, so the temporaries stay a few MB however
    many mentions there are (all at once they were ~200 MB at 100k articles). A
    pair is one int32 (article within the block × n_ent + entity), the block cut to
    fit: numpy sorts int32 several times faster than int64.
    """
    n_ent = max(n_ent, 1)
    block = max(1, min(block, (2**31 - 1) // n_ent))
    arts: list[IntArray] = []
    ents: list[IntArray] = []
    for lo in range(0, len(m_ptr) - 1, block):
        hi = min(lo + block, len(m_ptr) - 1)
        a, b = int(m_ptr[lo]), int(m_ptr[hi])
        if a == b:
            continue
        art = np.repeat(np.arange(hi - lo, dtype=np.int32), np.diff(m_ptr[lo:hi + 1]))
        key = sorted_unique(art * np.int32(n_ent) + ent[a:b])
        arts.append(key // n_ent + lo)
        ents.append(key % n_ent)
    return concat(arts), concat(ents)


def sorted_unique(values: IntArray) -> IntArray:
    """np.unique by sorting: numpy 2.4's np.unique hashes first, ~30x slower here."""
    if len(values) == 0:
        return values
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def transpose(row_ptr: IntArray, cols: IntArray, n_cols: int) -> tuple[IntArray, IntArray]:
    """Postings from per-article ids: for each id, the articles holding it, ascending.

    Compiled, this writes the result directly: at 100k articles (22M word entries)
    0.13 s, where `postings`' sort takes 0.5 s and raises the build's peak RSS from
    549 to 791 MiB.
    """
    if CSR is None or len(cols) == 0:
        rows = np.repeat(np.arange(len(row_ptr) - 1, dtype=np.int32), np.diff(row_ptr))
        return postings(cols, rows, n_cols)
    cols = np.ascontiguousarray(cols, dtype=np.int32)
    counts = counts_of(cols, n_cols)
    col_ptr = ptr(counts)
    starts = np.zeros(n_cols + 1, dtype=np.int64)  # write cursors, consumed by invert
    np.cumsum(counts, out=starts[1:])
    out = np.empty(len(cols), dtype=np.int32)
    CSR.invert(np.ascontiguousarray(row_ptr), cols, starts, out)
    return col_ptr, out


def postings(keys: IntArray, values: IntArray, n_keys: int) -> tuple[IntArray, IntArray]:
    """CSR postings: for each key in [0, n_keys), the values paired with it, ascending
    (values are in [0, 2**31): article numbers).

    Each pair is one int64, key above value, and one sort orders them all; numpy
    sorts int64 with SIMD, where its stable argsort of the keys is a merge sort
    several times slower.
    """
    if len(keys) == 0:
        return np.zeros(n_keys + 1, np.int32), np.zeros(0, np.int32)
    if int(values.min()) < 0:
        raise ValueError("postings: values must not be negative")
    pairs = keys.astype(np.int64) << 32
    pairs |= values
    pairs.sort()
    return ptr(counts_of(keys, n_keys)), pairs.astype(np.int32)  # the low half: the value
