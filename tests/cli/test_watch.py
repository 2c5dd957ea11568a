"""`evreader watch` as a script and cron see it: exit codes, output, JSON shape.

Run in-process (quick) with a clock the test moves; one run goes through a real
process to see what a shell sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import evreader.library
from evreader.cli.main import main
from evreader.cli.watch import parse_since
from evreader.errors import UsageError
from evreader.state import datetime_to_us
from evreader.watchlists import SAVED_NAME
from tests.cli.test_cli import KEYS

HOUR = 3_600_000_000


def note(folder: Path, name: str, title: str, body: str, date: str = "2025-01-06") -> None:
    (folder / f"{name}.md").write_text(f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n",
                                       encoding="utf-8")


class Run:
    """`evreader -c CONFIG …` in this process, with the library clock under the test's
    control: each run's library is made an hour after the last one."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.corpus = tmp_path / "news"
        self.corpus.mkdir()
        note(self.corpus, "a", "Nissan and Foxconn talk", "Nissan met Foxconn in Japan.")
        note(self.corpus, "b", "Honda batteries", "Honda builds batteries in Japan.")
        self.config = tmp_path / "config.yaml"
        self.write_config("watchlists:\n"
                          "  Nissan Japan: company:nisan country:japan\n"
                          "  Batteries: theme:batteries\n")
        self.data = tmp_path / "data"
        self.clock = datetime_to_us(datetime(2025, 1, 6, 9, 0, tzinfo=UTC))
        monkeypatch.setattr(evreader.library, "now_us", self.tick)
        self.capsys = capsys

    def write_config(self, extra: str) -> None:
        base = self.config.parent
        self.config.write_text(f"sources: [{self.corpus}]\ndata_dir: {base / 'data'}\n"
                               f"cache_dir: {base / 'cache'}\n{extra}", encoding="utf-8")

    def tick(self) -> int:
        self.clock += HOUR
        return self.clock

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["-c", str(self.config), *args])
        out = self.capsys.readouterr()
        assert "Traceback" not in out.err
        return code, out.out, out.err


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.delenv("EVREADER_DEBUG", raising=False)
    return Run(tmp_path, monkeypatch, capsys)


def test_exit_0_when_something_is_new_1_when_nothing(run: Run) -> None:
    code, out, _ = run("watch")
    assert (code, out) == (1, "")  # the first run: what is there is not new
    note(run.corpus, "c", "Nissan archive piece", "Nissan opened a plant in Japan.", "2019-05-01")
    code, out, _ = run("watch", "--since-last")
    assert code == 0
    assert out.startswith("== Nissan Japan: 1 new article since ")
    assert "2019-05-01  Nissan archive piece" in out and "Batteries" not in out
    assert run("watch")[0] == 0  # not marked: still new
    assert run("watch", "--mark-seen")[0] == 0
    assert run("watch") == (1, "", "")
    assert run("watch", "--since", "2000-01-01", "batteries")[0] == 0


def test_json_is_grouped_per_watchlist_in_the_list_shape(run: Run) -> None:
    run("watch")
    note(run.corpus, "c", "Nissan news", "Nissan in Japan again.")
    code, out, _ = run("watch", "--format", "json")
    assert code == 0
    groups = json.loads(out)
    assert [g["name"] for g in groups] == ["Nissan Japan", "Batteries"]
    for g in groups:
        assert set(g) == {"name", "query", "origin", "last_visit", "since", "new", "unread",
                          "total", "articles"}
        assert g["origin"] == "config" and g["new"] == len(g["articles"])
    nissan, batteries = groups
    assert (nissan["new"], nissan["total"], batteries["articles"]) == (1, 2, [])
    article = nissan["articles"][0]
    assert set(article) >= KEYS | {"first_seen"}
    _, listed, _ = run("list", "--query", "company:nissan", "--format", "json")
    same = next(a for a in json.loads(listed) if a["id"] == article["id"])
    assert {k: v for k, v in article.items() if k != "first_seen"} == same
    assert json.loads(run("watch", "-f", "json")[1])[0]["since"] == nissan["since"]


def test_list_shows_counts(run: Run) -> None:
    run("watch")
    note(run.corpus, "c", "Nissan news", "Nissan in Japan again.")
    code, out, err = run("watch", "--list")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("Nissan Japan", "1", "2", "2", "company:nisan country:japan"),
        ("Batteries", "0", "1", "1", "theme:batteries")]
    assert "company:nisan → Nissan" in err
    listed = json.loads(run("watch", "--list", "-f", "json", "batteries")[1])
    assert [(w["name"], w["new"], w["total"]) for w in listed] == [("Batteries", 0, 1)]


