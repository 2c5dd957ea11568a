"""Find source files and decode them without trusting them.

Walking never follows a symlink loop, never opens a FIFO, socket or device (that
would hang or block), and treats a directory named "x.txt" as a directory. Decoding
honours BOMs (UTF-8, UTF-16, UTF-32), then tries strict UTF-8, then cp1252, and
refuses binary data with a reason instead of showing garbage.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

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


class SourceFile(NamedTuple):
    """A file to read and the name it is known by (relative to its source root).

    A tuple of plain strings and ints: a walk over 100k files makes 100k of them,
    and a frozen dataclass cost about twice as much to make.
    """

    path: str
    key: str  # stable, machine-independent name: "<root name>/<relative path>"
    size: int = 0
    mtime_ns: int = 0
    ident: tuple[int, int] = (0, 0)  # (device, inode): the same file reached twice is read once
    ctime_ns: int = 0  # changes with any write, even one that puts the mtime back
    folder: int = -1  # its folder in the walk's `WalkLog` (-1: a source named as a file)

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.path)[1].lower()


class Folder(NamedTuple):
    """A folder as a walk listed it. Adding, removing or renaming an entry changes a
    folder's mtime and ctime, so a later check need not list it again while they
    are the same (see `index.fresh`)."""

    path: str
    dev: int
    ino: int
    mtime_ns: int
    ctime_ns: int
    parent: int  # its parent's index in the log, -1 for a source's root
    volatile: bool  # its listing can change while its stamp does not (a broken symlink)
    listing: int  # a hash of what it lists (see `Listing`)


class Listing(NamedTuple):
    """What one folder holds, as the walk classifies it."""

    files: list[tuple[str, os.stat_result]]  # source files by name, with their stat
    subdirs: list[str]
    volatile: bool
    digest: int  # a hash of the names and kinds above, the same in every process


@dataclass(slots=True)
class WalkLog:
    """What a walk saw besides the files: every folder it listed, and what each
    source root was ("dir", "file", "missing", "other" or "error")."""

    folders: list[Folder] = field(default_factory=list)
    roots: list[tuple[str, str]] = field(default_factory=list)


class UnreadableFile(Exception):
    """A file that cannot be turned into text; the message says why."""


def walk_source(root: Path, warnings: list[LoadWarning], log: WalkLog | None = None
                ) -> Iterator[SourceFile]:
    """Every readable source file under `root` (a file or a folder), in a stable
    order: a folder's files by name, then its subfolders by name. With `log`, the
    folders listed and the root's kind are recorded there."""
    kind = "error"
    try:
        try:
            st = root.stat()
        except FileNotFoundError:
            kind = "missing"
            warnings.append(LoadWarning(str(root), "source does not exist"))
            return
        except OSError as exc:
            warnings.append(LoadWarning(str(root), f"cannot access source: {exc.strerror or exc}"))
            return
        if stat.S_ISDIR(st.st_mode):
            kind = "dir"
            yield from _walk_dir(str(root), root.name or str(root), warnings, log)
        elif stat.S_ISREG(st.st_mode):
            kind = "file"
            yield SourceFile(str(root), root.name, st.st_size, st.st_mtime_ns,
                             (st.st_dev, st.st_ino), st.st_ctime_ns)
        else:
            kind = "other"
            warnings.append(LoadWarning(str(root), "not a regular file or folder; skipped"))
    finally:
        if log is not None:
            log.roots.append((str(root), kind))


