"""The compiled postings helper refuses what it cannot do safely (issue 20, part 2).

Each of these crashed `_csr.c`, or made it allocate or write where it should not,
when called directly; every one must now raise TypeError or ValueError (BufferError
or ValueError from the buffer protocol itself), before the loop that runs without
the GIL. The numpy twins in `index/postings.py` define the results.
"""

from __future__ import annotations

import contextlib
import ctypes
import resource
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


def test_counting_order_refuses_keys_aliased_with_out() -> None:
    """counting_order(k, 2, k) wrote the order over the keys it was still reading:
    a heap overflow."""
    k = i32(1, 0, 1, 0, 1, 1, 0, 1)
    with pytest.raises(ValueError, match="share memory"):
        CSR.counting_order(k, 2, k)
    a = np.zeros(16, dtype=np.int32)
    with pytest.raises(ValueError, match="share memory"):  # overlapping views of one array
        CSR.counting_order(a[:10], 2, a[6:16])
    CSR.counting_order(a[:8], 2, a[8:])  # adjacent views share no byte: fine
    assert a[8:].tolist() == list(range(8))


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
    for call in (lambda: CSR.counting_order(empty, 1, out), lambda: CSR.gather(empty, out, out),
                 lambda: CSR.column_starts(empty, i64(0, 0))):
        with pytest.raises(TypeError):
            call()


@pytest.mark.parametrize("dtype", [np.float64, np.uint64, np.uint32, np.float32, np.int16])
def test_buffers_of_the_wrong_type_are_refused_by_their_format(dtype: Any) -> None:
    """float64 and uint64 starts have int64's itemsize, and were used as int64."""
    cols, out = i32(0, 1), np.empty(2, dtype=np.int32)
    wrong = np.asarray([0, 1, 2], dtype=dtype)
    with pytest.raises(TypeError):
        CSR.invert(i32(0, 2), cols, wrong, out)
    with pytest.raises(TypeError):
        CSR.column_starts(cols, wrong)
    with pytest.raises(TypeError):  # ptr: int32 or int64, by format too
        CSR.invert(wrong[:2], cols, i64(0, 1, 2), out)
    for args in ((wrong[:2], 2, out), (cols, 2, wrong[:2])):
        with pytest.raises(TypeError):
            CSR.counting_order(*args)
    with pytest.raises(TypeError):
        CSR.gather(cols, wrong[:2], out)


def test_counting_order_does_not_allocate_for_a_huge_key_range() -> None:
    """n_keys = 2**28 for one key allocated 2 GiB of cursors; now refused, and
    stable_order sorts such sparse keys with numpy (the same order)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ValueError, match="too many"):
        CSR.counting_order(i32(5), 2**28, np.empty(1, dtype=np.int32))
    keys = i32(7, 2**28 - 1, 7, 0)
    assert postings.stable_order(keys, 2**28).tolist() == [3, 0, 2, 1]
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 256 * 1024, f"peak RSS grew {grown_kb} kB"


def test_outputs_may_not_share_memory_with_any_input() -> None:
    buf = np.zeros(8, dtype=np.int64)
    cols = i32(0, 1)
    ints = buf.view(np.int32)  # 16 int32 over the same bytes
    ints[:2] = (0, 1)
    with pytest.raises(ValueError, match="share memory"):
        CSR.column_starts(ints[:2], buf[:3])
    with pytest.raises(ValueError, match="share memory"):  # out over starts
        CSR.invert(i32(0, 2), cols, buf[:3], ints[4:6])
    with pytest.raises(ValueError, match="share memory"):  # out over ptr
        ptr = ints[0:2]
        ptr[:] = (0, 2)
        CSR.invert(ptr, cols, i64(0, 1, 2), ints[1:3])
    with pytest.raises(ValueError, match="share memory"):  # starts over cols
        CSR.invert(i32(0, 2), ints[6:8], buf[3:6], np.empty(2, np.int32))
    table = np.arange(6, dtype=np.int32)
    with pytest.raises(ValueError, match="share memory"):
        CSR.gather(table, i32(0, 1), table[4:6])
    idx = i32(0, 1, 2)
    with pytest.raises(ValueError, match="share memory"):
        CSR.gather(table, idx, idx)
    out = np.empty(3, np.int32)
    CSR.gather(table, table[:3], out)  # two inputs may share: nothing writes them
    assert out.tolist() == [0, 1, 2]


def test_shapes_lengths_and_writability_are_checked() -> None:
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(TypeError):  # two-dimensional
        CSR.gather(i32(1, 2), i32(0, 1), np.empty((2, 1), np.int32))
    with pytest.raises(TypeError):
        CSR.counting_order(np.zeros((2, 2), np.int32), 2, np.empty(4, np.int32))
    with pytest.raises((ValueError, BufferError)):  # not contiguous
        CSR.counting_order(np.zeros(8, np.int32)[::2], 2, np.empty(4, np.int32))
    readonly = np.empty(2, dtype=np.int32)
    readonly.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        CSR.gather(i32(1, 2), i32(0, 1), readonly)
    with pytest.raises((ValueError, BufferError, TypeError)):
        CSR.counting_order(bytes(8), 2, out)  # unsigned bytes, no int format
    with pytest.raises(ValueError):
        CSR.counting_order(i32(0, 1, 0), 2, out)  # out shorter than keys
    with pytest.raises(ValueError):
        CSR.invert(np.empty(0, np.int32), i32(), i64(0), np.empty(0, np.int32))  # no ptr
    with pytest.raises(ValueError):
        CSR.invert(i32(0), i32(), np.empty(0, np.int64), np.empty(0, np.int32))  # no starts
    with pytest.raises(ValueError):
        CSR.column_starts(i32(), np.empty(0, np.int64))
    with pytest.raises(ValueError):
        CSR.gather(i32(1, 2), i32(0, 1), np.empty(3, np.int32))
    with pytest.raises(ValueError):
        CSR.counting_order(i32(0), -1, np.empty(1, np.int32))
    # memoryviews and arrays of the right format are fine
    mv = memoryview(bytearray(8)).cast("i")
    CSR.gather(memoryview(i32(4, 5)), memoryview(i32(1, 0)), mv)
    assert mv.tolist() == [5, 4]


def test_a_thread_changing_the_keys_during_the_sort_cannot_make_it_write_outside() -> None:
    """The sort runs without the GIL: keys changed by another thread between its count
    and its placing pass make the cursors disagree with the keys. It checks each key
    and cursor where it uses them, so the worst is a ValueError or a wrong order."""
    n = 1 << 20
    keys = np.zeros(n, dtype=np.int32)
    out = np.empty(n, dtype=np.int32)
    stop = threading.Event()

    def flip() -> None:
        ones = np.ones(n, dtype=np.int32)
        zeros = np.zeros(n, dtype=np.int32)
        while not stop.is_set():
            np.copyto(keys, ones)  # numpy copies without the GIL
            np.copyto(keys, zeros)

    thread = threading.Thread(target=flip)
    thread.start()
    try:
        for _ in range(50):
            out[:] = 0
            with contextlib.suppress(ValueError):
                CSR.counting_order(keys, 2, out)
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
        CSR.gather(i32(1, 2), odd32[:2], np.empty(2, np.int32))
    with pytest.raises(ValueError, match="aligned"):
        CSR.column_starts(i32(0, 1), odd64[:3])
    with pytest.raises(ValueError, match="aligned"):
        CSR.counting_order(odd32, 1, np.empty(8, np.int32))
    with pytest.raises(ValueError, match="aligned"):
        CSR.invert(odd64[:2], i32(0, 1), i64(0, 1, 2), np.empty(2, np.int32))
