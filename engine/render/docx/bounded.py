"""Own templates run with bounded time and memory, in a process of their own.

A programme's own template is code from outside the engine. Jinja's sandbox keeps it from Python's
internals and from changing the values it is shown (environment.py), but not from asking for a
gigabyte (`{{ 'x' * 10**9 }}`), from looping for hours (two nested `range(100000)`), or from computing
one enormous number in a single step that no signal interrupts. So whatever renders a programme's
own templates runs in a forked child process with limits the kernel keeps:
- its address space may grow by `Limits.memory` beyond what it inherited (RLIMIT_AS): an allocation past
  that fails, as MemoryError, and the child says so;
- it may spend `Limits.seconds` of processor time (RLIMIT_CPU): then the kernel ends it; a child that
  outlives a deadline on the wall clock (waiting on nothing) is killed.
The child tells which template it works on, so a limit reached names the template (LimitReached).
Where processes cannot be forked (not POSIX), the work runs in this process, without these limits.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

Result = TypeVar("Result")
Report = Callable[[str], None]          # the child tells what it works on: a template's kind


@dataclass(frozen=True)
class Limits:
    seconds: int = 10                   # processor time; a bundled programme renders in a fraction of a second
    memory: int = 512 * 2**20           # bytes of address space beyond the inherited; rendering needs tens of MB


LIMITS = Limits()
_HEADER = 8                             # bytes of a message's length before its pickle


class LimitReached(Exception):
    """The work passed a limit (or its process died): `what` says which, in Russian; `at` — the kind reported last."""

    def __init__(self, what: str, at: str | None):
        super().__init__(what)
        self.what, self.at = what, at


def run_bounded(task: Callable[[Report], Result], limits: Limits | None = None) -> Result:
    """`task(report)` in a forked child within `limits`: its value, or what it raised, raised here again."""
    limits = limits or LIMITS
    if not hasattr(os, "fork") or resource is None:
        return task(lambda at: None)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        _child(task, limits, writing)           # never returns
    os.close(writing)
    return _parent(pid, reading, limits)


def _child(task: Callable[[Report], Any], limits: Limits, channel: int) -> None:
    status = 0
    try:
        def send(kind: str, value: Any) -> None:
            data = pickle.dumps((kind, value), pickle.HIGHEST_PROTOCOL)
            data = len(data).to_bytes(_HEADER, "big") + data
            while data:
                data = data[os.write(channel, data):]

        _limit(limits)
        try:
            outcome = ("value", task(lambda at: send("at", at)))
        except MemoryError:
            outcome = ("memory", None)
        except Exception as exc:
            outcome = ("raised", exc)
        if outcome[0] == "raised":
            try:
                pickle.loads(pickle.dumps(outcome[1]))
            except Exception:                   # an exception that does not travel: its type and message do
                outcome = ("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}"))
        try:
            send(*outcome)
        except MemoryError:
            send("memory", None)
    except BaseException:
        status = 1
    finally:
        os._exit(status)                        # the parent's atexit handlers and buffers are not the child's


def _limit(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))    # a child the kernel ends leaves no core file behind
    _lower(resource.RLIMIT_CPU, limits.seconds, limits.seconds + 1)   # the soft limit's SIGXCPU ends it; the hard one kills
    inherited = _address_space()
    if inherited:
        _lower(resource.RLIMIT_AS, inherited + limits.memory, None)


def _lower(which: int, soft: int, hard: int | None) -> None:
    _, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        soft = min(soft, current)
        hard = current if hard is None else min(hard, current)
    resource.setrlimit(which, (soft, resource.RLIM_INFINITY if hard is None else hard))


def _address_space() -> int:
    """This process's address space in bytes (0 where /proc does not tell it)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _parent(pid: int, channel: int, limits: Limits) -> Any:
    # processor time is the limit; the wall clock, generous for a busy machine, catches a child that waits on nothing
    deadline = time.monotonic() + 6 * limits.seconds + 10
    received, at, outcome, killed = bytearray(), None, None, False
    try:
        while outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
            if not select.select([channel], [], [], remaining)[0]:
                continue
            chunk = os.read(channel, 1 << 16)
            if not chunk:
                break
            received += chunk
            while len(received) >= _HEADER and len(received) >= _HEADER + int.from_bytes(received[:_HEADER], "big"):
                size = int.from_bytes(received[:_HEADER], "big")
                kind, value = pickle.loads(received[_HEADER:_HEADER + size])
                del received[:_HEADER + size]
                if kind == "at":
                    at = value
                else:
                    outcome = (kind, value)
    finally:
        os.close(channel)
        if outcome is None and not killed:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
    if outcome is not None:
        kind, value = outcome
        if kind == "value":
            return value
        if kind == "raised":
            raise value
        raise LimitReached(f"нужно больше {limits.memory // 2**20} МБ памяти", at)
    if killed or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        raise LimitReached(f"нужно больше {limits.seconds} с процессорного времени", at)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        raise LimitReached(f"процесс отрисовки остановлен системой: не хватило памяти или больше {limits.seconds} с "
                           "процессорного времени", at)
    ended = f"сигнал {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"код {os.WEXITSTATUS(status)}"
    raise LimitReached(f"процесс отрисовки завершился аварийно ({ended})", at)
