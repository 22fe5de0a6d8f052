"""The amending decree in print form: the template context of a decree «О внесении изменений в …».

It is rendered from the decree's template (or the programme's own `templates.amendment`), with
the amended decree's heading and the amendment's requisites. Its clauses are the items of
`engine.model.amending`: «1)», «а)», quoted paragraphs, and rows of an appendix's table quoted
as a table (`{{p clause.table }}`). An appendix in a new edition is attached after it, rendered
by the appendix's own template from the edition the amendment leaves — so an amending decree
shows what it changed even after later amendments changed the appendix again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate

from engine import formats
from engine.model.amending import AmendingText, Quote
from engine.model.appendices import BLANK_DATE, BLANK_NUMBER, Appendix, issued_reference
from engine.model.edition import PART, Edition, Unit, unit_at
from engine.model.printing import dotted
from engine.model.spec import Amendment, Decree, Indicator, Programme
from engine.model.text import TextContext, appendix_numbers, render_text
from engine.model.values import parse_money
from engine.render.docx.context import indicator_table, order_word_of, signature_of
from engine.render.docx.roadmap_table import roadmap_table

# a quoted figure stays whole on its line: «1 900 000,00», and so does the number of a row: «строке 3»
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_NUMBERED_ROW = re.compile(r"(?<!\w)(строк\w*|подпункт\w*|пункт\w*|раздел\w*)\s+(?=\d)")


def typeset(text: str) -> str:
    """Every printed text's no-break spaces (formats.typeset), and those of an amendment's own words."""
    text = formats.typeset(_DIGIT_GROUP.sub(formats.NBSP, text))
    return _NUMBERED_ROW.sub(lambda match: match.group(1) + formats.NBSP, text)


def amendment_date(amendment: Amendment) -> str:
    """10.03.2022, or room for the date of a draft: «___» __________ 20__ г."""
    return formats.date_numeric(amendment.date) if amendment.date else f"{BLANK_DATE} 20__ г."


def _clause(number: str, text: str, level: int, table: str = "") -> dict:
    return {"number": number, "text": typeset(text), "level": level, "table": table}


def _quote(quote: Quote, end: str, table: Callable[[list[Unit]], str]) -> list[dict]:
    """A quote's paragraphs «…»; rows of the roadmap as a table between an opening and a closing quotation mark,
    rows of a two- or four-column table (budget, indicators, ТЗ) as paragraphs, their cells joined by dashes."""
    if quote.rows and quote.document == "roadmap":
        table_xml = table([unit for _, unit in quote.rows])
        return [_clause("", "«", 3), _clause("", "", 3, table_xml), _clause("", "»" + end, 3)]
    paragraphs = list(quote.paragraphs) or [
        " – ".join(filter(None, [number.rstrip("."), *(" ".join(texts) for texts in unit.cells.values())]))
        for number, unit in quote.rows]
    paragraphs[0] = "«" + paragraphs[0]
    paragraphs[-1] = paragraphs[-1] + "»" + end
    return [_clause("", paragraph, 3) for paragraph in paragraphs]


def _items(text: AmendingText, table) -> list[dict]:
    flat = []
    for number, item, level, final in text.entries():
        end = "." if final else ";"
        if item.items:
            flat.append(_clause(number, item.text + ":", level + 1))
        elif item.quote is not None:
            flat.append(_clause(number, item.text + ":", level + 1))
            flat.extend(_quote(item.quote, end, table))
        else:
            flat.append(_clause(number, item.text + end, level + 1))
    return flat


def amending_decree(decree: dict, programme: Programme, amended: Decree, amendment: Amendment, text: AmendingText,
                    table: Callable[[list[Unit]], str]) -> dict:
    """The `decree` of the template context for the amending decree; `decree` is the amended one's (its heading,
    kind and order word stay); `table` gives the WordprocessingML of quoted rows of the roadmap."""
    preamble = ""
    if amendment.preamble:
        context = TextContext(programme, appendix_numbers(programme), acts=amendment.legal_basis)
        preamble = render_text(amendment.preamble, context)
    order_word = order_word_of(amended)
    if amended.order_word_inline and order_word and preamble:
        preamble, order_word = f"{preamble} {order_word}", ""
    return dict(decree, date=amendment_date(amendment), number=amendment.number or BLANK_NUMBER,
                place=amendment.place or decree["place"], title=text.title, edition="", preamble=preamble,
                order_word=order_word,
                clauses=[_clause(text.opening_number, text.opening, 1), *_items(text, table)],
                signature=signature_of(programme, amendment.signatory))


def amendment_reference(programme: Programme, amended: Decree, amendment: Amendment, case: str) -> str:
    """«приказу управления … от 10.03.2022 № 300» — a draft with room for its date and number."""
    return issued_reference(programme, amended, [(amendment_date(amendment), amendment.number or BLANK_NUMBER)], case)


def attachment(programme: Programme, amended: Decree, amendment: Amendment, appendix: Appendix, index: int,
               count: int, edition: Edition, base: dict) -> dict:
    """The context of an appendix attached in a new edition: marked as the amending decree's appendix, its stamp
    saying which decree approved it and in whose edition, its content the edition the amendment leaves."""
    label = f"Приложение №{formats.NBSP}{index}" if count > 1 else "Приложение"
    edition_of = f"(в редакции {amendment_reference(programme, amended, amendment, 'gen')})"
    context = dict(base, appendix={
        "kind": appendix.kind, "number": appendix.number, "label": label,
        "mark": f"{label} к {amendment_reference(programme, amended, amendment, 'dat')}",
        "mark_text": f"к {amendment_reference(programme, amended, amendment, 'dat')}",
        "stamp": appendix.stamp, "stamp_word": appendix.stamp_word,
        "stamp_text": appendix.stamp[len(appendix.stamp_word):].strip(), "edition": edition_of,
        "title": _part(edition, appendix.kind, "title"), "subtitle": _part(edition, appendix.kind, "subtitle"),
        # the text around the appendix's table is not part of the edition: as the appendix has it now
        **{place: next(entry[place] for entry in base["appendices"] if entry["kind"] == appendix.kind)
           for place in ("before", "after")}})
    builder = {"roadmap": _roadmap, "budget": _budget, "indicators": _indicators,
               "specification": _specification}[appendix.kind]
    context[appendix.kind] = builder(programme, edition.get(appendix.kind, []), base)
    return context


# --- an appendix from its printed edition ------------------------------------------------------


def _part(edition: Edition, document: str, name: str) -> str:
    unit = unit_at(edition, document, name)
    return " ".join(unit.cells.get("text", ())) if unit is not None and unit.kind == PART else ""


def _rows(units: list[Unit]) -> list[Unit]:
    return [unit for unit in units if unit.kind != PART]


def _dotted_rows(programme: Programme) -> bool:
    return programme.roadmap is None or programme.roadmap.numbering == "dotted"


def roadmap_activity(programme: Programme, unit: Unit) -> dict:
    """A row of the roadmap table (engine/render/docx/roadmap_table.py) from its printed cells."""
    cells = unit.cells
    results = cells.get("result", ())
    owners = cells.get("owners", ("",) * max(len(results), 1))
    activity = list(cells.get("activity", ()))
    title = list(cells.get("title", ())) or activity[:1]
    return {"number": dotted(unit.address, _dotted_rows(programme)),
            "time": " ".join(cells.get("time", ())), "activity": activity or [*title, *cells.get("details", ())],
            "title": title, "details": list(cells.get("details", ())) or activity[1:],
            "rows": [{"owners": owner, "result": result.split("\n") if result else []}
                     for owner, result in zip(owners, results or ("",) * len(owners), strict=True)]}


def quoted_rows(template: DocxTemplate, programme: Programme, context: dict, units: list[Unit], path: Path) -> str:
    """Rows of the roadmap quoted in an amending decree: the roadmap's table with just these rows."""
    roadmap = _roadmap(programme, units, context)
    return roadmap_table(template, roadmap, path)


