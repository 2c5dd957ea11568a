"""Adding found mentions to a field's gazetteer hits without overlaps.

A field's rows start as the scanner's hits: sorted by start, disjoint. Found
mentions (resolved ambiguous places, people, discovered companies) are offered
in priority order, and each is kept only where it overlaps no row kept before
it. Inserting each into the sorted list moved the rows after it, so an article
with many later mentions ("Lee" 15,000 times) cost mentions × rows; here each
offer costs O(log rows) and the result is sorted once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from evreader.models import MentionRow


def place(rows: list[MentionRow], offers: Iterable[MentionRow]) -> list[MentionRow]:
    """`rows` (sorted by start, disjoint) with each offer added, in the order given,
    unless it overlaps a row of `rows` or an offer added before it; sorted by start.

    Kept spans are disjoint, so a span [s, e) overlaps one iff, among kept spans
    starting before e, the greatest end is past s: a Fenwick tree over the starts
    answers that prefix maximum.
    """
    offered = list(offers)
    if not offered:
        return rows
    starts = sorted({r.start for r in rows}.union(r.start for r in offered))
    slot = {s: k for k, s in enumerate(starts)}
    tree = [-1] * (len(starts) + 1)  # tree[k]: the greatest end over a range of slots

    def keep(start: int, end: int) -> None:
        k = slot[start] + 1
        while k < len(tree):
            if tree[k] < end:
                tree[k] = end
            k += k & -k

    def greatest_end_before(end: int) -> int:
        k, best = bisect.bisect_left(starts, end), -1  # slots of starts < end
        while k > 0:
            if tree[k] > best:
                best = tree[k]
            k -= k & -k
        return best

    for row in rows:
        keep(row.start, row.end)
    added = []
    for row in offered:
        if greatest_end_before(row.end) <= row.start:
            keep(row.start, row.end)
            added.append(row)
    return sorted(rows + added, key=_start_of)  # two sorted runs: a merge


def _start_of(row: MentionRow) -> int:
    return row.start
