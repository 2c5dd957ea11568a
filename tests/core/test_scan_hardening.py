"""The compiled word scanner against hostile callers (issue 20, part 2, second look).

Each test here made `_scan.c` read freed memory, or take quadratic time, before
its fix; `tests/core/test_native.py` holds the earlier ones. `scan_py.PyScanner`
defines the results wherever the inputs are well formed.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from typing import Any

import pytest

from evreader import _native
from evreader.extract import scan_py
from evreader.models import MentionRow
from tests.fuzz.hostile import eq_hook, gc_chaos

SCANNER: Any = _native.SCANNER
pytestmark = pytest.mark.skipif(not _native.active().scanner, reason="C scanner not built")


def _surface(name: str) -> Any:
    """A one-surface node made at run time (a constant tuple would be kept alive
    by the code object, and these tests need nodes the trie alone holds)."""
    return (((0, name, (("company", name),), ""),), None, None)


def test_a_cue_key_whose_eq_deletes_the_words_trie_node_frees_nothing_in_use() -> None:
    """The scanner looked a new word up in the trie, then in the cues; a cues key
    (put in after the Scanner was made) whose __eq__ deleted the word's trie node
    left the scanner reading the freed node."""
    name = "".join(["Fo", "rd"])
    trie = {"ford": _surface(name)}
    cues = {"zzz": 1}
    scanner = SCANNER(trie, cues, MentionRow)
    junk: list[Any] = []

    def delete_node() -> None:
        trie.pop("ford", None)
        junk.extend((str(k), str(k), str(k)) for k in range(200))  # reuse freed tuples

    del cues["zzz"]
    cues[eq_hook("ford", delete_node)] = 4  # same hash as "ford": the lookup calls it
    rows, cue_hits, _ = scanner.scan("Ford", "ford", 0, 1)
    assert rows == [("company", "Ford", 0, 4, 1, False)]  # the node it found, held
    assert cue_hits == [(0, 4)] and "ford" not in trie


def test_a_flood_of_words_sharing_hash_bits_costs_a_few_probes_a_word() -> None:
    """The vocabulary's hash was FNV-1a over code points, 32-bit and unseeded, and its
    table used the low bits. Words whose characters differ by 0x20000 (U+4E00.. and
    U+24E00.., all alphanumeric) share the low 17 bits whatever the seed, so each new
    word probed all the earlier ones: 2**15 words took 0.9 s, 2**17 7 s, where they
    now take milliseconds. Seeded, 64-bit and mixed, the probes stay a few per word
    (counted by the scanner: no clock is read)."""
    pairs = [(chr(0x4E00 + k), chr(0x24E00 + k)) for k in range(14)]
    text = " ".join(map("".join, itertools.product(*pairs)))
    assert all(w.isalnum() for w in text.split())
    scanner = SCANNER({}, None)
    scanner.scan(text, text, 0, 0)
    assert len(scanner.words()) == 2**14
    assert scanner._probes < 3 * 2**14, scanner._probes


def test_a_case_code_past_a_long_is_exact_as_in_the_twin() -> None:
    """PyLong_AsLong raised OverflowError where the twin reads any code but 0 and 1
    as "exact"."""
    trie = {"ford": ((((2**70, "Ford", (("company", "Ford"),), ""),)), None, None)}
    for make in (SCANNER, scan_py.PyScanner):
        scanner = make(trie, None, MentionRow)
        assert scanner.scan("Ford", "ford", 0, 1)[0] == [("company", "Ford", 0, 4, 1, False)]
        assert scanner.scan("FORD", "ford", 0, 1)[0] == []


def test_a_dict_subclass_put_in_as_a_child_table_is_refused() -> None:
    """Its own get() would not run in C (the twin calls it): refused, not misread."""
    class Table(dict[str, Any]):
        def get(self, key: str, default: Any = None) -> Any:
            raise AssertionError("not reached")

    children: dict[str, Any] = {"motor": _surface("Ford Motor")}
    trie = {"ford": ((), children, None)}
    scanner = SCANNER(trie, None, MentionRow)
    children["motor"] = ((), Table(motor=_surface("X")), None)
    with pytest.raises(TypeError):
        scanner.scan("ford motor motor", "ford motor motor", 0, 1)


def test_the_scanner_survives_finalizers_changing_its_trie_and_cues() -> None:
    """With a finalizer at every allocation changing the trie, the cues and calling
    the scanner again, a scan raises nothing but the refusal of re-entry, and
    frees nothing it uses. (A guard: the scanner already held what it read here.)"""
    name = "".join(["Hon ", "Hai"])
    children: dict[str, Any] = {"hai": _surface(name)}
    trie: dict[str, Any] = {"hon": (_surface("Hon")[0], children, None), "ford": _surface("Ford")}
    cues = {"hon": 1, "ford": 2}
    scanner = SCANNER(trie, cues, MentionRow)
    calls = [0]

    def meddle() -> None:
        calls[0] += 1
        children.clear()
        children["hai"] = _surface("".join(["Hon Hai ", str(calls[0])]))
        trie.pop("ford", None)
        cues.clear()
        with contextlib.suppress(RuntimeError):
            scanner.scan("x", "x", 0, 0)

    text = "Ford and Hon Hai, then Hon Hai again. " * 20
    with gc_chaos(meddle):
        rows, cue_hits, _ = scanner.scan(text, text.lower(), 2, 1)
    gc.collect()
    assert calls[0] > 0
    assert all(r.kind == "company" and r.name.startswith(("Ford", "Hon")) for r in rows)
    assert all(code in (1, 2) for _, code in cue_hits)
