"""Append selected articles to the user's note, safely.

A note is never truncated or half-written: under an exclusive lock on the note's
folder, the existing bytes are copied unchanged to a temp file beside the note,
the new entry is appended, the temp file is fsynced and renamed over the note.
A crash or a full disk leaves the old note as it was; two processes exporting at
once queue on the lock, so both entries land whole and in one piece each.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from evreader.errors import ExportError
from evreader.index.corpus import CorpusIndex
from evreader.models import Filters
from evreader.textsafe import one_line

KIND_LABELS = {"company": "Companies", "country": "Countries", "theme": "Themes",
               "person": "People"}


def render_note(index: CorpusIndex, selected: Sequence[int], *, filters: Filters | None = None,
                fmt: str = "md", body: str = "excerpt", excerpt_chars: int = 400,
                now: datetime | None = None) -> str:
    """The text of one note entry for the articles `selected` (indices into `index`)."""
    now = now or datetime.now()
    stamp = now.strftime("%Y-%m-%d %H:%M")
    what = filters.describe() if filters is not None else "selection"
    count = f"{len(selected)} article{'s' if len(selected) != 1 else ''}"
    lines: list[str] = []
    if fmt == "md":
        lines += [f"## evreader export — {stamp} — {what} ({count})", ""]
    else:
        header = f"evreader export — {stamp} — {what} ({count})"
        lines += [header, "=" * min(len(header), 78), ""]
    for n, i in enumerate(selected, start=1):
        article = index.articles[i]
        meta = [f"Date: {article.published_iso() or 'unknown'}"]
        if article.publisher:
            meta.append(f"Publisher: {article.publisher}")
        meta.append(f"Source: {article.source}")
        if article.authors:
            meta.append("Authors: " + ", ".join(article.authors))
        if article.url:
            meta.append(f"URL: {article.url}")
        names = index.entity_names(i)
        ents = [f"{KIND_LABELS[k]}: {', '.join(v)}" for k, v in names.items() if v]
        text = _body(article.text, body, excerpt_chars)
        if fmt == "md":
            lines.append(f"### {n}. {one_line(article.title)}")
            lines.append("")
            lines += [f"- {m}" for m in meta]
            if ents:
                lines.append("- " + " · ".join(ents))
            if text:
                lines.append("")
                lines += [f"> {ln}" if ln else ">" for ln in text.split("\n")]
        else:
            lines.append(f"{n}. {one_line(article.title)}")
            lines += [f"   {m}" for m in meta]
            if ents:
                lines.append("   " + " | ".join(ents))
            if text:
                lines.append("")
                lines += [f"   {ln}" if ln else "" for ln in text.split("\n")]
        lines.append("")
    return "\n".join(lines) + "\n"


def _body(text: str, mode: str, limit: int) -> str:
    if mode == "none":
        return ""
    if mode == "full" or len(text) <= limit:
        return text
    return one_line(text, limit)


def append_note(path: Path, entry: str) -> Path:
    """Append `entry` to the note at `path` (created with its folders if missing).

    Returns the real path written. Raises ExportError, leaving the note untouched.
    """
    target = Path(os.path.expanduser(path))
    try:
        target = target.resolve()  # write through a symlinked note, not over the link
    except (OSError, RuntimeError) as exc:
        raise ExportError(f"cannot resolve note path {path}: {exc}") from None
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name for the note")
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {folder}: {_reason(exc)}") from None
    data = entry.encode("utf-8")
    with _folder_lock(folder):
        try:
            old = target.read_bytes()
            mode: int | None = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            old, mode = b"", None
        except OSError as exc:
            raise ExportError(f"cannot read existing note {target}: {_reason(exc)}") from None
        if not old or old.endswith(b"\n\n"):
            sep = b""
        else:
            sep = b"\n" if old.endswith(b"\n") else b"\n\n"
        _replace(target, old + sep + data, mode)
    return target


def _replace(target: Path, content: bytes, mode: int | None) -> None:
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        view = memoryview(content)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, target)
        tmp = ""
        with contextlib.suppress(OSError):
            dfd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as exc:
        raise ExportError(f"cannot write note {target}: {_reason(exc)}; the note is unchanged"
                          ) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on the note's folder (serialises concurrent exports)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise ExportError(f"cannot open folder {folder}: {_reason(exc)}") from None
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    return exc.strerror or str(exc)
