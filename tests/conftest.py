"""Shared fixtures: the bundled seeds, a small gazetteer, and an isolated home."""

from __future__ import annotations

from pathlib import Path

import pytest

from evreader.config import Config, GazetteerSettings, SourceSpec

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the real user's config, cache or data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("EVREADER_CONFIG", raising=False)


SMALL_GAZETTEER = GazetteerSettings(
    builtin=False,
    companies=(
        {"name": "Nissan", "country": "Japan",
         "aliases": ["Nissan Motor", "Nissan Motor Co.", "Nissan Motor Corporation"]},
        {"name": "Foxconn", "country": "Taiwan",
         "aliases": ["Hon Hai", "Hon Hai Precision Industry"]},
        {"name": "Honda", "country": "Japan", "aliases": ["Honda Motor"]},
        {"name": "China Motor Corporation", "country": "Taiwan", "aliases": ["CMC"]},
        {"name": "General Motors", "country": "United States", "aliases": ["GM"]},
        {"name": "Ford", "country": "United States", "aliases": ["Ford Motor"]},
        {"name": "Apple", "country": "United States", "aliases": ["Apple Inc."]},
        {"name": "Tesla", "country": "United States"},
    ),
    countries=(
        {"name": "China", "aliases": ["PRC"], "demonyms": ["Chinese"]},
        {"name": "Japan", "demonyms": ["Japanese"]},
        {"name": "Taiwan", "demonyms": ["Taiwanese"]},
        {"name": "United States", "aliases": ["US", "U.S.", "USA"], "demonyms": ["American"]},
        {"name": "Georgia", "demonyms": ["Georgian"]},
        {"name": "Vietnam", "demonyms": ["Vietnamese"]},
    ),
    themes=(
        {"name": "Batteries", "keywords": ["battery", "batteries", "LFP", "solid-state"]},
        {"name": "Charging", "keywords": ["charging", "charger", "chargers"]},
    ),
    blockers=("Harrison Ford", "Apple pie"),
)


@pytest.fixture
def small_config(tmp_path: Path) -> Config:
    return Config(sources=(SourceSpec(SEEDS),), gazetteer=SMALL_GAZETTEER,
                  cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


@pytest.fixture
def seeds_config(tmp_path: Path) -> Config:
    """The built-in gazetteer over the bundled seeds."""
    return Config(sources=(SourceSpec(SEEDS),), cache_dir=tmp_path / "cache",
                  data_dir=tmp_path / "data")


# Hypothesis: thousands of examples in CI, fewer on a developer's machine.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile("ci" if __import__("os").environ.get("CI") else "dev")
