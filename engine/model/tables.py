"""Data tables as data: each cell read by its column's type, totals computed from the rows.

A table's cells are written as the document prints them («54,9», «1 900 000,00», an organisation's
id); their values are read here, once per table, by the column's type. A cell that its type cannot
read is a diagnostic with its place (`cell_problems`, called when the model is built), so checks
and renderers only ever see readable cells.

Totals: a column may say how its total is made — `sum`, `count` (of filled cells), `mean` (of the
rows' values), `weighted_mean` (weighted by another column, the way a district's mean score is
the mean over all its pupils). A total row prints, for each such column, the value it declares
(checked against the computed one at the precision it is written with: «52,5» against 52,57 is
wrong, «71» against 70,56 is right) or, when it declares none, the computed value at the column's
precision. A total row `declared_only` (a previous year's total, which no row of this table gives)
is printed as written and checked against nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine import formats
from engine.diagnostics import DiagnosticError
from engine.model.spec import DataTable, TableColumn, TableRow, TotalRow
from engine.model.values import parse_money

NUMERIC = ("integer", "decimal", "percent", "money")
_NUMBER = re.compile(r"[+-−]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?")
_NUMBER_HINT = {
    "integer": "целое число, как в документе: «35», «1 250»; пустая ячейка — ~ или \"\"",
    "decimal": "число, как в документе: «54,9», «62», «1 250,5»; пустая ячейка — ~ или \"\"",
    "percent": "процент числом, как в документе: «63,4» или «63,4 %»; пустая ячейка — ~ или \"\"",
    "money": "сумма, как в документе: «1 900 000,00», «90 000»; пустая ячейка — ~ или \"\"",
}
_NUMBER_NAME = {"integer": "целое число", "decimal": "число", "percent": "процент", "money": "сумма"}


@dataclass(frozen=True)
class Number:
    """A figure as written: its value and the number of decimals it was printed with (the precision it claims)."""

    value: Decimal
    decimals: int

    def __str__(self) -> str:
        return formats.figure(self.value, self.decimals)


def read_number(text: str, kind: str) -> Number:
    """A cell of a numeric column as written; raises DiagnosticError on what is not one."""
    written = text.strip()
    if kind == "money":
        amount = parse_money(written)
        return Number(amount, 2)
    if kind == "percent":
        written = re.sub(r"\s*%$", "", written)
    match = _NUMBER.fullmatch(written)
    if match is None or (kind == "integer" and match.group(1)):
        raise DiagnosticError("P902", f"«{text}» — не {_NUMBER_NAME[kind]}", _NUMBER_HINT[kind], 0, len(text))
    digits = re.sub(r"[ \u00a0\u202f]", "", written).replace(",", ".").replace("−", "-")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise DiagnosticError("P902", f"«{text}» — не {_NUMBER_NAME[kind]}", _NUMBER_HINT[kind], 0, len(text)) from None
    return Number(value, len(match.group(1) or ""))


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_number(column: TableColumn, cell) -> Number | None:
    """The value of a numeric cell (None when blank or not numeric); cells were checked by `cell_problems`."""
    if column.type not in NUMERIC or _blank(cell) or not isinstance(cell, str):
        return None
    return read_number(cell, column.type)


def data_rows(table: DataTable) -> list[TableRow]:
    """The rows that hold values (group rows hold a heading)."""
    return [row for row in table.rows if row.group is None]


def column_numbers(table: DataTable, column: TableColumn) -> list[Number | None]:
    index = table.columns.index(column)
    return [cell_number(column, row.cells[index]) for row in data_rows(table)]


def column_by_id(table: DataTable, column_id: str | None) -> TableColumn | None:
    return next((column for column in table.columns if column.id == column_id), None)


def computed_total(table: DataTable, column: TableColumn) -> Decimal | None:
    """The column's total by its `total` rule over the data rows; None when there is no rule or nothing to add."""
    if column.total is None:
        return None
    index = table.columns.index(column)
    if column.total == "count":
        return Decimal(sum(1 for row in data_rows(table) if not _blank(row.cells[index])))
    numbers = [number.value for number in column_numbers(table, column) if number is not None]
    if column.total == "sum":
        return sum(numbers, Decimal(0))
    if column.total == "mean":
        return sum(numbers, Decimal(0)) / len(numbers) if numbers else None
    weights = column_by_id(table, column.weight)
    if weights is None:
        return None
    pairs = [(value, weight) for value, weight in zip(column_numbers(table, column), column_numbers(table, weights),
                                                      strict=True)
             if value is not None and weight is not None]
    total_weight = sum((weight.value for _, weight in pairs), Decimal(0))
    if not total_weight:
        return None
    return sum((value.value * weight.value for value, weight in pairs), Decimal(0)) / total_weight


