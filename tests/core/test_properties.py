"""Property tests: invariants that must hold for any input, not just the seeds."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evreader.config import Config, SourceSpec
from evreader.export import append_note, render_note
from evreader.extract.extractor import Extractor
from evreader.extract.matcher import fold
from evreader.extract.scan_py import WORD_RE
from evreader.gazetteer import load_gazetteer
from evreader.ingest import debris
from evreader.ingest.files import SourceFile
from evreader.ingest.load import read_source_file
from evreader.library import Library, build_library
from evreader.models import Article, Filters
from tests.conftest import SEEDS, SMALL_GAZETTEER

WORD = st.from_regex(r"[A-Za-z][a-z]{0,9}|[0-9]{1,4}|[A-Z]{2,4}", fullmatch=True)
SENTENCE = st.lists(WORD, min_size=1, max_size=30).map(lambda ws: " ".join(ws) + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=6).map(" ".join)
TOKEN = re.compile(r"\w+")
LIST_NUMBER = re.compile(r"^\d{1,3}[.)]\s+")  # "1. " opening a digest line: list furniture


def _tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text))


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Digests (one brief per line) and articles (title, byline, paragraphs, headings)."""
    if draw(st.booleans()):
        lines = draw(st.lists(PARAGRAPH, min_size=1, max_size=8))
        return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    # a title, never a line of page furniture itself ("Aa" is a text-size button)
    blocks = [draw(st.lists(WORD, min_size=1, max_size=8).map(" ".join)
                   .filter(lambda t: not debris.is_chrome(t)))]
    if draw(st.booleans()):
        blocks.append(draw(st.sampled_from(["By Jane Doe", "Ann Lee Sat, Mar 16 2024 09:48 AM",
                                            "8 Min Read", "Home > News > Auto"])))
    blocks += draw(st.lists(st.one_of(PARAGRAPH, st.lists(WORD, min_size=1, max_size=4)
                                      .map(" ".join)), min_size=1, max_size=8))
    if draw(st.booleans()):
        blocks.append("Share This Article")
    return "\n\n".join(blocks)


@settings(max_examples=300)  # each example loads a file end to end: 2,000 took 100 s in CI
@given(documents(), st.sampled_from(["auto", "lines", "file"]))
def test_segmentation_loses_no_text(tmp_path_factory: pytest.TempPathFactory, doc: str,
                                    split: str) -> None:
    path = tmp_path_factory.mktemp("seg") / "doc.txt"
    path.write_text(doc, encoding="utf-8", newline="")
    articles, _ = read_source_file(SourceFile(str(path), "doc.txt"), split)
    kept = Counter[str]()
    for a in articles:
        kept += _tokens(" ".join([a.title, a.byline or "", a.text, *a.authors]))
    lines = [line.strip() for line in doc.replace("\r", "\n").split("\n")]
    furnished = any(debris.is_chrome(line) for line in lines if line)
    # On a furnished page, what stands above the headline is the site's (a tagline,
    # "Exclusive news, data and analytics for …", a menu, a label): it may go.
    titles = {a.title for a in articles}
    top = next((k for k, line in enumerate(lines) if line in titles), 0) \
        if furnished and split != "lines" else 0
    expected = Counter[str]()
    for k, line in enumerate(lines):
        # Page furniture goes; on a furnished page, so may short lines in its header
        # (menus, labels); running text and every line of a plain page stay.
        if line and k >= top and not debris.is_chrome(line) and (
                not furnished or len(line) >= 100 or len(line.split()) >= 8):
            expected += _tokens(LIST_NUMBER.sub("", line, count=1))
    assert not (expected - kept), f"lost: {expected - kept}"


_EXTRACTOR = Extractor(load_gazetteer(SMALL_GAZETTEER))
_SURFACES = [s.text for s in load_gazetteer(SMALL_GAZETTEER).surfaces.values()]
TEXT_WITH_ENTITIES = st.lists(
    st.one_of(st.sampled_from(_SURFACES), WORD, st.sampled_from(["’s", ",", ".", " (", ")", "-"])),
    max_size=60,
).map(" ".join)


@given(TEXT_WITH_ENTITIES)
def test_mention_offsets_point_at_their_text(text: str) -> None:
    gz = _EXTRACTOR.gazetteer
    for m in _EXTRACTOR.extract(Article("x", "s", "", text)):
        span = text[m.start:m.end]
        assert 0 <= m.start < m.end <= len(text) and span.strip() == span
        if m.kind in ("company", "country", "theme") and not m.discovered:
            words = WORD_RE.findall(fold(span))
            assert any(WORD_RE.findall(fold(s.text)) == words for s in gz.surfaces.values()), span
        if m.kind == "person":
            assert span in m.name or m.name in span


@pytest.fixture(scope="module")
def seeds_lib() -> Library:
    return build_library(Config(sources=(SourceSpec(SEEDS),), gazetteer=SMALL_GAZETTEER),
                         use_cache=False)


@given(st.text(max_size=200))
def test_search_and_lookup_never_fail(seeds_lib: Library, query: str) -> None:
    hits = seeds_lib.engine.search(query)
    assert all(0 <= h.article < len(seeds_lib.index) for h in hits)
    for kinds in (None, ["company"], ["country", "theme"]):
        matches = seeds_lib.engine.lookup(query, kinds)
        assert all(0 <= m.score <= 100 for m in matches)
    assert isinstance(seeds_lib.select(Filters(query=query)), list)


ARTICLE_TEXT = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")),
                                 min_size=1, max_size=80), min_size=1, max_size=5).map("\n".join)


@settings(max_examples=500)  # each example writes a note (an fsync): 2,000 took 28 s in CI
@given(st.lists(ARTICLE_TEXT, min_size=1, max_size=4), st.binary(max_size=200))
def test_export_round_trips(tmp_path_factory: pytest.TempPathFactory, bodies: list[str],
                            existing: bytes) -> None:
    from evreader.index.chunks import build_chunk
    from evreader.index.corpus import merge_chunks
    from evreader.index.store import ArticleStore
    articles = [Article(f"id{i}", "src.txt", f"Title {i}", body) for i, body in enumerate(bodies)]
    index = merge_chunks(ArticleStore.from_articles(articles), [build_chunk(articles, _EXTRACTOR)])
    entry = render_note(index, list(range(len(articles))), body="full")
    note = tmp_path_factory.mktemp("note") / "n.md"
    note.write_bytes(existing)
    append_note(note, entry)
    data = note.read_bytes()
    assert data.startswith(existing)
    written = data[len(existing):].decode("utf-8").lstrip("\n")
    assert written == entry
    quoted = [ln[2:] if ln.startswith("> ") else "" for ln in written.split("\n")
              if ln.startswith(">")]
    recovered = "\n".join(quoted)
    for body in bodies:
        assert body in recovered or body.strip() == ""
