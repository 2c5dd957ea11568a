"""Sentences: where the first one ends, and a title made from it.

An article with no headline (a brief in a digest, a clipping that starts with
its first paragraph) is titled by its first sentence, cut on a word at about
180 characters (a digest's headline and standfirst often run together as one long
sentence, and a headline that long is still a headline). Abbreviations ("Co.",
"U.S.", "Dr.") do not end a sentence.
"""

from __future__ import annotations

import re

from evreader.textsafe import one_line

TITLE_LIMIT = 180
_SENTENCE_END = re.compile(r"[.!?…](?:[\"”’')\]]*)(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "co corp inc ltd llc plc mr mrs ms dr prof st no vs etc jan feb mar apr jun jul aug sep "
    "sept oct nov dec gov sen rep gen lt col capt u.s u.k e.g i.e approx dept est fig".split())
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (abbreviations such as "Co." do not end it)."""
    s = text.lstrip()
    for m in _SENTENCE_END.finditer(s, 0, min(len(s), 2000)):
        end = m.start()
        word = s[max(0, end - 12): end].split()[-1:] or [""]
        token = word[0].lower().strip("(\"“")
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if _INITIALS.fullmatch(token):
            continue  # U.S., e.g.
        return s[: m.end()].strip()
    return s[:2000].strip()


def derive_title(text: str) -> str:
    """A title from the first sentence, at most ~180 characters, cut on a word."""
    sentence = first_sentence(text).rstrip()
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return one_line(sentence, TITLE_LIMIT) or "(untitled)"
