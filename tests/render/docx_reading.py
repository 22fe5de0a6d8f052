"""Building the bundled programmes and reading the DOCX back: texts of paragraphs and tables, as a person reads them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from engine.building.build import build

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
NBSP = "\u00a0"
DOCX_BUILD_EPOCH = 1_700_000_000
DOCX_BUILD_TIME = dt.datetime.fromtimestamp(DOCX_BUILD_EPOCH, dt.UTC)

DECREE_FILES = {"lipetsk-2022": "prikaz-266.docx", "leningrad-2020": "rasporyazhenie-178-r.docx",
                "lysva-2021": "prikaz-491-01-08.docx"}
APPENDIX_FILES = {
    "lipetsk-2022": {"roadmap": "prilozhenie-1-plan-grafik.docx", "budget": "prilozhenie-2-smeta-raskhodov.docx"},
    "leningrad-2020": {"specification": "prilozhenie-1-tekhnicheskoe-zadanie.docx",
                       "indicators": "prilozhenie-2-tselevye-pokazateli.docx"},
    "lysva-2021": {"roadmap": "prilozhenie-1-plan-meropriyaty-dorozhnaya-karta.docx"},
}
# «Информация о ходе реализации … по состоянию на …» of each sample's progress.yaml, on its as_of day
PROGRESS_FILES = {"lipetsk-2022": "informatsiya-o-khode-realizatsii-2022-07-01.docx",
                  "leningrad-2020": "informatsiya-o-khode-realizatsii-2020-10-01.docx",
                  "lysva-2021": "informatsiya-o-khode-realizatsii-2023-01-01.docx",
                  "lipetsk-district-2021": "informatsiya-o-khode-realizatsii-2021-10-01.docx"}


def build_with_epoch(specs: Path, outputs: Path, pdf: bool = False):
    """`prikaz build` with SOURCE_DATE_EPOCH fixed, so documents compare byte for byte."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(DOCX_BUILD_EPOCH))
        return build(specs, outputs, pdf=pdf)


def own_template(folder: Path, bundled: str, name: str, edit) -> None:
    """A programme's own template: a bundled one as staff would change it in Word."""
    document = docx.Document(str(TEMPLATES / bundled))
    edit(document)
    document.save(str(folder / name))


def use_template(folder: Path, kind: str, path: str) -> int:
    """Point the programme at its own template (programme.templates); returns the line of the path."""
    spec = folder / "programme.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  timezone:")) + 1
    lines[at:at] = ["  templates:", f"    {kind}: {path}"]
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 2


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def plain(text: str) -> str:
    """Non-breaking spaces as spaces, runs of whitespace (but a tab) as one space."""
    return re.sub(r"[^\S\t]+", " ", text.replace(NBSP, " ")).strip()


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def body_paragraphs(document: Document) -> list[str]:
    """Texts of the paragraphs outside tables, in order."""
    return [plain(p.text) for p in document.paragraphs]


def all_paragraphs(document: Document) -> list[str]:
    """Every paragraph of the body, table cells included, in document order."""
    return [plain(text) for text in all_paragraphs_raw(document)]


def all_paragraphs_raw(document: Document) -> list[str]:
    """Every paragraph of the body, table cells included, exactly as printed (no-break spaces kept)."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]


def table_rows(table) -> list[list[str]]:
    """Cell texts per row (a merged cell repeats in every row and column it spans), paragraphs joined by «\\n»."""
    return [["\n".join(plain(p.text) for p in cell.paragraphs) for cell in row.cells] for row in table.rows]


def flatten_clauses(clauses: list[dict]) -> list[dict]:
    flat = []
    for clause in clauses:
        flat.append(clause)
        flat.extend(flatten_clauses(clause["clauses"]))
    return flat
