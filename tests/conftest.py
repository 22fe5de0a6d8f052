"""Shared test helpers: paths of the repository, copies of bundled programmes, running `prikaz`.

Several test packages use these; add new helpers below without changing the existing ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bundled import REPO, SPECS, CliResult

# Suites of minutes: processes killed mid-build, LibreOffice, Chromium, a live server, hypothesis programmes,
# every document rendered on both fast-path switches, the OOXML validator (single slow tests are marked where
# they are). `pytest -m "not slow"` is the inner loop without them;
# CI runs everything (README «Для разработчиков»).
SLOW_SUITES = (
    "tests/faults/",
    "tests/fuzz/",
    "tests/browser/",
    "tests/render/test_docx_pdf.py",
    "tests/render/test_fast_paths.py",
    "tests/render/test_docx_validation.py",
    "tests/checks/test_pipeline_properties.py",
    "tests/cli/test_serve.py",
    "tests/bench/test_bench_smoke.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SLOW_SUITES):
            item.add_marker(pytest.mark.slow)



def _copy_programme(tmp_path: Path, name: str) -> Path:
    """Copy specs/<name> to <tmp_path>/specs/<name> (the folder name must stay: R508 compares it with the id)."""
    target = tmp_path / "specs" / name
    shutil.copytree(SPECS / name, target)
    return target


def _replace_in(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` by `new` in a file (exactly `count` occurrences must exist); return the 1-based line of the first."""
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found == count, f"{path.name}: ожидалось {count} вхождений {old!r}, найдено {found}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


@pytest.fixture
def copy_programme():
    """`copy_programme(tmp_path, name)` → a writable copy of a bundled programme at <tmp_path>/specs/<name>."""
    return _copy_programme


@pytest.fixture
def replace_in():
    """`replace_in(path, old, new, count=1)` → edit a copied spec file; returns the 1-based line of the edit."""
    return _replace_in


def _run_subprocess(*args: str, cwd: Path | None = None, timeout: float = 120) -> CliResult:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO))
    completed = subprocess.run(
        [sys.executable, "-m", "engine.commands.cli", *map(str, args)],
        cwd=cwd or REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def run_cli():
    """Run `prikaz ARGS…` as a subprocess (python -m engine.commands.cli); returns CliResult(code, stdout, stderr)."""
    return _run_subprocess


@pytest.fixture
def cli_main(capsys, monkeypatch):
    """Run `engine.commands.cli.main(ARGS)` in-process; usage errors (SystemExit) become the exit code."""
    from engine.commands import cli

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        monkeypatch.chdir(cwd or REPO)
        capsys.readouterr()
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits on usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


# --- added for tests/bad_inputs, tests/faults, tests/fuzz ------------------------------------------


def _tree_state(root: Path) -> dict[str, tuple]:
    """Everything under `root`: {relative path: ("file", sha256) | ("dir",) | ("link", target)}."""
    import hashlib

    state: dict[str, tuple] = {}
    if not root.exists():
        return state
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[relative] = ("link", os.readlink(path))
        elif path.is_dir():
            state[relative] = ("dir",)
        else:
            state[relative] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return state


@pytest.fixture
def tree_state():
    """`tree_state(folder)` → {relative path: kind and sha256}: compare outputs/ before and after, byte for byte."""
    return _tree_state


@pytest.fixture(scope="session")
def bundled_outputs(tmp_path_factory) -> Path:
    """A good `prikaz build specs` (a subprocess, once per session): the «previous outputs» a failed build keeps.

    Copy it before use (`shutil.copytree(bundled_outputs, target, symlinks=True)`); never write into it.
    """
    outputs = tmp_path_factory.mktemp("bundled") / "outputs"
    result = _run_subprocess("build", str(SPECS), "-o", str(outputs), timeout=300)
    assert result.code == 0, result.output
    return outputs
