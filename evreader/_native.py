"""The native code evreader runs, behind one switch.

Every rule lives in Python. Two loops are compiled, because a profile showed
each whole feature several times faster native and no well-kept library does
the same job:

- `extract/_scan.c`, the word scanner: one pass over every character of every
  article that cuts words, gives them vocabulary ids, matches gazetteer names
  word by word and notes cue words. `extract/scan_py.py` defines what it does.
  On 5k articles the compiled scanner is 8x its Python twin, and cutting the
  words alone with `re` costs 2.3x the whole compiled pass.
- `index/_csr.c`, the word postings: the transpose of every article's word list
  (22M entries at 100k articles) in one pass, without the GIL, so the entity
  postings build beside it. numpy gives the same arrays by sorting (word,
  article) pairs: 0.5 s where this takes 0.13 s, and a 100k build's peak RSS
  rises from 549 to 791 MiB, past its budget. The rest of the postings (entity
  postings, distinct pairs, the id gathers of a merge) is numpy, as is turning
  mention rows into columns.

Both are optional at install (no C compiler: the twins run, slower, with the
same results). `EVREADER_NATIVE=0` in the environment runs the twins even where
the helpers are built; tests and the fuzz harness compare the two that way.
`active()` says what runs (`evreader --version`). Nothing else imports the
compiled modules.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from evreader.extract import scan_py
from evreader.extract.scan_py import Scanner, Trie
from evreader.models import MentionRow

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]


MakeScanner = Callable[[Trie, "dict[str, int] | None", "type[MentionRow]"], Scanner]


class Postings(Protocol):
    """The compiled postings helper (`index/_csr.c`); `index.postings` holds the
    numpy code that gives the same arrays."""

    def invert(self, ptr: Int32s | Int64s, cols: Int32s, starts: Int64s, out: Int32s, /
               ) -> None: ...


class Active(NamedTuple):
    """Which native helpers run in this process."""

    scanner: bool
    postings: bool


def wanted() -> bool:
    """False when EVREADER_NATIVE=0 asks for the Python and numpy twins."""
    return os.environ.get("EVREADER_NATIVE", "1").strip() != "0"


def _scanner() -> tuple[MakeScanner, bool]:
    if wanted():
        try:
            from evreader.extract import _scan
        except ImportError:  # not built (no C compiler at install)
            pass
        else:
            return _scan.Scanner, True
    return scan_py.PyScanner, False


def _postings() -> Postings | None:
    if not wanted():
        return None
    try:
        from evreader.index import _csr
    except ImportError:  # not built (no C compiler at install)
        return None
    return _csr


SCANNER, _SCANNER_NATIVE = _scanner()
CSR: Postings | None = _postings()


def active() -> Active:
    return Active(scanner=_SCANNER_NATIVE, postings=CSR is not None)


def describe() -> str:
    """One line for `evreader --version`."""
    now = active()
    if all(now):
        return "native word scanner and postings"
    missing = [name for name, on in (("word scanner", now.scanner), ("postings", now.postings))
               if not on]
    why = "EVREADER_NATIVE=0" if not wanted() else "not built at install"
    return f"Python {' and '.join(missing)} ({why}: indexing is slower)"
