"""Full text: real-shaped article pages over loopback HTTP, robots.txt, pacing,
redirects across hosts, and every way a page can fail (each with its reason).

Two "sites" are two loopback addresses (127.0.0.1 and 127.0.0.2), so the limiter
and robots.txt see different hosts; a few more servers on 127.0.0.1 answer
robots.txt in the other ways a site can. No internet, no timing assertions.
"""

from __future__ import annotations

import contextlib
import gzip
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from evreader import __version__
from evreader.config import FeedSpec, FullTextSettings, load_config
from evreader.errors import ConfigError
from evreader.feeds.fetch import FetchResult
from evreader.feeds.fulltext import FullText, FullTextFetcher, fetch_full_text
from evreader.feeds.pagetext import (
    MAX_ELEMENTS,
    MIN_CHARS,
    count_elements,
    cut_inert,
    decode_html,
    extract_page,
    tidy_text,
)
from evreader.feeds.polite import HostLimiter, RobotsCache

DATA = Path(__file__).resolve().parents[1] / "data" / "fulltext"
PAGE_CAP = 1_000_000  # the tests' max_bytes: big pages stay cheap to make and send


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


def hostile_page() -> bytes:
    """An article whose text carries terminal escapes (raw and as character
    references), a bidi override and zero-width characters."""
    body = "".join(
        f"<p>Paragraph {i}: the cathode supplier Lumenor said output at its plant in "
        f"Chile rose again this quarter as demand from cell makers kept growing.</p>"
        for i in range(6))
    return (
        "<html><head><title>Lumenor\x1b]52;c;ZWNobyBwd25lZA==\x07 output</title>"
        '<meta property="og:title" content="Lumenor &#x1b;[2Joutput rises">'
        '<meta name="author" content="Ana &#x202e;Ruiz">'
        "</head><body><article><h1>Lumenor output rises</h1>"
        "<p>Lumenor\x1b[31m said on Monday &#x1b;]8;;http://evil.example&#x7;that its "
        "lithium&#x200b; output rose &#x202e;sharply.</p>"
        f"{body}</article></body></html>").encode()


def scripty_page() -> bytes:
    """A real article under 1.6 MB of inline script, the shape of many news pages:
    too much markup to parse if the scripts were not cut first."""
    script = "<script>var state = " + "[" + ",".join(['{"k":"v<div>"}'] * 110_000) + "];</script>"
    return page("india_article.html").replace(b"</head>", script.encode() + b"</head>")


def complex_page() -> bytes:
    cells = "<i>x</i>" * (MAX_ELEMENTS + 5_000)
    return f"<html><body><article><p>{cells}</p></article></body></html>".encode()


def chain(n: int) -> Callable[[Any], None]:
    def handle(h: Any) -> None:
        target = f"/news/chain{n + 1}" if n < 8 else "/news/blog.html"
        h.send(302, b"", {"Location": target})
    return handle


