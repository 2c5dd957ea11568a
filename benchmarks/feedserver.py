"""A loopback HTTP server for the fetch benchmark: generated feeds on several hosts.

Feed k is served at http://127.0.0.<1 + k % hosts>:<port>/feed-k.xml — several
loopback addresses, so a per-host limit acts as it would on the web (where 100
feeds sit on many hosts), never on another machine. Each response carries an
ETag and a Last-Modified, and a request with a matching If-None-Match or
If-Modified-Since gets 304, as from a web server serving static files; bodies go
uncompressed. Requests are counted per status, to check a re-fetch's 304s.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        found = self.server.files.get(name)
        if found is None:
            self._reply(404, b"", {})
            return
        body, etag, modified = found
        headers = {"ETag": etag, "Last-Modified": modified,
                   "Content-Type": "application/rss+xml; charset=UTF-8"}
        if self.server.log is not None:
            self.server.log.append({k: v for k, v in self.headers.items()
                                    if k.lower().startswith(("if-", "accept-enc"))})
        if self.headers.get("If-None-Match") == etag or (
                not self.headers.get("If-None-Match")
                and _not_after(self.headers.get("If-Modified-Since"), modified)):
            self._reply(304, b"", headers)
            return
        self._reply(200, body, headers)

    def _reply(self, code: int, body: bytes, headers: dict[str, str]) -> None:
        with self.server.lock:
            self.server.counts[code] += 1
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, tuple[bytes, str, str]]
    counts: Counter[int]
    lock: threading.Lock
    log: list[dict[str, str]] | None = None


def _not_after(since: str | None, modified: str) -> bool:
    """If-Modified-Since at or after the file's time (compared as dates, as servers do)."""
    if not since:
        return False
    try:
        return email.utils.parsedate_to_datetime(since) >= \
            email.utils.parsedate_to_datetime(modified)
    except (TypeError, ValueError):
        return False


@contextmanager
def serve(folder: Path, hosts: int = 20) -> Iterator[tuple[list[str], Counter[int]]]:
    """Serve every *.xml in `folder`; yields the feed URLs and the status counter."""
    files: dict[str, tuple[bytes, str, str]] = {}
    for path in sorted(folder.glob("*.xml")):
        body = path.read_bytes()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        modified = email.utils.formatdate(path.stat().st_mtime, usegmt=True)
        files[path.name] = (body, etag, modified)
    counts: Counter[int] = Counter()
    lock = threading.Lock()
    servers: list[_Server] = []
    try:
        port = 0
        for h in range(hosts):
            server = _Server((f"127.0.0.{1 + h}", port), _Handler)
            port = server.server_address[1]  # the same port on every address
            server.files, server.counts, server.lock = files, counts, lock
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
        urls = [f"http://127.0.0.{1 + k % hosts}:{port}/{name}"
                for k, name in enumerate(files)]
        yield urls, counts
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def main(argv: list[str] | None = None) -> int:
    """Serve a folder of feeds until interrupted; the URLs go to --urls, one a line."""
    import argparse
    import signal
    ap = argparse.ArgumentParser(prog="python -m benchmarks.feedserver")
    ap.add_argument("folder", type=Path)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--urls", type=Path, required=True)
    args = ap.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve(args.folder, args.hosts) as (urls, _):
        args.urls.write_text("\n".join(urls) + "\n", encoding="utf-8")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["serve"]
