"""Article bodies in the cache: zlib blocks of consecutive articles, read on demand.

The bodies were ~40 % of the cache, stored as plain UTF-8 (a second copy of the
corpus, or of the feed store's texts). Compressed one article at a time they
barely shrink (news prose repeats across articles, not within one: 2× on the
benchmark's feeds); a whole-corpus stream would shrink most but could not be read
one article at a time. Blocks of about BLOCK_BYTES of consecutive articles are
the middle: 4.2× on the benchmark's feeds and its 100k corpus at level 1, and
opening an article decompresses one block (~0.1 ms). An article never spans two
blocks, so one block read gives it whole; a body longer than a block is a block
of its own.

On disk: `texts.bin` is the compressed blocks back to back; `blocks.npy` (int64,
blocks + 1 rows) gives each block's first article and its offset in that file,
the last row (articles, file size). The per-article `offsets` (int64) stay as
before: each body's place in the uncompressed stream, so a `BlockBodies` serves
byte ranges of that stream exactly as the plain file did.

Damage a load cannot see without reading every block (a flipped byte inside a
block) shows when the block is read: zlib's checksum or the length fails, the
article reads as DAMAGED instead of raising, and `on_damage` is told once (the
cache then drops itself, so the next start rebuilds). A build that copies bodies
out of the cache (`read`) gets DamagedBodies instead, and reads the sources.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

BLOCK_BYTES = 32 * 1024  # a block holds the articles that start within this many bytes of it
LEVEL = 1  # zlib level: 6 made blocks ~15 % smaller for ~3× the CPU (docs/architecture.md)
DAMAGED = "[evreader: this text could not be read from the index cache; it is read " \
          "again from its source on the next start]"
_WINDOW = 32  # blocks compressed at a time by the writer's threads

Int64s = npt.NDArray[np.int64]


class DamagedBodies(OSError):
    """A body block of the cache failed its checksum or its length."""


def block_firsts(offsets: Int64s) -> Int64s:
    """The first article of each block, and the article count last: a block starts
    with the first article that starts past the previous block's BLOCK_BYTES."""
    n = len(offsets) - 1
    if n <= 0:
        return np.zeros(1, dtype=np.int64)
    firsts = [0]
    starts = np.asarray(offsets[:-1], dtype=np.int64)
    while True:  # one search per block: ~7k at 100k articles
        nxt = int(np.searchsorted(starts, int(starts[firsts[-1]]) + BLOCK_BYTES, side="left"))
        nxt = max(nxt, firsts[-1] + 1)
        if nxt >= n:
            break
        firsts.append(nxt)
    firsts.append(n)
    return np.asarray(firsts, dtype=np.int64)


def write_blocks(fh: BinaryIO, offsets: Int64s, span: Callable[[int, int], bytes]) -> Int64s:
    """Write the bodies compressed to `fh`; the block table (see the module docstring).
    `span(lo, hi)` gives the bodies of articles lo..hi as one bytes. Two threads
    compress (zlib lets go of the GIL), so the write costs about half its CPU."""
    firsts = block_firsts(offsets)
    table = np.zeros((len(firsts), 2), dtype=np.int64)
    table[:, 0] = firsts

    def pack(b: int) -> bytes:
        lo, hi = int(firsts[b]), int(firsts[b + 1])
        raw = span(lo, hi)
        if len(raw) != int(offsets[hi]) - int(offsets[lo]):
            raise OSError("article bodies changed while the cache was written")
        return zlib.compress(raw, LEVEL)

    at = 0
    with ThreadPoolExecutor(2, thread_name_prefix="evreader-compress") as pool:
        for lo in range(0, len(firsts) - 1, _WINDOW):
            hi = min(lo + _WINDOW, len(firsts) - 1)
            for b, packed in zip(range(lo, hi), pool.map(pack, range(lo, hi)), strict=True):
                fh.write(packed)
                at += len(packed)
                table[b + 1, 1] = at
    return table