class Handler(BaseHTTPRequestHandler):
    """Routes by the server's `site` name; every request is logged with its UA."""

    log: ClassVar[list[tuple[str, str, str]]] = []  # (site, path, user agent)
    lock: ClassVar[threading.Lock] = threading.Lock()
    in_flight: ClassVar[dict[str, int]] = {}
    most_in_flight: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    def html(self, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send(200, body, {"Content-Type": content_type})

    def do_GET(self) -> None:
        site: str = getattr(self.server, "site", "?")
        # Requests still being served after their test (a slow page) are not counted.
        counted = site if self.path not in ("/news/slow.html", "/news/dribble.html") else "-"
        with Handler.lock:
            Handler.log.append((site, self.path, self.headers.get("User-Agent", "")))
            Handler.in_flight[counted] = Handler.in_flight.get(counted, 0) + 1
            Handler.most_in_flight[counted] = max(Handler.most_in_flight.get(counted, 0),
                                                  Handler.in_flight[counted])
        try:
            route = ROUTES.get(site, {}).get(self.path)
            if route is None:
                self.send(404, b"not here")
            else:
                route(self)
        finally:
            with Handler.lock:
                Handler.in_flight[counted] -= 1


def _sleep_then(seconds: float, then: Callable[[Any], None]) -> Callable[[Any], None]:
    def handle(h: Any) -> None:
        time.sleep(seconds)
        then(h)
    return handle


DRIBBLE = {"lines": 0, "client_left": False, "done": threading.Event()}


def _dribble_headers(h: Any) -> None:
    """A header line every 0.1 s for 6 s, then a whole valid page; notes whether
    the client hung up first."""
    DRIBBLE.update(lines=0, client_left=False)
    DRIBBLE["done"].clear()  # type: ignore[attr-defined]
    try:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(60):
            h.wfile.write(b"X-Padding: a\r\n")
            h.wfile.flush()
            DRIBBLE["lines"] = n + 1
            time.sleep(0.1)
        body = page("wire_article.html")
        h.wfile.write(b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
                      % (len(body), body))
    except OSError:
        DRIBBLE["client_left"] = True
    finally:
        DRIBBLE["done"].set()  # type: ignore[attr-defined]


SERVERS: dict[str, str] = {}  # site → base URL, filled by the fixture
BLOG_GZIP = gzip.compress(page("blog_article.html"))

ROUTES: dict[str, dict[str, Callable[[Any], None]]] = {
    "a": {
        "/robots.txt": lambda h: h.send(200, (
            b"# the site's own rules\nUser-agent: *\nDisallow: /\n\n"
            b"User-agent: evreader\nDisallow: /private/\nAllow: /private/open-letter\n"
            b"Disallow: /*/print$\n"), {"Content-Type": "text/plain"}),
        "/news/blog.html": lambda h: h.send(200, BLOG_GZIP, {
            "Content-Type": "text/html; charset=UTF-8", "Content-Encoding": "gzip"}),
        "/news/wire.html": lambda h: h.html(page("wire_article.html")),
        "/news/india.html": lambda h: h.html(page("india_article.html")),
        "/news/korea.html": lambda h: h.html(page("korean_article_euckr.html"), "text/html"),
        "/news/paywall.html": lambda h: h.html(page("paywall_stub.html")),
        "/news/section.html": lambda h: h.html(page("section_index.html")),
        "/news/hostile.html": lambda h: h.html(hostile_page()),
        "/news/scripty.html": lambda h: h.html(scripty_page()),
        "/news/complex.html": lambda h: h.html(complex_page()),
        "/news/huge.html": lambda h: h.html(b"<html><body>" + b"<p>EV news</p>" * 80_000),
        "/news/bomb.html": lambda h: h.send(200, gzip.compress(b" " * 20_000_000), {
            "Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/news/slow.html": _sleep_then(3.0, lambda h: h.html(page("wire_article.html"))),
        "/news/dribble.html": _dribble_headers,
        "/news/report.pdf": lambda h: h.send(200, b"%PDF-1.7\n...", {
            "Content-Type": "application/pdf"}),
        "/news/forbidden.html": lambda h: h.send(403, b"no robots here", {
            "Content-Type": "text/html"}),
        "/news/moved.html": lambda h: h.send(301, b"", {"Location": "/news/wire.html"}),
        "/news/to-other": lambda h: h.send(302, b"", {
            "Location": f"{SERVERS['b']}/story/wire.html"}),
        "/news/to-other-blocked": lambda h: h.send(302, b"", {
            "Location": f"{SERVERS['b']}/members/wire.html"}),
        "/news/to-login": lambda h: h.send(302, b"", {
            "Location": "/account/login?next=/news/x"}),
        "/account/login?next=/news/x": lambda h: h.html(page("wire_article.html")),
        "/news/loop": lambda h: h.send(302, b"", {"Location": "/news/loop2"}),
        "/news/loop2": lambda h: h.send(302, b"", {"Location": "/news/loop"}),
        "/news/chain0": chain(0),
        **{f"/news/chain{n}": chain(n) for n in range(1, 9)},
        "/news/to-file": lambda h: h.send(302, b"", {"Location": "file:///etc/passwd"}),
        "/private/wire.html": lambda h: h.html(page("wire_article.html")),
        "/private/open-letter": lambda h: h.html(page("wire_article.html")),
        "/news/wire/print": lambda h: h.html(page("wire_article.html")),
    },
    "b": {
        "/robots.txt": lambda h: h.send(
            200, b"User-agent: *\nDisallow: /members/\nCrawl-delay: 7\n",
            {"Content-Type": "text/plain"}),
        "/story/wire.html": lambda h: h.html(page("wire_article.html")),
        "/members/wire.html": lambda h: h.html(page("wire_article.html")),
    },
    "robots-403": {"/robots.txt": lambda h: h.send(403, b"go away"),
                   "/a.html": lambda h: h.html(page("wire_article.html"))},
    "robots-500": {"/robots.txt": lambda h: h.send(500, b"oops"),
                   "/a.html": lambda h: h.html(page("wire_article.html"))},
    "robots-404": {"/a.html": lambda h: h.html(page("wire_article.html"))},
    "robots-slow": {"/robots.txt": _sleep_then(3.0, lambda h: h.send(200, b"Disallow: /\n")),
                    "/a.html": lambda h: h.html(page("wire_article.html"))},
}


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, str]]:
    servers = []
    for site in ROUTES:
        host = "127.0.0.2" if site == "b" else "127.0.0.1"
        httpd = ThreadingHTTPServer((host, 0), Handler)
        httpd.daemon_threads = True
        httpd.site = site  # type: ignore[attr-defined]
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(httpd)
        SERVERS[site] = f"http://{host}:{httpd.server_address[1]}"
    try:
        yield SERVERS
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


def settings(**kw: Any) -> FullTextSettings:
    base: dict[str, Any] = {"delay": 0.0, "private_addresses": True, "timeout": 5.0,
                            "max_bytes": PAGE_CAP}
    return FullTextSettings(**{**base, **kw})


def hits(site: str, path: str) -> int:
    with Handler.lock:
        return sum(1 for s, p, _ in Handler.log if s == site and p == path)


def get(url: str, **kw: Any) -> FullText:
    summary = kw.pop("summary", "")
    return FullTextFetcher(settings(**kw)).fetch(url, summary)


# ---------------------------------------------------------------- real-shaped articles


ARTICLES = [
    ("blog.html", "Voltaria to build LFP cathode plant in Nevada with Korean partner",
     ("Dana Whitfield",), date(2025, 3, 14),
     ["Hanbit Chemical will hold 49 percent", "Why Nevada", "Its shares rose 6 percent"],
     ["We use cookies", "Share on Facebook", "Leave a Reply", "voltfan88", "Nevada water rights",
      "You may also like", "Solid-state pilot line", "Subscribe to the Chargeline",
      "Chargeline logo", "Advertisement", "All rights reserved", "Tesla\n"]),
    ("wire.html", "Nordvik weighs sale of Polish battery-pack unit to Chinese supplier",
     ("Tomasz Kowal", "Mei Lin Chua"), date(2025, 6, 3),
     ["WARSAW/SINGAPORE, June 3 (Wireline)", "foreign investment screening law",
      "Editing by Jan Havel"],
     ["Accept All Cookies", "Purchase Licensing Rights", "Read Next", "More from Wireline",
      "Truckmakers' electric push stalls", "All quotes delayed", "__PRELOADED_STATE__",
      "Exclusive: Nordvik weighs"]),
    ("india.html", "Agrani Motors to localise battery cells with Rs 9,500 crore plant in Gujarat",
     ("Ritika Sharma",), date(2025, 1, 23),
     ["MUMBAI: Agrani Motors will invest", "production-linked incentive (PLI) scheme",
      "National Stock Exchange"],
     ["Share to Whatsapp", "3,990 Views", "Also Read", "RELATED ARTICLES", "Most Read",
      "Subscribe to our newsletter", "Income tax wishlist", "Advertise with us"]),
    ("korea.html", "한빛케미칼, 헝가리에 양극재 공장 짓는다", ("김서연 기자",), date(2025, 4, 8),
     ["헝가리 동부 데브레첸에 리튬인산철(LFP) 양극재 공장", "30% 이상으로 커질 것으로"],
     ["로그인", "회원가입", "카카오톡 공유", "관련기사", "양극재 수출 3개월", "댓글"]),
]


@pytest.mark.parametrize(("path", "title", "authors", "published", "kept", "dropped"), ARTICLES,
                         ids=[a[0] for a in ARTICLES])
def test_articles_keep_main_text_and_metadata(
        sites: dict[str, str], path: str, title: str, authors: tuple[str, ...],
        published: date, kept: list[str], dropped: list[str]) -> None:
    url = f"{sites['a']}/news/{path}"
    full = get(url)
    assert full.ok, full.reason
    assert (full.title, full.authors, full.published) == (title, authors, published)
    assert full.final_url == url
    for phrase in kept:
        assert phrase in full.text
    for phrase in dropped:
        assert phrase not in full.text, phrase
    assert "\n\n" in full.text and "\n\n\n" not in full.text  # paragraphs, as stored


def test_the_page_fills_only_what_the_feed_left_empty(sites: dict[str, str]) -> None:
    full = get(f"{sites['a']}/news/wire.html")
    assert full.fill_missing("", (), None) == (full.title, full.authors, full.published)
    assert full.fill_missing("Feed title", ("Desk",), date(2025, 6, 4)) == (
        "Feed title", ("Desk",), date(2025, 6, 4))


def test_a_same_host_redirect_is_followed(sites: dict[str, str]) -> None:
    full = get(f"{sites['a']}/news/moved.html")
    assert full.ok and full.final_url == f"{sites['a']}/news/wire.html"


# ---------------------------------------------------------------- failures and their reasons


FAILURES = [
    ("/news/paywall.html", "paywalled: only a teaser is public"),
    ("/news/section.html", "no article text found"),
    ("/news/huge.html", "page larger than 1 MB"),
    ("/news/bomb.html", "page larger than 1 MB"),
    ("/news/report.pdf", "not a web page (application/pdf)"),
    ("/news/forbidden.html", "HTTP 403 Forbidden"),
    ("/news/missing.html", "HTTP 404 Not Found"),
    ("/news/complex.html", "page too complex to extract"),
    ("/news/to-login", "redirected to a sign-in or consent page on 127.0.0.1"),
    ("/news/loop", "a redirect loop at 127.0.0.1"),
    ("/news/chain0", "too many redirects (more than 5)"),
    ("/news/to-file", "redirected to a non-http(s) URL"),
]


@pytest.mark.parametrize(("path", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failing_page_gives_its_reason(sites: dict[str, str], path: str, reason: str) -> None:
    full = get(f"{sites['a']}{path}")
    assert not full.ok and full.text == ""
    assert full.reason.startswith(reason), full.reason


def test_a_slow_page_times_out_within_its_deadline(sites: dict[str, str]) -> None:
    assert get(f"{sites['a']}/news/slow.html", timeout=1.0).reason == "timed out after 1 s"
    # Headers dribbled a line at a time still meet the total deadline: evreader
    # hangs up long before the server is done (a per-read socket timeout alone
    # would wait for the server, and then read its page).
    assert get(f"{sites['a']}/news/dribble.html", timeout=1.0).reason == "timed out after 1 s"
    assert DRIBBLE["done"].wait(10)  # type: ignore[attr-defined]
    assert DRIBBLE["client_left"] and DRIBBLE["lines"] < 60  # type: ignore[operator]


def test_a_teaser_shorter_than_the_feed_is_not_kept(sites: dict[str, str]) -> None:
    summary = "Lorem ipsum dolor sit amet. " * 200
    full = get(f"{sites['a']}/news/wire.html", summary=summary)
    assert full.reason == "the page shows less text than the feed (a teaser?)"
    assert get(f"{sites['a']}/news/wire.html", summary="Nordvik may sell a unit.").ok


def test_unreachable_and_non_web_links() -> None:
    assert get("http://127.0.0.1:9/a.html").reason.startswith("cannot connect")
    assert get("ftp://example.com/a.html").reason.startswith("not a web link")
    assert get("javascript:alert(1)").reason.startswith("not a web link")


def test_links_to_private_addresses_are_refused_by_default(sites: dict[str, str]) -> None:
    before = hits("a", "/news/india.html") + hits("a", "/robots.txt")
    full = FullTextFetcher(FullTextSettings()).fetch(f"{sites['a']}/news/india.html")
    assert "private or local address" in full.reason
    assert "private_addresses" in full.reason  # says how to allow it
    assert hits("a", "/news/india.html") + hits("a", "/robots.txt") == before  # nothing sent


# ---------------------------------------------------------------- what is shown is safe


def test_page_text_is_clean_of_escapes_and_invisible_characters(sites: dict[str, str]) -> None:
    full = get(f"{sites['a']}/news/hostile.html")
    assert full.ok, full.reason
    shown = "".join([full.text, full.title, *full.authors])
    for bad in ("\x1b", "\x07", "\u202e", "\u200b", "\x9b"):
        assert bad not in shown
    assert "lithium output rose sharply" in full.text
    assert full.authors == ("Ana Ruiz",)


def test_stored_text_is_cleaned_whatever_the_extractor_leaves() -> None:
    raw = "Title again here\nA \x1b[31mred\x1b[0m line\u202e with\u200b tricks\n\n- item\n"
    assert tidy_text(raw, "Title again here") == "A red line with tricks\n\n• item"


def test_inert_blocks_are_cut_before_the_parser_sees_them(sites: dict[str, str]) -> None:
    full = get(f"{sites['a']}/news/scripty.html", max_bytes=3_000_000)  # 1.6 MB of script
    assert full.ok and "MUMBAI: Agrani Motors will invest" in full.text
    html = ('<p>a</p><script type="application/ld+json">{"author":"X"}</script>'
            "<SCRIPT>var s='</p>';</SCRIPT ><style>p{}</style><!-- <p>hidden</p> -->"
            "<svg><title>Icon</title></svg><p>b</p><script>never closed <p>c</p>")
    assert cut_inert(html) == ('<p>a</p><script type="application/ld+json">{"author":"X"}'
                               "</script><p>b</p>")
    assert count_elements("<p>a</p><br/><  p>") == 2
    many = "<script>" * 50_000  # unclosed openers: still one linear pass
    assert cut_inert("<p>x</p>" + many) == "<p>x</p>"


def test_decoding_follows_bom_header_meta_then_utf8() -> None:
    euckr = "<meta charset='euc-kr'><p>배터리</p>".encode("euc-kr")
    assert "배터리" in decode_html(euckr)
    assert "배터리" in decode_html(euckr, "text/html; charset=EUC-KR")
    latin = "<p>Škoda café</p>".encode("cp1252", "replace")
    assert "café" in decode_html(latin, "text/html; charset=iso-8859-1")
    assert "café" in decode_html(latin)  # not UTF-8: windows-1252, as browsers read it
    assert decode_html(b"\xef\xbb\xbf<p>\xc3\xa9</p>", "text/html; charset=cp1252") == "<p>é</p>"
    assert "é" in decode_html("<meta charset=utf-16><p>é</p>".encode())


def test_extraction_alone_has_a_floor_and_never_raises() -> None:
    short = extract_page(b"<html><body><article><p>EV sales rose.</p></article></body></html>")
    assert short.reason == "no article text found" and len("EV sales rose.") < MIN_CHARS
    for junk in (b"", b"\x00\xff" * 1000, b"<", b"<html>" * 10_000, b"<?xml version='1.0'?>",
                 b"<!DOCTYPE html [<!ENTITY a 'aaaa'>]><html><body>&a;</body></html>"):
        assert extract_page(junk).text == ""


# ---------------------------------------------------------------- robots.txt


def test_robots_txt_rules_for_evreader_are_obeyed(sites: dict[str, str]) -> None:
    fetcher = FullTextFetcher(settings())
    a = sites["a"]
    # The evreader group applies (not `*`, which disallows everything).
    assert fetcher.fetch(f"{a}/news/wire.html").ok
    before = hits("a", "/private/wire.html")
    blocked = fetcher.fetch(f"{a}/private/wire.html")
    assert blocked.reason == "blocked by robots.txt on 127.0.0.1"
    assert hits("a", "/private/wire.html") == before  # never requested
    assert fetcher.fetch(f"{a}/private/open-letter").ok  # the longer Allow wins
    assert fetcher.fetch(f"{a}/news/wire/print").reason.startswith("blocked")  # `*` and `$`
    assert not fetcher.robots.verdict(f"{a}/news/wire/print").allowed
    assert fetcher.robots.verdict(f"{a}/news/wire/print?x=1").allowed  # `$` anchors
    # The robots.txt read once is used again.
    before = hits("a", "/robots.txt")
    fetcher.fetch(f"{a}/news/india.html")
    assert hits("a", "/robots.txt") == before


def test_robots_off_fetches_what_robots_forbids(sites: dict[str, str]) -> None:
    assert get(f"{sites['a']}/private/wire.html", robots=False).ok


def test_robots_txt_answers_by_status(sites: dict[str, str]) -> None:
    fetcher = FullTextFetcher(settings())
    fetcher.robots.timeout = 1.0
    before = hits("robots-403", "/a.html")
    forbidden = fetcher.fetch(f"{sites['robots-403']}/a.html")
    assert forbidden.reason == "blocked by robots.txt on 127.0.0.1 (robots.txt answered HTTP 403)"
    assert hits("robots-403", "/a.html") == before
    assert fetcher.fetch(f"{sites['robots-500']}/a.html").ok  # unreachable: allowed
    assert fetcher.fetch(f"{sites['robots-slow']}/a.html").ok  # timed out: allowed
    assert fetcher.fetch(f"{sites['robots-404']}/a.html").ok  # none: allowed


def test_every_request_names_evreader(sites: dict[str, str]) -> None:
    get(f"{sites['a']}/news/india.html")
    with Handler.lock:
        agents = {ua for s, _, ua in Handler.log if s == "a"}
    assert agents and all(ua.startswith(f"evreader/{__version__} ") for ua in agents)


class StubFetch:
    """A fetcher that answers robots.txt from a table, counting the calls."""

    def __init__(self, answers: dict[str, FetchResult]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, url: str, **kwargs: Any) -> FetchResult:
        self.calls.append(url)
        return self.answers[url]


def test_robots_cache_conventions_and_expiry() -> None:
    def robots(status: str, code: int = 0, data: bytes = b"", reason: str = "") -> FetchResult:
        return FetchResult("x", status, data, http_status=code, reason=reason)  # type: ignore[arg-type]
    stub = StubFetch({
        "https://s1.example/robots.txt": robots("failed", 401, reason="HTTP 401"),
        "https://s2.example/robots.txt": robots("failed", 404, reason="HTTP 404"),
        "https://s3.example/robots.txt": robots("failed", 503, reason="HTTP 503"),
        "https://s4.example/robots.txt": robots("failed", 0, reason="timed out after 10 s"),
        "https://s5.example/robots.txt": robots("fetched", 200, b"User-agent: *\nDisallow: /x\n"
                                                b"Crawl-delay: 90\n"),
    })
    now = [1000.0]
    cache = RobotsCache(fetcher=stub, ttl=60.0, clock=lambda: now[0])
    assert not cache.verdict("https://s1.example/a").allowed
    assert cache.verdict("https://s2.example/a").allowed
    assert cache.verdict("https://s3.example/a").allowed
    assert cache.verdict("https://s4.example/a").note.startswith("no robots.txt read")
    five = cache.verdict("https://s5.example/x/1")
    assert not five.allowed and five.crawl_delay == 90
    assert cache.verdict("https://s5.example/y").allowed
    assert stub.calls.count("https://s5.example/robots.txt") == 1
    now[0] += 61
    cache.verdict("https://s5.example/y")
    assert stub.calls.count("https://s5.example/robots.txt") == 2  # re-read after the TTL


# ---------------------------------------------------------------- pacing


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_limiter_spaces_requests_to_a_site() -> None:
    t = FakeTime()
    limiter = HostLimiter(per_host=1, delay=2.0, total=4, clock=t.clock, sleep=t.sleep)
    for site in ("a", "a", "b", "a"):
        with limiter.turn(site):
            t.now += 0.5  # the request itself
    assert t.slept == [1.5, 1.0]  # a: 2 s between starts; b is another site
    with limiter.turn("a", paced=False):  # robots.txt: no wait, and no push-back
        pass
    limiter.ask_delay("a", 500)  # robots.txt Crawl-delay: honoured up to 30 s
    assert limiter.delay_for("a") == 30.0
    t.now += 10
    with limiter.turn("a"):
        pass
    with limiter.turn("a"):
        pass
    assert t.slept[-1] == 30.0
    limiter.ask_delay("b", 0.5)  # never below the configured delay
    assert limiter.delay_for("b") == 2.0


def test_limiter_bounds_requests_at_once() -> None:
    limiter = HostLimiter(per_host=2, delay=0.0, total=3)
    release = threading.Event()
    inside: list[str] = []
    most = {"a": 0, "all": 0}
    lock = threading.Lock()

    def work(site: str) -> None:
        with limiter.turn(site):
            with lock:
                inside.append(site)
                most[site] = max(most.get(site, 0), inside.count(site))
                most["all"] = max(most["all"], len(inside))
            release.wait(10)
            with lock:
                inside.remove(site)

    threads = [threading.Thread(target=work, args=(s,)) for s in "aaaabb"]
    for th in threads:
        th.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if len(inside) == 3:
                break
        time.sleep(0.01)
    with lock:
        assert len(inside) == 3 and inside.count("a") <= 2
    assert limiter.active("a") == 2  # two hold a turn at a, two wait for one
    release.set()
    for th in threads:
        th.join(10)
    assert most["a"] == 2 and most["all"] == 3 and limiter.active("a") == 0


def test_one_site_is_asked_one_page_at_a_time(sites: dict[str, str]) -> None:
    with Handler.lock:
        Handler.most_in_flight["a"] = 0
    fetcher = FullTextFetcher(settings(per_host=1, connections=4))
    paths = ("wire.html", "india.html", "blog.html", "korea.html", "moved.html")
    results = list(fetcher.fetch_many((f"{sites['a']}/news/{p}", "") for p in paths))
    assert len(results) == 5 and all(r.ok for r in results)
    assert Handler.most_in_flight["a"] == 1


def test_a_redirect_to_another_host_is_vetted_at_that_host(sites: dict[str, str]) -> None:
    t = FakeTime()
    limiter = HostLimiter(1, 0.0, 4, clock=t.clock, sleep=t.sleep)
    robots = RobotsCache(public_only=False)
    full = fetch_full_text(f"{sites['a']}/news/to-other", settings(), limiter=limiter,
                           robots=robots)
    assert full.ok and full.final_url == f"{sites['b']}/story/wire.html"
    assert hits("b", "/robots.txt") >= 1  # b's own robots.txt was read ...
    assert limiter.delay_for("127.0.0.2") == 7.0  # ... and its Crawl-delay taken
    before = hits("b", "/members/wire.html")
    blocked = fetch_full_text(f"{sites['a']}/news/to-other-blocked", settings(),
                              limiter=limiter, robots=robots)
    assert blocked.reason == "blocked by robots.txt on 127.0.0.2"
    assert hits("b", "/members/wire.html") == before  # never requested


# ---------------------------------------------------------------- config and packaging


def test_full_text_config(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("feeds:\n  urls:\n    - https://ev.example/rss\n"
                   "    - url: https://ev.example/briefs\n      full_text: true\n"
                   "  full_text:\n    per_host: 2\n    delay: 0.5\n    robots: false\n"
                   "    private_addresses: true\n")
    feeds = load_config(cfg).feeds
    assert feeds.urls == (FeedSpec("https://ev.example/rss"),
                          FeedSpec("https://ev.example/briefs", full_text=True))
    assert feeds.full_text == FullTextSettings(per_host=2, delay=0.5, robots=False,
                                               private_addresses=True)
    for text, line, words in [
        ("feeds:\n  full_text: true\n", 2, "give that feed `full_text: true`"),
        ("feeds:\n  full_text:\n    delay: -1\n", 3, "delay must be a number from 0 to 60"),
        ("feeds:\n  full_text:\n    per_host: 0\n", 3, "per_host must be a whole number"),
        ("feeds:\n  full_text:\n    speed: 3\n", 3, "unknown key 'speed'"),
        ("feeds:\n  urls:\n    - url: https://ev.example/a\n      full_text: yes please\n", 4,
         "full_text must be true or false"),
    ]:
        cfg.write_text(text)
        with pytest.raises(ConfigError) as err:
            load_config(cfg)
        assert err.value.line == line and words in str(err.value), str(err.value)


def test_the_documented_feeds_example_is_valid(tmp_path: Path) -> None:
    """config.yaml's commented feeds block, uncommented, loads as documented."""
    text = (Path(__file__).resolve().parents[2] / "config.yaml").read_text()
    start = text.index("# feeds:")
    block = text[start:text.index("\n\n", start)]
    lines = [ln[2:] for ln in block.splitlines() if not ln.startswith("#   #")]
    cfg = tmp_path / "config.yaml"
    cfg.write_text("\n".join(lines) + "\n")
    feeds = load_config(cfg).feeds
    assert any(f.full_text for f in feeds.urls)
    assert feeds.full_text == FullTextSettings()  # the example shows the defaults


def test_importing_full_text_does_not_load_the_extractor() -> None:
    code = ("import sys, evreader.feeds.fulltext\n"
            "print(any(m.split('.')[0] in ('trafilatura', 'lxml') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
