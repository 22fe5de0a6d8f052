"""PDF by LibreOffice headless: every DOCX converts; without LibreOffice the DOCX still come, with a warning.

Skipped only on a developer machine without LibreOffice (or poppler-utils, which reads the PDFs back);
in CI (CI set) it must run — .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from docx_reading import APPENDIX_FILES, DECREE_FILES, REPO, build_with_epoch

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo")) and not os.environ.get("CI"),
    reason="LibreOffice или poppler-utils не установлены (в CI они обязательны: .ci/run их ставит)")


@pytest.fixture(scope="module")
def pdf_outputs(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("pdf-outputs")
    report = build_with_epoch(REPO / "specs", outputs, pdf=True)
    assert not report.failed, [d.message for d in report.all_diagnostics]
    assert not [d.message for d in report.all_diagnostics if d.code.startswith("D2")]
    return outputs


def _pages(path) -> list[str]:
    """Page sizes as pdfinfo reports them: «595.276 x 841.89» (portrait A4) or «841.89 x 595.276»."""
    output = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True,
                            check=True).stdout
    return re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", output, re.M)


def _orientation(size: str) -> str:
    width, height = (float(v) for v in size.split(" x "))
    return "landscape" if width > height else "portrait"


def _text(path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@needs_libreoffice
@pytest.mark.parametrize("programme", list(DECREE_FILES))
def test_every_docx_has_its_pdf(pdf_outputs, programme):
    folder = pdf_outputs / programme
    for name in [DECREE_FILES[programme], *APPENDIX_FILES[programme].values()]:
        pdf = folder / name.replace(".docx", ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF"), name
        assert _pages(pdf), name


@needs_libreoffice
def test_pdf_pages_follow_the_sections(pdf_outputs):
    """LibreOffice lays out what Word would: the plan-schedule on landscape pages between portrait ones."""
    pdf = pdf_outputs / "lipetsk-2022" / "prikaz-266.pdf"
    orientations = [_orientation(size) for size in _pages(pdf)]
    runs = [o for i, o in enumerate(orientations) if i == 0 or o != orientations[i - 1]]
    assert runs == ["portrait", "landscape", "portrait"]        # decree, plan-schedule, budget
    assert "ПРИКАЗ" in _text(pdf, 1).replace(" ", "")


@needs_libreoffice
def test_pdf_page_numbers_from_the_second_page(pdf_outputs):
    pdf = pdf_outputs / "leningrad-2020" / "rasporyazhenie-178-r.pdf"
    first, second = _text(pdf, 1), _text(pdf, 2)
    assert first.strip().splitlines()[0].strip() != "1"
    assert second.strip().splitlines()[0].strip() == "2"


def test_without_libreoffice_docx_are_written_and_a_warning_says_how_to_install(tmp_path, copy_programme, monkeypatch):
    import engine.render.pdf as pdf

    copy_programme(tmp_path, "lysva-2021")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    report = build_with_epoch(tmp_path / "specs", tmp_path / "out", pdf=True)
    assert not report.failed
    [warning] = [d for d in report.all_diagnostics if d.code == "D201"]
    assert warning.severity.value == "warning" and "libreoffice-writer" in warning.hint
    files = {path.name for path in (tmp_path / "out" / "lysva-2021").iterdir()}
    assert {DECREE_FILES["lysva-2021"], *APPENDIX_FILES["lysva-2021"].values()} <= files
    assert not any(name.endswith(".pdf") for name in files)


@needs_libreoffice
def test_pdfs_are_reproducible(pdf_outputs, tmp_path, copy_programme):
    """LibreOffice's wall-clock date and random file id are replaced: a second build gives the same PDF bytes."""
    copy_programme(tmp_path, "lysva-2021")
    assert not build_with_epoch(tmp_path / "specs", tmp_path / "again", pdf=True).failed
    for pdf in (tmp_path / "again" / "lysva-2021").glob("*.pdf"):
        assert pdf.read_bytes() == (pdf_outputs / "lysva-2021" / pdf.name).read_bytes(), pdf.name
        assert _pages(pdf)          # still a valid PDF after the in-place edit


@needs_libreoffice
def test_pdf_text_is_set_in_times_new_roman_or_its_metric_twin(pdf_outputs):
    """The documents name Times New Roman (ГОСТ); where it is missing LibreOffice must take Liberation Serif, made
    with the same widths, and no other font: the lines and pages then fall where Word puts them."""
    for pdf in sorted(pdf_outputs.glob("*/*.pdf")):
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
        families = {re.sub(r"(MT)?(-.*)?$", "", font) for font in fonts}
        assert families and families <= {"TimesNewRomanPS", "TimesNewRoman", "LiberationSerif"}, (pdf.name, fonts)
