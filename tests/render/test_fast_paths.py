"""The DOCX pipeline's fast paths give the bytes of the libraries' public paths (engine/fast_paths.py).

Every document of the bundled programmes and of synthetic ones (bench/generate.py) is rendered twice
in this process: with the fast paths (as builds run), then with PRIKAZ_FAST_PATHS=0's public paths —
docxtpl, python-docx, docxcompose and zipfile used only as documented. Each file must be the same,
byte for byte; where it is not, the first differing part is named. A library upgrade that changes
what a fast path relies on fails here.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx_reading import DOCX_BUILD_TIME, REPO, TEMPLATES

from engine import fast_paths
from engine.building.pipeline import check_tree
from engine.model.validate import ProgrammeModel
from engine.render import BuildOptions
from engine.render.docx import clear_caches, package_cache, render_docx

sys.path.insert(0, str(REPO))
from bench.generate import write_tree

SYNTHETIC = 6
OPTIONS = BuildOptions(build_time=DOCX_BUILD_TIME, templates=TEMPLATES)


def _models(specs: Path) -> list[ProgrammeModel]:
    checked = check_tree(specs)
    assert all(item.ok for item in checked.programmes), checked.diagnostics
    return [item.model for item in checked.programmes if item.model is not None]


def _render_all(models: list[ProgrammeModel]) -> dict[tuple[str, str], bytes]:
    clear_caches()      # each path starts as a new process does
    return {(model.id, name): data for model in models for name, data in render_docx(model, OPTIONS).items()}


def _first_difference(fast: bytes, public: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(fast)) as one, zipfile.ZipFile(io.BytesIO(public)) as other:
        if one.namelist() != other.namelist():
            return f"members {one.namelist()} ≠ {other.namelist()}"
        for name in one.namelist():
            if one.read(name) != other.read(name):
                return f"member {name} differs"
    return "zip headers differ"


@pytest.fixture(scope="module")
def both_paths(tmp_path_factory) -> tuple[dict[tuple[str, str], bytes], dict[tuple[str, str], bytes]]:
    synthetic = tmp_path_factory.mktemp("fast-paths") / "specs"
    write_tree(synthetic, SYNTHETIC)
    models = _models(REPO / "specs") + _models(synthetic)
    with fast_paths.switched(True):
        fast = _render_all(models)
        assert package_cache._reader.cache_info().currsize > 0, "the fast path was not taken"
    with fast_paths.switched(False):
        public = _render_all(models)
        assert package_cache._reader.cache_info().currsize == 0, "the public path used the template cache"
    clear_caches()
    return fast, public


def test_both_paths_render_the_same_files(both_paths):
    fast, public = both_paths
    assert sorted(fast) == sorted(public)
    programmes = {programme for programme, _ in fast}
    assert len(programmes) == len(list((REPO / "specs").iterdir())) + SYNTHETIC      # every bundled programme
    assert sum(name.endswith(".docx") for _, name in fast) > 2 * len(programmes)   # documents and their appendices


def test_every_document_is_the_same_bytes_on_both_paths(both_paths):
    fast, public = both_paths
    different = {key: _first_difference(fast[key], public[key]) for key in fast if fast[key] != public[key]}
    assert not different, different


def test_the_switch_is_read_from_the_environment():
    probe = "from engine import fast_paths; print(fast_paths.enabled())"
    for value, expected in (("0", "False"), ("1", "True"), (None, "True")):
        env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
        if value is not None:
            env["PRIKAZ_FAST_PATHS"] = value
        completed = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
        assert completed.stdout.strip() == expected, value
