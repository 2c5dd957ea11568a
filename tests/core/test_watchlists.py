"""Watchlists: config and saved entries, what "new" means, and marks that two
processes can write at once without losing either's.

Times are set by the tests (`observed_at`), never read off the clock, so nothing
here depends on how fast the machine is.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from evreader.config import Config, SourceSpec, parse_config
from evreader.errors import ConfigError, EvreaderError, UsageError
from evreader.library import Library, build_library, open_cached
from evreader.models import Filters
from evreader.query import resolve_query
from evreader.state import (
    LOCK_NAME,
    ReadingState,
    datetime_to_us,
    record_first_seen,
)
from evreader.watchlists import SAVED_NAME, load_watchlists
from tests.conftest import SMALL_GAZETTEER

T0 = datetime_to_us(datetime(2025, 1, 6, 9, 0, tzinfo=UTC))
HOUR = 3_600_000_000


def note(folder: Path, name: str, title: str, body: str, date: str = "2025-01-06") -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    note(folder, "a", "Nissan and Foxconn talk", "Nissan met Foxconn in Japan about EVs.")
    note(folder, "b", "Honda plans", "Honda builds batteries in Japan.")
    note(folder, "c", "Ford in the US", "Ford said chargers in the United States grow.")
    return folder


@pytest.fixture
def config(tmp_path: Path, corpus: Path) -> Config:
    text = ("watchlists:\n"
            "  Nissan Japan: company:nisan country:japan\n"
            "  Tesla: company:tesla\n"
            "  Batteries: theme:batteries\n")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    base = parse_config(text, path)
    return replace(base, sources=(SourceSpec(corpus),), gazetteer=SMALL_GAZETTEER,
                   cache=False, cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


def library(config: Config, at: int) -> Library:
    """A library whose files were read at `at` (µs): the clock plays no part."""
    lib = build_library(config)
    lib.observed_at = at
    return lib


def titles(lib: Library, rows: list[int]) -> list[str]:
    return [lib.index.articles.titles[i] for i in rows]


# ---------------------------------------------------------------- config and saved file


def test_both_config_forms_load_and_bad_entries_warn(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    text = ("watchlists:\n"
            "  CATL Indonesia: company:catl company:gotion country:indonesia\n"
            "  Typo: compny:tesla\n"
            "  Open quote: '\"solid state'\n"
            "  Listy: [company:tesla]\n"
            "  Empty: ''\n"
            "  Recalls: theme:recalls company:tesla\n")
    cfg = replace(parse_config(text, path), data_dir=tmp_path / "data")
    loaded = load_watchlists(cfg)
    assert [w.name for w in loaded.items] == ["CATL Indonesia", "Recalls"]
    assert loaded.items[0].parsed.entities == [("company", "catl"), ("company", "gotion"),
                                               ("country", "indonesia")]
    warned = {w.split(": ")[0]: w for w in loaded.warnings}
    assert set(warned) == {f"{path}:{n}" for n in (3, 4, 5, 6)}
    assert "watchlist 'Typo'" in warned[f"{path}:3"] and "compny:" in warned[f"{path}:3"]
    assert "quote" in warned[f"{path}:4"]
    assert "must be text" in warned[f"{path}:5"]
    assert "empty" in warned[f"{path}:6"]
    assert all(w.endswith("the others still load") for w in loaded.warnings)

    listed = parse_config("watchlists:\n"
                          "  - {name: Tesla recalls, query: theme:recalls company:tesla}\n"
                          "  - {name: No query}\n"
                          "  - {name: Odd, query: x, colour: red}\n"
                          "  - just a string\n"
                          "  - {name: '-dash', query: company:tesla}\n", path)
    loaded = load_watchlists(replace(listed, data_dir=tmp_path / "data"))
    assert [(w.name, w.query) for w in loaded.items] == [
        ("Tesla recalls", "theme:recalls company:tesla")]
    assert len(loaded.warnings) == 4
    assert "needs both name and query" in loaded.warnings[0]
    assert "unknown key 'colour'" in loaded.warnings[1]
    assert "{name: …, query: …}" in loaded.warnings[2]
    assert "cannot start with '-'" in loaded.warnings[3]


def test_a_section_of_the_wrong_shape_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("sort: newest\nwatchlists: company:tesla\n", tmp_path / "c.yaml")
    assert info.value.line == 2
    assert parse_config("watchlists:\n", tmp_path / "c.yaml").watchlists == ()


def test_duplicate_names_keep_the_first(tmp_path: Path) -> None:
    cfg = parse_config("watchlists:\n  Tesla: company:tesla\n  TESLA: theme:recalls\n",
                       tmp_path / "c.yaml")
    loaded = load_watchlists(replace(cfg, data_dir=tmp_path / "data"))
    assert [(w.name, w.query) for w in loaded.items] == [("Tesla", "company:tesla")]
    assert "c.yaml:3" in loaded.warnings[0] and "the same name" in loaded.warnings[0]


def test_saving_never_rewrites_config_yaml(config: Config) -> None:
    assert config.path is not None
    before = config.path.read_bytes()
    lib = library(config, T0)
    saved = lib.save_watchlist("  Foxconn   deals ", "company:foxcon")
    assert saved.name == "Foxconn deals" and saved.origin == "saved"
    assert config.path.read_bytes() == before
    assert "Foxconn deals: company:foxcon" in (config.data_dir / SAVED_NAME).read_text()
    assert [w.name for w in lib.watchlists()][-1] == "Foxconn deals"
    lib.save_watchlist("foxconn DEALS", "company:foxconn theme:charging")  # same name: replaced
    assert [(w.name, w.query) for w in lib.watchlists() if w.origin == "saved"] == [
        ("foxconn DEALS", "company:foxconn theme:charging")]
    with pytest.raises(UsageError, match=r"config\.yaml:2; change it there"):
        lib.save_watchlist("nissan japan", "company:honda")
    with pytest.raises(UsageError, match="compny"):
        lib.save_watchlist("Typo", "compny:honda")
    with pytest.raises(UsageError, match=r"config\.yaml:3; remove it there"):
        lib.delete_watchlist("Tesla")
    assert config.path.read_bytes() == before


def test_deleting_a_saved_watchlist_forgets_its_mark(config: Config) -> None:
    lib = library(config, T0)
    lib.save_watchlist("Honda", "company:honda")
    lib.watch_counts("Honda")
    assert lib.state is not None and lib.state.watch_mark("honda") == T0
    assert lib.delete_watchlist("HONDA") == "Honda"
    assert "honda" not in ReadingState(config.data_dir / "state.json").watch_marks
    assert all(w.name != "Honda" for w in lib.watchlists())
    with pytest.raises(UsageError, match="no saved watchlist named 'Honda'"):
        lib.delete_watchlist("Honda")


def test_a_saved_name_that_config_also_has_loses_with_a_warning(config: Config) -> None:
    (config.data_dir).mkdir(parents=True)
    (config.data_dir / SAVED_NAME).write_text("Tesla: theme:charging\nFord: company:ford\n")
    lib = library(config, T0)
    by_name = {w.name: w for w in lib.watchlists()}
    assert by_name["Tesla"].query == "company:tesla" and by_name["Ford"].origin == "saved"
    assert any(f"{SAVED_NAME}:1" in w and "the same name" in w
               for w in lib.watchlist_warnings())


def test_a_damaged_saved_file_warns_and_is_not_overwritten(config: Config) -> None:
    config.data_dir.mkdir(parents=True)
    saved = config.data_dir / SAVED_NAME
    saved.write_text("Tesla: [unclosed\n")
    lib = library(config, T0)
    assert [w.origin for w in lib.watchlists()] == ["config"] * 3
    assert any("invalid YAML" in w for w in lib.watchlist_warnings())
    with pytest.raises(EvreaderError, match="fix or remove that file"):
        lib.save_watchlist("Ford", "company:ford")
    assert saved.read_text() == "Tesla: [unclosed\n"


# ---------------------------------------------------------------- what "new" means


def test_the_first_run_finds_nothing_new(config: Config) -> None:
    lib = library(config, T0)
    counts = lib.watch_counts("Nissan Japan")
    assert (counts.new, counts.total, counts.unread) == (0, 1, 1)
    assert counts.since == datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    assert lib.watch_new("nissan japan") == []


def test_an_article_that_arrives_after_the_mark_is_new_whatever_its_date(
        config: Config, corpus: Path) -> None:
    library(config, T0).watch_counts("Nissan Japan")
    # Fetched today, published years ago: new all the same.
    note(corpus, "d", "Nissan archive piece", "Nissan opened a plant in Japan.", "2019-05-01")
    lib = library(config, T0 + HOUR)
    counts = lib.watch_counts("Nissan Japan")
    assert (counts.new, counts.total) == (1, 2)
    assert titles(lib, lib.watch_new("Nissan Japan")) == ["Nissan archive piece"]
    assert lib.watch_counts("Batteries").new == 0  # not on that watchlist


def test_a_visit_moves_the_mark_forward_only(config: Config, corpus: Path) -> None:
    old = library(config, T0)
    old.watch_counts("Nissan Japan")
    note(corpus, "d", "Nissan news", "Nissan in Japan again.")
    new = library(config, T0 + HOUR)
    assert new.watch_counts("Nissan Japan").new == 1
    assert new.mark_watch_seen("Nissan Japan") == datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
    assert new.watch_counts("Nissan Japan").new == 0
    old.mark_watch_seen("Nissan Japan")  # an older library's visit does not move it back
    assert library(config, T0 + 2 * HOUR).watch_counts("Nissan Japan").new == 0


def test_a_visit_with_an_older_library_leaves_later_arrivals_new(
        config: Config, corpus: Path) -> None:
    """The reader opened at 09:00; a fetch and `evreader watch` at 10:00 see an article
    the reader does not show. Visiting the watchlist in the reader marks 09:00, so
    the article stays new."""
    reader = library(config, T0)
    reader.watch_counts("Nissan Japan")
    note(corpus, "d", "Nissan news", "Nissan in Japan again.")
    cron = library(config, T0 + HOUR)
    assert cron.watch_counts("Nissan Japan").new == 1
    reader.mark_watch_seen("Nissan Japan")
    assert library(config, T0 + 2 * HOUR).watch_counts("Nissan Japan").new == 1


def test_first_seen_is_the_earliest_library_that_held_the_article(
        config: Config, corpus: Path) -> None:
    """A library made at 09:00 but asked only at 11:00 held its articles at 09:00,
    even if a library made at 10:00 recorded them first."""
    note(corpus, "d", "Nissan news", "Nissan in Japan again.")
    early = library(config, T0)
    late = library(config, T0 + HOUR)
    assert late.watch_counts("Nissan Japan").new == 0  # first met here: its mark starts
    early.watch_counts("Nissan Japan")
    times = record_first_seen(config.data_dir, [], T0).times
    assert set(times.values()) == {T0}


def test_an_article_edited_in_place_is_new_a_touched_file_is_not(
        config: Config, corpus: Path) -> None:
    library(config, T0).watch_counts("Nissan Japan")
    path = corpus / "a.md"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, unchanged
    assert library(config, T0 + HOUR).watch_counts("Nissan Japan").new == 0
    note(corpus, "a", "Nissan and Foxconn talk", "Nissan met Foxconn in Japan, again.")
    lib = library(config, T0 + 2 * HOUR)
    assert titles(lib, lib.watch_new("Nissan Japan")) == ["Nissan and Foxconn talk"]


def test_since_counts_from_a_given_time(config: Config, corpus: Path) -> None:
    library(config, T0).watch_counts("Nissan Japan")
    note(corpus, "d", "Nissan news", "Nissan in Japan again.")
    lib = library(config, T0 + 2 * HOUR)
    before = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    between = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
    assert len(lib.watch_new("Nissan Japan", since=before)) == 2
    assert titles(lib, lib.watch_new("Nissan Japan", since=between)) == ["Nissan news"]
    assert lib.watch_new("Nissan Japan", since=between + 2 * timedelta(hours=1)) == []


def test_unread_counts_follow_the_reading_state(config: Config) -> None:
    lib = library(config, T0)
    assert lib.watch_counts("Batteries").unread == 1
    assert lib.state is not None
    lib.state.set_read([lib.index.articles.ids[lib.watch_new(
        "Batteries", since=datetime(2000, 1, 1, tzinfo=UTC))[0]]])
    assert lib.watch_counts("Batteries").unread == 0


def test_an_entity_not_yet_in_the_articles_still_means_that_entity(
        config: Config, corpus: Path) -> None:
    lib = library(config, T0)
    plan = lib.watch_plan("Tesla")
    assert plan.filters.entities == (("company", "Tesla"),)
    assert lib.watch_counts("Tesla").total == 0
    note(corpus, "t", "Tesla recall", "Tesla recalls cars in the US.")
    assert library(config, T0 + HOUR).watch_counts("Tesla").new == 1


def test_a_value_naming_nothing_matches_nothing_rather_than_widening(config: Config) -> None:
    lib = library(config, T0)
    lib.save_watchlist("Ghost", "company:zzqqxx country:japan")
    plan = lib.watch_plan("ghost")
    assert lib.watch_counts("ghost").total == 0
    assert any("matches nothing yet" in n for n in plan.notes)
    # The search box drops the unknown value and shows all of Japan; a watchlist must not.
    assert lib.select(resolve_query("company:zzqqxx country:japan", lib.engine).filters)


def test_unknown_and_rejected_names_say_why(config: Config) -> None:
    lib = library(config, T0)
    with pytest.raises(UsageError, match=r"no watchlist named 'nope' \(watchlists: Nissan"):
        lib.watch_counts("nope")
    assert config.path is not None
    bad = replace(parse_config("watchlists:\n  Typo: compny:x\n", config.path),
                  sources=config.sources, gazetteer=SMALL_GAZETTEER,
                  data_dir=config.data_dir, cache=False)
    with pytest.raises(UsageError, match=r"'typo' cannot be used: compny: .*config.yaml:2"):
        build_library(bad).watch_counts("typo")


def test_a_cached_library_was_observed_when_the_cache_was_written(config: Config) -> None:
    cached = replace(config, cache=True)
    build_library(cached)
    lib = open_cached(cached)
    assert lib is not None
    manifest = next((config.cache_dir).rglob("manifest.json"))
    assert lib.observed_at == manifest.stat().st_mtime_ns // 1000


# ---------------------------------------------------------------- the state files


def test_two_holders_of_the_state_merge_their_changes(tmp_path: Path) -> None:
    """Two processes each holding the state (the reader, a cron job): each save
    applies only its own changes to what the file holds now."""
    path = tmp_path / "state.json"
    seed = ReadingState(path)
    seed.set_read(["x", "z"])
    a, b = ReadingState(path), ReadingState(path)
    a.move_watch_mark("catl", 100)
    a.set_read(["y"])
    b.move_watch_mark("tesla", 200)
    b.set_read(["z"], False)
    b.toggle_star("x")
    a.move_watch_mark("tesla", 150)  # behind b's: the later mark stands
    again = ReadingState(path)
    assert again.watch_marks == {"catl": 100, "tesla": 200}
    assert again.read == {"x", "y"} and again.starred == {"x"}
    assert a.watch_marks == again.watch_marks  # a picked up b's changes as it saved
    a.forget_watch_mark("catl")
    assert ReadingState(path).watch_marks == {"tesla": 200}


def test_the_state_keeps_keys_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"read": ["a"], "starred": [], "future": {"k": 1}}')
    ReadingState(path).move_watch_mark("w", 5)
    assert '"future": {"k": 1}' in path.read_text()


def test_a_bad_mark_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"read": ["a"], "starred": ["b"], '
                    '"watch": {"good": "2025-01-06T09:00:00+00:00", "bad": "Monday", "n": 5}}')
    state = ReadingState(path)
    assert state.problem is None and state.read == {"a"} and state.starred == {"b"}
    assert state.watch_marks == {"good": T0}


def test_saves_hold_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-merge-write runs under the lock: another locker would have to wait."""
    import evreader.state as state_module
    held: list[bool] = []
    real = state_module.write_atomic

    def checking(path: Path, text: str) -> None:
        fd = os.open(tmp_path / LOCK_NAME, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append(False)
        except BlockingIOError:
            held.append(True)
        finally:
            os.close(fd)
        real(path, text)

    monkeypatch.setattr(state_module, "write_atomic", checking)
    ReadingState(tmp_path / "state.json").move_watch_mark("w", 5)
    record_first_seen(tmp_path, ["a"], 5)
    assert held == [True, True]


def test_a_failed_save_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).mkdir()  # the lock cannot be opened
    state = ReadingState(tmp_path / "state.json")
    moved = state.move_watch_mark("w", 5)
    assert moved == (5, False) and state.problem and "cannot save" in state.problem
    seen = record_first_seen(tmp_path, ["a", "b"], 7)
    assert seen.times == {"a": 7, "b": 7} and seen.added == 2 and seen.problem


