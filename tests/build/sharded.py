"""Helpers of the sharded-build tests: a specs tree in git, its shards built and merged, folders compared byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from engine.building.build import BuildReport, build
from engine.building.merge import merge
from engine.building.shards import Shard

INN = '"0274062111"'      # a valid ИНН: the organisation that has it gets a feed across programmes of its own


def git(repo: Path, *args: str, epoch: int) -> None:
    stamp = f"@{epoch} +0300"
    environment = dict(os.environ, GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_AUTHOR_NAME="Методист",
                       GIT_AUTHOR_EMAIL="m@example.org", GIT_COMMITTER_NAME="Методист",
                       GIT_COMMITTER_EMAIL="m@example.org")
    subprocess.run(["git", *args], cwd=repo, env=environment, check=True, capture_output=True)


def commit(repo: Path, message: str, epoch: int) -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main", epoch=epoch)
    git(repo, "add", "-A", epoch=epoch)
    git(repo, "commit", "-q", "-m", message, epoch=epoch)


def with_inn(organisations: Path, organisation: str, inn: str | None) -> None:
    """Give the organisation (by id, two-space indented in the file) an ИНН, or take it away."""
    lines = organisations.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith("    inn: ")]
    if inn is not None:
        at = lines.index(f"  {organisation}:\n")
        lines.insert(at + 1, f"    inn: {inn}\n")
    organisations.write_text("".join(lines), encoding="utf-8")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones too (the manifest, the history cache, the log)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.is_symlink()}


def assert_same_bytes(expected: Path, found: Path) -> None:
    single, merged = folder_bytes(expected), folder_bytes(found)
    assert sorted(set(single) ^ set(merged)) == [], "only in one of the two folders"
    differing = sorted(path for path in single if single[path] != merged[path])
    assert differing == [], f"different bytes in {found} than in {expected}"
    assert single, "nothing built"


def build_shards(specs: Path, root: Path, count: int, site_url: str | None = None,
                 after: Path | None = None) -> list[BuildReport]:
    """Every shard K/count of `specs` into root/shard-K (a copy of after/shard-K first, when given: the same
    shard's folder from an earlier build, as a CI cache would restore it)."""
    reports = []
    for number in range(1, count + 1):
        folder = root / f"shard-{number}"
        if after is not None:
            shutil.copytree(after / f"shard-{number}", folder)
        reports.append(build(specs, folder, site_url=site_url, shard=Shard(number, count)))
    return reports


def sharded(specs: Path, root: Path, count: int, site_url: str | None = None,
            after: Path | None = None) -> tuple[Path, BuildReport]:
    """Shards of `specs` built into root/shard-K, merged into root/outputs (copies of `after`'s, when given)."""
    build_shards(specs, root, count, site_url, after)
    outputs = root / "outputs"
    if after is not None:
        shutil.copytree(after / "outputs", outputs)
    return outputs, merge([root / f"shard-{number}" for number in range(1, count + 1)], outputs)
