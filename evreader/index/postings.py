"""CSR building blocks of the index: postings, distinct pairs, gathers.

Compiled in `_csr.c` where `_native` has it (its loops release the GIL, so two of
these can run side by side in threads); the numpy code here gives the same
arrays otherwise, and tests hold the two equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from evreader._native import CSR
from evreader.index.chunks import IntArray


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


def unique_pairs(m_ptr: IntArray, ent: IntArray, n_ent: int,
                 block: int = 8192) -> tuple[IntArray, IntArray]:
    """Distinct (article, entity) pairs, sorted by article then entity.

    Done a block of articles at a time, so the temporaries stay a few MB however
    many mentions there are (all at once they were ~200 MB at 100k articles).
    """
    n_ent = max(n_ent, 1)
    arts: list[IntArray] = []
    ents: list[IntArray] = []
    for lo in range(0, len(m_ptr) - 1, block):
        hi = min(lo + block, len(m_ptr) - 1)
        a, b = int(m_ptr[lo]), int(m_ptr[hi])
        if a == b:
            continue
        art = np.repeat(np.arange(lo, hi, dtype=np.int64), np.diff(m_ptr[lo:hi + 1]))
        key = sorted_unique(art * n_ent + ent[a:b])
        arts.append((key // n_ent).astype(np.int32))
        ents.append((key % n_ent).astype(np.int32))
    return concat(arts), concat(ents)


def sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """np.unique by sorting: numpy 2.4's np.unique hashes first, ~30x slower here."""
    if len(values) == 0:
        return values
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def gather(table: IntArray, idx: IntArray, out: IntArray) -> None:
    """out[:] = table[idx] (int32): compiled, or np.take (which casts idx to int64)."""
    if CSR is None:
        np.take(table, idx, out=out)
    else:
        CSR.gather(table, np.ascontiguousarray(idx, dtype=np.int32), out)


# The counting sort takes 8 bytes per possible key: it refuses more than this many
# possible keys beyond twice the keys given (see _csr.c), and such sparse keys are
# sorted by numpy here instead (the same order).
SPARE_KEYS = 1 << 20


def stable_order(keys: IntArray, n_keys: int) -> IntArray:
    """The stable sort order of keys in [0, n_keys): a counting sort when compiled
    (numpy's argsort for few keys spread over a large range, or uncompiled)."""
    if CSR is None or n_keys > 2 * len(keys) + SPARE_KEYS:
        return np.argsort(keys, kind="stable").astype(np.int32)
    out = np.empty(len(keys), dtype=np.int32)
    CSR.counting_order(np.ascontiguousarray(keys, dtype=np.int32), n_keys, out)
    return out


def transpose(row_ptr: IntArray, cols: IntArray, n_cols: int) -> tuple[IntArray, IntArray]:
    """Postings from per-article ids: for each id, the articles holding it, ascending.

    Compiled, this writes the result directly, with no per-entry temporaries.
    """
    if CSR is None or len(cols) == 0:
        rows = np.repeat(np.arange(len(row_ptr) - 1, dtype=np.int32), np.diff(row_ptr))
        return postings(cols, rows, n_cols)
    cols = np.ascontiguousarray(cols, dtype=np.int32)
    starts = np.empty(n_cols + 1, dtype=np.int64)
    CSR.column_starts(cols, starts)
    col_ptr = starts.astype(np.int32) if starts[-1] < 2**31 - 1 else starts  # as ptr does
    out = np.empty(len(cols), dtype=np.int32)
    CSR.invert(np.ascontiguousarray(row_ptr), cols, starts, out)
    return col_ptr, out  # type: ignore[return-value]


def postings(keys: IntArray, values: IntArray, n_keys: int) -> tuple[IntArray, IntArray]:
    """CSR postings: for each key, the sorted values paired with it."""
    if len(keys) == 0:
        return np.zeros(n_keys + 1, np.int32), np.zeros(0, np.int32)
    order = stable_order(keys, n_keys)  # values arrive sorted, stable keeps them so
    counts = np.bincount(keys, minlength=n_keys).astype(np.int32)
    return ptr(counts), values[order].astype(np.int32, copy=False)
