"""Unit results from worker processes to the parent through files, not the pool's pipe.

A unit's result is ~8 MB pickled. Through the pipe, the parent read it in 64 KB
pieces into a growing buffer: over 24 real units that cost it 0.80–0.83 s of CPU
and 138k page faults. Written by the worker to a file in a private folder and
unpickled from a memory map, 0.25–0.28 s and 43k. Results still come back through
the pipe when the folder cannot be made or written.

Files live in one folder per parent process (in the system temp folder, often RAM),
each deleted as soon as it is read. Results nobody reads (a cancelled or failed
build) are deleted by `discard`, the folder at exit, and folders left by a process
that was killed are swept by the next one that makes its own.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any

PREFIX = "evreader-units-"

_folder: str | None = None
_lock = threading.Lock()


def folder() -> str | None:
    """This process's folder for unit results (made on first use), or None."""
    global _folder
    with _lock:
        if _folder is None:
            try:
                made = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")
            except OSError:
                return None
            atexit.register(shutil.rmtree, made, True)
            sweep(os.path.dirname(made), keep=made)
            _folder = made
        return _folder


def sweep(parent: str, keep: str | None = None) -> None:
    """Remove result folders of processes that no longer run (killed mid-build)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(PREFIX):
            continue
        path = os.path.join(parent, name)
        pid = name[len(PREFIX):].split("-", 1)[0]
        if path == keep or not pid.isdigit() or _running(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running, and not ours to judge
        return True
    return True


def send(result: object, into: str | None) -> object:
    """In a worker: the path of a file holding `result`, or `result` itself when it
    cannot be written there (it then goes through the pipe)."""
    if into is None:
        return result
    path = ""
    try:
        fd, path = tempfile.mkstemp(dir=into, suffix=".unit")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)
        return result
    return path


def receive(got: object) -> Any:
    """In the parent: what `send` sent. A file is read and deleted; raises OSError
    or pickle.UnpicklingError if it is gone or damaged."""
    if not isinstance(got, str):
        return got
    try:
        with open(got, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return pickle.loads(view)  # copies out: nothing keeps the map
    finally:
        with contextlib.suppress(OSError):
            os.unlink(got)


def discard(futures: Iterable[Future[Any]]) -> None:
    """Delete the files of finished results that will not be read."""
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is None:
            got = future.result()
            if isinstance(got, str):
                with contextlib.suppress(OSError):
                    os.unlink(got)
