"""What to tell someone who has no articles yet: how to add a folder or a feed.

Shown by the CLI (on stderr, exit code 3) and by the reader's pane when the
configuration names no sources (the sample corpus switched off) or its sources
hold no article. The steps are data so each face lays them out for its width.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Step(NamedTuple):
    """One way to get articles in: what to type or write, and what it does."""

    command: str
    purpose: str


def opening(*, sources_empty: bool = False) -> str:
    """`sources_empty`: sources are configured but none holds an article."""
    first = ("No articles were found in the configured sources." if sources_empty
             else "No sources to read yet.")
    return f"{first} To read your own articles:"


def steps(config_path: Path | None) -> list[Step]:
    where = str(config_path) if config_path is not None else "~/.config/evreader/config.yaml"
    return [
        Step("evreader ~/clippings", "open a folder (or files) this once"),
        Step("sources: [~/clippings]", f"in {where}, to keep it"),
        Step("feeds: {urls: [https://…/feed.xml]}", "in the same file, then: evreader fetch"),
        Step("evreader import-opml FILE.opml", "add the feeds of another reader"),
    ]


CLOSING = ("Leave `sources:` out of the config to read the bundled sample articles.\n"
           "More: docs/configuration.md and docs/feeds.md")


def first_run_help(config_path: Path | None, *, sources_empty: bool = False,
                   stacked: bool = False) -> str:
    """The whole message as text: each step's purpose beside its command, or under it
    when `stacked` (a narrow pane)."""
    rows = steps(config_path)
    width = max(len(s.command) for s in rows) + 3
    lines = [opening(sources_empty=sources_empty)]
    for s in rows:
        lines += [f"  {s.command}", f"      {s.purpose}"] if stacked else \
            [f"  {s.command:<{width}}{s.purpose}"]
    return "\n".join([*lines, CLOSING])