def test_first_seen_keeps_the_earliest_time_and_survives_damage(tmp_path: Path) -> None:
    assert record_first_seen(tmp_path, ["a", "b"], 20).added == 2
    seen = record_first_seen(tmp_path, ["b", "c"], 10)
    assert seen.times == {"a": 20, "b": 10, "c": 10} and seen.added == 1
    assert record_first_seen(tmp_path, ["a"], 30).times["a"] == 20
    (tmp_path / "first-seen.json").write_text("{nope")
    seen = record_first_seen(tmp_path, ["a"], 40)
    assert seen.problem and "unreadable" in seen.problem and seen.times == {"a": 40}
    assert (tmp_path / "first-seen.damaged.json").exists()


def _writer(folder: str, who: str, rounds: int, ready: Barrier) -> None:
    """One process: a long-lived state (never re-read by hand) and first-seen records.
    Both processes load the state before either writes, so a save that wrote only
    what its process holds would lose the other's changes whatever the timing."""
    state = ReadingState(Path(folder) / "state.json")
    ready.wait(60)
    for n in range(rounds):
        state.move_watch_mark(f"{who}-{n}", n + 1)
        state.set_read([f"{who}-article-{n}"])
        record_first_seen(Path(folder), [f"{who}-seen-{n}"], n + 1)


