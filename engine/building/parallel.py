"""Many programmes on every core: a pool of forked worker processes, results in order.

`prikaz check` and `prikaz build` of a large specs tree spend nearly all their time on
programmes one by one, each independent of the others. Here the jobs are split into chunks that
worker processes work through while the caller consumes, in the jobs' order, what comes back —
so reports, outputs, the manifest and the progress are the same as when working alone, and each
programme's folder is still swapped in by the build itself, one at a time.

The workers are forked: they inherit whatever the caller prepared (the build options, the
manifest), so only the jobs' results travel between processes — never a programme's model.
A pool is used only where it pays and is safe:
- at least MIN_PROGRAMMES jobs and at least two usable cores
  (PRIKAZ_JOBS caps the workers; PRIKAZ_JOBS=1 works in the calling process itself);
- no PDF (LibreOffice instances sharing one profile would collide);
- the `fork` start method exists and the process has no other thread (a thread holding a lock
  at the fork could hang a worker; the terminal progress line is drawn without one for this).
Otherwise the jobs run in the calling process, one by one.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

MIN_PROGRAMMES = 8
Job = TypeVar("Job")
Result = TypeVar("Result")


class WorkerFailed(Exception):
    """A job raised in a worker process (its type name, message and traceback kept), or its process died."""

    def __init__(self, kind: str, message: str, trace: str = ""):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.trace = kind, message, trace


@dataclass(frozen=True)
class Outcome(Generic[Result]):
    """One job's result, or what it raised."""

    value: Result | None = None
    error: tuple[str, str, str] | None = None        # (exception type name, message, traceback)

    def result(self) -> Result:
        """The value, or the job's exception raised again here as WorkerFailed."""
        if self.error is not None:
            raise WorkerFailed(*self.error)
        return cast(Result, self.value)   # without an error it is what the job returned, None included


def _outcome(task: Callable[[Job], Result], job: Job) -> Outcome[Result]:
    try:
        return Outcome(value=task(job))
    except Exception as exc:
        return Outcome(error=(type(exc).__name__, str(exc), traceback.format_exc()))


# What the forked workers inherit: set just before the pool starts, cleared when it is done.
_JOBS: list = []
_TASK: list[Callable] = []


def _run_chunk(indices: range) -> list[Outcome]:
    outcomes = []
    for index in indices:
        outcomes.append(_outcome(_TASK[0], _JOBS[index]))
        _collect_garbage()
    return outcomes


def _collect_garbage() -> None:
    """Free what a job left in reference cycles (python-docx and lxml objects) before the next job: left to
    the collector's own schedule, they pile up to ≈ 150 MB more per worker.

    What survives (the per-process caches, growing as jobs come) is frozen, so that the collection after
    the next job looks only at what that job made, not at everything before it.
    """
    gc.collect()
    gc.freeze()


def workers(count: int, pdf: bool = False) -> int:
    """How many worker processes to work through `count` jobs with; 0 — work in this process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get("PRIKAZ_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    usable = (cores >= 2 and count >= MIN_PROGRAMMES and not pdf and threading.active_count() == 1
              and _fork() is not None)
    return min(cores, count) if usable else 0


@functools.cache
def _fork():
    """The `fork` start method, if the system has one. Imported only for a pool: multiprocessing and
    concurrent.futures are a tenth of the start-up of a `prikaz check` that works alone."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def map_ordered(task: Callable[[Job], Result], jobs: list[Job], pdf: bool = False,
                largest_chunk: int = 8) -> Iterator[Outcome[Result]]:
    """`task(job)` of every job, yielded in the jobs' order, on every usable core.

    Jobs go to the workers `largest_chunk` at most at a time: fewer where each result is large
    (a programme's rendered files), since the finished chunks wait in memory for their turn.
    """
    pool_size = workers(len(jobs), pdf)
    if not pool_size:
        for job in jobs:
            yield _outcome(task, job)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # chunks small enough to keep every core busy to the end, large enough to cost little to hand out
    size = max(1, min(largest_chunk, len(jobs) // (pool_size * 6)))
    chunks = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    _JOBS[:], _TASK[:] = jobs, [task]
    # the collector of a worker would touch every inherited object and so copy its pages;
    # frozen, they stay shared with the calling process
    gc.freeze()
    done = 0
    try:
        try:
            with ProcessPoolExecutor(pool_size, mp_context=_fork()) as pool:
                pending: deque = deque()
                queued = iter(chunks)
                for chunk in queued:      # a bounded window: finished results wait in memory only briefly
                    pending.append(pool.submit(_run_chunk, chunk))
                    if len(pending) >= pool_size * 3:
                        break
                while pending:
                    outcomes = pending.popleft().result()
                    following = next(queued, None)
                    if following is not None:
                        pending.append(pool.submit(_run_chunk, following))
                    yield from outcomes
                    done += len(outcomes)
        except BrokenProcessPool:
            # a worker died (the OOM killer, a signal): which job took it down is unknown, so what is
            # left runs one job per process — a job that kills its process again costs only itself
            for index in range(done, len(jobs)):
                yield _isolated(index)
    finally:
        gc.unfreeze()
        _JOBS.clear()
        _TASK.clear()


def _isolated(index: int) -> Outcome:
    """One job in a process of its own."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1, mp_context=_fork()) as pool:
            return pool.submit(_run_chunk, range(index, index + 1)).result()[0]
    except BrokenProcessPool:
        return Outcome(error=("BrokenProcessPool", "процесс, обрабатывавший программу, завершился аварийно "
                                                   "(возможно, не хватило памяти)", ""))
