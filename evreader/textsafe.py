"""Make untrusted article text safe to store and show.

Articles come from files and feeds nobody here wrote. Before any text is kept we
drop terminal escape sequences (CSI, OSC such as clipboard writes or hyperlinks),
C0/C1 control characters, bidi overrides and invisible characters, so nothing an
article contains can move the cursor, write the clipboard or reorder what is shown.
Markup-looking text such as "[bold]" is kept as written; the UI renders it as
plain text (see evreader.tui), never as markup.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI, OSC/DCS/SOS/PM/APC strings, and two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit string controls
    r"|\x1b[ -/]*[0-~]?"  # other escapes
)
# Remaining controls (not \t \n), DEL, C1, bidi embeddings/overrides/isolates,
# zero-width space, word joiner, BOM, interlinear annotations, and lone surrogates.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def clean_text(text: str) -> str:
    """Text with escape sequences and unsafe invisible characters removed.

    Line ends are normalised to "\\n" and tabs become a space.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text or "\x9d" in text or "\x90" in text:
        text = _ESCAPES.sub("", text)
    if _INVISIBLE.search(text) is not None:
        text = _INVISIBLE.sub("", text)
    if "\t" in text:
        text = text.replace("\t", " ")
    return text


def one_line(text: str, limit: int | None = None) -> str:
    """A single display line: whitespace runs folded, optionally cut on a word with …"""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        cut = flat[: limit - 1]
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        flat = cut.rstrip(" ,;:-–—") + "…"
    return flat
