"""`prikaz serve`: the published site on a local address, rebuilt whenever a spec or a template is saved.

Each build writes outputs/ exactly as `prikaz build` does. What the browser gets is a copy of
outputs/ taken after the last build without errors: a build that fails (a typo in a spec
saved half-way) leaves the previous good site on screen, and a page is never read while the
build is rewriting it. The copy lives in a temporary folder that goes when the server stops.

The server binds to 127.0.0.1 unless told otherwise: a preview is for the person editing, not
for the office network.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

import watchfiles

from engine import report
from engine.building.build import TEMPLATES, BuildReport, build
from engine.building.outputs_folder import BuildRefused

# watchfiles waits for this many ms without a new change before it reports a burst of them
# (an editor's save is often several events), and never longer than DEBOUNCE_MS in all.
QUIET_MS = 200
DEBOUNCE_MS = 1600


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this machine's)."""


class _PublishedCopy:
    """The folder the server reads: a copy of outputs/ after the last good build, swapped in whole."""

    def __init__(self):
        self.root: Path | None = None
        self._previous: Path | None = None

    def publish(self, outputs: Path) -> None:
        fresh = Path(tempfile.mkdtemp(prefix="prikaz-serve-"))
        shutil.copytree(outputs, fresh / "site", ignore=_not_the_site)
        # the copy before last goes now: a request that started on it has long finished
        if self._previous is not None:
            shutil.rmtree(self._previous.parent, ignore_errors=True)
        self._previous, self.root = self.root, fresh / "site"

    def remove(self) -> None:
        for root in (self._previous, self.root):
            if root is not None:
                shutil.rmtree(root.parent, ignore_errors=True)


def _not_the_site(folder: str, names: list[str]) -> set[str]:
    """What the copy leaves out: the build's own bookkeeping (.cache, the manifest, the lock, its log), and
    whatever is not a plain file or folder — a link planted in outputs/ must not serve its target (a
    secret file anywhere on the disk), a pipe must not hang the copy."""
    left_out = set()
    for name in names:
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode
        except OSError:
            mode = 0
        if name.startswith(".") or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            left_out.add(name)
    return left_out


_CONTENT_TYPES = {**SimpleHTTPRequestHandler.extensions_map,
                  ".ics": "text/calendar; charset=utf-8", ".json": "application/json; charset=utf-8",
                  ".svg": "image/svg+xml", ".css": "text/css; charset=utf-8"}


def _handler(published: _PublishedCopy) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = _CONTENT_TYPES

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(published.root), **kwargs)

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")  # a reload must show the latest build
            super().end_headers()

        def log_message(self, format, *args):
            """Quiet: a line per request would bury what the rebuilds say."""

    return Handler


def _summary(outcome: BuildReport) -> str:
    """«пересобрано: lipetsk-2022; без изменений: lysva-2021; с ошибками: leningrad-2020»."""
    groups: dict[str, list[str]] = {"пересобрано": [], "без изменений": [], "с ошибками": []}
    for item in outcome.programmes:
        key = "пересобрано" if item.rendered else "без изменений" if item.unchanged else "с ошибками"
        groups[key].append(item.result.directory.name)
    return "; ".join(f"{key}: {', '.join(names)}" for key, names in groups.items() if names) or "программ нет"


class _Preview:
    def __init__(self, specs: Path, outputs: Path, out: TextIO):
        self.specs, self.outputs, self.out = specs, outputs, out
        self.published = _PublishedCopy()

    def say(self, text: str) -> None:
        self.out.write(report.printable(text) + "\n")
        self.out.flush()

    def rebuild(self) -> None:
        started = time.monotonic()
        try:
            outcome = build(self.specs, self.outputs)
        except BuildRefused as exc:
            if self.published.root is None:   # the first build: nothing to show, the command stops (exit 2)
                raise
            # another build holds outputs/ (a `prikaz build` typed meanwhile): the next save tries again
            self.say(f"Сборка не начата: {exc}. В браузере остаётся прежняя версия сайта.")
            return
        if outcome.all_diagnostics:
            self.out.write(report.render(outcome.all_diagnostics, "human", outcome.check.texts))
        elapsed = f"{time.monotonic() - started:.1f} с"
        if not outcome.failed:
            self.published.publish(self.outputs)
            self.say(f"Сборка за {elapsed}: {_summary(outcome)}. Обновите страницу в браузере.")
        elif self.published.root is None:
            # nothing good to keep yet: show what outputs/ holds (an earlier build's documents, if any)
            self.outputs.mkdir(parents=True, exist_ok=True)
            self.published.publish(self.outputs)
            self.say(f"Сборка с ошибками за {elapsed}: {_summary(outcome)}. Показано то, что уже было в "
                     f"{report.display_path(self.outputs)}/; исправьте ошибки и сохраните файл.")
        else:
            self.say(f"Сборка с ошибками за {elapsed}: {_summary(outcome)}. В браузере остаётся прежняя "
                     f"версия сайта; исправьте ошибки и сохраните файл.")

    def watch(self) -> None:
        watched = [self.specs, TEMPLATES]
        ignored = watchfiles.DefaultFilter(ignore_paths=[self.outputs.resolve()])
        for changes in watchfiles.watch(*watched, watch_filter=ignored, step=QUIET_MS, debounce=DEBOUNCE_MS):
            self.say(f"Изменено: {', '.join(_changed_files(changes))} — пересборка…")
            self.rebuild()


def _changed_files(changes: set[tuple[watchfiles.Change, str]]) -> list[str]:
    """The files a person changed: not an editor's temporary file, made and removed within the same save."""
    paths = {path for _, path in changes}
    return sorted(report.display_path(Path(path)) for path in paths
                  if Path(path).exists() or (watchfiles.Change.added, path) not in changes)


def _stop_on_sigterm(signum, frame):
    """`kill` stops the preview as Ctrl+C does: the temporary copy is removed, the exit code is 0."""
    raise KeyboardInterrupt


def serve(specs: Path, outputs: Path, host: str, port: int, out: TextIO | None = None) -> None:
    """Build, serve, rebuild on save — until Ctrl+C. Raises ServeError when the address cannot be used.

    Says what it does on `out`, standard output unless given (as it is when called, not when imported).
    """
    preview = _Preview(specs, outputs, out or sys.stdout)
    server: ThreadingHTTPServer | None = None
    # Ctrl+C must reach us even when started from a shell or CI step that ignores SIGINT for its children
    handlers = signal.signal(signal.SIGINT, signal.default_int_handler), signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        preview.rebuild()
        try:
            server = ThreadingHTTPServer((host, port), _handler(preview.published))
        except (OSError, ValueError, TypeError) as exc:   # a taken port; an address that is not this machine's or no address
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ServeError(f"не удалось открыть адрес {host}:{port}: {reason}; укажите другой порт "
                             f"(например --port {port % 65535 + 1}) или адрес (--host 127.0.0.1)") from None
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="prikaz-serve", daemon=True).start()
        preview.say(f"Сайт: http://{host}:{server.server_port}/ — пересобирается при сохранении файлов в "
                    f"{report.display_path(specs)}/ и {report.display_path(TEMPLATES)}/. Остановить: Ctrl+C.")
        preview.watch()
    except KeyboardInterrupt:
        preview.say("Остановлено.")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        preview.published.remove()
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
