"""Cache format 11: bodies in zlib blocks, word lists made from the postings,
narrow mention fields — round trips, damage found late, and what is on disk."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evreader.config import Config, SourceSpec
from evreader.index import bodies
from evreader.index.bodies import DAMAGED, BlockBodies, block_firsts, table_holds, write_blocks
from evreader.library import build_library
from tests.conftest import SMALL_GAZETTEER

BODY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


def _pack(texts: list[bytes]) -> tuple[BlockBodies, np.ndarray, np.ndarray, bytes]:
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offsets[1:])
    stream = b"".join(texts)
    out = io.BytesIO()
    table = write_blocks(out, offsets, lambda lo, hi: stream[offsets[lo]:offsets[hi]])
    return _reader(out.getvalue(), offsets, table), offsets, table, out.getvalue()


def _reader(data: bytes, offsets: np.ndarray, table: np.ndarray) -> BlockBodies:
    fh = tempfile.TemporaryFile()  # noqa: SIM115  (pread needs a file; the reader keeps it)
    fh.write(data)
    fh.flush()
    return BlockBodies(fh, offsets, table)


@settings(max_examples=60, deadline=None)
@given(st.lists(BODY, max_size=40), st.sampled_from([16, 64, 1024]))
def test_blocks_give_back_every_body(texts: list[str], block: int) -> None:
    old = bodies.BLOCK_BYTES
    bodies.BLOCK_BYTES = block  # small blocks: many of them, bodies longer than one
    try:
        raw = [t.encode() for t in texts]
        reader, offsets, table, data = _pack(raw)
    finally:
        bodies.BLOCK_BYTES = old
    assert table_holds(table, offsets, len(data))
    assert len(reader) == sum(map(len, raw))
    for i, body in enumerate(raw):
        assert reader[int(offsets[i]):int(offsets[i + 1])] == body
    assert reader[0:len(reader)] == b"".join(raw)  # a range over several blocks


def test_blocks_start_where_the_size_says() -> None:
    offsets = np.cumsum([0, *([1000] * 100)]).astype(np.int64)
    firsts = block_firsts(offsets)
    assert firsts[0] == 0 and firsts[-1] == 100
    sizes = np.diff(offsets[firsts])
    assert (sizes[:-1] >= bodies.BLOCK_BYTES).all() and (sizes <= bodies.BLOCK_BYTES + 1000).all()
    big = np.asarray([0, 10, 10 + 5 * bodies.BLOCK_BYTES, 20 + 5 * bodies.BLOCK_BYTES],
                     dtype=np.int64)
    assert block_firsts(big).tolist() == [0, 2, 3]  # a long body ends its block


def test_a_damaged_block_reads_as_a_notice_and_is_reported_once() -> None:
    raw = [f"Article {i} about Nissan batteries. ".encode() * 40 for i in range(60)]
    _, offsets, table, data = _pack(raw)
    assert len(table) > 3
    told: list[int] = []
    bad = bytearray(data)
    b = 1
    at = int(table[b, 1]) + (int(table[b + 1, 1]) - int(table[b, 1])) // 2
    bad[at] ^= 0xFF  # inside block 1: the sizes all still agree
    damaged = _reader(bytes(bad), offsets, table)
    damaged.on_damage = lambda: told.append(1)
    first_of_b = int(table[b, 0])
    lo, hi = int(offsets[first_of_b]), int(offsets[first_of_b + 1])
    assert damaged[lo:hi] == DAMAGED.encode()
    assert damaged[lo:hi] == DAMAGED.encode()
    assert told == [1]
    assert damaged[0:int(offsets[1])] == raw[0]  # other blocks still read


@pytest.mark.parametrize("table", [
    [[0, 0], [3, 10]],  # the file is longer
    [[0, 0], [2, 12]],  # fewer articles
    [[1, 0], [3, 12]],  # not from the first article
    [[0, 0], [2, 13], [3, 12]],  # offsets go back
    [[0, 0], [0, 5], [3, 12]],  # an empty block
])
def test_a_block_table_that_does_not_fit_is_refused(table: list[list[int]]) -> None:
    offsets = np.asarray([0, 4, 8, 12], dtype=np.int64)
    assert not table_holds(np.asarray(table, dtype=np.int64), offsets, 12)
    assert table_holds(np.asarray([[0, 0], [3, 12]], dtype=np.int64), offsets, 12)


# ---------------------------------------------------------------- through the cache


def _corpus(root: Path, n: int = 120) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"f{i:03d}.txt").write_text(
            f"Headline {i} on cells\n\n" + " ".join(
                f"Nissan and Honda met in Japan on day {i}, paragraph {p}, with Foxconn."
                for p in range(12)) + "\n")
    return root


def _config(tmp_path: Path, src: Path) -> Config:
    return Config(sources=(SourceSpec(src),), gazetteer=SMALL_GAZETTEER,
                  cache_dir=tmp_path / "cache")


def _folder(tmp_path: Path) -> Path:
    (folder,) = [p for p in (tmp_path / "cache" / "corpora").iterdir() if p.is_dir()]
    return folder


def test_cached_bodies_are_compressed_and_equal(tmp_path: Path) -> None:
    cfg = _config(tmp_path, _corpus(tmp_path / "src"))
    cold = build_library(cfg)
    warm = build_library(cfg)
    assert warm.from_cache
    texts = [cold.index.articles.text(i) for i in range(len(cold.index))]
    assert [warm.index.articles.text(i) for i in range(len(warm.index))] == texts
    rows = [*range(len(texts) - 1, -1, -7), 3, 3, 0]
    assert warm.index.articles.texts(rows) == [texts[i] for i in rows]
    folder = _folder(tmp_path)
    raw = sum(len(t.encode()) for t in texts)
    assert (folder / "texts.bin").stat().st_size < raw / 3  # repetitive text: well under
    blocks = np.load(folder / "blocks.npy")
    assert len(blocks) > 3  # several blocks, so the read across them is tested
    names = {p.name for p in folder.iterdir()}
    assert not names & {"ft_ids.npy", "ft_ptr.npy", "fh_ids.npy", "fh_ptr.npy"}
    assert np.load(folder / "m_field.npy").dtype == np.uint8


def test_a_block_damaged_after_the_load_checks_gives_a_rebuild(tmp_path: Path) -> None:
    cfg = _config(tmp_path, _corpus(tmp_path / "src"))
    cold = build_library(cfg)
    folder = _folder(tmp_path)
    blocks = np.load(folder / "blocks.npy")
    data = bytearray((folder / "texts.bin").read_bytes())
    data[(int(blocks[1, 1]) + int(blocks[2, 1])) // 2] ^= 0xFF  # same size: loads
    (folder / "texts.bin").write_bytes(bytes(data))
    warm = build_library(cfg)
    assert warm.from_cache
    victim = int(blocks[1, 0])
    assert warm.index.articles.text(victim) == DAMAGED  # shown, not raised
    assert warm.index.articles.text(0) == cold.index.articles.text(0)
    assert not (folder / "manifest.json").exists()  # dropped: the next start rebuilds
    again = build_library(cfg)
    assert not again.from_cache
    assert again.index.articles.text(victim) == cold.index.articles.text(victim)
    assert build_library(cfg).from_cache


@pytest.mark.parametrize("victim,value", [
    ("m_field.npy", np.zeros(3, dtype=np.int32)),  # a wrong dtype, however long
    ("blocks.npy", np.zeros((1, 2), dtype=np.int64)),  # a table that does not fit
    ("blocks.npy", np.zeros(4, dtype=np.int64)),  # one dimension
    ("t_art.npy", np.zeros(5, dtype=np.float64)),
])
def test_an_array_of_the_wrong_kind_gives_a_rebuild(tmp_path: Path, victim: str,
                                                     value: np.ndarray) -> None:
    cfg = _config(tmp_path, _corpus(tmp_path / "src", 20))
    cold = build_library(cfg)
    folder = _folder(tmp_path)
    if victim == "m_field.npy":
        value = np.load(folder / victim).astype(np.int32)  # right length, wrong dtype
    np.save(folder / victim, value)
    again = build_library(cfg)
    assert not again.from_cache
    assert again.index.articles.titles == cold.index.articles.titles


def test_incremental_build_from_word_postings_equals_a_fresh_one(tmp_path: Path) -> None:
    from evreader.index.forward import forward_holds
    src = _corpus(tmp_path / "src", 30)
    cfg = _config(tmp_path, src)
    build_library(cfg)
    (src / "f004.txt").write_text("Changed\n\nTesla opened chargers in China with Nissan.\n")
    os.utime(src / "f004.txt", ns=(1, 1))
    inc = build_library(cfg)
    fresh = build_library(cfg, use_cache=False)
    for name in ("t_ptr", "t_art", "h_ptr", "h_art", "m_ptr", "m_ent", "e_art", "pair_ent"):
        assert np.asarray(getattr(inc.index, name)).tolist() == \
            np.asarray(getattr(fresh.index, name)).tolist(), name
    assert list(inc.index.vocab) == list(fresh.index.vocab)
    snap = build_library(cfg)
    assert snap.from_cache
    from evreader.cache import CorpusCache
    loaded = CorpusCache(tmp_path / "cache", cfg.sources).load()
    assert loaded is not None and forward_holds(loaded.index)
    fw = loaded.index.forward
    assert fw is not None
    ft_ptr, ft_ids, _, _ = fw.words()
    idx = loaded.index
    for i in range(len(idx)):  # each article's words are those whose postings hold it
        words = sorted(ft_ids[ft_ptr[i]:ft_ptr[i + 1]].tolist())
        assert words == [w for w in range(len(idx.vocab))
                         if i in idx.t_art[idx.t_ptr[w]:idx.t_ptr[w + 1]]]
    idx.t_art = np.asarray(idx.t_art).copy()
    idx.t_art[0] = len(idx)  # an article id out of range: never transposed
    assert not forward_holds(idx)


def test_manifest_says_format_11(tmp_path: Path) -> None:
    build_library(_config(tmp_path, _corpus(tmp_path / "src", 3)))
    manifest = json.loads((_folder(tmp_path) / "manifest.json").read_text())
    assert manifest["format"] == 11


def test_zlib_is_what_the_block_holds(tmp_path: Path) -> None:
    """Blocks are plain zlib streams: any zlib reads them (the format is documented)."""
    build_library(_config(tmp_path, _corpus(tmp_path / "src", 40)))
    folder = _folder(tmp_path)
    blocks = np.load(folder / "blocks.npy")
    offsets = np.load(folder / "offsets.npy")
    data = (folder / "texts.bin").read_bytes()
    whole = b"".join(zlib.decompress(data[int(a):int(b)])
                     for a, b in zip(blocks[:-1, 1], blocks[1:, 1], strict=True))
    assert len(whole) == int(offsets[-1])


def test_an_incremental_build_over_a_damaged_block_reads_the_sources(tmp_path: Path) -> None:
    """The notice must never be copied into a new cache as if it were the body."""
    src = _corpus(tmp_path / "src", 60)
    cfg = _config(tmp_path, src)
    build_library(cfg)
    folder = _folder(tmp_path)
    blocks = np.load(folder / "blocks.npy")
    data = bytearray((folder / "texts.bin").read_bytes())
    data[(int(blocks[0, 1]) + int(blocks[1, 1])) // 2] ^= 0xFF
    (folder / "texts.bin").write_bytes(bytes(data))
    (src / "f059.txt").write_text("Changed\n\nTesla opened chargers in China.\n")
    os.utime(src / "f059.txt", ns=(1, 1))
    inc = build_library(cfg)  # most files unchanged: would reuse the damaged cache
    fresh = build_library(cfg, use_cache=False)
    texts = [fresh.index.articles.text(i) for i in range(len(fresh.index))]
    assert [inc.index.articles.text(i) for i in range(len(inc.index))] == texts
    warm = build_library(cfg)
    assert warm.from_cache
    assert [warm.index.articles.text(i) for i in range(len(warm.index))] == texts
    assert DAMAGED not in texts


def test_columns_of_a_store_are_those_of_its_articles(tmp_path: Path) -> None:
    from evreader.index.store import Columns
    cfg = _config(tmp_path, _corpus(tmp_path / "src", 50))
    build_library(cfg)
    warm = build_library(cfg)
    assert warm.from_cache
    store = warm.index.articles
    for lo, hi in ((0, 50), (7, 31), (49, 50), (5, 5)):
        assert Columns.of_store(store, lo, hi) == Columns.of(store[lo:hi])


def test_quoted_phrases_read_the_cached_bodies(tmp_path: Path) -> None:
    from evreader.query import resolve_query
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Alpha title\n\nNissan signed a supply deal with Foxconn.\n")
    (src / "b.txt").write_text("Beta title\n\nThe deal on supply was signed by Nissan.\n")
    (src / "c.txt").write_text("Supply Deal news\n\nNissan said nothing more.\n")
    cfg = _config(tmp_path, src)
    build_library(cfg)
    lib = build_library(cfg)
    assert lib.from_cache

    def found(query: str) -> list[str]:
        rows = lib.select(resolve_query(query, lib.engine).filters)
        return sorted(lib.index.articles.titles[i] for i in rows)
    assert found('nissan "supply deal"') == ["Alpha title", "Supply Deal news"]  # title too
    assert found('nissan "supply   DEAL" "with foxconn"') == ["Alpha title"]
    assert found('nissan "deal on supply"') == ["Beta title"]
