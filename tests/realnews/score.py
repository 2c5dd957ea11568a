"""Score evreader against the real-news gold annotations.

    python -m tests.realnews.score [dev|dev2|holdout] [--details] [--json] [--python PY]

Only the CLI's JSON contract is used: `<python> -m evreader list <split dir> --format json
--no-cache --config <temp config>`, with HOME, XDG dirs, cache and data in a temporary
folder, so neither the user's files nor evreader's internals affect the result. When the
whole split does not load (a crash, a traceback), each folder is loaded on its own, and in
a folder that still fails each file, so one bad file costs only its own articles and the
report names it.

Alignment: output articles are grouped by source file. With as many output as gold
articles, pairs are made by best title match (greedy, rapidfuzz), the rest in order. With a
different count the file is a segmentation error; pairs are made by title similarity and
the unpaired gold articles count as misses, the unpaired output articles as extras (their
entities count as false positives).

Metrics: segmentation (files with the right article count), titles (exact after whitespace
and quote normalisation; a gold `title: null` means "any title derived from the first
sentence is fine" and is not scored), dates (recall of gold dates, invented = a date where
gold has none, wrong = a different date), authors (the author set equals gold,
case-insensitively), companies and countries (micro precision/recall over (article, name)
pairs; predicted companies = entities.company + discovered.company; names compared
case-insensitively without punctuation or accents; a gold "A|B" accepts either spelling),
people (reported only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

try:
    from rapidfuzz import fuzz

    def _similarity(a: str, b: str) -> float:
        return float(fuzz.ratio(a, b))
except ImportError:  # pragma: no cover - rapidfuzz is an evreader dependency
    import difflib

    def _similarity(a: str, b: str) -> float:
        return 100.0 * difflib.SequenceMatcher(None, a, b).ratio()


HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "holdout", "seeds")
# A split is a folder here, except the bundled sample articles, annotated in place.
SPLIT_DIRS = {"seeds": REPO / "seeds"}
TIMEOUT = 900  # seconds for one evreader run
PAIR_THRESHOLD = 55.0  # title similarity needed to pair articles by title

# ---------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldArticle:
    title: str | None
    published: str | None
    authors: tuple[str, ...]
    companies: tuple[str, ...]
    countries: tuple[str, ...]
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldFile:
    file: str
    shape: str
    articles: tuple[GoldArticle, ...]


def _date_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _names(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def load_gold(path: Path) -> list[GoldFile]:
    """The gold file of a split (README, "Gold format")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    files: list[GoldFile] = []
    for item in data:
        arts = tuple(
            GoldArticle(
                title=a.get("title"),
                published=_date_text(a.get("published")),
                authors=_names(a.get("authors")),
                companies=_names(a.get("companies")),
                countries=_names(a.get("countries")),
                people=_names(a.get("people")),
            )
            for a in item.get("articles") or ()
        )
        files.append(GoldFile(str(item["file"]), str(item.get("shape", "")), arts))
    return files


# ---------------------------------------------------------------- normalisation

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " ",
})


def norm_title(text: str | None) -> str:
    """A title for exact comparison: NFKC, straight quotes, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def norm_name(text: str) -> str:
    """A name for matching: no case, accents or punctuation."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]|_", " ", text.casefold())
    return " ".join(text.split())


def _fuzzy_key(text: str | None) -> str:
    return norm_name(text or "")


# ---------------------------------------------------------------- alignment


def align(gold_titles: Sequence[str | None], out_titles: Sequence[str]
          ) -> list[tuple[int | None, int | None]]:
    """Pairs (gold index, output index); None on one side for an unpaired article.

    Same count: greedy by title similarity, the rest paired in order. Different count:
    greedy by title similarity only; a gold null title is paired in order with what is
    left when nothing else claims it.
    """
    scores: list[tuple[float, int, int]] = []
    for gi, gt in enumerate(gold_titles):
        if not gt:
            continue
        gk = _fuzzy_key(gt)
        for oi, ot in enumerate(out_titles):
            s = _similarity(gk, _fuzzy_key(ot))
            if s >= PAIR_THRESHOLD:
                scores.append((s, gi, oi))
    scores.sort(key=lambda t: (-t[0], t[1], t[2]))
    g_free = set(range(len(gold_titles)))
    o_free = set(range(len(out_titles)))
    pairs: dict[int, int] = {}
    for _, gi, oi in scores:
        if gi in g_free and oi in o_free:
            pairs[gi] = oi
            g_free.discard(gi)
            o_free.discard(oi)
    same_count = len(gold_titles) == len(out_titles)
    rest_out = sorted(o_free)
    for gi in sorted(g_free):
        if not rest_out:
            break
        if same_count or not gold_titles[gi]:
            pairs[gi] = rest_out.pop(0)
            g_free.discard(gi)
    result: list[tuple[int | None, int | None]] = [
        (gi, pairs.get(gi)) for gi in range(len(gold_titles))]
    used = set(pairs.values())
    result.extend((None, oi) for oi in range(len(out_titles)) if oi not in used)
    return result


