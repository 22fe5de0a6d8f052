"""Data tables in the model: cells read by their column's type, located problems, totals computed and compared."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from engine.diagnostics import DiagnosticError
from engine.loading import load_programme
from engine.model.spec import DataTable
from engine.model.tables import agrees, computed_total, precision, read_number, total_text, unweighted_mean
from engine.model.text import TextContext, appendix_numbers, render_text
from engine.model.validate import build_model

BASE = Path(__file__).parents[1] / "checks" / "base" / "programme-2021"


def _build(tmp_path: Path, file: str, old: str, new: str):
    folder = tmp_path / BASE.name
    shutil.copytree(BASE, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    edited = text.replace(old, new)
    (folder / file).write_text(edited, encoding="utf-8")
    model, diagnostics = build_model(load_programme(folder))
    return model, diagnostics, edited


def _at(text: str, fragment: str) -> tuple[int, int]:
    """1-based line and column of `fragment`."""
    before = text[:text.index(fragment)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _table(rows: list, **column_options) -> DataTable:
    return DataTable.model_validate({
        "columns": [{"id": "school", "heading": "МБОУ", "type": "organisation"},
                    {"id": "count", "heading": "кол-во", "type": "integer", "total": "sum"},
                    {"id": "mean", "heading": "средний балл", "type": "decimal", **column_options}],
        "rows": rows, "totals": [{"label": "ИТОГО:"}]})


@pytest.mark.parametrize("written, kind, value, decimals", [
    ("54,9", "decimal", "54.9", 1), ("54.9", "decimal", "54.9", 1), ("62", "decimal", "62", 0),
    ("1 250,5", "decimal", "1250.5", 1), ("63,4 %", "percent", "63.4", 1), ("100,0", "percent", "100.0", 1),
    ("35", "integer", "35", 0), ("1 900 000,00", "money", "1900000.00", 2), ("−3", "integer", "-3", 0),
])
def test_a_figure_is_read_as_written(written, kind, value, decimals):
    number = read_number(written, kind)
    assert (number.value, number.decimals) == (Decimal(value), decimals)


@pytest.mark.parametrize("written, kind", [("54,9", "integer"), ("пять", "decimal"), ("12,3,4", "decimal"),
                                           ("30 0000, 00", "money"), ("45 %%", "percent")])
def test_what_is_not_a_figure_of_its_type(written, kind):
    with pytest.raises(DiagnosticError) as raised:
        read_number(written, kind)
    assert raised.value.code in ("P902", "P201")


def test_a_bad_cell_is_located_at_the_cell(tmp_path):
    model, diagnostics, text = _build(tmp_path, "tables.yaml", '"54,9"', '"54,9 балла"')
    assert model is None
    [d] = diagnostics
    assert (d.code, d.message) == ("P902", "«54,9 балла» — не число")
    assert (d.span.line, d.span.column) == _at(text, "54,9 балла")     # inside the bare row, on the cell itself


def test_a_bad_cell_of_a_row_written_in_full(tmp_path):
    _, diagnostics, text = _build(tmp_path, "tables.yaml", '- [school-south, "4", "68,8", "2", "50"]',
                                      '- {id: south, cells: [school-south, "4", "68,8", "два", "50"]}')
    [d] = diagnostics
    assert (d.code, (d.span.line, d.span.column)) == ("P902", _at(text, "два"))


def test_a_row_of_the_wrong_length(tmp_path):
    _, diagnostics, text = _build(tmp_path, "tables.yaml", '- [school-lake, "8", "49,6", ~, "25"]',
                                      '- [school-lake, "8", "49,6"]')
    [d] = diagnostics
    assert (d.code, d.message) == ("M007", "в строке 3 ячейки, а столбцов в таблице 5")
    assert d.span.line == _at(text, '[school-lake, "8", "49,6"]')[0]


@pytest.mark.parametrize("old, new, message", [
    ("        weight: count\n", "", "weight у столбца «средний балл» — только вместе с total: weighted_mean"),
    ("        total: weighted_mean\n", "        total: sum\n",
     "weight у столбца «средний балл» — только вместе с total: weighted_mean"),
    ("        of: count\n", "        of: counts\n", "of: «counts» у столбца «доля «4» и «5», %» — такого столбца нет"),
    ("        type: organisation\n", "        type: organisation\n        total: sum\n",
     "итог «sum» у столбца «Наименование МБОУ» с нечисловым типом organisation"),
    ("        type: organisation\n", "        type: organisation\n        sum_of: [count]\n",
     "sum_of у нечислового столбца «Наименование МБОУ»"),
    ("        group: Количество участников\n        type: integer\n",
     "        group: Количество участников\n        type: integer\n        sum_of: [count, highs]\n",
     "sum_of: «highs» у столбца «70 и более баллов» — такого столбца нет"),
    ("        group: Количество участников\n        type: integer\n",
     "        group: Количество участников\n        type: integer\n        sum_of: [school]\n",
     "sum_of: «school» у столбца «70 и более баллов» — не другой числовой столбец"),
])
def test_contradictory_column_settings(tmp_path, old, new, message):
    _, diagnostics, _ = _build(tmp_path, "tables.yaml", old, new)
    assert [(d.code, d.message) for d in diagnostics] == [("M008", message)]


def test_totals_computed_by_their_rules():
    table = _table([["a", "35", "54,9"], {"group": "Группа"}, ["b", "4", "68,8"], ["c", "8", ""]],
                   total="weighted_mean", weight="count")
    count, mean = table.columns[1], table.columns[2]
    assert computed_total(table, count) == 47
    assert round(computed_total(table, mean), 4) == Decimal("56.3256")     # (35·54,9 + 4·68,8) / 39: c has no score
    assert round(unweighted_mean(table, mean), 2) == Decimal("61.85")
    assert precision(table, mean) == 1
    assert total_text(table, table.totals[0], mean) == "56,3"
    assert total_text(table, table.totals[0], count) == "47"


def test_a_declared_figure_agrees_within_half_its_last_place():
    assert agrees(read_number("71", "decimal"), Decimal("70.56"))
    assert agrees(read_number("48,22", "decimal"), Decimal("48.225"))     # either rounding of an exact half
    assert not agrees(read_number("52,5", "decimal"), Decimal("52.568"))


def test_placeholders_read_tables_and_indicators(tmp_path):
    model, diagnostics, _ = _build(tmp_path, "tables.yaml", '- [school-north, "35", "54,9", "6", "42,9"]',
                                   '- {id: north, cells: [school-north, "35", "54,9", "6", "42,9"]}')
    assert diagnostics == []
    programme = model.programme
    context = TextContext(programme, appendix_numbers(programme))
    assert render_text("{{ tables.exam.total.mean }}; {{ tables.exam.total.high }}; {{ tables.exam.rows.north.mean }}",
                       context) == "55,2; 8; 54,9"
    assert render_text("{{ indicators.equal-access.baseline }} → {{ indicators.equal-access.targets.2021 }}, "
                       "{{ indicators.programmes-share.target }}", context) == "70 → 90, 59"
    with pytest.raises(DiagnosticError):
        render_text("{{ tables.exam.total.meen }}", context)


@pytest.mark.parametrize("written", ["2,5", "2.5"])
def test_a_column_width_is_read_with_a_decimal_comma_as_staff_write_it(written):
    assert _table([], width=written).columns[2].width == Decimal("2.5")


def test_a_width_that_is_no_number_says_how_to_write_one(tmp_path):
    _model, diagnostics, edited = _build(tmp_path, "tables.yaml", "        heading: кол-во сдающих\n",
                                         "        heading: кол-во сдающих\n        width: 2,5 см\n")
    [problem] = diagnostics
    assert (problem.code, problem.span.line) == ("M003", _at(edited, "2,5 см")[0])

