"""How a build asks the runtime for speed and memory, in one place.

Each switch here was measured on the 100k-article benchmark (see the
benchmarks README); each is undone after the build, or applies only to
processes evreader starts itself, so a program that imports evreader keeps its
own settings.

- The cycle collector is paused during a build: a build allocates ~10^6
  objects and makes no cycles, and the collector's passes were ~10 % of the
  parent's CPU (and more in the workers, whose mention rows are tuple
  subclasses the collector never untracks).
- glibc is told to serve allocations of 64 KB and more with their own mappings
  in the building process, so the per-chunk arrays it frees go back to the
  system (peak 793 → 600 MiB at 100k); workers do the opposite and keep what
  they free for the next unit (page faults 77k → 34k over 8 units).
- numpy's transparent huge pages are off during a build: faulting them in was
  slower than 4 KB pages here (the merge 1.3–1.5 s → 0.7 s).
- OpenBLAS runs one thread in the worker processes and in evreader's own
  program: evreader does no linear algebra, and a thread per core spinning at
  numpy's import cost ~0.1 s of CPU per process. It must be set before numpy
  loads, so it is put in the environment the workers are spawned with.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

_BLAS_THREADS = "OPENBLAS_NUM_THREADS"
# glibc's mallopt parameter numbers
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3


def one_blas_thread() -> None:
    """For evreader's own processes (the program, its workers): one OpenBLAS
    thread unless the user asked for more. Call before numpy is imported."""
    os.environ.setdefault(_BLAS_THREADS, "1")


@contextmanager
def workers_environment() -> Iterator[None]:
    """The environment worker processes are spawned with: one OpenBLAS thread
    (see `one_blas_thread`); this process's own environment is left as it was."""
    had = os.environ.get(_BLAS_THREADS)
    one_blas_thread()
    try:
        yield
    finally:
        if had is None:
            os.environ.pop(_BLAS_THREADS, None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for a build, switched back on only if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def return_freed_memory() -> bool:
    """For the building process: allocations of 64 KB and more get their own
    mappings, so freed arrays go back to the system. False without glibc."""
    return _mallopt((_M_MMAP_THRESHOLD, 64 * 1024))


def keep_freed_memory() -> bool:
    """For a worker: keep the heap freed after a unit for the next one. A
    worker's peak stays one unit's worth. False without glibc."""
    return _mallopt((_M_TRIM_THRESHOLD, 512 * 1024 * 1024), (_M_TOP_PAD, 64 * 1024 * 1024),
                    (_M_MMAP_THRESHOLD, 32 * 1024 * 1024))


def _mallopt(*settings: tuple[int, int]) -> bool:
    try:
        libc = ctypes.CDLL(None)  # this process's own symbols, libc's among them
        return all(libc.mallopt(param, value) for param, value in settings)
    except (OSError, AttributeError):  # no glibc (musl, macOS): nothing to tune
        return False


@contextmanager
def no_huge_pages() -> Iterator[None]:
    """numpy's transparent huge pages off for a build, then as they were."""
    switch = _hugepage_switch()
    if switch is None:
        yield
        return
    was_on = switch(False)
    try:
        yield
    finally:
        switch(was_on)


def _hugepage_switch() -> Callable[[bool], bool] | None:
    """numpy's private setter (it returns the previous setting), where it has one."""
    for module in ("numpy._core.multiarray", "numpy.core.multiarray"):  # numpy 2, numpy 1
        try:
            switch = getattr(importlib.import_module(module), "_set_madvise_hugepage", None)
        except ImportError:
            continue
        if callable(switch):
            return cast(Callable[[bool], bool], switch)
    return None
