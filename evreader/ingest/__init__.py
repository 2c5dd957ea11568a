"""Sources → articles: read files and folders, decode, segment, extract metadata.

`load_sources` and `read_source_file` are loaded on first use: a warm start that
only looks at the files (`ingest.files`) must not import the segmenting rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evreader.ingest.load import load_sources, read_source_file

__all__ = ["load_sources", "read_source_file"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from evreader.ingest import load
        return getattr(load, name)
    raise AttributeError(f"module 'evreader.ingest' has no attribute {name!r}")