def test_two_processes_lose_nothing(tmp_path: Path) -> None:
    rounds = 15
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), who, rounds, ready))
             for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    state = ReadingState(tmp_path / "state.json")
    assert state.problem is None
    names = {f"{who}-{n}" for who in "ab" for n in range(rounds)}
    assert set(state.watch_marks) == names
    assert state.read == {f"{who}-article-{n}" for who in "ab" for n in range(rounds)}
    seen = record_first_seen(tmp_path, [], 0).times
    assert set(seen) == {f"{who}-seen-{n}" for who in "ab" for n in range(rounds)}


# ---------------------------------------------------------------- what the reader uses


def test_the_overview_lists_every_watchlist_with_its_counts(
        config: Config, corpus: Path) -> None:
    library(config, T0).watch_overview()  # marks start; what is there is not new
    note(corpus, "d", "Nissan news", "Nissan in Japan again.")
    lib = library(config, T0 + HOUR)
    lib.save_watchlist("Honda", "company:honda")
    rows = {s.watchlist.name: s.counts for s in lib.watch_overview()}
    assert list(rows) == ["Nissan Japan", "Tesla", "Batteries", "Honda"]
    assert (rows["Nissan Japan"].new, rows["Nissan Japan"].unread) == (1, 2)
    assert rows["Nissan Japan"].describe() == "1 new · 2 unread"
    lib.mark_watch_seen("Nissan Japan")  # a visit: new drops to 0, unread stays
    after = {s.watchlist.name: s.counts for s in lib.watch_overview()}
    assert after["Nissan Japan"].describe() == "0 new · 2 unread"


