"""A page's body: its paragraphs without the page's furniture.

Chrome, credits and captions are dropped line by line; a trailing "Related" or
"Most read" list, an author's bio and a trailing menu are cut from the end; the
lines of a paragraph are joined back (hard-wrapped lines) or kept apart (list items,
short lines).
"""

from __future__ import annotations

import re

from evreader.ingest import debris
from evreader.ingest.pagelines import (
    Line,
)

_LIST_MARKER = re.compile(
    r"^(?:related(?:\s+\w+){0,2}|more\s+(?:on|from|in)\b.*|more\s+(?:news|stories|articles|"
    r"reading|to\s+read)|most\s+(?:read|popular|viewed)|"
    r"latest(?:\s+news)?|trending(?:\s+now)?|recommended(?:\s+for\s+you)?|read\s+more|"
    r"you\s+may\s+also\s+like|also\s+read|see\s+also|top\s+stories|popular)\s*:?$", re.I)


def body_text(standfirst: list[str], items: list[Line], furnished: bool) -> str:
    """The body paragraphs, without furniture, captions and trailing link lists."""
    items = _without_trailing_lists(items, furnished)
    paragraphs = list(standfirst)
    current: list[str] = []
    block = None
    # The hint holds no line break: searching the lines joined is searching each.
    images = debris.may_name_images("\n".join([i.text for i in items]))
    for k, item in enumerate(items):
        text = item.text
        if not item.running and (item.chrome or item.credit or (
                len(text) < 300 and item.credit_end and _strong_caption(items, k))):
            continue
        if images:
            text = debris.strip_image_names(text)
            if not text:
                continue
        text = debris.strip_glued_credit(text)
        if block is not None and item.block != block and current:
            paragraphs.append(_join(current))
            current = []
        block = item.block
        current.append(text)
    if current:
        paragraphs.append(_join(current))
    return "\n\n".join([p for p in paragraphs if p])


def _strong_caption(items: list[Line], k: int) -> bool:
    """A caption inside the body: ends with a credit and is not running text (it
    stands alone between blank lines or is short)."""
    text = items[k].text
    return len(text) < 200 or text.rstrip()[-1:] not in ".!?”\""


_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,3}\s(?:is|was)\s(?:an?\s|the\s)?[\w ,&'’-]{0,60}?"
    r"\b(?:reporter|editor|correspondent|writer|columnist|journalist|contributor|producer|"
    r"analyst|chief|bureau\s+chief)\b.{0,120}$")


def _without_trailing_lists(items: list[Line], furnished: bool) -> list[Line]:
    """Drop a trailing "Related articles" / "Most Read" marker and the short lines
    after it, an author's bio ("Hans Greimel is Asia editor for …"), and, on a page
    with furniture, a trailing run of menu lines."""
    end = len(items)
    while end > 1 and len(items[end - 1].text) < 240 and _AUTHOR_BIO.match(items[end - 1].text):
        end -= 1
    for k in range(end - 1, max(-1, end - 40), -1):
        text = items[k].text
        if _LIST_MARKER.match(text) and all(not i.prose or len(i.text) < 140
                                            for i in items[k + 1:end]):
            end = k
        elif items[k].prose and len(text) >= 140:
            break
    if furnished:
        run = end
        while run > 1 and items[run - 1].nav and items[run - 1].words <= 3:
            run -= 1
        if end - run >= 2:
            end = run
    return items[:end]


def _join(lines: list[str]) -> str:
    """A paragraph's lines: hard-wrapped lines joined, list items and short lines
    (verse, addresses) kept on their own line."""
    if len(lines) == 1:
        return lines[0]
    out = [lines[0]]
    for line in lines[1:]:
        if line[:1] in "-*•#>|" or line[:2].rstrip(".)").isdigit() or len(out[-1]) < 40:
            out.append("\n" + line)
        else:
            out.append(" " + line)
    return "".join(out)
