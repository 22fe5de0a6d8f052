"""Rendering many programmes on every core: a pool of forked worker processes, results in order.

`prikaz build` of a large specs tree spends nearly all its time rendering programmes one by
one, each independent of the others. Here the programmes to render are split into chunks that
worker processes render while the build writes, in the programmes' order, what comes back — so
the outputs, the manifest and the progress are the same as when rendering alone, and each
programme's folder is still swapped in by the build itself, one at a time.

The workers are forked from the build after checking: they inherit the checked models and the
build options, so nothing but the rendered files travels between processes. A pool is used
only where it pays and is safe:
- at least MIN_PROGRAMMES programmes to render and at least two usable cores
  (PRIKAZ_JOBS caps the workers; PRIKAZ_JOBS=1 renders in the build process itself);
- no PDF (LibreOffice instances sharing one profile would collide);
- the `fork` start method exists and the build process has no other thread (a thread holding
  a lock at the fork, such as a progress line writing to the terminal, could hang a worker).
Otherwise programmes are rendered in the build process, as before.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator

from engine.diagnostics import Diagnostic
from engine.model.build import ProgrammeModel
from engine.render import BuildOptions, RenderError, programme_renderers

MIN_PROGRAMMES = 8
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
Render = Callable[[ProgrammeModel, BuildOptions], dict[str, bytes]]


@dataclass(frozen=True)
class Outcome:
    """One programme's rendering: its files, or what its renderers raised."""

    files: dict[str, bytes] | None = None
    diagnostics: list[Diagnostic] | None = None     # a RenderError's
    error: tuple[str, str] | None = None             # any other exception: (type name, message)

    def result(self) -> dict[str, bytes]:
        """The files, or the renderer's exception raised again here."""
        if self.diagnostics is not None:
            raise RenderError(self.diagnostics)
        if self.error is not None:
            name, message = self.error
            raise type(name, (Exception,), {})(message)   # reported as the renderer's own exception
        return self.files


def _outcome(render: Render, model: ProgrammeModel, options: BuildOptions) -> Outcome:
    try:
        return Outcome(files=render(model, options))
    except RenderError as exc:
        return Outcome(diagnostics=exc.diagnostics)
    except Exception as exc:  # noqa: BLE001 - the build reports it as E901, as when rendering alone
        return Outcome(error=(type(exc).__name__, str(exc)))


# What the forked workers inherit: set just before the pool starts, cleared when it is done.
_JOBS: list[tuple[ProgrammeModel, BuildOptions]] = []
_RENDER: list[Render] = []


def _render_chunk(indices: range) -> list[Outcome]:
    return [_outcome(_RENDER[0], *_JOBS[index]) for index in indices]


def workers(count: int, pdf: bool = False) -> int:
    """How many worker processes to render `count` programmes with; 0 — render in this process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get("PRIKAZ_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    usable = (cores >= 2 and count >= MIN_PROGRAMMES and not pdf and threading.active_count() == 1
              and _FORK is not None)
    return min(cores, count) if usable else 0


def render_all(render: Render, jobs: list[tuple[ProgrammeModel, BuildOptions]]) -> Iterator[Outcome]:
    """`render(model, options)` of every job, yielded in the jobs' order, on every usable core."""
    pool_size = workers(len(jobs), pdf=any(options.pdf for _, options in jobs))
    if not pool_size:
        for model, options in jobs:
            yield _outcome(render, model, options)
        return
    # chunks small enough to keep both cores busy to the end, large enough to cost little to hand out
    size = max(1, min(8, len(jobs) // (pool_size * 6)))
    chunks = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    programme_renderers()                 # imported once here, not once per worker
    _JOBS[:], _RENDER[:] = jobs, [render]
    # the collector of a worker would touch every inherited object and so copy every page of the
    # checked models; frozen, they stay shared with the build process
    gc.freeze()
    done = 0
    try:
        try:
            with ProcessPoolExecutor(pool_size, mp_context=_FORK) as pool:
                pending: deque = deque()
                queued = iter(chunks)
                for chunk in queued:      # a bounded window: finished files wait in memory only briefly
                    pending.append(pool.submit(_render_chunk, chunk))
                    if len(pending) >= pool_size * 3:
                        break
                while pending:
                    outcomes = pending.popleft().result()
                    following = next(queued, None)
                    if following is not None:
                        pending.append(pool.submit(_render_chunk, following))
                    yield from outcomes
                    done += len(outcomes)
        except BrokenProcessPool:
            # a worker died (the OOM killer, a signal): which programme took it down is unknown, so what
            # is left is rendered one programme per process — a programme that kills its process again
            # costs only itself (E901), and every other one is rendered
            for index in range(done, len(jobs)):
                yield _isolated(index)
    finally:
        gc.unfreeze()
        _JOBS.clear()
        _RENDER.clear()


def _isolated(index: int) -> Outcome:
    """One programme rendered in a process of its own."""
    try:
        with ProcessPoolExecutor(1, mp_context=_FORK) as pool:
            return pool.submit(_render_chunk, range(index, index + 1)).result()[0]
    except BrokenProcessPool:
        return Outcome(error=("BrokenProcessPool", "процесс, создававший документы программы, завершился аварийно "
                                                   "(возможно, не хватило памяти)"))