def test_saving_from_the_reader_never_overwrites(config: Config) -> None:
    lib = library(config, T0)
    lib.save_watchlist("Honda", "company:honda", replace=False)
    with pytest.raises(UsageError, match=r"already a saved watchlist named 'Honda' "
                                         r"\(company:honda\); choose another name"):
        lib.save_watchlist("HONDA", "theme:batteries", replace=False)
    with pytest.raises(UsageError, match=r"already a watchlist named 'Tesla', in .*config"
                                         r"\.yaml:3; choose another name"):
        lib.save_watchlist("tesla", "company:ford", replace=False)
    with pytest.raises(UsageError, match="a watchlist needs a name"):
        lib.save_watchlist("   ", "company:ford", replace=False)
    with pytest.raises(UsageError, match="the query is empty"):
        lib.save_watchlist("Ford", "  ", replace=False)
    assert [(w.name, w.query) for w in lib.watchlists() if w.origin == "saved"] == [
        ("Honda", "company:honda")]


@pytest.mark.parametrize(("query", "name"), [
    ("company:catl country:indonesia", "catl indonesia"),
    ('theme:recalls -company:tesla "solid state" is:unread',
     "recalls not tesla solid state unread"),
    ("-recall", "not recall"),
    ("since:2024-01 company:byd", "byd 2024-01-01"),
    ("x" * 100, "x" * 60),
])
def test_a_name_is_suggested_from_the_query(query: str, name: str) -> None:
    from evreader.watchlists import check_name, suggest_name
    assert suggest_name(query) == name
    assert check_name(suggest_name(query)) is None


def test_the_search_box_holding_a_watchlist_query_reads_it_as_the_watchlist(
        config: Config) -> None:
    lib = library(config, T0)
    lib.save_watchlist("Ghost", "company:zzqqxx country:japan")
    resolved = lib.watch_search("ghost", "company:zzqqxx   country:japan")
    assert resolved is not None and resolved.errors == ()
    assert lib.select(resolved.filters) == []  # as the counts: nothing, not all of Japan
    assert any("matches nothing yet" in n for n in resolved.notes)
    on_top = lib.watch_search("Nissan Japan", "company:nisan country:japan",
                              Filters(entities=(("country", "United States"),)))
    assert on_top is not None and on_top.filters.entities == (
        ("country", "United States"), ("company", "Nissan"), ("country", "Japan"))
    assert lib.watch_search("Nissan Japan", "company:nisan") is None  # edited
    assert lib.watch_search("no such", "company:nisan") is None
