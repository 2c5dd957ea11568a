"""The compiled postings helper refuses what it cannot do safely (issue 20, part 2).

Each of these crashed `_csr.c`, or made it write where it should not, when called
directly; every one must now raise TypeError or ValueError (BufferError or
ValueError from the buffer protocol itself), before the loop that runs without the
GIL, or inside it where a value is read. The numpy code in `index/postings.py`
defines the results.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from typing import Any, ClassVar

import numpy as np
import pytest

from evreader.index import postings

CSR: Any = postings.CSR
pytestmark = pytest.mark.skipif(CSR is None, reason="C postings helper not built")


def i32(*values: int) -> Any:
    return np.asarray(values, dtype=np.int32)


def i64(*values: int) -> Any:
    return np.asarray(values, dtype=np.int64)


def test_invert_refuses_negative_cursors() -> None:
    """A negative cursor in starts made invert write before its output buffer."""
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(ValueError, match="starts out of range"):
        CSR.invert(i32(0, 2), i32(0, 1), i64(-1000, 1, 2), out)


def test_invert_refuses_row_pointers_not_from_zero_to_the_columns() -> None:
    out = np.empty(2, dtype=np.int32)
    for ptr in (i32(1, 2), i32(0, 1), i32(0, 3), i64(-1, 2)):
        with pytest.raises(ValueError, match="bad row pointers"):
            CSR.invert(ptr, i32(0, 1), i64(0, 1, 2), out)
    with pytest.raises(ValueError, match="bad row pointers"):  # not ascending
        CSR.invert(i32(0, 2, 1, 2), i32(0, 1), i64(0, 1, 2), out)


class _Empty(ctypes.Structure):
    _fields_: ClassVar[list[tuple[str, Any]]] = []


def test_a_zero_itemsize_buffer_is_refused() -> None:
    """invert divided by ptr's itemsize: 0 was a division by zero (SIGFPE)."""
    empty = memoryview((_Empty * 3)())
    assert empty.itemsize == 0
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(TypeError):
        CSR.invert(empty, i32(0, 1), i64(0, 1, 2), out)
    with pytest.raises(TypeError):
        CSR.invert(i32(0, 2), i32(0, 1), i64(0, 1, 2), empty)


@pytest.mark.parametrize("dtype", [np.float64, np.uint64, np.uint32, np.float32, np.int16])
def test_buffers_of_the_wrong_type_are_refused_by_their_format(dtype: Any) -> None:
    """float64 and uint64 starts have int64's itemsize, and were used as int64."""
    cols, out = i32(0, 1), np.empty(2, dtype=np.int32)
    wrong = np.asarray([0, 1, 2], dtype=dtype)
    with pytest.raises(TypeError):
        CSR.invert(i32(0, 2), cols, wrong, out)
    with pytest.raises(TypeError):  # ptr: int32 or int64, by format too
        CSR.invert(wrong[:2], cols, i64(0, 1, 2), out)
    with pytest.raises(TypeError):
        CSR.invert(i32(0, 2), wrong[:2], i64(0, 1, 2), out)
    with pytest.raises(TypeError):
        CSR.invert(i32(0, 2), cols, i64(0, 1, 2), wrong[:2])


def test_outputs_may_not_share_memory_with_any_input() -> None:
    buf = np.zeros(8, dtype=np.int64)
    cols = i32(0, 1)
    ints = buf.view(np.int32)  # 16 int32 over the same bytes
    ints[:2] = (0, 1)
    with pytest.raises(ValueError, match="share memory"):  # out over starts
        CSR.invert(i32(0, 2), cols, buf[:3], ints[4:6])
    with pytest.raises(ValueError, match="share memory"):  # out over ptr
        ptr = ints[0:2]
        ptr[:] = (0, 2)
        CSR.invert(ptr, cols, i64(0, 1, 2), ints[1:3])
    with pytest.raises(ValueError, match="share memory"):  # starts over cols
        CSR.invert(i32(0, 2), ints[6:8], buf[3:6], np.empty(2, np.int32))
    shared = i32(0, 2, 0, 1)  # two inputs may share: nothing writes them
    out = np.empty(2, np.int32)
    CSR.invert(shared[:2], shared[2:], i64(0, 1, 2), out)
    assert out.tolist() == [0, 0]


