"""Data tables: totals agree with their rows, means are the means they claim, percentages fit their headcounts."""

from __future__ import annotations

from decimal import Decimal

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.model.spec import DataTable, TableColumn, TableRow, TotalRow
from engine.model.tables import (
    Number,
    agrees,
    cell_number,
    column_by_id,
    computed_total,
    data_rows,
    declared,
    unweighted_mean,
)

_HUNDRED = Decimal(100)


def _declared_totals(ctx: CheckContext, rules: tuple[str, ...]):
    """(table, total row, column, declared value, computed value) of every declared total a rule of `rules` makes."""
    for table in ctx.programme.tables.values():
        for total in table.totals:
            if total.declared_only:
                continue
            for column in table.columns:
                if column.total not in rules:
                    continue
                stated, computed = declared(total, column), computed_total(table, column)
                if stated is not None and computed is not None:
                    yield table, total, column, stated, computed


def _shown(value: Decimal, like: Number) -> str:
    """A computed value at the precision of the figure it is compared with, and more exactly when that rounds it."""
    short = formats.figure(value, like.decimals)
    if value == value.quantize(Decimal(1).scaleb(-like.decimals)):      # nothing more to show
        return short
    return f"{short} (точнее {formats.figure(value, like.decimals + 1)})"


@check("S105", "table-total", reads=("tables",), targets=(TotalRow,))
def table_total(ctx: CheckContext):
    """Заявленный итог таблицы равен сумме (числу) её строк.

    Итоговая строка таблицы («ИТОГО 2020: 103») пишется в документе
    отдельно от строк, и при правке строки её забывают пересчитать. Итог
    столбца с `total: sum` сверяется с суммой строк, с `total: count` — с
    числом заполненных ячеек. Итог, которого строки не дают (прошлый год),
    помечается `declared_only: да` и не сверяется.

    Плохо:
        columns: [{id: school, heading: МБОУ, type: organisation}, {id: count, heading: кол-во, type: integer, total: sum}]
        rows: [[borinskoe, "35"], [ilino, "4"]]
        totals: [{label: "ИТОГО:", values: {count: "40"}}]
    Хорошо:
        totals: [{label: "ИТОГО:", values: {count: "39"}}]
    """
    for _, total, column, stated, computed in _declared_totals(ctx, ("sum", "count")):
        if not agrees(stated, computed):
            what = "сумме строк" if column.total == "sum" else "числу заполненных строк"
            yield Finding(total, f"итог «{stated}» в столбце «{column.heading}» не равен {what}: "
                                 f"{_shown(computed, stated)}",
                          "исправьте итог или строки — или не пишите итог: он вычислится сам",
                          field=("values", column.id))


def _mean_name(table: DataTable, column: TableColumn) -> str:
    weights = column_by_id(table, column.weight)
    return f"среднему, взвешенному по «{weights.heading}»" if weights is not None else "среднему строк"


@check("S106", "table-mean", reads=("tables",), targets=(TotalRow,))
def table_mean(ctx: CheckContext):
    """Заявленное среднее равно тому среднему, которым оно названо.

    Средний балл района — среднее по всем сдававшим, то есть среднее баллов
    школ, взвешенное по числу сдававших (`total: weighted_mean`, `weight:`);
    простое среднее школ (`total: mean`) даёт другое число. Итог сверяется
    с тем средним, которое объявлено у столбца, с точностью, с которой он
    записан; если итог совпадает с другим средним, сообщение это скажет.

    Плохо:
        columns: […, {id: count, type: integer}, {id: mean, type: decimal, total: weighted_mean, weight: count}]
        rows: [[borinskoe, "35", "54,9"], [ilino, "4", "68,8"]]
        totals: [{label: "ИТОГО:", values: {mean: "61,9"}}]     # это простое среднее
    Хорошо:
        totals: [{label: "ИТОГО:", values: {mean: "56,3"}}]
    """
    for table, total, column, stated, computed in _declared_totals(ctx, ("mean", "weighted_mean")):
        if agrees(stated, computed):
            continue
        hint = "исправьте итог или строки — или не пишите итог: он вычислится сам"
        plain = unweighted_mean(table, column)
        if column.total == "weighted_mean" and plain is not None and agrees(stated, plain):
            hint = (f"«{stated}» — простое среднее строк: если документ имеет в виду его, напишите у столбца "
                    f"total: mean (и уберите weight)")
        yield Finding(total, f"итог «{stated}» в столбце «{column.heading}» не равен {_mean_name(table, column)}: "
                             f"{_shown(computed, stated)}", hint, field=("values", column.id))


