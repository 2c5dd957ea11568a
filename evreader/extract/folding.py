"""Case folding that keeps offsets: the one rule matching, search and lookup share.

Its own module so that a lookup can fold a fragment without loading the matcher
(which loads the compiled scanner).
"""

from __future__ import annotations


def fold(text: str) -> str:
    """Lower-case `text` without changing its length (offsets must stay valid).

    `str.lower` keeps the length of nearly every text; where a character would
    become two ("İ" → "i̇"), that character is kept as it is.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)
