"""A programme document in the model: a programme without a decree, computed numbers, blocks and list markers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.loading import load_programme
from engine.model.documents import list_markers
from engine.model.spec import ListBlock
from engine.model.validate import build_model
from engine.model.walk import walk_sections

BASE = Path(__file__).parents[1] / "checks" / "base" / "programme-2021"


def _build(tmp_path: Path, edits: dict[str, tuple[str, str]] | None = None, remove: tuple[str, ...] = ()):
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    for name in remove:
        (folder / name).unlink()
    for name, (old, new) in (edits or {}).items():
        text = (folder / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    model, diagnostics = build_model(load_programme(folder))
    return model, diagnostics, folder


def test_a_programme_document_stands_without_a_decree(tmp_path):
    model, diagnostics, _ = _build(tmp_path)
    assert diagnostics == []
    programme = model.programme
    assert programme.decree is None
    document = programme.programme_document
    assert [s.number for s in walk_sections(document.sections)] == ["1", "2"]
    assert [t.number for t in document.tasks] == ["1", "2"]
    assert document.sections[1].blocks[2].listing.items[1].text == "выявление школ с низкими образовательными результатами."
    # a bare string in `blocks` is a paragraph
    assert document.sections[1].blocks[0].text == ["В районе действует муниципальная система оценки качества образования."]


def test_subsections_and_unnumbered_sections_are_numbered(tmp_path):
    model, diagnostics, _ = _build(tmp_path, {"document.yaml": (
        "    - title: Анализ проблем\n",
        "    - title: Введение\n      numbered: нет\n    - title: Анализ проблем\n"
        "      sections:\n        - title: Кадры\n        - title: Результаты\n")})
    assert diagnostics == []
    sections = list(walk_sections(model.programme.programme_document.sections))
    assert [(s.title, s.number) for s in sections] == [
        ("Паспорт программы", "1"), ("Введение", ""), ("Анализ проблем", "2"), ("Кадры", "2.1"), ("Результаты", "2.2")]


def test_neither_decree_nor_programme_document(tmp_path):
    model, diagnostics, folder = _build(tmp_path, remove=("document.yaml",))
    assert model is None
    [d] = diagnostics
    assert (d.code, d.name) == ("M002", "missing-key")
    assert "«decree»" in d.message and "«programme_document»" in d.message
    assert d.span.file == folder / "programme.yaml"


def test_a_block_holds_exactly_one_kind_of_content(tmp_path):
    _, diagnostics, folder = _build(tmp_path, {"document.yaml": (
        "        - tasks: all\n", "        - tasks: all\n          heading: Задачи\n")})
    [d] = diagnostics
    assert d.code == "M005"
    assert "несколько видов содержимого: heading, tasks" in d.message or "tasks, heading" in d.message
    text = (folder / "document.yaml").read_text(encoding="utf-8")
    assert d.span.line == text[:text.index("- tasks: all")].count("\n") + 1


def test_an_empty_block_is_reported(tmp_path):
    _, diagnostics, _ = _build(tmp_path, {"document.yaml": ("        - tasks: all\n", "        - silence: {}\n")})
    assert [(d.code, d.message) for d in diagnostics] == [("M005", "в блоке нет содержимого")]


def _markers(marker: str, count: int, start: int = 1) -> list[str]:
    return list_markers(ListBlock.model_validate({"marker": marker, "start": start, "items": ["x"] * count}))


@pytest.mark.parametrize("marker, start, expected", [
    ("–", 1, ["–", "–", "–"]),
    ("-", 1, ["-", "-", "-"]),
    ("1.", 1, ["1.", "2.", "3."]),
    ("1)", 4, ["4)", "5)", "6)"]),
    ("(1)", 1, ["(1)", "(2)", "(3)"]),
    ("а)", 1, ["а)", "б)", "в)"]),
    ("А.", 5, ["Д.", "Е.", "Ж."]),
])
def test_list_markers_keep_the_source_form(marker, start, expected):
    assert _markers(marker, 3, start) == expected


def test_lettered_lists_skip_letters_and_go_on_past_ya():
    markers = _markers("а)", 30)
    assert markers[5:10] == ["е)", "ж)", "з)", "и)", "к)"]          # no ё, no й
    assert markers[27:30] == ["я)", "аа)", "аб)"]
