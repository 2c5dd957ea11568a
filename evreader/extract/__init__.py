"""Entities from article text: the gazetteer's names (matcher, scan_py and its
native twin), people (people) and discovered companies (companies), put together per
article by `extractor.Extractor`."""
