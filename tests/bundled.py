"""The repository and its bundled programmes as the tests see them, and what a run of `prikaz` gives back.

A module rather than conftest.py: a test importing `conftest` by name gets whichever conftest.py pytest put first
on sys.path (tests/render has its own), so shared names live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
PROGRAMMES = tuple(sorted(folder.name for folder in SPECS.iterdir()))      # every bundled programme


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr
