"""Sources → articles: read files and folders, decode, segment, extract metadata."""

from evreader.ingest.load import load_sources, read_source_file

__all__ = ["load_sources", "read_source_file"]
