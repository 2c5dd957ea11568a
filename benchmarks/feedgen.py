"""Generated RSS feeds for the fetch benchmark, shaped like real WordPress feeds.

    python -m benchmarks.feedgen --feeds 100 --items 1000 --out DIR

Most news sites publish through WordPress, so its feed is the shape to copy: per item
a title, a permalink, a `<guid isPermaLink="false">` of the form `?p=NNN`, an RFC 822
`pubDate`, a `dc:creator`, two or three categories, a one-paragraph teaser in
`<description>` with the "appeared first on" trailer, and the whole article as HTML in
`<content:encoded>` (4–8 `<p>` paragraphs of 1.5–3 KB of prose, a link or two, an
entity or two), plus the comment elements WordPress adds. The prose comes from
`benchmarks.generate`'s templates and gazetteer data, so the fetched articles index
like the file corpus does.

Deterministic: feed k is made by its own `Random(seed * 1_000_003 + k)`; the same
arguments give byte-identical files. Files are written whole (temp file, rename), and
a folder whose `.manifest.json` matches is reused.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from benchmarks.generate import (
    DEFAULT_SEED,
    Tables,
    Vocabulary,
    Writer,
    article_text,
    load_vocabulary,
    make_tables,
)

FEEDGEN_VERSION = 1
FEEDS_ROOT = Path(__file__).resolve().parent / "corpus" / "feeds"
CATEGORIES = ("Batteries", "Charging", "Policy", "Supply chain", "Autonomy", "Manufacturing",
              "Markets", "Trucks", "Raw materials", "Software")


def feed_name(k: int) -> str:
    return f"feed-{k:03d}.xml"


def render_feed(k: int, items: int, seed: int, vocab: Vocabulary, tables: Tables) -> bytes:
    """Feed k: `items` items, newest first, one to three hours apart."""
    rng = Random(seed * 1_000_003 + k)
    site = f"https://news{k:03d}.example"
    name = f"EV Wire {k:03d}"
    when = datetime(2026, 6, 30, 18, 0, tzinfo=UTC) - timedelta(minutes=rng.randrange(600))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n<channel>\n'
        f"\t<title>{name}</title>\n"
        f'\t<atom:link href="{site}/feed/" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{site}</link>\n"
        "\t<description>Electric vehicles, batteries and the supply chain</description>\n"
        f"\t<lastBuildDate>{_rfc822(when)}</lastBuildDate>\n"
        "\t<language>en-US</language>\n\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
        "\t<generator>https://wordpress.org/?v=6.5.3</generator>\n"]
    companies = vocab.companies
    for i in range(items):
        post = 100_000 + k * 10_000 + (items - i)
        writer = Writer(vocab, tables, rng, companies[rng.randrange(len(companies))])
        text = article_text(writer, when.date())
        headline, _, rest = text.partition("\n\n")
        byline, _, body = rest.partition("\n\n")
        author = byline.removeprefix("By ").split("  ")[0].split(" | ")[0].split(", ")[0]
        paragraphs = [p for p in body.strip().split("\n\n") if p]
        slug = re.sub(r"[^a-z0-9]+", "-", " ".join(headline.lower().split()[:8])).strip("-")
        link = f"{site}/{when:%Y/%m/%d}/{slug}-{post}/"
        content = "\n".join(_paragraph(p, rng, site) for p in paragraphs)
        teaser = html.escape(paragraphs[0][:280])
        cats = "".join(f"\t\t<category><![CDATA[{c}]]></category>\n"
                       for c in rng.sample(CATEGORIES, rng.randint(2, 3)))
        out.append(
            "\t<item>\n"
            f"\t\t<title>{html.escape(headline, quote=False)}</title>\n"
            f"\t\t<link>{link}</link>\n"
            f"\t\t<comments>{link}#respond</comments>\n"
            f"\t\t<dc:creator><![CDATA[{author}]]></dc:creator>\n"
            f"\t\t<pubDate>{_rfc822(when)}</pubDate>\n{cats}"
            f'\t\t<guid isPermaLink="false">{site}/?p={post}</guid>\n'
            f"\t\t<description><![CDATA[<p>{teaser} [&#8230;]</p>\n<p>The post "
            f'<a href="{link}">{html.escape(headline)}</a> appeared first on '
            f'<a href="{site}">{name}</a>.</p>\n]]></description>\n'
            f"\t\t<content:encoded><![CDATA[{content}\n<p>The post "
            f'<a href="{link}">{html.escape(headline)}</a> appeared first on '
            f'<a href="{site}">{name}</a>.</p>\n]]></content:encoded>\n'
            f"\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>\n"
            f"\t\t<slash:comments>{rng.randrange(12)}</slash:comments>\n"
            "\t</item>\n")
        when -= timedelta(minutes=rng.randint(60, 180))
    out.append("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def _paragraph(text: str, rng: Random, site: str) -> str:
    """A paragraph as WordPress writes it: escaped text, curly quotes as entities,
    now and then a link around a few words."""
    escaped = html.escape(text, quote=False).replace("’", "&#8217;")
    words = escaped.split(" ")
    if len(words) > 12 and rng.random() < 0.3:
        at = rng.randrange(len(words) - 3)
        words[at] = f'<a href="{site}/tag/{rng.randrange(500)}/">{words[at]}'
        words[at + 2] += "</a>"
    return f"<p>{' '.join(words)}</p>"


def _rfc822(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


def generate_feeds(out: Path, feeds: int, items: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write the feeds into `out` unless a matching set is there; their manifest."""
    want = {"version": FEEDGEN_VERSION, "feeds": feeds, "items": items, "seed": seed}
    manifest = out / ".manifest.json"
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: found.get(k) for k in want} == want and found.get("complete"):
            return dict(found)
    except (OSError, ValueError):
        pass
    out.mkdir(parents=True, exist_ok=True)
    vocab = load_vocabulary()
    tables = make_tables(vocab)
    total = 0
    for k in range(feeds):
        data = render_feed(k, items, seed, vocab, tables)
        tmp = out / f".{feed_name(k)}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, out / feed_name(k))
        total += len(data)
    done = {**want, "complete": True, "bytes": total}
    manifest.write_text(json.dumps(done, indent=1) + "\n", encoding="utf-8")
    return done


def default_dir(feeds: int, items: int) -> Path:
    return FEEDS_ROOT / f"{feeds}x{items}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.feedgen", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    out = args.out or default_dir(args.feeds, args.items)
    made = generate_feeds(out, args.feeds, args.items, args.seed)
    print(f"{made['feeds']} feeds of {made['items']} items, {made['bytes'] / 1e6:.1f} MB "
          f"in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
