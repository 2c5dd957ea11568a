"""Counting the work a rule does, without a clock, to tell linear from quadratic.

`measure(fn)` runs `fn()` once and counts:

- rows: the size of what it returned (the caller says how to count);
- lines: Python line events, in every frame (a loop in Python costs a line per
  turn, whatever module it is in);
- touched: the length of what C code runs over in whole, as far as tracing can
  see it: the receiver of a str/bytes/list method whose cost is its length
  (lower, split, replace, insert, index, ...), and the container of `x in y`
  where y is a list, tuple, str or bytes named on that line (exact types:
  a subclass may do anything). Moving a list's
  tail on insert, lower-casing a long name per mention, or searching a list of
  the authors seen so far each show up here, where lines alone miss them;
- peak: the most memory Python allocated at once during the call (tracemalloc).

Not counted: the work inside a regular expression or a C function given its
data as arguments (`sorted(xs)`, `"".join(xs)`); the rules' regexes are kept
linear by construction (see ingest/meta.py) and exercised by the hostile shapes.

A linear rule run on an input and on the input doubled gives each count at most
~2x (plus a constant); a quadratic one ~4x.
"""

from __future__ import annotations

import ast
import linecache
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any

# Methods that read or move all of their receiver (or up to all of it), so their
# cost is the receiver's length. Not find, index or count on str: given a start
# and end they read only that; not isascii: a str knows it without reading.
WHOLE_RECEIVER: dict[type, frozenset[str]] = {
    str: frozenset(
        "lower upper casefold title capitalize swapcase split rsplit splitlines replace "
        "translate encode expandtabs strip lstrip rstrip isalnum isalpha isdecimal isdigit "
        "isidentifier islower isnumeric isprintable isspace istitle isupper".split()),
    bytes: frozenset("lower upper split rsplit splitlines replace translate decode strip "
                     "lstrip rstrip".split()),
    list: frozenset("insert remove index count copy sort reverse".split()),
    tuple: frozenset("index count".split()),
    dict: frozenset(("copy",)),
    set: frozenset(("copy",)),
}
LINEAR_CONTAINERS = frozenset((list, tuple, str, bytes, bytearray))


@dataclass(frozen=True)
class Work:
    rows: int
    lines: int
    touched: int
    peak: int

    def grew(self, before: Work) -> dict[str, float]:
        """Each count's ratio to `before`'s (a count that stayed tiny gives 1)."""
        out = {}
        # below these, constant costs and power-of-two growth of buffers dominate
        for name, floor in (("rows", 20), ("lines", 200), ("touched", 2000), ("peak", 1 << 20)):
            a, b = getattr(before, name), getattr(self, name)
            out[name] = b / max(a, floor) if b > floor else 1.0
        return out


Scope = tuple[str, int]  # a code object's name and first line: where a line's code runs


# What each line searches with `in`, per code object and per source file: read once.
_MEMBERS: dict[tuple[CodeType, int], tuple[str, ...]] = {}
_FILES: dict[str, dict[tuple[Scope, int], tuple[str, ...]]] = {}


class _Meter:
    def __init__(self) -> None:
        self.lines = 0
        self.touched = 0

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            self.lines += 1
            names = self._membership(frame)
            if names:
                scope = frame.f_locals
                for name in names:
                    value = scope.get(name, frame.f_globals.get(name))
                    if type(value) in LINEAR_CONTAINERS:
                        self.touched += len(value)
        return self.trace

    def profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "c_call":
            receiver = getattr(arg, "__self__", None)
            methods = WHOLE_RECEIVER.get(type(receiver))
            if methods is not None and getattr(arg, "__name__", "") in methods:
                self.touched += len(receiver)  # type: ignore[arg-type]

    def _membership(self, frame: FrameType) -> tuple[str, ...]:
        """Names searched with `in` / `not in` by the frame's code on its current line."""
        code = frame.f_code
        key = (code, frame.f_lineno)
        names = _MEMBERS.get(key)
        if names is None:
            tests = _FILES.get(code.co_filename)
            if tests is None:
                tests = _FILES[code.co_filename] = _in_tests(code.co_filename)
            names = _MEMBERS[key] = tests.get(((code.co_name, code.co_firstlineno),
                                               frame.f_lineno), ())
        return names


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.GeneratorExp, ast.ListComp,
           ast.SetComp, ast.DictComp)
_SCOPE_NAMES = {ast.Lambda: "<lambda>", ast.GeneratorExp: "<genexpr>", ast.ListComp: "<listcomp>",
                ast.SetComp: "<setcomp>", ast.DictComp: "<dictcomp>"}


def _scope_of(node: ast.AST) -> Scope:
    """The (co_name, co_firstlineno) of the code object a scope node compiles to."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        return node.name, first
    return _SCOPE_NAMES.get(type(node), "<module>"), getattr(node, "lineno", 1)


def _in_tests(filename: str) -> dict[tuple[Scope, int], tuple[str, ...]]:
    """(scope, line) -> the names that are the right side of an `in` test run by that
    scope's code on that line (a test inside a comprehension runs in its own code)."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError):
        return {}
    found: dict[tuple[Scope, int], set[str]] = {}
    stack: list[tuple[ast.AST, Scope]] = [(tree, ("<module>", 1))]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                    for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                        found.setdefault((scope, line), set()).add(right.id)
        inner = _scope_of(node) if isinstance(node, _SCOPES) else scope
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return {key: tuple(sorted(names)) for key, names in found.items()}


def measure(fn: Callable[[], Any], rows: Callable[[Any], int] = len) -> Work:
    """Run fn() once and count its work (see the module docstring)."""
    meter = _Meter()
    tracemalloc.start()
    tracemalloc.reset_peak()
    sys.settrace(meter.trace)
    sys.setprofile(meter.profile)
    try:
        result = fn()
    finally:
        sys.setprofile(None)
        sys.settrace(None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Work(rows(result), meter.lines, meter.touched, peak)


def growth(fn: Callable[[Any], Any], small: Any, large: Any,
           rows: Callable[[Any], int] = len) -> tuple[dict[str, float], Work, Work]:
    """Each count's ratio from fn(small) to fn(large), and both counts."""
    fn(small)  # imports, compiled patterns, caches: not the input's cost
    a = measure(lambda: fn(small), rows)
    b = measure(lambda: fn(large), rows)
    return b.grew(a), a, b