def match_names(gold: Iterable[str], predicted: Iterable[str]
                ) -> tuple[list[str], list[str], list[str]]:
    """(matched gold items, missed gold items, false-positive predictions).

    A gold item "A|B" is matched by a prediction equal to A or B after `norm_name`; each
    gold item and each prediction is used once.
    """
    preds: list[str] = []
    seen: set[str] = set()
    for p in predicted:
        k = norm_name(p)
        if k and k not in seen:
            seen.add(k)
            preds.append(p)
    free = {norm_name(p): p for p in preds}
    matched: list[str] = []
    missed: list[str] = []
    for item in gold:
        keys = [norm_name(alt) for alt in item.split("|")]
        hit = next((k for k in keys if k in free), None)
        if hit is None:
            missed.append(item)
        else:
            matched.append(item)
            del free[hit]
    return matched, missed, list(free.values())


# ---------------------------------------------------------------- running evreader


@dataclass(slots=True)
class RunResult:
    articles: list[dict[str, Any]]
    failures: list[str] = field(default_factory=list)  # "scope: reason" per failed load


def _config_text(tmp: Path, minimal: bool) -> str:
    cfg: dict[str, Any] = {
        "sources": [],
        "cache": False,
        "cache_dir": str(tmp / "cache"),
        "data_dir": str(tmp / "data"),
    }
    if not minimal:
        cfg["user_entities"] = str(tmp / "entities.yaml")
        cfg["feeds"] = {"file": str(tmp / "feeds.yaml"), "library": str(tmp / "feed-library")}
    return yaml.safe_dump(cfg, sort_keys=False)


class _Runner:
    """Runs `evreader list` in an isolated temporary home."""

    def __init__(self, python: str | None, tmp: Path) -> None:
        self.python = python or sys.executable
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if k != "EVREADER_CONFIG"}
        home = tmp / "home"
        home.mkdir()
        self.env.update({
            "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1",
        })
        if python is None:  # the evreader of this checkout
            path = self.env.get("PYTHONPATH")
            self.env["PYTHONPATH"] = str(REPO) + (os.pathsep + path if path else "")
        else:  # the evreader installed for that interpreter
            self.env.pop("PYTHONPATH", None)
        self.config = tmp / "config.yaml"
        self.config.write_text(_config_text(tmp, minimal=False), encoding="utf-8")
        self._config_checked = False

    def _run(self, target: Path) -> subprocess.CompletedProcess[str]:
        cmd = [self.python, "-m", "evreader", "list", str(target), "--format", "json",
               "--no-cache", "--config", str(self.config)]
        return subprocess.run(cmd, cwd=self.tmp, env=self.env, capture_output=True,
                              text=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT, check=False)

    def run(self, target: Path) -> tuple[list[dict[str, Any]] | None, str]:
        """Articles, or None and why the load failed."""
        try:
            proc = self._run(target)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {TIMEOUT} s"
        if (not self._config_checked and proc.returncode == 2
                and "config" in proc.stderr.lower()):
            # an evreader without some optional config keys: retry with the minimal set
            self.config.write_text(_config_text(self.tmp, minimal=True), encoding="utf-8")
            proc = self._run(target)
        self._config_checked = True
        out = proc.stdout.strip()
        if out.startswith("["):
            try:
                data = json.loads(out)
            except json.JSONDecodeError as exc:
                return None, f"output is not JSON ({exc})"
            if isinstance(data, list):
                return data, ""
        if "Traceback" not in proc.stderr and proc.returncode == 3:
            return [], ""  # nothing readable: no articles, not a crash
        tail = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()][-1:] or [
            "no output"]
        return None, f"exit {proc.returncode}: {tail[0][:300]}"


