"""Parsers for the small value languages inside a spec: money, quantities, budget codes.

Each parser takes the text exactly as the user wrote it and either returns a value
or raises `DiagnosticError` saying, in Russian, what is wrong and how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.diagnostics import DiagnosticError

MAX_AMOUNT = Decimal("1e15")
_SPACES = "\u00a0\u202f\u2009 "
_GROUPED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]{1,2})?")
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]{1,2})?")
_MONEY_HINT = "пишите сумму как в документе: «1 900 000,00», «90 000» или «1900000.00»"


def parse_money(text: object) -> Decimal:
    """«1 900 000,00» / «90 000» / «1900000.00» → Decimal('1900000.00').

    Rejects what a typist gets wrong: «30 0000, 00» (a group of four digits,
    a space before the kopecks), more than two kopeck digits, negative or absurd sums.
    A YAML number is refused too: a float would round kopecks.
    """
    if not isinstance(text, str):
        raise DiagnosticError("P201", "сумма должна быть строкой в кавычках или числом без дробной части с точкой", _MONEY_HINT)
    raw = text
    compact = " ".join(text.translate({ord(c): " " for c in _SPACES}).split())
    if compact.startswith("-") or compact.startswith("−"):
        raise DiagnosticError("P202", f"сумма «{raw}» отрицательная",
                              "расходы и итоги сметы записываются положительными числами", 0, 1)
    if compact.lower() in {"nan", "inf", "infinity", "-inf", "+inf"}:
        raise DiagnosticError("P201", f"«{raw}» — не сумма", _MONEY_HINT, 0, len(raw))
    if not (_GROUPED.fullmatch(compact) or _PLAIN.fullmatch(compact)):
        offset = _raw_offset(raw, _first_bad_position(compact))
        raise DiagnosticError(
            "P201",
            f"сумма «{raw}» записана неверно: разряды группируются по три цифры, копейки — две цифры после запятой без пробела",
            _MONEY_HINT, offset, max(1, len(raw) - offset),
        )
    try:
        value = Decimal(compact.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise DiagnosticError("P201", f"«{raw}» — не сумма", _MONEY_HINT, 0, len(raw)) from None
    if value >= MAX_AMOUNT:
        raise DiagnosticError("P203", f"сумма {raw} больше 10¹⁵ рублей — вероятно, опечатка",
                              "проверьте число разрядов", 0, len(raw))
    return value.quantize(Decimal("0.01"))


def _raw_offset(raw: str, compact_offset: int) -> int:
    """Map an offset in the space-collapsed text back to the text as written (extra or leading spaces)."""
    seen = -1
    for index, char in enumerate(raw):
        if char in _SPACES and (seen < 0 or raw[index - 1] in _SPACES):
            continue
        seen += 1
        if seen == compact_offset:
            return index
    return 0


def _first_bad_position(compact: str) -> int:
    """Where a malformed amount stops looking like an amount, for the caret."""
    groups = compact.split(" ")
    position = len(groups[0]) + 1
    for group in groups[1:]:
        if not re.fullmatch(r"[0-9]{3}(?:,[0-9]{1,2})?", group):
            return position
        position += len(group) + 1
    return 0


@dataclass(frozen=True)
class Quantity:
    """«не менее 50 человек» → Quantity(50, "человек", at_least=True)."""

    value: Decimal
    unit: str = ""
    at_least: bool = False

    def render(self) -> str:
        number = format_number(self.value)
        prefix = "не менее " if self.at_least else ""
        return f"{prefix}{number} {self.unit}".strip()

    def __str__(self) -> str:
        return self.render()


_QUANTITY = re.compile(
    r"(?P<at_least>не\s+менее\s+)?(?P<value>[0-9]{1,3}(?:[ \u00a0][0-9]{3})+|[0-9]+(?:[.,][0-9]+)?)\s*(?P<unit>.*)",
    re.IGNORECASE | re.DOTALL)


def parse_quantity(text: object) -> Quantity:
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        return Quantity(Decimal(text))
    if not isinstance(text, str):
        raise DiagnosticError("P301", "количество должно быть текстом: «18», «не менее 50 человек»")
    match = _QUANTITY.fullmatch(text.strip())
    if not match:
        raise DiagnosticError(
            "P301", f"не распознано количество «{text}»",
            "пишите число и единицу: «18 программ», «не менее 50 человек», «100 экз.»", 0, len(text),
        )
    value = Decimal(re.sub(r"[ \u00a0]", "", match["value"]).replace(",", "."))
    return Quantity(value, " ".join(match["unit"].split()), bool(match["at_least"]))


MAX_COUNT = Decimal("1e9")


def parse_count(text: object) -> Decimal:
    """A quantity in a budget line («21»): a positive number of sane size, so products stay exact."""
    quantity = parse_quantity(text if isinstance(text, str) else str(text))
    if quantity.unit or quantity.at_least:
        raise DiagnosticError("P302", f"количество «{text}» должно быть числом", "например 21")
    if quantity.value <= 0 or quantity.value >= MAX_COUNT:
        raise DiagnosticError("P302", f"количество {text} вне разумных пределов (больше 0 и меньше миллиарда)",
                              "проверьте число", 0, len(str(text)))
    return quantity.value


def format_number(value: Decimal) -> str:
    """18 → «18», 0.8 → «0,8» (a Russian decimal comma)."""
    normal = value.normalize()
    text = f"{normal:f}"
    return text.replace(".", ",")


_CODE = re.compile(r"[0-9A-ZА-ЯЁ]+(?: [0-9A-ZА-ЯЁ]+)*")


def parse_budget_code(text: object) -> str:
    """Budget classification codes stay strings: «0709», «52 7 01 13760»."""
    if not isinstance(text, str) or not _CODE.fullmatch(text.strip()):
        raise DiagnosticError(
            "P401", f"код бюджетной классификации «{text}» записан неверно",
            "код — цифры (и заглавные буквы) с пробелами между группами, например «52 7 01 13760»; ведущие нули сохраняются",
        )
    return text.strip()