def table_holds(table: npt.NDArray[np.int64], offsets: Int64s, file_size: int) -> bool:
    """Whether a block table read back fits its articles and its file: starts at
    (0, 0), ends at (articles, file size), both columns ascending (articles
    strictly), every block of something when the file has bodies."""
    n = len(offsets) - 1
    if table.ndim != 2 or table.shape[1] != 2 or len(table) < 1:
        return False
    firsts, at = table[:, 0], table[:, 1]
    if int(firsts[0]) != 0 or int(at[0]) != 0 or int(firsts[-1]) != n or int(at[-1]) != file_size:
        return False
    if n == 0:
        return len(table) == 1
    return bool((np.diff(firsts) > 0).all() and (np.diff(at) >= 0).all())


class BlockBodies:
    """The uncompressed body stream of a cache, served by byte range as the plain
    file was (`blob[lo:hi]`): the blocks holding the range are read with pread and
    decompressed; the last block is kept, so reading articles in order
    decompresses each block once (`ArticleStore.texts` sorts its reads so)."""

    __slots__ = ("_fh", "_last", "_offsets", "_size", "_starts", "_table", "on_damage")

    def __init__(self, fh: BinaryIO, offsets: Int64s, table: npt.NDArray[np.int64]) -> None:
        self._fh = fh  # kept open: read while the store lives
        self._table = table
        self._offsets = offsets
        self._size = int(offsets[-1])
        self._starts: Int64s | None = None  # made on the first read (a list reads none)
        self._last: tuple[int, bytes] = (-1, b"")
        self.on_damage: Callable[[], None] | None = None

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, span: slice) -> bytes:
        lo, hi, _ = span.indices(self._size)
        if hi <= lo:
            return b""
        return b"".join(self._pieces(lo, hi))

    def _block_starts(self) -> Int64s:
        """Each block's start in the uncompressed stream, and the stream's end last."""
        starts = self._starts
        if starts is None:
            starts = self._starts = np.asarray(self._offsets, dtype=np.int64)[
                np.asarray(self._table[:, 0])]
        return starts

    def read(self, lo: int, hi: int) -> bytes:
        """Bytes lo..hi of the stream exactly, or DamagedBodies: what a build copies
        into a new cache must be the bodies themselves, never the notice."""
        lo, hi, _ = slice(lo, hi).indices(self._size)
        return b"".join(self._pieces(lo, hi, strict=True)) if hi > lo else b""

    def _pieces(self, lo: int, hi: int, strict: bool = False) -> Iterator[bytes]:
        starts = self._block_starts()
        b = int(np.searchsorted(starts, lo, side="right")) - 1
        while lo < hi:
            start, end = int(starts[b]), int(starts[b + 1])
            data = self._block(b)
            if data is None:  # damaged: the notice once, whatever part was asked
                if strict:
                    raise DamagedBodies(f"body block {b} of the index cache is damaged")
                yield DAMAGED.encode()
                return
            yield data[lo - start:min(hi, end) - start]
            lo = end
            b += 1

    def _block(self, b: int) -> bytes | None:
        last = self._last
        if last[0] == b:
            return last[1]
        at, end = int(self._table[b, 1]), int(self._table[b + 1, 1])
        starts = self._block_starts()
        size = int(starts[b + 1]) - int(starts[b])
        try:
            data = zlib.decompress(os.pread(self._fh.fileno(), end - at, at), bufsize=size or 1)
        except (zlib.error, OSError):
            data = None
        if data is None or len(data) != size:
            self._damaged()
            return None
        self._last = (b, data)
        return data

    def _damaged(self) -> None:
        tell, self.on_damage = self.on_damage, None
        if tell is not None:
            tell()


__all__ = ["BLOCK_BYTES", "DAMAGED", "LEVEL", "BlockBodies", "DamagedBodies", "block_firsts",
           "table_holds", "write_blocks"]