def _roadmap(programme: Programme, units: list[Unit], base: dict) -> dict:
    groups: list[dict] = []
    for unit in _rows(units):
        if unit.kind == "section":
            roadmap = programme.roadmap
            sections_dotted = roadmap is None or (roadmap.section_numbering or roadmap.numbering) == "dotted"
            title = f"{dotted(unit.address, sections_dotted)} {unit.cells['title'][0]}"
            groups.append({"title": title, "activities": []})
            continue
        if not groups:
            groups.append({"title": "", "activities": []})
        groups[-1]["activities"].append(roadmap_activity(programme, unit))
    return dict(base["roadmap"], groups=groups)


def _budget(programme: Programme, units: list[Unit], base: dict) -> dict:
    edition = {"budget": units}
    amount = _part(edition, "budget", "total")
    return dict(base["budget"], rows=[{"title": unit.cells["title"][0], "amount": unit.cells["amount"][0],
                                       "part": unit.kind == "subline"} for unit in _rows(units)],
                total=amount, total_words=formats.amount_in_words(parse_money(amount)) if amount else "",
                codes=_part(edition, "budget", "codes"), funding_source=_part(edition, "budget", "funding_source"))


def _indicator(unit: Unit) -> dict:
    """An indicator of the edition as the indicators' table prints it: its name, unit and target as the edition has
    them, the graphs the edition does not compare (values by year, baseline, direction) as the spec has them now."""
    source = unit.source if isinstance(unit.source, Indicator) else None

    def rendered(value) -> str | None:
        return value.render() if value is not None else None

    return {"name": unit.cells["name"][0], "unit": unit.cells["unit"][0], "target": unit.cells["target"][0],
            "target_note": " ".join(unit.cells["target"][1:]) or None,
            "indicator": source.indicator if source else None, "baseline": rendered(source.baseline) if source else None,
            "year": source.year if source else None, "direction": source.direction if source else "increase",
            "targets": {str(year): v.render() for year, v in sorted(source.targets.items())} if source else {},
            "actual": {str(year): v.render() for year, v in sorted(source.actual.items())} if source else {}}


def _indicators(programme: Programme, units: list[Unit], base: dict) -> dict:
    """The indicators' table of the edition: its rows in one list (the groups are not part of the edition)."""
    indicators = programme.indicators
    rows = _rows(units)
    if indicators is None:
        return base["indicators"]
    items = {unit.address: _indicator(unit) for unit in rows}
    table = indicator_table(indicators, [{"heading": "", "items": list(items)}], items)
    return dict(base["indicators"], **table, rows=[
        {"number": dotted(unit.address), "name": item["name"], "unit": item["unit"], "target": item["target"],
         "target_note": item["target_note"] or ""} for unit, item in zip(rows, items.values(), strict=True)])


def _specification(programme: Programme, units: list[Unit], base: dict) -> dict:
    edition = {"specification": units}
    return dict(base["specification"], event_name=_part(edition, "specification", "event_name"),
                service_period=_part(edition, "specification", "service_period"),
                funding_source=_part(edition, "specification", "funding_source"),
                requirements=[{"number": dotted(unit.address), "text": unit.cells["text"][0],
                               "time": " ".join(unit.cells.get("time", ())),
                               "deliverables": list(unit.cells.get("deliverables", ()))} for unit in _rows(units)])