def _nearest_counts(share: Number, headcount: int) -> list[int]:
    """The counts out of `headcount` whose share comes nearest to `share` from below and from above."""
    below = int(share.value * headcount / _HUNDRED)
    return [count for count in (below, below + 1) if 0 <= count <= headcount]


def _percent_cells(table: DataTable):
    """(row, cell index, column, share, headcount index, headcount) of every percentage of the table; the headcount
    is None for a column that names none (`of`)."""
    for index, column in enumerate(table.columns):
        if column.type != "percent":
            continue
        headcounts = column_by_id(table, column.of)
        of = table.columns.index(headcounts) if headcounts is not None else None
        for row in data_rows(table):
            share = cell_number(column, row.cells[index])
            if share is None:
                continue
            count = cell_number(headcounts, row.cells[of]) if headcounts is not None and of is not None else None
            yield row, index, column, share, of, count


@check("S107", "percent-of-count", reads=("tables",), targets=(TableRow,))
def percent_of_count(ctx: CheckContext):
    """Процент в таблице может получиться из своей численности.

    Доля «4» и «5» у 70 сдававших — это k/70 при целом k: 62,9 % или
    64,3 %, но не 63,4 %. Процент, которого не даёт ни одно целое число из
    численности (с точностью, с которой он напечатан), — опечатка в проценте
    или в численности. У столбца процентов численность называет `of:`;
    процент вне 0–100 — ошибка и без неё.

    Плохо:
        columns: […, {id: count, type: integer}, {id: good, type: percent, of: count}]
        rows: [[khrushchevka, "70", "63,4"]]
    Хорошо:
        rows: [[khrushchevka, "70", "62,9"]]
    """
    for table in ctx.programme.tables.values():
        for row, index, column, share, of, count in _percent_cells(table):
            field = row.cell_field(index)
            if not Decimal(0) <= share.value <= _HUNDRED:
                yield Finding(row, f"{share} % в столбце «{column.heading}» вне пределов 0–100",
                              "проверьте значение", field=field)
                continue
            if count is None or of is None or count.decimals or count.value <= 0:
                continue
            headcount = int(count.value)
            if any(agrees(share, _HUNDRED * k / headcount) for k in _nearest_counts(share, headcount)):
                continue
            nearest = ", ".join(f"{k} из {headcount} — {formats.figure(_HUNDRED * k / headcount, share.decimals)} %"
                                for k in _nearest_counts(share, headcount))
            yield Finding(row, f"{share} % из {headcount} не получается ни при каком числе: {nearest}",
                          "проверьте процент и численность в этой строке", field=field,
                          related=((row, row.cell_field(of), f"численность {headcount}"),))


@check("S108", "row-sum", reads=("tables",), targets=(TableRow,))
def row_sum(ctx: CheckContext):
    """Столбец «Всего» строки равен сумме столбцов, которые он складывает.

    В таблице финансирования по годам у каждой строки есть «Всего» — сумма
    её лет; при правке одного года его забывают пересчитать, и столбцовые
    итоги этого не видят (каждый столбец складывается сам по себе). У
    столбца «Всего» слагаемые называет `sum_of:`; в каждой строке, где он
    заполнен, он сверяется с суммой её ячеек с той точностью, с которой
    записан. Пустая ячейка среди слагаемых — ноль.

    Плохо:
        columns:
          - {id: district, heading: Район}
          - {id: y2024, heading: 2024 год, type: money}
          - {id: y2025, heading: 2025 год, type: money}
          - {id: all, heading: Всего, type: money, sum_of: [y2024, y2025]}
        rows: [[Искитимский район, "1 200 000,00", "1 350 000,00", "2 450 000,00"]]
    Хорошо:
        rows: [[Искитимский район, "1 200 000,00", "1 350 000,00", "2 550 000,00"]]
    """
    for table in ctx.programme.tables.values():
        for column in table.columns:
            if not column.sum_of:
                continue
            index = table.columns.index(column)
            parts = [column_by_id(table, part) for part in column.sum_of]
            for row in data_rows(table):
                stated = cell_number(column, row.cells[index])
                if stated is None:
                    continue
                numbers = [cell_number(part, row.cells[table.columns.index(part)]) for part in parts if part]
                computed = sum((number.value for number in numbers if number is not None), Decimal(0))
                if agrees(stated, computed):
                    continue
                headings = " + ".join(f"«{part.heading}»" for part in parts if part)
                yield Finding(row, f"«{column.heading}» {stated} не равно сумме {headings}: {_shown(computed, stated)}",
                              "исправьте итог строки или её слагаемые", field=row.cell_field(index))
