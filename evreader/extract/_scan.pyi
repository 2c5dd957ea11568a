from typing import Any

def scan(text: str, low: str, trie: dict[str, Any], vocab: dict[str, int] | None,
         cues: dict[str, Any] | None, /
         ) -> tuple[list[int] | None, list[tuple[int, int, Any]], list[tuple[int, Any]]]: ...
