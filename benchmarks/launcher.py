"""Runs the timed commands from a small process, so that their peak RSS is theirs.

A child's ru_maxrss starts at what it inherited: a fork copies the parent's
resident size into the child's high-water mark, and a vfork-style spawn records the
parent's own peak when the child execs. Started from the benchmark (hundreds of MiB
after a latency run), `rg` read as 70 MiB and evreader as at least the benchmark's
size. This launcher is started once, by `Launcher()`, from a bare interpreter
(`python -S`, ~10 MiB), forks each command itself, reads its output from a pipe
and reports what os.wait4 says of it: peaks below ~10 MiB are the launcher's floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

_SERVE = r'''
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    r, w = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(req["cwd"])
            null = os.open(os.devnull, os.O_RDWR)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            os.dup2(os.open(req["stdout"], flags, 0o600) if req["stdout"] else w, 1)
            os.dup2(os.open(req["stderr"], flags, 0o600) if req["stderr"] else null, 2)
            src = os.open(req["stdin"], os.O_RDONLY) if req["stdin"] else null
            os.dup2(src, 0)
            os.execve(req["cmd"][0], req["cmd"], req["env"])
        finally:
            os._exit(127)
    os.close(w)
    size = 0
    while chunk := os.read(r, 1 << 16):
        size += len(chunk)
    os.close(r)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps([wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, size,
                      os.waitstatus_to_exitcode(status)]), flush=True)
'''


class Result(NamedTuple):
    wall_s: float
    cpu_s: float
    peak_bytes: int
    out_bytes: int
    code: int


class Launcher:
    """One small long-lived process that runs commands on request (see module doc)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-S", "-E", "-c", _SERVE],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def run(self, cmd: Sequence[str], env: dict[str, str], cwd: Path,
            stdin: Path | None = None, stdout: Path | None = None,
            stderr: Path | None = None) -> Result:
        """`cmd` (its first item an absolute path) with its output read from a pipe
        (or written to `stdout`; its errors to `stderr`, else thrown away)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {"cmd": list(cmd), "env": env, "cwd": str(cwd),
                   "stdin": str(stdin) if stdin else None,
                   "stdout": str(stdout) if stdout else None,
                   "stderr": str(stderr) if stderr else None}
        self.proc.stdin.write(json.dumps(request) + "\n")
        wall, cpu, peak, size, code = json.loads(self.proc.stdout.readline())
        return Result(float(wall), float(cpu), int(peak), int(size), int(code))

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


LAUNCHER: Launcher | None = None


def launcher() -> Launcher:
    """The launcher, started on first use; benchmarks.run starts it before it loads
    anything, while its own process is small."""
    global LAUNCHER
    if LAUNCHER is None:
        LAUNCHER = Launcher()
    return LAUNCHER


def shutdown() -> None:
    global LAUNCHER
    if LAUNCHER is not None:
        LAUNCHER.close()
        LAUNCHER = None


__all__ = ["Launcher", "Result", "launcher", "shutdown"]
