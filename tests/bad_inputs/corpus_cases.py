"""The bad-input corpus: every case as a spec tree to build, and what the build must answer.

A case is a small overlay on the base programme (`_base/corpus-2022`, clean and complete):

* committed cases live in `cases/<name>/`: `expected.yaml` and, in `cases/<name>/corpus-2022/`,
  only the files that differ from the base (a file there replaces the base file whole);
  `remove: [file, …]` in expected.yaml deletes base files; any other folder of the case is
  copied beside the programme as a programme folder of its own;
* generated cases (`corpus_generated.py`) are what git cannot hold or should not: 20 MB,
  binary junk, other encodings, CRLF, control characters, symlinks, permissions, FIFOs.

`expected.yaml`:

    about: one line — what the case feeds the engine
    exit: 1                    # 0 only for inputs the engine accepts (BOM, «&» in a title …)
    codes: [Y001]              # each must be reported
    file: decree.yaml          # optional: a diagnostic with codes[0] is in this file …
    line: 3                    # … on this line
    shows: ["…"]               # exit 0 only: texts the rendered documents must contain
    remove: [indicators.yaml]  # optional: base files the case deletes
    xfail: "…"                 # optional: a known engine bug, described; strict — the case must fail until fixed
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
BASE = HERE / "_base"
PROGRAMME = "corpus-2022"
CASES = HERE / "cases"
_EXPECTED_KEYS = {"about", "exit", "codes", "file", "line", "shows", "remove", "as_other_user", "xfail"}


@dataclass(frozen=True)
class Expected:
    about: str
    exit: int
    codes: tuple[str, ...]
    file: str | None = None
    line: int | None = None
    shows: tuple[str, ...] = ()
    as_other_user: bool = False   # run the build as an unprivileged user (a chmod 000 file is readable by root)
    xfail: str | None = None      # a known engine bug, named precisely; the case must start passing once it is fixed

    def __post_init__(self):
        assert self.exit in (0, 1, 2), self
        assert self.exit == 0 or self.codes or self.exit == 2, f"{self.about}: a failing case names its codes"
        assert not self.shows or self.exit == 0, f"{self.about}: only an accepted case has rendered texts"
        assert self.line is None or self.file is not None, self


@dataclass(frozen=True)
class Case:
    name: str
    expected: Expected
    make: Callable[[Path], None] = field(compare=False)   # fills <work>/specs; <work> is the build's cwd

    def __str__(self) -> str:
        return self.name


def base_tree(work: Path) -> Path:
    """A fresh copy of the base programme at <work>/specs/corpus-2022; returns the programme folder."""
    specs = work / "specs"
    shutil.copytree(BASE, specs)
    return specs / PROGRAMME


def _committed(folder: Path) -> Case:
    raw = YAML(typ="safe").load((folder / "expected.yaml").read_text(encoding="utf-8"))
    unknown = set(raw) - _EXPECTED_KEYS
    assert not unknown, f"{folder.name}/expected.yaml: unknown keys {unknown}"
    remove = tuple(raw.get("remove") or ())
    expected = Expected(
        about=raw["about"], exit=int(raw["exit"]), codes=tuple(raw.get("codes") or ()), file=raw.get("file"),
        line=raw.get("line"), shows=tuple(raw.get("shows") or ()), as_other_user=bool(raw.get("as_other_user")),
        xfail=raw.get("xfail"),
    )

    def make(work: Path) -> None:
        programme = base_tree(work)
        for name in remove:
            (programme / name).unlink()
        for entry in sorted(folder.iterdir()):
            if entry.name == "expected.yaml":
                continue
            assert entry.is_dir(), f"{folder.name}: only programme folders beside expected.yaml, not {entry.name}"
            target = work / "specs" / entry.name
            target.mkdir(exist_ok=True)
            for file in sorted(entry.iterdir()):
                shutil.copy2(file, target / file.name)

    return Case(folder.name, expected, make)


def committed_cases() -> list[Case]:
    return [_committed(folder) for folder in sorted(CASES.iterdir()) if (folder / "expected.yaml").is_file()]


def all_cases() -> list[Case]:
    from corpus_generated import GENERATED

    cases = committed_cases() + list(GENERATED)
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "case names are unique"
    return cases
