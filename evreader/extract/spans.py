"""Adding found mentions to a field's gazetteer hits without overlaps.

A field's rows start as the scanner's hits: sorted by start, disjoint. Found
mentions (resolved ambiguous places, people, discovered companies) are offered
in priority order, and each is kept only where it overlaps no row and no offer
kept before it. Inserting each into the sorted list moved the rows after it, so
an article with many later mentions ("Lee" 15,000 times) cost mentions × rows;
here each offer costs O(log rows + log offers), the rows are only read, and the
result is sorted once, only when something was added (rarely: most offers fall
on a gazetteer name or another offer).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from operator import itemgetter

from evreader.models import MentionRow

_START = itemgetter(2)  # MentionRow.start


def place(rows: list[MentionRow], offers: Iterable[MentionRow]) -> list[MentionRow]:
    """`rows` (sorted by start, disjoint) with each offer added, in the order given,
    unless it overlaps a row of `rows` or an offer added before it; sorted by start.

    A span [s, e) overlaps a set of disjoint spans iff, among them, the greatest end
    of those starting before e is past s. Disjoint rows sorted by start have their
    ends sorted too, so for the rows that is the end of the last row starting before
    e (a bisection). Offers are kept in a Fenwick tree over their starts that
    answers the same prefix maximum.
    """
    offered = list(offers)
    if not offered:
        return rows
    starts = sorted({r.start for r in offered})
    tree = [-1] * (len(starts) + 1)  # tree[k]: the greatest kept end over a range of slots
    added = []
    for row in offered:
        start, end = row.start, row.end
        k = bisect.bisect_left(rows, end, key=_START)  # rows starting before `end`
        if k and rows[k - 1].end > start:
            continue
        k, best = bisect.bisect_left(starts, end), -1  # slots of offers starting before it
        while k > 0:
            if tree[k] > best:
                best = tree[k]
            k -= k & -k
        if best > start:
            continue
        k = bisect.bisect_left(starts, start) + 1
        while k < len(tree):
            if tree[k] < end:
                tree[k] = end
            k += k & -k
        added.append(row)
    if not added:
        return rows
    return sorted(rows + added, key=_START)  # two sorted runs: a merge
