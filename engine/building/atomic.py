"""Atomic writes: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

_FAILURES: dict[int | None, str] = {
    errno.ENOSPC: "на диске нет места", errno.EDQUOT: "превышена квота диска",
    errno.EACCES: "нет прав на запись", errno.EPERM: "нет прав на запись", errno.EROFS: "диск только для чтения",
    errno.ENAMETOOLONG: "слишком длинное имя файла", errno.EIO: "ошибка ввода-вывода диска",
    errno.EBADF: "поток закрыт", errno.EPIPE: "читающий процесс завершился",
}


def why_not_written(exc: OSError) -> str:
    """Why a write failed, in Russian where the reason is a common one (the system's own words otherwise)."""
    return _FAILURES.get(exc.errno, exc.strerror or type(exc).__name__)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`."""
    write_chunks_if_changed(path, (data,), keep_same=False)


def write_chunks_if_changed(path: Path, chunks: Iterable[bytes], keep_same: bool = True) -> tuple[bool, str]:
    """Write `chunks` atomically as `path`, piece by piece (a large feed is never held whole).

    With `keep_same`, a `path` that already holds these bytes is left alone (its time stays, and so do
    readers' caches). Returns (whether written, sha256 of the bytes).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    digest = hashlib.sha256()
    try:
        # mkstemp makes the file private (0600); an output is read by others (a web server, subscribers)
        os.chmod(handle, 0o666 & ~current_umask())
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                digest.update(chunk)
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        if keep_same and _sha256(path) == digest.hexdigest():
            Path(temporary).unlink()
            return False, digest.hexdigest()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True, digest.hexdigest()


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None  # missing or unreadable: write it


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_text_where_asked(path: Path, text: str) -> None:
    """Write `text` to a file the user named (`prikaz export -o`, `prikaz schema -o`).

    A regular file (or a new one) is replaced atomically, through a link to it the link's target; a
    device, a pipe or a terminal (`-o /dev/stdout`, `-o /dev/null`) is written into as it is — an atomic
    replace would put a regular file in place of the device itself (and as root, it could).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        with path.open("w", encoding="utf-8") as stream:
            stream.write(text)
        return
    write_text_atomic(path.resolve() if path.is_symlink() else path, text)


def write_bytes_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless `path` already holds `data` (its time stays, and so do readers' caches); True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass  # missing or unreadable: write it
    write_bytes_atomic(path, data)
    return True


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 RENAME_EXCHANGE): no moment with either missing.

    False where the system cannot (another kernel, an old C library, a file system without it):
    the caller then falls back to two renames.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))
