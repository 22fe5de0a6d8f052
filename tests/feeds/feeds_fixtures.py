"""Helpers of the feed tests: the bundled programmes' published feeds (before and after a change that retires some), and
the rule for a parser or client the tests need.

Not a conftest.py: several test folders import helpers from «conftest», and a second module of that name
would shadow theirs."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from engine.building.build import build

REPO = Path(__file__).resolve().parents[2]


def required(tool: str, missing: bool) -> None:
    """A parser or client the tests need: in CI (.ci/run installs it) its absence is a failure, elsewhere a skip."""
    if missing:
        message = f"{tool} не установлен: его ставит .ci/run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def bundled_after_a_change(root: Path) -> Path:
    """outputs/ of the bundled specs after build → change → build: the live feeds and, beside them, emptied ones
    (leningrad-2020 deleted, so its folder must go first as in a fresh checkout; an organisation of lipetsk-2022
    renamed with `formerly`)."""
    specs, outputs = root / "specs", root / "outputs"
    shutil.copytree(REPO / "specs", specs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        assert not build(specs, outputs).failed
        shutil.rmtree(specs / "leningrad-2020")
        shutil.rmtree(outputs / "leningrad-2020")
        for path in (specs / "lipetsk-2022").glob("*.yaml"):
            text = re.sub(r"\buoin\b", "uoin-lo", path.read_text(encoding="utf-8"))
            path.write_text(text.replace("  uoin-lo:\n", "  uoin-lo:\n    formerly: [uoin]\n"), encoding="utf-8")
        report = build(specs, outputs)
        assert not report.failed, report.all_diagnostics
    return outputs


def feed_files(outputs: Path) -> list[Path]:
    return sorted(path for path in outputs.rglob("*.ics") if not any(p.startswith(".") for p in path.parts))
