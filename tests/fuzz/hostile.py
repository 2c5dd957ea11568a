"""Hostile objects and inputs for the native helpers' tests and fuzz harness.

Python code can run in the middle of a C function in three ways: a lookup calls a
key's `__eq__` (or `__hash__`), a conversion calls `__index__`, and any allocation
of a container may run the garbage collector, whose finalizers (`__del__`) run
arbitrary code. `gc_chaos` makes the third happen at nearly every allocation.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hypothesis import strategies as st


@contextmanager
def gc_chaos(action: Callable[[], object]) -> Iterator[None]:
    """Run `action` from a finalizer at (nearly) every collection while inside.

    The garbage collector runs when allocations of containers outnumber frees by
    its threshold; at threshold 1 that is almost every tuple, list or dict a C
    function makes that does not come from a free list (CPython keeps freed small
    tuples, lists and dicts for reuse, and reuse counts for nothing). So the free
    lists are drained first and after each action, and each collection finds a
    cycle whose `__del__` runs `action` and leaves a new cycle for the next one.
    What exists when it starts is frozen (gc.freeze), so each collection looks at
    the few objects made since, not the whole heap.
    """
    state = {"on": True}
    hoard: list[object] = []

    def drain(per_size: int) -> None:
        hoard.extend(tuple([None] * size) for size in range(1, 9) for _ in range(per_size))
        hoard.extend([] for _ in range(per_size))
        hoard.extend({} for _ in range(per_size))

    class Bomb:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

        def __del__(self) -> None:
            if state["on"]:
                action()
                drain(50)
                Bomb()

    saved = gc.get_threshold()
    gc.collect()
    drain(2000)
    gc.freeze()
    Bomb()
    gc.set_threshold(1)
    try:
        yield
    finally:
        state["on"] = False
        gc.set_threshold(*saved)
        gc.unfreeze()
        hoard.clear()
        gc.collect()


class Hooked(str):
    """A str that runs its `hook` before comparing (and hashes as the plain str)."""

    hook: Callable[[], object]

    def __eq__(self, other: object) -> bool:
        self.hook()
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def eq_hook(value: str, hook: Callable[[], object]) -> str:
    """A str equal to `value` (same hash) whose `__eq__` runs `hook` first."""
    key = Hooked(value)
    key.hook = hook
    return key


# Characters of every width and kind: ASCII, Latin-1, BMP, astral, NUL, controls,
# lone surrogates, characters whose case mapping changes length, digits of other
# scripts, and the alphanumerics whose code points differ by 0x20000 (a hash of
# code points that ignores high bits collides on them).
ODD_CHARS = st.sampled_from([
    "\x00", "\x1b", "\t", "\n", " ", "\u00a0", "\u2028", "\ud800", "\udfff", "\ud83d",
    "é", "ß", "İ", "ı", "ſ", "Σ", "ς", "ǅ", "Ⅷ", "٣", "𝟘", "𝐀", "丁", "𠀁", "😀", "\U0010ffff",
    "\ufeff", "\u200b", "_", "'", "’", "-", ".", "(", ")", "A", "a", "Z", "z", "0", "9",
])
WIDE_TEXT = st.lists(st.one_of(ODD_CHARS, st.characters(), st.text(max_size=6)),
                     max_size=60).map("".join)
