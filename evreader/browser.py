"""Is there a web browser that opens beside this terminal?

Python's `webbrowser` falls back to text browsers (lynx, w3m, links) when there is
no display; started from a full-screen terminal app, one would take over the
screen the app is drawing. So a URL is only opened when the user named a browser
($BROWSER), the platform has its own opener (macOS, Windows), or a graphical
display is there and `webbrowser` finds a browser that is not a text one.
"""

from __future__ import annotations

import os
import sys
import webbrowser

TEXT_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "links2"})


def why_not() -> str | None:
    """None when a URL can be opened; else why not, in a few words."""
    if os.environ.get("BROWSER"):
        return None
    if sys.platform in ("darwin", "win32"):
        return None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no browser here (no display)"
    try:
        found = webbrowser.get()
    except webbrowser.Error:
        return "no browser found"
    name = os.path.basename(getattr(found, "name", "") or "")
    if name in TEXT_BROWSERS:
        return "only a text browser here"
    return None
