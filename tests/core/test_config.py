"""Config lookup order, relative paths, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from evreader.config import bundled_seeds, find_config, load_config
from evreader.errors import ConfigError
from evreader.gazetteer import load_gazetteer


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_config() is None  # built-in defaults
    assert load_config().sources[0].path == bundled_seeds()
    user = Path(tmp_path / "xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user))
    (user / "evreader").mkdir(parents=True)
    (user / "evreader" / "config.yaml").write_text("theme: nord\n")
    assert find_config() == user / "evreader" / "config.yaml"
    (tmp_path / "config.yaml").write_text("theme: dracula\n")
    assert find_config() == tmp_path / "config.yaml"
    env = tmp_path / "env.yaml"
    env.write_text("theme: gruvbox\n")
    monkeypatch.setenv("EVREADER_CONFIG", str(env))
    assert load_config().theme == "gruvbox"
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("theme: monokai\n")
    assert load_config(explicit).theme == "monokai"


def test_relative_sources_resolve_against_config_folder(tmp_path: Path) -> None:
    cfg = tmp_path / "conf" / "config.yaml"
    cfg.parent.mkdir()
    cfg.write_text("sources:\n  - clippings\n  - path: ../digest.txt\n    split: lines\n")
    config = load_config(cfg)
    assert config.sources[0].path == tmp_path / "conf" / "clippings"
    assert config.sources[1].path == tmp_path / "conf" / ".." / "digest.txt"
    assert config.sources[1].split == "lines"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("sources: [\n", 2, "invalid YAML"),
    ("theme: x\nsourcs: []\n", 2, "unknown key 'sourcs'"),
    ("export:\n  format: pdf\n", 2, "export.format must be one of md, txt"),
    ("cache: maybe\n", 1, "cache must be true or false"),
    ("sources: seeds\n", 1, "sources must be a list"),
    ("sources:\n  - split: lines\n", 2, "a source needs a path"),
    ("export:\n  excerpt_chars: -4\n", 2, "excerpt_chars must be a whole number"),
    ("gazetteer:\n  companies:\n    - aliases: [X]\n", 3, "lacks name"),
    ("keymap: [a, b]\n", 1, "keymap must be a mapping"),
])
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert message.startswith(f"{cfg}:{line}:"), message
    assert words in message
    assert info.value.exit_code == 2


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_colliding_user_aliases_are_an_error(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("gazetteer:\n  companies:\n    - name: A Corp\n      aliases: [AC]\n"
                   "    - name: B Corp\n      aliases: [ac]\n")
    with pytest.raises(ConfigError, match="claimed by both 'A Corp' and 'B Corp'"):
        load_gazetteer(load_config(cfg).gazetteer)


def test_unknown_names_in_disable_and_aliases(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("gazetteer:\n  builtin: false\n  disable: [Nobody Inc]\n")
    with pytest.raises(ConfigError, match="unknown entity 'Nobody Inc'"):
        load_gazetteer(load_config(cfg).gazetteer)


def test_regex_characters_in_aliases_are_literal(tmp_path: Path) -> None:
    from evreader.extract.extractor import Extractor
    from evreader.models import Article
    cfg = tmp_path / "config.yaml"
    cfg.write_text("gazetteer:\n  builtin: false\n  companies:\n"
                   "    - name: 'A.B (C)*'\n      aliases: ['X+Y', '[Z]']\n")
    ex = Extractor(load_gazetteer(load_config(cfg).gazetteer))
    got = [m.name for m in ex.extract(Article("i", "s", "", "A.B (C)* and X+Y and [Z] and AxB"))]
    assert got == ["A.B (C)*"] * 3


def test_empty_gazetteer_is_fine(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("gazetteer:\n  builtin: false\n")
    gz = load_gazetteer(load_config(cfg).gazetteer)
    assert gz.surfaces == {}


def test_data_dir_moves_the_feed_store_unless_feeds_library_is_given(tmp_path: Path) -> None:
    from evreader.config import FeedSettings
    path = tmp_path / "config.yaml"
    path.write_text("data_dir: mydata\n", encoding="utf-8")
    feeds = load_config(path).feeds
    assert feeds.library == tmp_path / "mydata" / "feeds"
    assert feeds.store == tmp_path / "mydata" / "feeds" / "feeds.sqlite3"
    path.write_text("data_dir: mydata\nfeeds:\n  library: elsewhere\n", encoding="utf-8")
    assert load_config(path).feeds.library == tmp_path / "elsewhere"
    path.write_text("theme: nord\n", encoding="utf-8")  # neither: the platform's folder
    assert load_config(path).feeds.library == FeedSettings().library
