"""Fixtures of the DOCX tests: the bundled programmes built once (SOURCE_DATE_EPOCH fixed), and their export."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_reading import REPO, build_with_epoch

from engine.building.pipeline import check_tree
from engine.export import export_programme


@pytest.fixture(scope="session")
def docx_outputs(tmp_path_factory) -> Path:
    """outputs/ of `prikaz build specs` for the three bundled programmes."""
    outputs = tmp_path_factory.mktemp("docx-outputs")
    report = build_with_epoch(REPO / "specs", outputs)
    assert not report.failed, [d.message for d in report.all_diagnostics]
    return outputs


@pytest.fixture(scope="session")
def exported() -> dict[str, dict]:
    """The resolved model of each bundled programme (engine.export), the reference the documents are read against."""
    result = check_tree(REPO / "specs")
    return {item.model.id: export_programme(item.model) for item in result.programmes}
