"""CI installs the exact versions of constraints.txt, and they are within pyproject.toml's bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]


def _pinned() -> dict[str, Version]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_every_requirement_is_pinned_within_its_bounds():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    pins = _pinned()
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} не закреплён в constraints.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"{requirement.name}=={pins[name]} вне границ pyproject.toml: {requirement.specifier}"


def test_libraries_whose_internals_are_used_have_an_upper_bound():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounded = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]
               if any(spec.operator == "<" for spec in Requirement(r).specifier)}
    assert {"python-docx", "docxtpl", "docxcompose", "pyyaml", "ruamel-yaml", "icalendar"} <= bounded


def test_ci_installs_from_the_constraints_file():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt -e '\.\[test,lint\]'", script)
