"""Find source files and decode them without trusting them.

Walking never follows a symlink loop, never opens a FIFO, socket or device (that
would hang or block), and treats a directory named "x.txt" as a directory. Decoding
honours BOMs (UTF-8, UTF-16, UTF-32), then tries strict UTF-8, then cp1252, and
refuses binary data with a reason instead of showing garbage.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evreader.models import LoadWarning

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf", ".json"})
SOURCE_SUFFIXES = TEXT_SUFFIXES | FEED_SUFFIXES
MAX_FILE_BYTES = 256 * 1024 * 1024  # larger files are skipped with a warning

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the open
_BOM_FIRST_BYTES = b"".join({bom[:1] for bom, _ in _BOMS})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read and the name it is known by (relative to its source root).

    Paths are plain strings: a walk over 100k files must not pay for 100k Path objects.
    """

    path: str
    key: str  # stable, machine-independent name: "<root name>/<relative path>"
    size: int = 0
    mtime_ns: int = 0
    ident: tuple[int, int] = (0, 0)  # (device, inode): the same file reached twice is read once

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.path)[1].lower()


class UnreadableFile(Exception):
    """A file that cannot be turned into text; the message says why."""


def walk_source(root: Path, warnings: list[LoadWarning]) -> Iterator[SourceFile]:
    """Every readable source file under `root` (a file or a folder), in a stable order."""
    try:
        st = root.stat()
    except FileNotFoundError:
        warnings.append(LoadWarning(str(root), "source does not exist"))
        return
    except OSError as exc:
        warnings.append(LoadWarning(str(root), f"cannot access source: {exc.strerror or exc}"))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk_dir(str(root), root.name or str(root), warnings)
    elif stat.S_ISREG(st.st_mode):
        yield SourceFile(str(root), root.name, st.st_size, st.st_mtime_ns, (st.st_dev, st.st_ino))
    else:
        warnings.append(LoadWarning(str(root), "not a regular file or folder; skipped"))


def _walk_dir(root: str, root_key: str, warnings: list[LoadWarning]) -> Iterator[SourceFile]:
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[str] = [root]
    prefix = len(root.rstrip(os.sep)) + 1
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as exc:
            warnings.append(LoadWarning(folder, f"cannot access folder: {exc.strerror}"))
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen_dirs:
            continue  # symlink loop or a folder reached twice
        seen_dirs.add(ident)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            warnings.append(LoadWarning(folder, f"cannot list folder: {exc.strerror}"))
            continue
        subdirs: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                est = entry.stat()  # follows symlinks; loops are caught via seen_dirs
            except OSError:
                if entry.is_symlink():
                    warnings.append(LoadWarning(entry.path, "broken or looping symlink; skipped"))
                continue  # vanished while scanning
            is_source = _suffix(entry.name) in SOURCE_SUFFIXES
            if stat.S_ISDIR(est.st_mode):
                subdirs.append(entry.path)
            elif stat.S_ISREG(est.st_mode):
                if is_source:
                    rel = entry.path[prefix:].replace(os.sep, "/")
                    yield SourceFile(entry.path, f"{root_key}/{rel}", est.st_size,
                                     est.st_mtime_ns, (est.st_dev, est.st_ino))
            elif is_source:
                warnings.append(
                    LoadWarning(entry.path, "not a regular file (FIFO or device); skipped"))
        stack.extend(reversed(subdirs))


def _suffix(name: str) -> str:
    """os.path.splitext(name)[1].lower() for a name not starting with "." (the walk
    skips those), without its generic path handling: it runs once per file."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def read_text(path: str | Path) -> tuple[str, str | None]:
    """The decoded text of a file and an optional note (e.g. "decoded as cp1252").

    Raises UnreadableFile with a user-facing reason.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise UnreadableFile("file vanished before it could be read") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot open: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile("not a regular file (FIFO or device); skipped")
        if st.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; skipped")
        data = _read_all(fd, st.st_size)
    except OSError as exc:
        raise UnreadableFile(f"read failed: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
    return decode_bytes(data)


def _read_all(fd: int, size: int) -> bytes:
    """Everything `fd` has: one read when the file is still the size fstat said (no
    file object; at 100k small files its set-up cost showed)."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data  # a regular file reads short only at its end
    parts = [data]  # it grew since fstat: read on to the end
    while piece := os.read(fd, 1 << 20):
        parts.append(piece)
    return b"".join(parts)


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode file content; UnreadableFile for binary data."""
    if data[:1] in _BOM_FIRST_BYTES:  # every BOM starts with one of these (b"" is "in" too)
        for bom, codec in _BOMS:
            if data.startswith(bom):
                try:
                    return data.decode(codec), None
                except UnicodeDecodeError:
                    raise UnreadableFile(
                        f"invalid {codec} despite its byte-order mark") from None
    if data.find(b"\x00", 0, 65536) >= 0:
        raise UnreadableFile("binary file (contains NUL bytes); skipped")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    head = data[:65536]
    if _looks_binary(head):
        raise UnreadableFile("binary file (not text); skipped")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        return text, f"not valid UTF-8 (byte {bad_at}); decoded as Latin-1"
    return text, f"not valid UTF-8 (byte {bad_at}); decoded as cp1252"


def _looks_binary(head: bytes) -> bool:
    """Heuristic: many control bytes or undefined cp1252 bytes mean it is not text."""
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    undefined = sum(head.count(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    return (controls + undefined) / len(head) > 0.05