def test_shapes_lengths_and_writability_are_checked() -> None:
    cols, starts, out = i32(0, 1), i64(0, 1, 2), np.empty(2, dtype=np.int32)
    with pytest.raises(TypeError):  # two-dimensional
        CSR.invert(i32(0, 2), cols, starts, np.empty((2, 1), np.int32))
    with pytest.raises((ValueError, BufferError)):  # not contiguous
        CSR.invert(i32(0, 2), np.zeros(4, np.int32)[::2], starts, out)
    readonly = np.empty(2, dtype=np.int32)
    readonly.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        CSR.invert(i32(0, 2), cols, starts, readonly)
    with pytest.raises((ValueError, BufferError, TypeError)):
        CSR.invert(i32(0, 2), bytes(8), starts, out)  # unsigned bytes, no int format
    with pytest.raises(ValueError):
        CSR.invert(i32(0, 2), cols, starts, np.empty(3, np.int32))  # out longer than cols
    with pytest.raises(ValueError):
        CSR.invert(np.empty(0, np.int32), i32(), i64(0), np.empty(0, np.int32))  # no ptr
    with pytest.raises(ValueError):
        CSR.invert(i32(0), i32(), np.empty(0, np.int64), np.empty(0, np.int32))  # no starts
    # memoryviews and arrays of the right format are fine
    mv = memoryview(bytearray(8)).cast("i")
    CSR.invert(memoryview(i32(0, 1, 2)), memoryview(i32(1, 0)), i64(0, 1, 2), mv)
    assert mv.tolist() == [1, 0]


def test_a_thread_changing_the_columns_during_invert_cannot_make_it_write_outside() -> None:
    """invert runs without the GIL: columns changed by another thread after their
    starts were counted make the cursors disagree with the columns. It checks each
    column and cursor where it uses them, so the worst is a ValueError or a wrong
    result."""
    n = 1 << 20
    cols = np.zeros(n, dtype=np.int32)
    ptr = np.arange(n + 1, dtype=np.int32)
    out = np.empty(n, dtype=np.int32)
    stop = threading.Event()

    def flip() -> None:
        ones = np.ones(n, dtype=np.int32)
        zeros = np.zeros(n, dtype=np.int32)
        while not stop.is_set():
            np.copyto(cols, ones)  # numpy copies without the GIL
            np.copyto(cols, zeros)

    thread = threading.Thread(target=flip)
    thread.start()
    try:
        for _ in range(50):
            out[:] = 0
            with contextlib.suppress(ValueError):
                CSR.invert(ptr, cols, i64(0, n // 2, n), out)
            assert ((out >= 0) & (out < n)).all()
    finally:
        stop.set()
        thread.join()


def test_unaligned_buffers_are_refused() -> None:
    """A numpy view at an odd byte offset is a valid buffer, but reading int32 there
    is undefined behaviour in C (UBSan's report under `make fuzz`)."""
    raw = np.zeros(64, dtype=np.uint8)
    odd32 = raw[1:33].view(np.int32)
    odd64 = raw[3:27].view(np.int64)
    assert not odd32.flags.aligned and not odd64.flags.aligned
    with pytest.raises(ValueError, match="aligned"):
        CSR.invert(i32(0, 2), odd32[:2], i64(0, 1, 2), np.empty(2, np.int32))
    with pytest.raises(ValueError, match="aligned"):
        CSR.invert(i32(0, 2), i32(0, 1), odd64[:3], np.empty(2, np.int32))
    with pytest.raises(ValueError, match="aligned"):
        CSR.invert(odd64[:2], i32(0, 1), i64(0, 1, 2), np.empty(2, np.int32))
