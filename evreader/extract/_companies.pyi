from typing import Any

def companies(text: str, cues: list[tuple[int, int]], rules: tuple[Any, ...], /
              ) -> list[tuple[int, int, str]]: ...
