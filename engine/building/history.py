"""Calendar history: how many times each calendar event has changed, read from git.

A subscribed calendar updates an event it already has when its SEQUENCE or LAST-MODIFIED
rises. Both must be the same in every build of the same commit, so they cannot come from
the clock or from the previous build's files: they come from the git history of the
programme folder (docs/calendars.md, «SEQUENCE»).

Every first-parent commit of HEAD that changed the programme folder is one published
version. Each version is loaded through the normal loader and model, its events derived
exactly as the calendar renderer derives them (`programme_calendar`) and fingerprinted:

    SEQUENCE       the number of times the event's fingerprint changed from one version to the next
    LAST-MODIFIED  the commit time of the last change (of its first version, if it never changed)

An uncommitted change in the working tree is one more change, at the build time. Outside a
git repository, or in a shallow clone whose history is cut, nothing is known: SEQUENCE is 0
and LAST-MODIFIED the build time, and the build report says so (a shallow clone is also a
warning: CI must fetch the whole history). Fingerprints of past versions are cached by the
folder's git tree id, so a build only loads the versions it has not seen.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.building.atomic import write_text_atomic
from engine.building.manifest import engine_digest
from engine.diagnostics import Diagnostic, Severity, has_errors
from engine.loading import load_programme
from engine.model.edition import PastVersion
from engine.model.validate import ProgrammeModel, build_model
from engine.render import RenderError
from engine.render.calendar_history import CalendarHistory, Fingerprints, Revision
from engine.render.ics_events import programme_calendar

SHALLOW_CLONE = "C201"


def calendar_history(model: ProgrammeModel, build_time: dt.datetime, cache: FingerprintCache) -> CalendarHistory:
    """The history of a programme to be built; never raises (no history is a note, not an error).

    `build_time` is the programme's build time, which dates a change not committed yet.
    """
    repository = _Repository.containing(model.directory)
    if repository is None:
        return CalendarHistory({}, "папка программы не в репозитории git — SEQUENCE 0, LAST-MODIFIED — время сборки")
    if repository.shallow:
        # In CI a shallow clone would publish SEQUENCE 0 to every subscriber: the programme is not published.
        in_ci = os.environ.get("CI", "").strip().lower() == "true"
        span = model.sources.span(("programme",))
        problem = Diagnostic(
            SHALLOW_CLONE, Severity.ERROR if in_ci else Severity.WARNING,
            "история git неполная (shallow clone): у событий календаря SEQUENCE 0, подписчики могут не увидеть изменений"
            + (" — в CI календари с такой историей не публикуются" if in_ci else ""),
            span, "загрузите всю историю: actions/checkout с «fetch-depth: 0», в GitLab — GIT_DEPTH: \"0\"; "
                  "локально — git fetch --unshallow", "shallow-history")
        return CalendarHistory({}, "история git неполная (shallow clone) — SEQUENCE 0, LAST-MODIFIED — время сборки; "
                                   "в CI нужен fetch-depth: 0", (problem,))
    versions = repository.versions()
    known = []
    unreadable = 0
    for tree, committed in versions:
        fingerprints = cache.remembered(tree, repository.fingerprints)
        if fingerprints is None:
            unreadable += 1
        else:
            known.append((fingerprints, committed))
    current = _current_fingerprints(model)
    note = f"по истории git папки {repository.prefix or '.'} — версий в коммитах: {len(versions)}"
    if unreadable:
        note += f", из них не прочитаны текущей версией prikaz и не учтены: {unreadable}"
    return CalendarHistory(_revisions(known + [(current, build_time)], current), note)


def _revisions(versions: list[tuple[Fingerprints, dt.datetime]], current: Fingerprints) -> dict[str, Revision]:
    """Walk the versions oldest first; an event changes when its fingerprint differs from the one last seen."""
    seen: dict[str, tuple[str, Revision]] = {}
    for fingerprints, moment in versions:
        for uid, fingerprint in fingerprints.items():
            previous = seen.get(uid)
            if previous is None:
                seen[uid] = (fingerprint, Revision(0, moment, moment))
            elif previous[0] != fingerprint:
                seen[uid] = (fingerprint, Revision(previous[1].sequence + 1, moment, previous[1].created))
    return {uid: seen[uid][1] for uid in current}


def _current_fingerprints(model: ProgrammeModel) -> Fingerprints:
    try:
        return _fingerprints(model)
    except RenderError:
        return {}  # the calendar renderer reports the same error with its location


def _fingerprints(model: ProgrammeModel) -> Fingerprints:
    return {event.uid: event.fingerprint() for event in programme_calendar(model).events}


@dataclass(frozen=True)
class _Repository:
    root: Path
    prefix: str  # the programme folder inside the repository: specs/lipetsk-2022
    shallow: bool

    @classmethod
    def containing(cls, directory: Path) -> _Repository | None:
        """The repository of a programme folder. Asked of git once per specs folder, not once per programme
        (a thousand programmes are a thousand git processes): a programme folder is its parent's repository
        one level down, unless it is a repository itself."""
        if (directory / ".git").exists():
            return cls._asked_git(directory)
        parent = cls._asked_git(directory.parent)
        if parent is None:
            return None
        return cls(parent.root, f"{parent.prefix}/{directory.name}".lstrip("/"), parent.shallow)

    @staticmethod
    @functools.lru_cache(maxsize=16)
    def _asked_git(directory: Path) -> _Repository | None:
        out = _git(directory, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
        if out is None:
            return None
        root, prefix, shallow = out.decode().split("\n")[:3]
        return _Repository(Path(root), prefix.rstrip("/"), shallow == "true")

    def versions(self) -> list[tuple[str | None, dt.datetime]]:
        """(tree id of the folder, or None where it did not exist; commit time) per change, oldest first."""
        commits = _first_parent_commits(self.root)
        if not commits:
            return []  # no commits yet
        query = "".join(f"{commit}:{self.prefix}\n" for commit, _ in commits).encode()
        found = _git(self.root, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=query)
        if found is None:
            return []  # git failed: no history, as without a repository
        versions: list[tuple[str | None, dt.datetime]] = []
        for (_, committed), line in zip(commits, found.decode().splitlines(), strict=True):
            name, kind = line.rsplit(" ", 1)
            tree = name if kind == "tree" else None
            if not versions or versions[-1][0] != tree:
                versions.append((tree, dt.datetime.fromtimestamp(int(committed), dt.UTC)))
        return versions

    def fingerprints(self, tree: str | None) -> Fingerprints | None:
        """The events of one version of the folder; None when this engine cannot load it."""
        if tree is None:
            return {}
        model = self.model(tree)
        if model is None:
            return None
        try:
            return _fingerprints(model)
        except RenderError:
            return None

    def model(self, tree: str) -> ProgrammeModel | None:
        """One version of the folder (a git tree id) loaded through the normal loader and model; None when this
        engine cannot load it. Its files are read from a temporary copy, gone once the model is returned."""
        archive = _git(self.root, "archive", "--format=tar", tree)
        if archive is None:
            return None
        with tempfile.TemporaryDirectory(prefix="prikaz-history-") as temporary:
            folder = Path(temporary) / (Path(self.prefix).name or "programme")
            try:
                with tarfile.open(fileobj=io.BytesIO(archive)) as files:
                    files.extractall(folder, filter="data")
            except tarfile.TarError:  # e.g. a link out of the folder, which the loader would refuse too
                return None
            loaded = load_programme(folder)
            if has_errors(loaded.diagnostics):
                return None
            model, _ = build_model(loaded)
            return model

    def tree_at(self, revision: str) -> tuple[str | None, str | None]:
        """(the folder's tree id at a revision — a commit, a tag, a branch —, or why there is none)."""
        commit = None if revision.startswith("-") else _git(
            self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        if commit is None:
            return None, f"в репозитории нет ревизии «{revision}» (коммита, тега или ветки)"
        found = _git(self.root, "rev-parse", "--verify", "--quiet", f"{commit.decode().strip()}:{self.prefix}")
        if found is None:
            return None, f"в ревизии «{revision}» нет папки {self.prefix or '.'}"
        return found.decode().strip(), None


def version_at(directory: Path, revision: str) -> PastVersion:
    """The programme folder `directory` as it was at `revision`, loaded through the normal loader and model."""
    repository = _Repository.containing(directory)
    if repository is None:
        return PastVersion(None, f"папка {directory} не в репозитории git: ревизию «{revision}» не найти")
    tree, problem = repository.tree_at(revision)
    if tree is None:
        return PastVersion(None, problem)
    model = repository.model(tree)
    if model is None:
        return PastVersion(None, f"версия программы в ревизии «{revision}» не читается: в ней ошибки спецификации "
                                 f"(проверьте её: git checkout {revision} и prikaz check)")
    return PastVersion(model)


def forget_repositories() -> None:
    """What git said is remembered for one build: a process that builds again (`prikaz serve`, tests) may see
    new commits, or a folder become a repository."""
    _Repository._asked_git.cache_clear()
    _first_parent_commits.cache_clear()


@functools.lru_cache(maxsize=4)
def _first_parent_commits(root: Path) -> tuple[tuple[str, str], ...]:
    """(commit id, commit time) of HEAD's first-parent history, oldest first: the same for every programme
    of the repository, so read once per build process."""
    log = _git(root, "log", "--first-parent", "--reverse", "--format=%H %ct", "HEAD")
    return tuple((commit, committed) for commit, committed in (line.split() for line in log.decode().splitlines())) \
        if log else ()


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


class FingerprintCache:
    """Fingerprints by git tree id: a version of a folder never changes, so they are computed once.

    Kept in outputs/.cache/; valid only for the engine source that computed it (another engine
    may derive other events from the same version), and safe to delete at any time.
    """

    def __init__(self, file: Path | None):
        self.file = file
        self.engine = engine_digest()
        self.versions: dict[str, Fingerprints | None] = {}
        self.added: dict[str, Fingerprints | None] = {}   # computed by this process, not in the file yet
        if file is not None and file.is_file():
            try:
                stored = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return
            if isinstance(stored, dict) and stored.get("engine") == self.engine:
                self.versions = stored.get("versions", {})

    def remembered(self, tree: str | None, compute: Callable[[str | None], Fingerprints | None]) -> Fingerprints | None:
        if tree is None:
            return compute(tree)  # the folder did not exist: nothing to remember
        if tree not in self.versions:
            self.versions[tree] = self.added[tree] = compute(tree)
        return self.versions[tree]

    def merge(self, added: dict[str, Fingerprints | None]) -> None:
        """What another process (a build worker) computed, to be saved with this cache."""
        self.versions.update(added)
        self.added.update(added)

    def save(self) -> None:
        if self.file is None or not self.added:
            return
        write_text_atomic(self.file, json.dumps({"engine": self.engine, "versions": self.versions},
                                                ensure_ascii=False, sort_keys=True))
