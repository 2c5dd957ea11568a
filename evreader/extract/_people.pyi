from collections.abc import Callable
from typing import Any

def people(text: str, cues: list[tuple[int, int]] | None, rules: tuple[Any, ...],
           name_runs: Callable[[str, list[int] | None], list[tuple[int, int]]], /
           ) -> list[tuple[int, int, str]]: ...