def run_split(split_dir: Path, python: str | None = None) -> RunResult:
    """Every article evreader outputs for the split; failing folders/files isolated."""
    with tempfile.TemporaryDirectory(prefix="evreader-realnews-") as tmp:
        runner = _Runner(python, Path(tmp))
        data, why = runner.run(split_dir)
        if data is not None:
            return RunResult(data)
        result = RunResult([], [f"{split_dir.name}/: {why}"])
        folders = sorted(p for p in split_dir.iterdir() if p.is_dir())
        for folder in folders:
            data, why = runner.run(folder)
            if data is not None:
                result.articles.extend(data)
                continue
            result.failures.append(f"{split_dir.name}/{folder.name}/: {why}")
            for path in sorted(folder.rglob("*")):
                if not path.is_file() or path.name.startswith("."):
                    continue
                data, why = runner.run(path)
                if data is not None:
                    result.articles.extend(data)
                else:
                    rel = path.relative_to(split_dir).as_posix()
                    result.failures.append(f"{rel}: {why}")
        return result


# ---------------------------------------------------------------- scoring


@dataclass(slots=True)
class Counts:
    """One row of the report: a folder or the whole split."""

    files: int = 0
    files_segmented: int = 0
    gold_articles: int = 0
    output_articles: int = 0
    titles_total: int = 0
    titles_correct: int = 0
    dates_total: int = 0
    dates_found: int = 0
    dates_wrong: int = 0
    dates_invented: int = 0
    authors_correct: int = 0
    company_tp: int = 0
    company_fp: int = 0
    company_fn: int = 0
    country_tp: int = 0
    country_fp: int = 0
    country_fn: int = 0
    person_tp: int = 0
    person_fp: int = 0
    person_fn: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    @property
    def segmentation(self) -> float:
        return self._ratio(self.files_segmented, self.files)

    @property
    def titles(self) -> float:
        return self._ratio(self.titles_correct, self.titles_total)

    @property
    def dates_recall(self) -> float:
        return self._ratio(self.dates_found, self.dates_total)

    @property
    def authors(self) -> float:
        return self._ratio(self.authors_correct, self.gold_articles)

    @property
    def company_precision(self) -> float:
        return self._ratio(self.company_tp, self.company_tp + self.company_fp)

    @property
    def company_recall(self) -> float:
        return self._ratio(self.company_tp, self.company_tp + self.company_fn)

    @property
    def country_precision(self) -> float:
        return self._ratio(self.country_tp, self.country_tp + self.country_fp)

    @property
    def country_recall(self) -> float:
        return self._ratio(self.country_tp, self.country_tp + self.country_fn)

    @property
    def person_precision(self) -> float:
        return self._ratio(self.person_tp, self.person_tp + self.person_fp)

    @property
    def person_recall(self) -> float:
        return self._ratio(self.person_tp, self.person_tp + self.person_fn)

    def summary(self) -> dict[str, float | int]:
        return {
            "segmentation": round(self.segmentation, 4),
            "titles": round(self.titles, 4),
            "dates_recall": round(self.dates_recall, 4),
            "dates_wrong": self.dates_wrong,
            "dates_invented": self.dates_invented,
            "authors": round(self.authors, 4),
            "company_precision": round(self.company_precision, 4),
            "company_recall": round(self.company_recall, 4),
            "country_precision": round(self.country_precision, 4),
            "country_recall": round(self.country_recall, 4),
            "person_precision": round(self.person_precision, 4),
            "person_recall": round(self.person_recall, 4),
        }


@dataclass(slots=True)
class Scores:
    """The scores of one split: the total, a row per folder, and what went wrong."""

    split: str
    total: Counts
    by_folder: dict[str, Counts]
    load_failures: list[str]
    details: dict[str, list[str]]  # file → every miss and false positive

    # the figures the targets are stated in
    @property
    def segmentation(self) -> float:
        return self.total.segmentation

    @property
    def titles(self) -> float:
        return self.total.titles

    @property
    def dates_recall(self) -> float:
        return self.total.dates_recall

    @property
    def dates_invented(self) -> int:
        return self.total.dates_invented

    @property
    def authors(self) -> float:
        return self.total.authors

    @property
    def company_precision(self) -> float:
        return self.total.company_precision

    @property
    def company_recall(self) -> float:
        return self.total.company_recall

    @property
    def country_recall(self) -> float:
        return self.total.country_recall

    def table(self) -> str:
        return format_table(self)


def _predicted(article: dict[str, Any], kind: str) -> list[str]:
    ents = article.get("entities") or {}
    names = list(ents.get(kind) or [])
    if kind == "company":
        names += list((article.get("discovered") or {}).get("company") or [])
    return [str(n) for n in names]


