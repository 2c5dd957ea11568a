"""`spans.place` keeps exactly what inserting each found mention into the sorted
rows, where it overlaps nothing, kept (the rule before issue 20 made it linear)."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

from evreader.extract.spans import place
from evreader.models import MentionRow


def _insert_free(rows: list[MentionRow], row: MentionRow) -> None:
    """The old rule: insert `row` into rows sorted by start, unless it overlaps one."""
    i = bisect.bisect_left([r.start for r in rows], row.start)
    if (i < len(rows) and rows[i].start < row.end) or (i > 0 and rows[i - 1].end > row.start):
        return
    rows.insert(i, row)


SPAN = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1]))


def _rows(spans: list[tuple[int, int]], kind: str) -> list[MentionRow]:
    return [MentionRow(kind, f"{kind}{k}", s, e, 1, False) for k, (s, e) in enumerate(spans)]


@given(st.lists(SPAN, max_size=15), st.lists(SPAN, max_size=40))
def test_place_keeps_what_inserting_one_by_one_kept(base: list[tuple[int, int]],
                                                    offers: list[tuple[int, int]]) -> None:
    rows: list[MentionRow] = []
    for row in _rows(base, "hit"):  # the scanner's hits: sorted and disjoint
        _insert_free(rows, row)
    want = list(rows)
    offered = _rows(offers, "found")
    for row in offered:
        _insert_free(want, row)
    assert place(list(rows), offered) == want
