"""The docs describe the software as it is: every CLI command has a section in
docs/cli.md, every config key a row in docs/configuration.md, and every relative
link in README.md and docs/ points at a file that exists."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml

from evreader import config as config_module
from evreader.cli.main import build_parser

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def _commands() -> set[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("the parser has no subcommands")


def _cli_sections() -> set[str]:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    names: set[str] = set()
    for heading in re.findall(r"^### (.+)$", text, flags=re.M):
        names.update(n.strip(" `") for n in heading.split(","))
    return names


def test_every_cli_command_has_a_section() -> None:
    missing = _commands() - _cli_sections()
    assert not missing, f"docs/cli.md has no '### name' section for: {sorted(missing)}"


def test_cli_sections_name_real_commands() -> None:
    stale = _cli_sections() - _commands()
    assert not stale, f"docs/cli.md documents commands that do not exist: {sorted(stale)}"


# Every section present, so the validator shows the keys it accepts in each.
FULL = """
sources: [{path: ., split: auto}]
export: {}
gazetteer: {}
feeds: {urls: [{url: "https://example.com/f.xml"}], full_text: {}}
keymap: {}
"""


def _accepted_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    seen: set[str] = set()
    original = config_module._Builder.mapping

    def recording(self: config_module._Builder, node: yaml.Node, what: str,
                  handlers: Mapping[str, Callable[[yaml.Node], None]]) -> None:
        prefix = {"config": "", "a source": "sources[].", "a feed": "feeds.urls[]."}.get(
            what, f"{what}.")
        seen.update(prefix + key for key in handlers)
        original(self, node, what, handlers)

    monkeypatch.setattr(config_module._Builder, "mapping", recording)
    path = tmp_path / "config.yaml"
    path.write_text(FULL, encoding="utf-8")
    config_module.load_config(path)
    return seen


def test_every_config_key_is_documented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = _accepted_keys(tmp_path, monkeypatch)
    assert {"sources", "export.path", "gazetteer.blockers", "feeds.timeout"} <= keys
    doc = (DOCS / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_][\w.\[\]]*)`", doc))
    sections = {k for k in keys if any(o.startswith(k + ".") for o in keys)}  # feeds, export
    missing = {k for k in keys - sections
               if k not in documented and k.split("[].")[-1] not in documented}
    assert not missing, f"docs/configuration.md does not document: {sorted(missing)}"


_LINK = re.compile(r"\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", [REPO / "README.md", *sorted(DOCS.glob("*.md"))],
                         ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    broken = [target for target in _LINK.findall(page.read_text(encoding="utf-8"))
              if "://" not in target and not target.startswith("mailto:")
              and not (page.parent / target).exists()]
    assert not broken, f"{page.name}: links to missing files: {broken}"
