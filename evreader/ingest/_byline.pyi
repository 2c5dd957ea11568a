from datetime import date
from types import NotImplementedType

def parse_line(line: str, /) -> tuple[list[str], date | None] | NotImplementedType | None: ...
