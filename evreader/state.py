"""Reading state: which articles are read and which are starred, across runs.

Kept by article id (stable across runs and machines) in a small JSON file in the
user data dir, written whole-or-absent. A damaged file is set aside, not fatal:
the user sees a warning and starts from an empty state rather than a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path


class ReadingState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.problem: str | None = None
        self.version = 0  # bumped on every change, so views can cache what they derive
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            self.read = {str(x) for x in data.get("read", [])}
            self.starred = {str(x) for x in data.get("starred", [])}
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError) as exc:
            self.problem = f"reading state {self.path} was unreadable ({exc}); starting afresh"
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".damaged.json"))

    def is_read(self, article_id: str) -> bool:
        return article_id in self.read

    def is_starred(self, article_id: str) -> bool:
        return article_id in self.starred

    def set_read(self, ids: Iterable[str], value: bool = True) -> None:
        with self._lock:
            (self.read.update if value else self.read.difference_update)(ids)
            self.version += 1
        self.save()

    def toggle_read(self, article_id: str) -> bool:
        now = not self.is_read(article_id)
        self.set_read([article_id], now)
        return now

    def toggle_star(self, article_id: str) -> bool:
        with self._lock:
            now = article_id not in self.starred
            (self.starred.add if now else self.starred.discard)(article_id)
            self.version += 1
        self.save()
        return now

    def save(self) -> None:
        """Write the state; failures are kept in `problem` (the reader shows them)."""
        with self._lock:
            payload = json.dumps({"read": sorted(self.read), "starred": sorted(self.starred)})
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".state.", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            tmp = ""
        except OSError as exc:
            self.problem = f"cannot save reading state to {self.path}: {exc.strerror or exc}"
        finally:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