def test_add_and_remove_never_touch_config_yaml(run: Run) -> None:
    before = run.config.read_bytes()
    code, _, err = run("watch", "--add", "Foxconn", "company:foxcon")
    assert code == 0 and "saved watchlist 'Foxconn'" in err
    assert "Foxconn: company:foxcon" in (run.data / SAVED_NAME).read_text()
    assert run("watch", "--list")[1].splitlines()[-1].startswith("Foxconn\t")
    code, _, err = run("watch", "--remove", "batteries")
    assert code == 2 and "config.yaml:6; remove it there" in err
    assert run("watch", "--remove", "FOXCONN")[0] == 0
    assert "Foxconn" not in run("watch", "--list")[1]
    assert run.config.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (("watch", "nope"), "no watchlist named 'nope' (watchlists: Nissan Japan, Batteries)"),
    (("watch", "--add", "Typo", "compny:x"), "compny: is not a filter"),
    (("watch", "--add", "X", "company:x", "--mark-seen"), "take no other watch options"),
    (("watch", "--list", "--since", "1d"), "takes neither --since nor --mark-seen"),
    (("watch", "--since", "last tuesday"), "--since needs a date"),
    (("watch", "--since", "1d", "--since-last"), "not allowed with argument"),
    (("watch", "--remove", "nope"), "no saved watchlist named 'nope'"),
])
def test_usage_errors_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and message in err


def test_config_problems(run: Run) -> None:
    run.write_config("watchlists:\n  Typo: compny:nissan\n  Batteries: theme:batteries\n")
    code, _, err = run("watch")
    assert code == 1  # the good one ran
    assert f"warning: {run.config}:5: watchlist 'Typo': compny:" in err
    run.write_config("watchlists: 5\n")
    code, _, err = run("watch")
    assert code == 2 and f"{run.config}:4: watchlists must map" in err
    run.write_config("")
    code, _, err = run("watch")
    assert code == 2 and "no watchlists yet" in err


def test_no_readable_source_exits_3(run: Run) -> None:
    for path in run.corpus.iterdir():
        path.write_bytes(b"\x00\x01\x02 binary")
    assert run("watch")[0] == 3


def test_a_mark_that_cannot_be_saved_exits_4_not_1(run: Run) -> None:
    run.data.mkdir()
    (run.data / "state.lock").mkdir()  # the state cannot be locked, so not saved
    code, _, err = run("watch", "--mark-seen")
    assert code == 4 and "cannot save reading state" in err


def test_a_bug_exits_4_not_1(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import evreader.watching

    def broken(*args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(evreader.watching, "counts", broken)
    code, _, err = run("watch")
    assert code == 4 and "internal error: RuntimeError: boom" in err


def test_a_real_process(tmp_path: Path) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    note(corpus, "a", "Nissan and Foxconn talk", "Nissan met Foxconn in Japan.")
    config = tmp_path / "config.yaml"
    config.write_text(f"sources: [{corpus}]\ndata_dir: {tmp_path / 'data'}\n"
                      f"cache_dir: {tmp_path / 'cache'}\n"
                      "watchlists:\n  Nissan: company:nissan\n", encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "evreader", "-c", str(config), *args],
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL,
                              env={k: v for k, v in os.environ.items() if k != "EVREADER_DEBUG"})

    first = cli("watch", "--since-last")
    assert (first.returncode, first.stdout, first.stderr) == (1, "", "")
    note(corpus, "b", "Nissan news", "Nissan in Japan again.")
    second = cli("watch", "--mark-seen")
    assert second.returncode == 0 and "Nissan news" in second.stdout
    assert "Traceback" not in second.stderr
    assert cli("watch").returncode == 1


def test_parse_since() -> None:
    now = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
    assert parse_since("36h", now) == now - timedelta(hours=36)
    assert parse_since("2w", now) == now - timedelta(days=14)
    assert parse_since("2025-01-02T08:30+00:00") == datetime(2025, 1, 2, 8, 30, tzinfo=UTC)
    assert parse_since("2025-01-02").tzinfo is not None  # local midnight
    with pytest.raises(UsageError, match="--since needs"):
        parse_since("last tuesday")


def test_watchlists_set_up_before_any_source_count_what_arrives(run: Run) -> None:
    """The first `watch` of a feed-only config runs before the first fetch: there is
    no library yet, but what comes after it is new (not taken as already there)."""
    base = run.config.parent
    run.config.write_text(f"sources: []\ndata_dir: {base / 'data'}\n"
                          f"cache_dir: {base / 'cache'}\n"
                          "watchlists:\n  Nissan Japan: company:nisan country:japan\n",
                          encoding="utf-8")
    code, _, err = run("watch")
    assert code == 3 and "No sources to read yet" in err
    run.write_config("watchlists:\n  Nissan Japan: company:nisan country:japan\n")
    code, out, _ = run("watch")
    assert code == 0 and "Nissan and Foxconn talk" in out