def unweighted_mean(table: DataTable, column: TableColumn) -> Decimal | None:
    numbers = [number.value for number in column_numbers(table, column) if number is not None]
    return sum(numbers, Decimal(0)) / len(numbers) if numbers else None


def precision(table: DataTable, column: TableColumn) -> int:
    """Decimals a computed total is printed with: the column's `precision`, else as many as its rows are written
    with (money: two)."""
    if column.precision is not None:
        return column.precision
    if column.type == "money":
        return 2
    return max((number.decimals for number in column_numbers(table, column) if number is not None), default=0)


def declared(total: TotalRow, column: TableColumn) -> Number | None:
    """The value a total row declares for a column with a numeric total (a count of any column), as written."""
    cell = total.values.get(column.id)
    if column.total == "count" and isinstance(cell, str) and cell.strip():
        return read_number(cell, "integer")
    return cell_number(column, cell)


def agrees(stated: Number, computed: Decimal) -> bool:
    """A figure printed with d decimals agrees with a computed value within half a unit of its last place
    (either rounding of an exact half is right: 48,225 may be printed 48,22 or 48,23)."""
    return abs(stated.value - computed) <= Decimal(5).scaleb(-stated.decimals - 1)


def total_text(table: DataTable, total: TotalRow, column: TableColumn) -> str:
    """What a total row prints in a column: the declared value as written, else the computed one."""
    cell = total.values.get(column.id)
    if isinstance(cell, list):
        return "\n".join(cell)
    if cell is not None and cell.strip():
        return cell
    if total.declared_only:
        return ""
    value = computed_total(table, column)
    return "" if value is None else formats.figure(value, 0 if column.total == "count" else precision(table, column))


def cell_problems(tables: dict[str, DataTable]) -> list[tuple[tuple, DiagnosticError]]:
    """(path in the data, what is wrong) of every cell its column's type cannot read and every row of the wrong
    length; the caller turns them into diagnostics at their places."""
    problems = []
    for table in tables.values():
        for row in table.rows:
            if row.group is not None:
                continue
            if len(row.cells) != len(table.columns):
                cells = formats.plural(len(row.cells), ("ячейка", "ячейки", "ячеек"))
                problems.append((row.path, DiagnosticError(
                    "M007", f"в строке {len(row.cells)} {cells}, а столбцов в таблице {len(table.columns)}",
                    "по ячейке на каждый столбец; пустая ячейка — ~ или \"\"")))
                continue
            for index, (column, cell) in enumerate(zip(table.columns, row.cells, strict=True)):
                problem = _cell_problem(column, cell)
                if problem is not None:
                    problems.append((row.path + row.cell_field(index), problem))
        for total in table.totals:
            for column_id, cell in total.values.items():
                declared_in = column_by_id(table, column_id)
                problem = None if declared_in is None else _total_problem(declared_in, cell)
                if problem is not None:
                    problems.append((total.path + ("values", column_id), problem))
    return problems


def _total_problem(column: TableColumn, cell) -> DiagnosticError | None:
    """A declared total: a count is an integer in any column, the other totals are of the column's type."""
    if column.total == "count" and isinstance(cell, str) and cell.strip():
        try:
            read_number(cell, "integer")
        except DiagnosticError as error:
            return error
        return None
    return _cell_problem(column, cell)


def _cell_problem(column: TableColumn, cell) -> DiagnosticError | None:
    if _blank(cell):
        return None
    if column.type in NUMERIC:
        if not isinstance(cell, str):
            return DiagnosticError("P902", "в числовом столбце ячейка — список", _NUMBER_HINT[column.type])
        try:
            read_number(cell, column.type)
        except DiagnosticError as error:
            return error
    elif column.type == "organisation" and not (isinstance(cell, str) and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", cell)):
        return DiagnosticError("P701", f"«{cell}» — не id организации",
                               "в столбце организаций пишется id из organisations, например borinskoe")
    return None
