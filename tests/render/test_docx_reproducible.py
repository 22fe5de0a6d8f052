"""Same specs, same bytes: documents carry no wall-clock time, random id or unstable order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx_reading import DOCX_BUILD_TIME, REPO, build_with_epoch

from engine.building.build import build


def _documents(outputs: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outputs)): path.read_bytes() for path in sorted(outputs.glob("*/*.docx"))}


def test_two_builds_give_identical_documents(docx_outputs, tmp_path, copy_programme):
    for folder in sorted((REPO / "specs").iterdir()):
        copy_programme(tmp_path, folder.name)
    report = build_with_epoch(tmp_path / "specs", tmp_path / "again")
    assert not report.failed
    first, second = _documents(docx_outputs), _documents(tmp_path / "again")
    assert len(first) == 14      # 8 of the decrees, the municipal programme and its appendix 1, 4 reports on execution
    assert first == second


def test_without_source_date_epoch_builds_are_identical_too(tmp_path, copy_programme, monkeypatch):
    copy_programme(tmp_path, "lipetsk-2022")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(tmp_path / "specs", tmp_path / "one")
    build(tmp_path / "specs", tmp_path / "two")
    assert _documents(tmp_path / "one") == _documents(tmp_path / "two") != {}


def test_source_date_epoch_is_the_documents_date(docx_outputs):
    stamp = DOCX_BUILD_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, data in _documents(docx_outputs).items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
            assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core, name
            infos = package.infolist()
            assert {info.date_time for info in infos} == {DOCX_BUILD_TIME.timetuple()[:6]}, name
            assert infos[0].filename == "[Content_Types].xml"
            assert [info.filename for info in infos[2:]] == sorted(info.filename for info in infos[2:])


@pytest.mark.parametrize("epoch", [0, 1_900_000_000])
def test_any_epoch_gives_a_valid_package(tmp_path, copy_programme, monkeypatch, epoch):
    """Zip entries cannot be dated before 1980: an earlier SOURCE_DATE_EPOCH is clamped, not an error."""
    copy_programme(tmp_path, "lysva-2021")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    report = build(tmp_path / "specs", tmp_path / "out")
    assert not report.failed
    data = (tmp_path / "out" / "lysva-2021" / "prikaz-491-01-08.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        year = package.infolist()[0].date_time[0]
    assert year == max(1980, dt.datetime.fromtimestamp(epoch, dt.UTC).year)
