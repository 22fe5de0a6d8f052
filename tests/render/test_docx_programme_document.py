"""A programme document rendered: a draft standing alone, one approved by a decree of its folder, one approved by an
outside act — its title block, body, appendix marks, stamps, file names, calendar and site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx_reading import NBSP, build_with_epoch, open_docx

from engine.render.docx import styles as S

BASE = Path(__file__).parents[1] / "checks" / "base" / "programme-2021"
PROGRAMME = "munitsipalnaya-programma.docx"
PLAN = "prilozhenie-1-plan.docx"

APPROVING_DECREE = """\
people:
  head:
    surname: Петрова
    initials: Е.В.
    gender: female
    position: председатель комитета образования
    organisation: komitet
decree:
  kind: приказ
  authority: komitet
  date: 15.03.2021
  title: Об утверждении муниципальной программы
  preamble: В целях повышения качества образования в школах района
  clauses:
    - text: Утвердить муниципальную программу «{{ document.name }}» (приложение).
      approves: programme_document
    - text: Контроль за исполнением приказа оставляю за собой.
      responsible: [head]
"""


def _variant(root: Path, name: str, edit=None) -> Path:
    specs = root / name / "specs"
    shutil.copytree(BASE, specs / BASE.name)
    if edit:
        edit(specs / BASE.name)
    return specs


def _approved_by_act(folder: Path) -> None:
    path = folder / "document.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  appendices: [roadmap]\n", "  appendices: [roadmap]\n  approved_by:\n"
                                 "    kind: постановление\n    issuer: администрации Условного муниципального района\n"
                                 "    date: 01.03.2021\n    number: \"12\"\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """outputs/<programme>/ of each variant, built once."""
    root = tmp_path_factory.mktemp("programme-document")
    variants = {
        "draft": None,
        "decree": lambda folder: (folder / "decree.yaml").write_text(APPROVING_DECREE, encoding="utf-8"),
        "act": _approved_by_act,
    }
    folders = {}
    for name, edit in variants.items():
        specs = _variant(root, name, edit)
        report = build_with_epoch(specs, root / name / "outputs")
        assert not report.failed, [d.message for d in report.all_diagnostics]
        folders[name] = root / name / "outputs" / BASE.name
    return folders


def _styled(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text.replace(NBSP, " ")) for p in open_docx(path).paragraphs]


def test_a_draft_is_the_programme_document_with_its_plan(built):
    folder = built["draft"]
    assert sorted(p.name for p in folder.glob("*.docx")) == [PROGRAMME, PLAN]
    paragraphs = _styled(folder / PROGRAMME)
    assert paragraphs[:3] == [
        ("Заголовок приложения", "Муниципальная программа"),
        ("Подзаголовок приложения",
         "повышения качества образования в школах с низкими результатами обучения в 2021 году"),
        (S.SECTION_HEADING, "1. Паспорт программы")]
    assert (S.LIST_ITEM, "1. разработка единых подходов к оценке качества образования;") in paragraphs
    assert ("Текст документа", "Задача 2. Методическая поддержка школ и педагогов.") in paragraphs
    assert ("Текст документа", "План реализации мероприятий программы представлен в приложении 1.") in paragraphs
    # a draft: no stamp, no number, no date, no signature
    assert not [text for _, text in paragraphs if "УТВЕРЖД" in text or "№" in text]
    start = paragraphs.index((S.CORNER, "Приложение 1"))
    assert paragraphs[start:start + 3] == [(S.CORNER, "Приложение 1"), (S.CORNER, "к муниципальной программе"),
                                           ("Заголовок приложения", "План")]
    document = open_docx(folder / PROGRAMME)
    assert [section.orientation for section in document.sections] == [0, 1]     # portrait, then the landscape plan


def test_the_plan_alone_carries_its_mark_and_no_stamp(built):
    paragraphs = _styled(built["draft"] / PLAN)
    assert paragraphs[:3] == [(S.CORNER, "Приложение 1"), (S.CORNER, "к муниципальной программе"),
                              ("Заголовок приложения", "План")]
    assert not [text for _, text in paragraphs if "УТВЕРЖД" in text]


def test_the_plan_reaches_the_calendars(built):
    folder = built["draft"]
    calendar = (folder / "calendar.ics").read_text(encoding="utf-8").replace("\n ", "").replace(NBSP, " ")
    # «апрель» names no year: keyed by the year, as every deadline that takes its year from the period (calendars.md)
    assert "UID:programme-2021.roadmap.regulations.2021@prikaz" in calendar
    assert "DTSTART;VALUE=DATE:20210401" in calendar and "DTEND;VALUE=DATE:20210501" in calendar
    assert "Документ: План (приложение 1 к муниципальной программе)\\, пункт 1.1" in calendar
    assert "UID:programme-2021.roadmap.regulations.2021@prikaz" in (folder / "calendars" / "ou.ics").read_text(
        encoding="utf-8")
    assert "«Проведение семинаров по обмену опытом» — срок «по отдельному графику»" in (
        folder / "build-report.txt").read_text(encoding="utf-8")


def test_a_decree_of_the_folder_approves_it_and_stamps_it(built):
    folder = built["decree"]
    assert sorted(p.name for p in folder.glob("*.docx")) == [PROGRAMME, "prikaz-proekt.docx", PLAN]
    texts = [text for _, text in _styled(folder / "prikaz-proekt.docx")]
    assert "15.03.2021\t№ ______" in texts
    assert ("1. Утвердить муниципальную программу «Повышение качества образования в школах с низкими результатами "
            "обучения» (приложение).") in texts
    reference = "приказом комитета образования администрации Условного муниципального района от 15.03.2021 № ______"
    start = texts.index("Приложение")
    assert texts[start:start + 5] == [
        "Приложение", reference.replace("приказом", "к приказу"), "УТВЕРЖДЕНА", reference, "Муниципальная программа"]
    # the programme's own appendix follows it, marked as the programme's
    assert texts.index("к муниципальной программе") > start
    document = open_docx(folder / "prikaz-proekt.docx")
    # the passport, the exam results, the indicators, the plan; no signature table: the draft names no signatory
    assert len(document.tables) == 4
    assert [section.orientation for section in document.sections] == [0, 0, 1]
    # the programme document's own file carries the stamp too
    assert _styled(folder / PROGRAMME)[2:4] == [(S.STAMP_WORD, "УТВЕРЖДЕНА"), (S.CORNER, reference)]


def test_an_outside_act_stamps_it(built):
    paragraphs = _styled(built["act"] / PROGRAMME)
    assert paragraphs[:3] == [
        (S.STAMP_WORD, "УТВЕРЖДЕНА"),
        (S.CORNER, "постановлением администрации Условного муниципального района от 01.03.2021 № 12"),
        ("Заголовок приложения", "Муниципальная программа")]


def test_the_site_shows_the_programme_document(built):
    page = (built["draft"] / "index.html").read_text(encoding="utf-8")
    assert '<a href="#document">Муниципальная программа</a>' in page
    assert "Муниципальная программа «Повышение качества образования в школах с низкими результатами обучения»" in page
    assert '<span class="unsigned">проект</span>' in page
    assert 'href="munitsipalnaya-programma.docx"' in page and 'href="prilozhenie-1-plan.docx"' in page
    assert 'id="decree"' not in page
    index = (built["draft"].parent / "index.html").read_text(encoding="utf-8")
    assert "Муниципальная программа «Повышение качества" in index
    stamped = (built["act"] / "index.html").read_text(encoding="utf-8")
    assert "утверждена постановлением администрации Условного муниципального района от 01.03.2021" in stamped


def test_rebuilding_gives_the_same_bytes(built, tmp_path):
    specs = _variant(tmp_path, "again", lambda folder: (folder / "decree.yaml").write_text(APPROVING_DECREE,
                                                                                         encoding="utf-8"))
    build_with_epoch(specs, tmp_path / "out")
    for path in built["decree"].glob("*.docx"):
        assert (tmp_path / "out" / BASE.name / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("variant", ["draft", "decree", "act"])
def test_word_opens_them_unrepaired(built, variant):
    """openxml-audit (the Open XML SDK's rules, tests/render/test_docx_validation.py) finds nothing in any of them."""
    from openxml_audit import FileFormat, OpenXmlValidator

    validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0)
    found = {path.name: [finding.description for finding in validator.validate(path).errors]
             for path in built[variant].glob("*.docx")}
    assert {name: findings for name, findings in found.items() if findings} == {}
