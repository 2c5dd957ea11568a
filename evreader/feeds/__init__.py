"""Feeds: RSS, Atom and JSON Feed files and URLs, OPML (see store, fetch, parse)."""
