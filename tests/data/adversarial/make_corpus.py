"""Writes the adversarial corpus of issue 20: article files shaped to make a rule
quadratic, or a native loop misbehave, if it can.

    python -m tests.data.adversarial.make_corpus DIR [--small]

Each file is written into a folder of its own (DIR/<name>/<name>.txt), so each can
be loaded alone (`evreader list DIR/<name> --format json --no-cache`). The files
are generated, not committed: together they are ~25 MB. `--small` leaves out the
two largest (the 12 MB paragraph and the 5M-character word), for quick runs.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

# The three files named in the issue: each loads in <= 3 s and <= 400 MB.
ISSUE_FILES = ("amc", "ceo-smith", "zmc")
LARGE = ("paragraph-12mb", "word-5m")


def first_names() -> Iterator[str]:
    """Distinct capitalised first names: Aba, Abe, Abi, ... Zuzu."""
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    for length in itertools.count(1):
        for parts in itertools.product(*[(consonants, vowels)] * length):
            for letters in itertools.product(*parts):
                yield "".join(letters).capitalize()


def _distinct(n: int, shape: Callable[[int], str]) -> list[str]:
    return [shape(k) for k in range(n)]


def _letters(k: int, width: int = 4) -> str:
    """k written in capital letters, `width` of them: 0 -> AAAA."""
    out = []
    for _ in range(width):
        k, r = divmod(k, 26)
        out.append(chr(65 + r))
    return "".join(reversed(out))


def corpus() -> dict[str, str]:
    """name -> text of every file (built lazily by the caller, all of it in memory)."""
    names = list(itertools.islice((n for n in first_names() if len(n) >= 5), 12000))
    paragraph = ("Zeta Motor Corporation (ZMC) hired CEO Ann Lee, a senior analyst at Nissan. "
                 "Lee said ZMC grows in Japan and the U.S., where automaker Quillon builds "
                 "batteries with Foxconn. By March 3, 2024, ZMC and Tesla had signed.\n\n")
    return {
        # issue 20's three files
        "amc": "Acme Motor Corporation (AMC) said. " * 5000,
        "ceo-smith": " ".join(f"CEO {n} Smith spoke." for n in names[:4000]),
        "zmc": "Zeta Motor Corporation (ZMC) hired CEO Ann Lee. Lee said ZMC grows. " * 15000,
        # repeated bylines: one header of 20,000 byline lines, distinct and repeated
        "bylines": "Battery news\n" + "".join(
            f"By {names[k % 10000]} Lee and {names[(k * 7) % 10000]} Chen\n"
            for k in range(20000)) + "\nThe body of the article.\n",
        # 10k distinct entities in one article: companies with abbreviations, people
        "entities-10k": " ".join(
            f"{names[k]}x Motor Corporation ({_letters(k)}) hired CEO {names[k + 5000]} "
            f"{names[k + 1]}son. {_letters(k)} grew." for k in range(5000)),
        # a 5M-character word, capitalised (a name rule's first letter) then lowercase
        "word-5m": "Nissan said " + "A" + "a" * 5_000_000 + " and CEO Ann Lee agreed.",
        # 12 MB of one paragraph repeated
        "paragraph-12mb": paragraph * (12 * 1024 * 1024 // len(paragraph)),
        # long runs of capitalised words (one name run of 200k words), with titles in it
        "capital-run": " ".join(("Chief Executive" if k % 97 == 0 else names[k % 12000])
                                for k in range(200_000)) + ".",
        # deep nesting: X Motor Motor Motor ... Corporation (XMC), and its mentions
        "motor-nesting": "Zeta " + "Motor " * 200_000 + "Corporation (ZMC) said ZMC. "
                         + "ZMC " * 50_000,
        # every word a cue word (company suffixes, roles, title words)
        "cue-flood": "Co Ltd automaker CEO Motor Group firm analyst " * 30_000,
        # a digest: 10,000 brief lines ending in an author's name
        "digest": "".join(f"{names[k % 12000]} Motors raised its forecast for 2025 as "
                          f"demand for batteries grew in Europe and Japan. {names[k % 999]} "
                          f"Smith\n" for k in range(10_000)),
        # controls, escapes, NULs and bidi overrides in bulk
        # (no NUL: a file with one is binary, and skipped)
        "controls": ("Nissan\x01\x1b[31m and\x1b]52;c;eA==\x07 Foxconn\u202e \u200b"
                     "\x9b31m Tesla\x7f\r\n") * 100_000,
        # distinct words whose code points differ only in high bits (a weak hash collides)
        "wide-words": " ".join(map("".join, itertools.product(
            *[(chr(0x4E00 + k), chr(0x24E00 + k)) for k in range(16)]))),
    }


def write(folder: Path, small: bool = False) -> dict[str, Path]:
    """Writes each file into folder/<name>/<name>.txt; name -> its folder."""
    out = {}
    for name, text in corpus().items():
        if small and name in LARGE:
            continue
        where = folder / name
        where.mkdir(parents=True, exist_ok=True)
        (where / f"{name}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        out[name] = where
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--small", action="store_true", help="leave out the two largest files")
    args = parser.parse_args()
    for name, where in write(args.folder, args.small).items():
        size = sum(p.stat().st_size for p in where.iterdir())
        print(f"{size / 1e6:8.2f} MB  {name}")


if __name__ == "__main__":
    main()
