"""How long each fuzz target runs.

In the ordinary test run a target runs one short round of examples, as any
property test. Under `make fuzz` (and `make fuzz-quick`) FUZZ_SECONDS gives the
whole harness's time: each target gets its share (times the number of pytest
workers, which run targets side by side) and runs rounds of examples, each from
a fresh random seed, until its share is spent. A failure stops at once, with
hypothesis's shrunk example.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from hypothesis import HealthCheck, settings

# The weights of the fuzz targets in this folder that call `run`: they share the budget.
TARGETS = 8


def seconds() -> float:
    """FUZZ_SECONDS, or 0 outside a fuzz run."""
    try:
        return max(0.0, float(os.environ.get("FUZZ_SECONDS", "0")))
    except ValueError:
        return 0.0


def fuzz_settings(examples: int) -> settings:
    """Settings for a fuzz round: no deadline (sanitizer builds are slow), no health
    checks (hostile strategies are meant to be awkward)."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck),
                    print_blob=True)


def run(check: Callable[[], None], weight: float = 1.0) -> int:
    """Run a hypothesis test `check` for this target's share of the budget; the rounds run."""
    total = seconds()
    if total == 0:
        check()
        return 1
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    share = total * workers * weight / TARGETS
    end = time.monotonic() + share
    rounds = 0
    while True:
        check()
        rounds += 1
        if time.monotonic() >= end:
            return rounds


def examples(small: int, fuzzing: int) -> int:
    """Examples per round: `small` in the ordinary test run, `fuzzing` under a budget
    (small rounds: the budget is looked at between them)."""
    return fuzzing if seconds() else small
