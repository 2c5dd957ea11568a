"""Fuzz harness for the compiled postings helper (`_csr.c`): its one function,
invert, on buffers of every dtype, shape, stride, writability and overlap, with
values in and out of range.

Where the inputs are what it documents, its result must equal numpy's
(`index/postings.py` uses that when the helper is not built); anything else
must be refused with an exception, before anything is written out of bounds.
Under `make fuzz` the sanitizer builds make any bad access a failure.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evreader.index import postings
from tests.fuzz import budget

CSR: Any = postings.CSR
pytestmark = pytest.mark.skipif(CSR is None, reason="C postings helper not built")
REFUSALS = (TypeError, ValueError, BufferError, IndexError, OverflowError)
DTYPES = [np.int32, np.int32, np.int32, np.int64, np.int64, np.uint32, np.uint64, np.float64,
          np.float32, np.int16, np.int8, np.bool_, ">i4", ">i8", "V4", "V0",
          [("a", np.int32)]]


@st.composite
def arrays(draw: st.DrawFn, base: Any, *, want: Any = np.int32, hi: int = 12) -> Any:
    """A buffer for one argument: mostly a fresh 1-d array of `want`, else any dtype,
    2-d, strided, read-only, a view of the shared `base` (so outputs may overlap
    inputs), a memoryview or bytes."""
    n = draw(st.integers(0, 24))
    values = draw(st.lists(st.integers(-3, hi), min_size=n, max_size=n))
    how = draw(st.sampled_from(["plain"] * 6 + ["dtype", "2d", "strided", "readonly", "view",
                                                "view", "memoryview", "bytes", "scalar"]))
    if how == "plain":
        return np.asarray(values, dtype=want)
    if how == "dtype":
        dtype = np.dtype(draw(st.sampled_from(DTYPES)))
        out = np.zeros(n, dtype=dtype)
        if dtype.kind in "iufb":
            out[:] = np.asarray(values).astype(dtype)
        return out
    if how == "2d":
        return np.asarray(values + [0] * (n % 2), dtype=want).reshape(-1, 2)
    if how == "strided":
        return np.asarray(values * 2, dtype=want)[::2]
    if how == "readonly":
        out = np.asarray(values, dtype=want)
        out.flags.writeable = False
        return out
    if how in ("view", "memoryview"):
        raw = base.view(np.uint8)
        size = np.dtype(want).itemsize
        start = draw(st.integers(0, 32)) * draw(st.sampled_from([size, 1, size]))
        count = min(n, (len(raw) - start) // size)
        view = raw[start:start + count * size].view(want) if count > 0 else np.zeros(0, want)
        view[:] = values[:count]
        return memoryview(view) if how == "memoryview" else view
    if how == "bytes":
        return np.asarray(values, dtype=want).tobytes()
    return np.asarray(values[0] if values else 0, dtype=want)  # 0-d


def _arr(a: Any) -> Any:
    """The buffer as a numpy array over the same memory (None for bytes and the like)."""
    if isinstance(a, memoryview):
        return np.asarray(a)
    return a if isinstance(a, np.ndarray) else None


def _plain(*arrays: Any) -> bool:
    """Whether every buffer is a 1-d, C-contiguous, aligned array or memoryview."""
    return all(_arr(a) is not None and _arr(a).ndim == 1 and _arr(a).flags.c_contiguous
               and _arr(a).flags.aligned for a in arrays)


def _apart(outs: list[Any], others: list[Any]) -> bool:
    """Whether no output shares memory with another buffer."""
    return not any(np.shares_memory(_arr(o), _arr(x)) for o in outs for x in others
                   if o is not x)


def _typed(a: Any, *dtypes: Any) -> bool:
    return _arr(a) is not None and any(_arr(a).dtype == np.dtype(d) for d in dtypes)


def _writable(a: Any) -> bool:
    return _arr(a) is not None and bool(_arr(a).flags.writeable)


def _list(a: Any) -> list[int]:
    return list(_arr(a).tolist())


@given(st.data())
@budget.fuzz_settings(budget.examples(60, 30))
def _invert(data: st.DataObject) -> None:
    base = np.zeros(64, dtype=np.int64)
    rows = data.draw(st.lists(st.lists(st.integers(0, 6), max_size=4), max_size=6), "rows")
    n_cols = data.draw(st.integers(0, 7), "n_cols")
    counts = [len(r) for r in rows]
    ptr = np.zeros(len(rows) + 1, dtype=data.draw(st.sampled_from([np.int32, np.int64])))
    ptr[1:] = np.cumsum(counts)
    cols = np.asarray([c for r in rows for c in r], dtype=np.int32)
    if data.draw(st.booleans(), "hostile"):  # replace arguments with hostile buffers
        ptr = data.draw(st.one_of(st.just(ptr), arrays(base, want=ptr.dtype)), "ptr")
        cols = data.draw(st.one_of(st.just(cols), arrays(base)), "cols")
    good_starts = np.zeros(n_cols + 1, np.int64)  # as postings.transpose makes them
    if _plain(cols) and _typed(cols, np.int32) and all(0 <= c < n_cols for c in _list(cols)):
        np.cumsum(np.bincount(_arr(cols), minlength=n_cols), out=good_starts[1:])
    starts = data.draw(st.one_of(st.just(good_starts), arrays(base, want=np.int64, hi=30)),
                       "starts")
    out = data.draw(st.one_of(st.just(np.empty(sum(counts), np.int32)), arrays(base)), "out")
    valid = (_plain(ptr, cols, starts, out) and _typed(ptr, np.int32, np.int64)
             and _typed(cols, np.int32) and _typed(starts, np.int64) and _typed(out, np.int32)
             and _writable(starts) and _writable(out) and len(_arr(starts)) >= 1
             and len(_arr(ptr)) >= 1 and len(_arr(out)) == len(_arr(cols))
             and _apart([out, starts], [ptr, cols, out, starts])
             and _arr(ptr)[0] == 0 and _arr(ptr)[-1] == len(_arr(cols))
             and bool(np.all(np.diff(_arr(ptr)) >= 0))
             and all(0 <= c < len(_arr(starts)) - 1 for c in _list(cols)))
    # starts other than the prefix sums of the column counts: a wrong result or a
    # refusal, never a write outside out
    k = len(_arr(starts)) - 1 if valid else 0
    exact = valid and \
        _list(starts) == [0, *np.cumsum(np.bincount(_arr(cols), minlength=k)).tolist()]
    want = None
    if exact:
        p, c = _arr(ptr), _arr(cols)
        rows_of = np.repeat(np.arange(len(p) - 1, dtype=np.int32), np.diff(p))
        want = postings.postings(c, rows_of, k)[1].tolist()
    try:
        CSR.invert(ptr, cols, starts, out)
    except REFUSALS:
        assert not exact, "invert refused input it documents"
        return
    assert valid, "invert accepted input it should refuse"
    if exact:
        assert _list(out) == want


def test_fuzz_invert() -> None:
    budget.run(_invert)


@pytest.mark.parametrize("n", [0, 1, 1000, 300_000])
def test_large_sorts_and_transposes_equal_numpy(n: int) -> None:
    rng = np.random.default_rng(n)
    keys = rng.integers(0, max(1, n // 7), n, dtype=np.int32)
    values = np.arange(n, dtype=np.int32)
    assert postings.postings(keys, values, max(1, n // 7))[1].tolist() == \
        np.argsort(keys, kind="stable").tolist()
    ptr = np.zeros(n // 5 + 2, dtype=np.int32)
    ptr[1:-1] = np.sort(rng.integers(0, n + 1, n // 5, dtype=np.int32))
    ptr[-1] = n
    col_ptr, rows = postings.transpose(ptr, keys, max(1, n // 7))
    want_rows = np.repeat(np.arange(len(ptr) - 1, dtype=np.int32), np.diff(ptr))
    want_ptr, want = postings.postings(keys, want_rows, max(1, n // 7)) if n else (col_ptr, rows)
    assert col_ptr.tolist() == want_ptr.tolist() and rows.tolist() == want.tolist()