def _rel_source(source: str, split_dir: Path) -> str:
    path = Path(source)
    try:
        return path.resolve().relative_to(split_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _score_entities(counts: Counts, kind: str, gold: Sequence[str],
                    predicted: Sequence[str], notes: list[str], where: str) -> None:
    matched, missed, extra = match_names(gold, predicted)
    label = {"company": "company", "country": "country", "person": "person"}[kind]
    setattr(counts, f"{label}_tp", getattr(counts, f"{label}_tp") + len(matched))
    setattr(counts, f"{label}_fn", getattr(counts, f"{label}_fn") + len(missed))
    setattr(counts, f"{label}_fp", getattr(counts, f"{label}_fp") + len(extra))
    if missed:
        notes.append(f"{where} {label} missed: {', '.join(missed)}")
    if extra:
        notes.append(f"{where} {label} false positive: {', '.join(extra)}")


def score_file(gold: GoldFile, out: Sequence[dict[str, Any]], counts: Counts,
               notes: list[str]) -> None:
    """Adds one file's figures to `counts` and its misses to `notes`."""
    counts.files += 1
    counts.gold_articles += len(gold.articles)
    counts.output_articles += len(out)
    if len(out) == len(gold.articles):
        counts.files_segmented += 1
    else:
        notes.append(f"segmentation: {len(out)} articles, gold has {len(gold.articles)}")
    pairs = align([g.title for g in gold.articles], [str(o.get("title") or "") for o in out])
    for gi, oi in pairs:
        if gi is None:
            assert oi is not None
            o = out[oi]
            where = f"extra article {str(o.get('title'))[:70]!r}:"
            notes.append(f"{where} not in gold")
            for kind, attr in (("company", "company_fp"), ("country", "country_fp"),
                               ("person", "person_fp")):
                preds = {norm_name(p): p for p in _predicted(o, kind)}
                setattr(counts, attr, getattr(counts, attr) + len(preds))
            if o.get("published"):
                counts.dates_invented += 1
            continue
        g = gold.articles[gi]
        where = f"#{gi + 1}"
        if g.title is not None:
            counts.titles_total += 1
        if g.published is not None:
            counts.dates_total += 1
        if oi is None:
            notes.append(f"{where} missing: {g.title or '(untitled brief)'!r}")
            counts.company_fn += len(g.companies)
            counts.country_fn += len(g.countries)
            counts.person_fn += len(g.people)
            continue
        o = out[oi]
        got_title = str(o.get("title") or "")
        if g.title is not None:
            if norm_title(got_title) == norm_title(g.title):
                counts.titles_correct += 1
            else:
                notes.append(f"{where} title: got {got_title!r}, gold {g.title!r}")
        got_date = o.get("published") or None
        if g.published is not None:
            if got_date == g.published:
                counts.dates_found += 1
            elif got_date is None:
                notes.append(f"{where} date: missed {g.published}")
            else:
                counts.dates_wrong += 1
                notes.append(f"{where} date: got {got_date}, gold {g.published}")
        elif got_date is not None:
            counts.dates_invented += 1
            notes.append(f"{where} date: invented {got_date} (gold: none)")
        got_authors = {norm_name(a) for a in o.get("authors") or []}
        if got_authors == {norm_name(a) for a in g.authors}:
            counts.authors_correct += 1
        else:
            notes.append(f"{where} authors: got {list(o.get('authors') or [])}, "
                         f"gold {list(g.authors)}")
        _score_entities(counts, "company", g.companies, _predicted(o, "company"), notes, where)
        _score_entities(counts, "country", g.countries, _predicted(o, "country"), notes, where)
        _score_entities(counts, "person", g.people, _predicted(o, "person"), notes, where)


def score_articles(split: str, gold: Sequence[GoldFile], articles: Sequence[dict[str, Any]],
                   split_dir: Path, load_failures: Sequence[str] = ()) -> Scores:
    """Scores for output `articles` (the CLI's JSON records) against `gold`."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for a in articles:
        by_file.setdefault(_rel_source(str(a.get("source", "")), split_dir), []).append(a)
    total = Counts()
    by_folder: dict[str, Counts] = {}
    details: dict[str, list[str]] = {}
    known = set()
    for gf in gold:
        known.add(gf.file)
        notes: list[str] = []
        counts = Counts()
        out = by_file.get(gf.file, [])
        crashed = [f for f in load_failures if f.split(":", 1)[0] == gf.file]
        if crashed:
            notes.append(f"load failed: {crashed[0].split(': ', 1)[1]}")
        score_file(gf, out, counts, notes)
        folder = gf.file.split("/", 1)[0] if "/" in gf.file else "."
        by_folder.setdefault(folder, Counts()).add(counts)
        total.add(counts)
        if notes:
            details[gf.file] = notes
    for rel, out in sorted(by_file.items()):
        if rel in known:
            continue
        counts = Counts(output_articles=len(out))
        for o in out:
            counts.company_fp += len({norm_name(p) for p in _predicted(o, "company")})
            counts.country_fp += len({norm_name(p) for p in _predicted(o, "country")})
        details[rel] = [f"not in gold: {len(out)} article(s)"]
        folder = rel.split("/", 1)[0] if "/" in rel else "."
        by_folder.setdefault(folder, Counts()).add(counts)
        total.add(counts)
    return Scores(split, total, dict(sorted(by_folder.items())), list(load_failures), details)


def score(split: str, python: str | None = None) -> Scores:
    """Run evreader (`python`, default this interpreter with this checkout's evreader)
    over tests/realnews/<split> and score it against gold_<split>.yaml."""
    split_dir = SPLIT_DIRS.get(split, HERE / split)
    gold_path = HERE / f"gold_{split}.yaml"
    if not split_dir.is_dir() or not gold_path.is_file():
        raise FileNotFoundError(f"no corpus or gold for split {split!r} in {HERE}")
    gold = load_gold(gold_path)
    run = run_split(split_dir, python)
    return score_articles(split, gold, run.articles, split_dir, run.failures)


# ---------------------------------------------------------------- report

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("files", "files"), ("seg", "segmentation"), ("titles", "titles"),
    ("dates", "dates_recall"), ("wrong", "dates_wrong"), ("invent", "dates_invented"),
    ("authors", "authors"), ("co P", "company_precision"), ("co R", "company_recall"),
    ("ctry P", "country_precision"), ("ctry R", "country_recall"),
    ("ppl P", "person_precision"), ("ppl R", "person_recall"),
)


def _cell(counts: Counts, attr: str) -> str:
    value = getattr(counts, attr)
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(scores: Scores) -> str:
    rows = [("", *(name for name, _ in _COLUMNS))]
    for folder, counts in scores.by_folder.items():
        rows.append((folder, *(_cell(counts, a) for _, a in _COLUMNS)))
    rows.append(("TOTAL", *(_cell(scores.total, a) for _, a in _COLUMNS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"realnews {scores.split}: {scores.total.gold_articles} gold articles in "
             f"{scores.total.files} files, {scores.total.output_articles} output articles"]
    for r in rows:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    t = scores.total
    lines.append(
        f"titles {t.titles_correct}/{t.titles_total}, dates {t.dates_found}/{t.dates_total} "
        f"({t.dates_wrong} wrong, {t.dates_invented} invented), authors "
        f"{t.authors_correct}/{t.gold_articles}, companies tp {t.company_tp} fp {t.company_fp} "
        f"fn {t.company_fn}, countries tp {t.country_tp} fp {t.country_fp} fn {t.country_fn}")
    if scores.load_failures:
        lines.append("LOAD FAILURES (articles of these files count as missing):")
        lines.extend(f"  {f}" for f in scores.load_failures)
    return "\n".join(lines)


def format_details(scores: Scores) -> str:
    lines: list[str] = []
    for file, notes in sorted(scores.details.items()):
        lines.append(f"== {file}")
        lines.extend(f"   {n}" for n in notes)
    return "\n".join(lines)


def as_json(scores: Scores, details: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "split": scores.split,
        "total": {**asdict(scores.total), **scores.total.summary()},
        "by_folder": {k: {**asdict(v), **v.summary()} for k, v in scores.by_folder.items()},
        "load_failures": scores.load_failures,
    }
    if details:
        record["details"] = scores.details
    return record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.realnews.score",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("split", nargs="?", default="dev", choices=SPLITS)
    parser.add_argument("--details", action="store_true",
                        help="print every miss and false positive per file")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--python", default=None,
                        help="interpreter whose installed evreader is scored "
                             "(default: this one, with this checkout's evreader)")
    args = parser.parse_args(argv)
    scores = score(args.split, args.python)
    if args.json:
        json.dump(as_json(scores, args.details), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.details:
        print(format_details(scores))
        print()
    print(format_table(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
