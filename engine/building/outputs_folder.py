"""The outputs folder's guards: never the user's specs, one build at a time, no leftovers of a killed build.

- `refuse_overlap`: an outputs folder that is, holds or lies inside the specs folder or a programme
  folder would have its programme folders swapped for their outputs — the spec files gone. Paths
  are compared as the file system sees them (same device and inode), so `-o specs`, `-o ./specs/`,
  `-o ../repo/specs`, a symlink to it or another letter case on a case-insensitive disk are one folder.
- `OutputsLock`: `prikaz serve` rebuilding while someone types `prikaz build` would publish each
  other's half-staged folders. The lock is an advisory lock (flock) on outputs/.prikaz.lock: the
  system releases it when its process dies, so a killed build never blocks the next one; the file
  says who holds it, for the message of the build that waits.
- `remove_leftovers`: what a killed build left (temporary files of atomic writes anywhere in
  outputs/, staging folders, a programme folder moved aside mid-swap) is removed or put back by the
  next build, under the lock, before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

LOCK = ".prikaz.lock"
STAGING, RETIRED = ".staging-", ".retired-"
LOCK_WAIT_SECONDS = 10.0     # a second build waits this long for the first before it gives up
# the temporary file of engine.building.atomic: «.<name>.<8 random characters>.tmp»
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl


class BuildRefused(Exception):
    """The build cannot start (this outputs folder, SOURCE_DATE_EPOCH); the message says why and what to do, in Russian.

    Raised before anything in outputs/ is touched."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _identities(path: Path) -> set[tuple[int, int]]:
    """The existing folder `path` and every folder above it, as the file system identifies them."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = Path(os.path.abspath(path))
    return {found for folder in (path, resolved, *resolved.parents) if (found := _identity(folder)) is not None}


def refuse_overlap(outputs: Path, protected: list[Path]) -> None:
    """Raise BuildRefused when `outputs` is, holds or lies inside any of the `protected` folders, or is
    not a folder at all (a file there, or on the way there)."""
    for place in (outputs, *outputs.parents):
        if place.exists() and not place.is_dir():
            raise BuildRefused(f"«{place}» — файл, а не папка: документы собираются в папку. Ничего не записано. "
                               f"Укажите папку, например -o outputs")
    around_outputs = _identities(outputs)
    outputs_itself = _identity(outputs)
    for folder in protected:
        itself = _identity(folder)
        if itself is None:
            continue
        if itself == outputs_itself:
            relation = "совпадает с папкой"
        elif itself in around_outputs:
            relation = "лежит внутри папки"
        elif outputs_itself is not None and outputs_itself in _identities(folder):
            relation = "содержит папку"
        else:
            continue
        raise BuildRefused(
            f"папка для документов «{outputs}» {relation} спецификаций «{folder}»: сборка заменила бы папки "
            f"программ документами и удалила бы файлы спецификаций. Ничего не записано. Укажите отдельную папку, "
            f"например -o outputs")


def _holder_of(lock: Path) -> str:
    try:
        holder = json.loads(lock.read_text(encoding="utf-8"))
        return (f"процесс {holder['pid']} на компьютере {holder['host']} (команда «{holder['command']}», "
                f"начата {holder['since']})")
    except (OSError, ValueError, KeyError, TypeError):
        return "другой процесс"


def _try_lock(descriptor: int) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class OutputsLock:
    """One build at a time per outputs folder: `with OutputsLock(outputs): …`.

    Waits up to LOCK_WAIT_SECONDS for another build to finish, then raises BuildRefused naming the
    process that holds the folder. The lock file exists only while a build holds it.
    """

    def __init__(self, outputs: Path, wait: float | None = None):
        self.path = outputs / LOCK
        self.wait = LOCK_WAIT_SECONDS if wait is None else wait
        self.descriptor: int | None = None

    def __enter__(self) -> OutputsLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as exc:
                if exc.errno == errno.ELOOP:   # a link planted as the lock file: never written through
                    self.path.unlink()
                    continue
                if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                    raise
                # a folder this process may not write to: it cannot publish anything there either (a build
                # whose programmes all have errors writes nothing), so there is nothing to hold it against
                return self
            # the file must still be the one locked: a build that just finished removes it, and the
            # lock of a removed file would be a lock of nothing
            if _try_lock(descriptor) and os.fstat(descriptor).st_ino == _inode(self.path):
                break
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise BuildRefused(
                    f"папку «{self.path.parent}» сейчас собирает {_holder_of(self.path)}. Дождитесь окончания той "
                    f"сборки (или остановите её) и запустите команду снова")
            time.sleep(0.1)
        self.descriptor = descriptor
        import socket  # here: `prikaz check` never takes the lock, and does not import it

        holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(["prikaz", *sys.argv[1:]]),
                  "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(descriptor, 0)
        os.write(descriptor, (json.dumps(holder, ensure_ascii=False) + "\n").encode("utf-8"))
        return self

    @property
    def held(self) -> bool:
        return self.descriptor is not None

    def __exit__(self, *exc) -> None:
        if self.descriptor is None:
            return
        self.path.unlink(missing_ok=True)   # while still locked: the next build opens a new file
        os.close(self.descriptor)
        self.descriptor = None


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def remove_leftovers(outputs: Path) -> None:
    """Remove what a killed build left in outputs/: its temporary files (anywhere, outputs/calendars/ too),
    its staging folders; a programme folder it had moved aside mid-swap goes back if its place is empty.

    Runs under the lock: whatever is left now belongs to no running build.
    """
    if not outputs.is_dir():
        return
    for entry in sorted(outputs.iterdir()):
        if entry.is_symlink() and entry.name.startswith((RETIRED, STAGING)):
            entry.unlink()    # a link that stood where a programme folder goes, swapped out
            continue
        if entry.is_symlink() or not entry.is_dir():
            continue
        if entry.name.startswith(RETIRED):
            final = outputs / _programme_of(entry.name[len(RETIRED):])
            if final.exists() or final.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                os.replace(entry, final)
        elif entry.name.startswith(STAGING):
            shutil.rmtree(entry, ignore_errors=True)
    for folder, directories, files in os.walk(outputs):
        directories[:] = [d for d in directories if not Path(folder, d).is_symlink()]
        for name in files:
            if _TEMPORARY.fullmatch(name):
                Path(folder, name).unlink(missing_ok=True)


def _programme_of(suffix: str) -> str:
    """The programme of a staging or retired folder's name: «lipetsk-2022.k3j9x0a1» → «lipetsk-2022»."""
    return suffix.rsplit(".", 1)[0] if "." in suffix else suffix
