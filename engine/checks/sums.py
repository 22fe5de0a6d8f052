"""Sums: the budget adds up, and no amount in text disagrees with it."""

from __future__ import annotations

import re
from decimal import Decimal

from engine import formats
from engine.checks.registry import CheckContext, Finding, check
from engine.diagnostics import DiagnosticError, Severity
from engine.model.spec import Budget, BudgetLine
from engine.model.values import format_number, parse_money
from engine.model.walk import TEXT_PARTS

# a figure reads as money when it has kopecks or is followed by «руб…»; «1 000 экземпляров» is a count.
# The first digit comes first and the look-behind after it (no digit, point or comma before that digit):
# a pattern that starts with a digit is searched for much faster than one that starts with a look-behind.
_AMOUNT_IN_TEXT = re.compile(
    r"\d(?<![\d.,]\d)(?:\d{0,2}(?:[ \u00a0]\d{3})+|\d{3,})(?:,\d{2}(?![\d])|(?=\s*руб))")


@check("S101", "budget-total", reads_whole=("budget.lines", "budget.total"), targets=(Budget,))
def budget_total(ctx: CheckContext):
    """Сумма строк сметы равна заявленному итогу.

    Итог сметы пишется в документе отдельно, и при правке одной строки его
    забывают пересчитать. Проверка складывает строки (для строк «количество ×
    цена» — их произведение) и сравнивает с `total`.

    Плохо:
        lines: [{id: a, title: Курсы, amount: "280 000,00"}, {id: b, title: Наставники, amount: "30 000,00"}]
        total: "300 000,00"
    Хорошо:
        lines: [{id: a, title: Курсы, amount: "280 000,00"}, {id: b, title: Наставники, amount: "20 000,00"}]
        total: "300 000,00"
    """
    budget = ctx.programme.budget
    if budget is None:
        return
    amounts = [amount for amount in (line.effective_amount for line in budget.lines) if amount is not None]
    if len(amounts) < len(budget.lines):
        return
    computed = sum(amounts, Decimal("0.00"))
    if computed != budget.total:
        difference = budget.total - computed
        yield Finding(
            budget, f"сумма строк сметы {formats.money(computed)} не равна итогу {formats.money(budget.total)} "
                    f"(разница {formats.money(abs(difference))})",
            "исправьте сумму строки или итог: они должны совпадать до копейки", field="total",
            related=tuple((line, "amount" if line.amount is not None else "unit_price",
                           f"{formats.money(amount)} — {formats.shortened(line.title)}")
                          for line, amount in zip(budget.lines, amounts, strict=True)))


@check("S102", "quantity-times-price", reads=("budget.lines",), targets=(BudgetLine,))
def quantity_times_price(ctx: CheckContext):
    """Сумма строки равна количеству, умноженному на цену.

    Для строк вида «21 × 40 000,00» сумму можно не писать: она вычисляется.
    Если она написана, она должна совпадать с произведением.

    Плохо:
        - {id: mentors, title: Услуги наставников, quantity: 21, unit_price: "40 000,00", amount: "800 000,00"}
    Хорошо:
        - {id: mentors, title: Услуги наставников, quantity: 21, unit_price: "40 000,00", amount: "840 000,00"}
    """
    budget = ctx.programme.budget
    if budget is None:
        return
    for line in budget.lines:
        if line.amount is None and (line.quantity is None or line.unit_price is None):
            yield Finding(line, f"у строки «{formats.shortened(line.title)}» нет суммы",
                          "напишите amount или quantity и unit_price", key=True, field="title")
            continue
        if line.quantity is not None and line.unit_price is not None and line.amount is not None:
            product = (line.quantity * line.unit_price).quantize(Decimal("0.01"))
            if product != line.amount:
                yield Finding(
                    line, f"{format_number(line.quantity)} × {formats.money(line.unit_price)} = "
                          f"{formats.money(product)}, а в строке {formats.money(line.amount)}",
                    "исправьте количество, цену или сумму — или удалите amount, и сумма вычислится", field="amount",
                    related=((line, "quantity", "количество"), (line, "unit_price", "цена")))
        elif (line.quantity is None) != (line.unit_price is None):
            missing = "unit_price" if line.unit_price is None else "quantity"
            yield Finding(line, "количество без цены или цена без количества",
                          f"добавьте {missing} или уберите второе значение", key=True, field="title")


@check("S103", "sublines-within-line", reads=("budget.lines",), targets=(BudgetLine,))
def sublines_within_line(ctx: CheckContext):
    """Строки «из них» не превышают сумму своей строки.

    «из них» — часть суммы строки, поэтому их сумма не может быть больше.

    Плохо:
        - {id: a, title: Курсы, amount: "280 000,00", of_which: [{title: Конструктор, amount: "300 000,00"}]}
    Хорошо:
        - {id: a, title: Курсы, amount: "280 000,00", of_which: [{title: Конструктор, amount: "80 000,00"}]}
    """
    budget = ctx.programme.budget
    if budget is None:
        return
    for line in budget.lines:
        amount = line.effective_amount
        if amount is None or not line.of_which:
            continue
        inner = sum((sub.amount for sub in line.of_which), Decimal("0.00"))
        if inner > amount:
            yield Finding(line, f"«из них» в сумме {formats.money(inner)} больше строки {formats.money(amount)}",
                          "часть не может превышать целое: проверьте суммы", field=("of_which", 0, "amount"),
                          related=tuple((sub, "amount", "«из них»") for sub in line.of_which[1:])
                          + ((line, "amount", "сумма строки"),))


@check("S104", "amount-in-text", Severity.ERROR, reads=TEXT_PARTS, reads_whole=("budget.lines", "budget.total"))
def amount_in_text(ctx: CheckContext):
    """Суммы в тексте приказа не расходятся со сметой и не набираются вручную.

    Сумма, набранная в пункте приказа второй раз, со временем расходится со
    сметой. В тексте пишется `{{ budget.total }}`; проверка находит суммы,
    набранные цифрами, и сообщает, совпадают ли они с итогом или строкой сметы.

    Плохо:
        text: "Предоставить субсидию в размере 2 000 000,00 рублей"   # итог сметы 2 500 000,00
    Хорошо:
        text: "Предоставить субсидию в размере {{ budget.total }} рублей"
    """
    budget = ctx.programme.budget
    known = set()
    if budget is not None:
        known = {budget.total} | {line.effective_amount for line in budget.lines} | {
            sub.amount for line in budget.lines for sub in line.of_which}
    for target, field, text in ctx.texts:
        for match in _AMOUNT_IN_TEXT.finditer(text):
            try:
                value = parse_money(match.group())
            except DiagnosticError:
                continue
            if budget is None or value < 1000:
                continue
            if value in known:
                yield Finding(target, f"сумма {match.group()} набрана в тексте вручную",
                              "пишите {{ budget.total }}: при изменении сметы текст изменится сам", field=field)
            else:
                yield Finding(target, f"сумма {match.group()} в тексте не совпадает ни с итогом сметы "
                                      f"({formats.money(budget.total)}), ни с её строками",
                              "замените сумму на {{ budget.total }} или исправьте смету", field=field)
