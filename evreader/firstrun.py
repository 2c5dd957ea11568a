"""What to tell someone who has no sources yet: how to add a folder or a feed.

Shown by the CLI (on stderr, exit code 3) and by the reader's first screen when
the configuration names no sources and the sample corpus was switched off.
"""

from __future__ import annotations

from pathlib import Path


def first_run_help(config_path: Path | None) -> str:
    where = str(config_path) if config_path is not None else "~/.config/evreader/config.yaml"
    return (
        "No sources to read yet. To read your own articles:\n"
        "  evreader ~/clippings                  open a folder (or files) this once\n"
        f"  sources: [~/clippings]                in {where}, to keep it\n"
        "  feeds: {urls: [https://…/feed.xml]}   in the same file, then: evreader fetch\n"
        "  evreader import-opml FILE.opml        add the feeds of another reader\n"
        "Leave `sources:` out of the config to read the bundled sample articles.\n"
        "More: docs/configuration.md and docs/feeds.md")
