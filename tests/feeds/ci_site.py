"""The CI sequence of a specs repository, for real: commits, a fresh clone, `prikaz build --site-url`, a
published site served over HTTP on the loopback — what .github/workflows/prikaz.yml and the GitLab job do.

    specs = SpecsRepository(tmp_path / "repo")      # the bundled programmes, committed
    with PublishedSite(tmp_path / "site") as site:  # http://127.0.0.1:<port>/, empty: nothing published yet
        run = ci_build(specs, tmp_path / "ci-1", site.url)   # fresh clone, build, as CI does
        site.publish(run.outputs)                   # what the Pages deployment serves afterwards
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROGRAMMES = ("leningrad-2020", "lipetsk-2022", "lysva-2021")


def _git_env(epoch: int) -> dict[str, str]:
    stamp = f"@{epoch} +0000"
    return dict(os.environ, GIT_AUTHOR_NAME="Методист", GIT_AUTHOR_EMAIL="metodist@example.org",
                GIT_COMMITTER_NAME="Методист", GIT_COMMITTER_EMAIL="metodist@example.org",
                GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")


class SpecsRepository:
    """A specs repository holding copies of the bundled programmes in specs/, committed at fixed times. The plans as
    approved: without the sample execution records (progress.yaml), which name windows the tests here change."""

    def __init__(self, root: Path, programmes: tuple[str, ...] = PROGRAMMES, epoch: int = 1_650_000_000):
        self.root = root
        for name in programmes:
            shutil.copytree(REPO / "specs" / name, root / "specs" / name, ignore=shutil.ignore_patterns("progress.yaml"))
        self.git("init", "-q", "-b", "main")
        self.commit("Программы", epoch)

    def git(self, *args: str, epoch: int = 1_650_000_000) -> str:
        return subprocess.run(["git", *args], cwd=self.root, env=_git_env(epoch), check=True, capture_output=True,
                              text=True).stdout

    def commit(self, message: str, epoch: int) -> None:
        self.git("add", "-A", epoch=epoch)
        self.git("commit", "-q", "-m", message, epoch=epoch)

    def programme(self, name: str) -> Path:
        return self.root / "specs" / name

    def replace(self, name: str, file: str, old: str, new: str, count: int = 1) -> None:
        path = self.programme(name) / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == count, (file, old, text.count(old))
        path.write_text(text.replace(old, new), encoding="utf-8")

    def rename_organisation(self, name: str, old: str, new: str, formerly: bool) -> None:
        """Give an organisation a new id everywhere in the programme; with `formerly`, declare the old one."""
        for path in self.programme(name).glob("*.yaml"):
            text = re.sub(rf"\b{re.escape(old)}\b", new, path.read_text(encoding="utf-8"))
            if formerly:
                text = re.sub(rf"^(  {re.escape(new)}:\n)", rf"\1    formerly: [{old}]\n", text, flags=re.MULTILINE)
            path.write_text(text, encoding="utf-8")


@dataclass
class CiRun:
    outputs: Path
    code: int
    output: str


def ci_build(specs: SpecsRepository, workspace: Path, site_url: str, env: dict[str, str] | None = None) -> CiRun:
    """What the CI job does: a fresh clone with the whole history, an empty outputs/, `prikaz build --site-url`."""
    checkout = workspace / "checkout"
    subprocess.run(["git", "clone", "-q", f"file://{specs.root}", str(checkout)], check=True, capture_output=True)
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO), CI="true", **(env or {}))
    environment.pop("SOURCE_DATE_EPOCH", None)
    completed = subprocess.run(
        [sys.executable, "-m", "engine.commands.cli", "build", "specs", "-o", "outputs", "--site-url", site_url],
        cwd=checkout, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=600)
    return CiRun(checkout / "outputs", completed.returncode, completed.stdout + completed.stderr)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class PublishedSite:
    """A static site on 127.0.0.1 serving what was last published, as GitHub Pages or GitLab Pages would."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> PublishedSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def publish(self, outputs: Path) -> None:
        """Replace the site with outputs/ as the Pages upload takes it: files whose names start with a dot stay out."""
        for child in self.folder.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(outputs, self.folder, dirs_exist_ok=True,
                        ignore=lambda _, names: [name for name in names if name.startswith(".")])

    def feeds(self) -> list[str]:
        """Every feed address the site serves, relative to its root."""
        return sorted(path.relative_to(self.folder).as_posix() for path in self.folder.rglob("*.ics"))