def root_kind(root: Path) -> str:
    """What `walk_source` would record for `root`."""
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "error"
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _walk_dir(root: str, root_key: str, warnings: list[LoadWarning], log: WalkLog | None
              ) -> Iterator[SourceFile]:
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[str, int]] = [(root, -1)]
    prefix = len(root.rstrip(os.sep)) + 1
    sep = os.sep
    while stack:
        folder, parent = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as exc:
            warnings.append(LoadWarning(folder, f"cannot access folder: {exc.strerror}"))
            if log is not None and parent >= 0:  # gone or barred since its parent was listed
                log.folders[parent] = log.folders[parent]._replace(volatile=True)
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen_dirs:
            continue  # symlink loop or a folder reached twice
        seen_dirs.add(ident)
        listing = list_folder(folder, warnings)
        here = -1
        if log is not None:
            here = len(log.folders)
            log.folders.append(Folder(folder, st.st_dev, st.st_ino, st.st_mtime_ns,
                                      st.st_ctime_ns, parent, listing.volatile, listing.digest))
        for path, est in listing.files:
            rel = path[prefix:]
            if sep != "/":
                rel = rel.replace(sep, "/")
            yield SourceFile(path, f"{root_key}/{rel}", est.st_size, est.st_mtime_ns,
                             (est.st_dev, est.st_ino), est.st_ctime_ns, here)
        stack.extend((sub, here) for sub in reversed(listing.subdirs))


def list_folder(folder: str, warnings: list[LoadWarning]) -> Listing:
    """One folder's source files and subfolders, by name; hidden names are skipped.

    Only files with a source suffix are stat-ed (to tell a regular file from a
    FIFO, and for the cache's stamps); other names cost no system call unless they
    are symlinks, whose targets `is_dir` must look up.
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=_entry_name)
    except OSError as exc:
        warnings.append(LoadWarning(folder, f"cannot list folder: {exc.strerror}"))
        return Listing([], [], True, 0)
    files: list[tuple[str, os.stat_result]] = []
    subdirs: list[str] = []
    odd: list[str] = []  # entries that yield a warning
    volatile = False
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue
        if _suffix(name) not in SOURCE_SUFFIXES:
            try:
                if entry.is_dir():  # follows symlinks; loops are caught by the walk
                    subdirs.append(entry.path)
                    continue
            except OSError:
                pass
            if entry.is_symlink() and not os.path.exists(entry.path):
                warnings.append(LoadWarning(entry.path, "broken or looping symlink; skipped"))
                odd.append(entry.path)
                volatile = True  # its target may appear without this folder changing
            continue
        try:
            est = entry.stat()  # follows symlinks
        except OSError:
            if entry.is_symlink():
                warnings.append(LoadWarning(entry.path, "broken or looping symlink; skipped"))
            odd.append(entry.path)
            volatile = True
            continue  # or vanished while listing
        mode = est.st_mode
        if stat.S_ISREG(mode):
            files.append((entry.path, est))
        elif stat.S_ISDIR(mode):
            subdirs.append(entry.path)
        else:
            warnings.append(LoadWarning(entry.path, "not a regular file (FIFO or device); skipped"))
            odd.append(entry.path)
    return Listing(files, subdirs, volatile, _listing_digest(files, subdirs, odd))


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _listing_digest(files: list[tuple[str, os.stat_result]], subdirs: list[str],
                    odd: list[str]) -> int:
    """A hash of a listing's names by kind (blake2b: Python's str hash differs per process)."""
    text = "\0".join(p for p, _ in files) + "\1" + "\0".join(subdirs) + "\1" + "\0".join(odd)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _suffix(name: str) -> str:
    """os.path.splitext(name)[1].lower() for a name not starting with "." (the walk
    skips those), without its generic path handling: it runs once per file."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def read_text(path: str | Path) -> tuple[str, str | None]:
    """The decoded text of a file and an optional note (e.g. "decoded as cp1252").

    Raises UnreadableFile with a user-facing reason.
    """
    return decode_bytes(read_bytes(path))


def read_bytes(path: str | Path) -> bytes:
    """A regular file's bytes, refusing FIFOs, devices and files over MAX_FILE_BYTES.

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
        return _read_all(fd, st.st_size)
    except OSError as exc:
        raise UnreadableFile(f"read failed: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def content_digest(data: bytes) -> str:
    """The hash the cache keeps of a file it cannot trust by its stamp alone (see
    `index.fresh`): of the bytes as read, before decoding."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
