"""How a signed document prints a value of the model: one definition for the DOCX and for amendments.

The DOCX context (engine/render/docx/context.py) and the printed form of each document that
amendments compare (engine/model/edition.py) must print a budget line, a row's owners or a ТЗ
work item with exactly the same characters: an amendment quotes the words «as printed».
"""

from __future__ import annotations

from decimal import Decimal

from engine import formats

_DASHES = ("–", "—", "-")


def upper_first(text: str) -> str:
    """A clause or a table cell starts with a capital, even when it starts with a substituted name."""
    return text[:1].upper() + text[1:]


def dotted(number: str, with_dot: bool = True) -> str:
    return f"{number}." if with_dot else number


def plain_number(value: Decimal) -> str:
    """«21» for a count, «2,5» for a fraction — Russian decimal comma."""
    return f"{value.normalize():f}".replace(".", ",")


def budget_amount(amount: Decimal, quantity: Decimal | None, unit_price: Decimal | None) -> str:
    """«840 000,00 (21 × 40 000,00)» where the line is a quantity times a price, as the source prints it."""
    text = formats.money(amount)
    if quantity is not None and unit_price is not None:
        nbsp = formats.NBSP     # the product stays on one line
        text += f" ({plain_number(quantity)}{nbsp}×{nbsp}{formats.money(unit_price)})"
    return text


def owner_rows(owners: list[tuple[str, list[str]]], result: list[str]) -> list[dict]:
    """Table rows of one activity from (owner's short name, owner's own result) pairs: an owner with a result of
    its own gets a row beside that result (lipetsk rows 1 and 6); the other owners share one row with the
    activity's common result."""
    rows = [{"owners": short, "result": own} for short, own in owners if own]
    shared = [short for short, own in owners if not own]
    if shared or result or not rows:
        rows.append({"owners": ", ".join(shared), "result": result})
    return rows


def deliverable(text: str) -> str:
    """Work items of the technical specification print as «– …» items; the spec may omit the dash."""
    return text if text.startswith(_DASHES) else f"– {text}"
