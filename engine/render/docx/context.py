"""The template context: the resolved model in the words and figures a signed document prints.

Built on `engine.export` (placeholders substituted, numbers and appendix marks
computed), then put into print form: amounts «1 900 000,00», dates 03.02.2020,
deadlines in words, clause numbers «5.1.», names «С.Н. Кирина». Values are plain
dicts, lists and strings, so a template can do nothing but show them. Keys never
shadow dict methods (`items`, `values`, `keys`): in Jinja `x.items` would find the
method before the key.
"""

from __future__ import annotations

import re
from decimal import Decimal

from engine import formats
from engine.export import export_programme
from engine.model.appendices import appendices, decree_date, decree_number
from engine.model.spec import Decree, Indicators, Programme, Roadmap
from engine.model.text import person_name
from engine.model.validate import ProgrammeModel

# ГОСТ Р 7.0.97-2016 п. 5.19: a приказ has its order word; a распоряжение goes straight to its clauses.
DEFAULT_ORDER_WORDS = {"приказ": "ПРИКАЗЫВАЮ:", "распоряжение": ""}
_DASHES = ("–", "—", "-")
# A number stays on the line of the word that names it: «(приложение 1)», «п. 1», «№ 266».
_NUMBERED_WORD = re.compile(r"(?<!\w)(приложени[еяюи]|пункт[аеу]?|п\.|№)\s+(?=\d)", re.IGNORECASE)


def upper_first(text: str) -> str:
    """A clause or a table cell starts with a capital, even when it starts with a substituted name."""
    return text[:1].upper() + text[1:]


def _keep_numbers_with_words(text: str) -> str:
    return _NUMBERED_WORD.sub(lambda match: match.group(1) + formats.NBSP, text)


def _money(amount: str) -> str:
    return formats.money(Decimal(amount))


def _plain_number(value: str) -> str:
    """«21» for a count, «2,5» for a fraction — Russian decimal comma."""
    number = Decimal(value).normalize()
    return f"{number:f}".replace(".", ",")


def _dotted(number: str, dotted: bool = True) -> str:
    return f"{number}." if dotted else number


def _flatten_clauses(clauses: list[dict]) -> list[dict]:
    """Clauses of every level in reading order: «1.», «5.1.», … with the text capitalised."""
    flat = []
    for clause in clauses:
        flat.append({"number": _dotted(clause["number"]), "text": _keep_numbers_with_words(upper_first(clause["text"])),
                     "level": clause["number"].count(".") + 1})
        flat.extend(_flatten_clauses(clause["clauses"]))
    return flat


def _decree(programme: Programme, decree: Decree, exported: dict) -> dict:
    if decree.header:
        header = list(decree.header)
    elif decree.issuer_line:
        header = []      # the issuer line under the kind names the issuer (lysva: «НАЧАЛЬНИКА УПРАВЛЕНИЯ …»)
    else:
        header = [programme.organisations[decree.authority].full.upper()]
    order_word = decree.order_word if decree.order_word is not None else DEFAULT_ORDER_WORDS[decree.kind]
    preamble = _keep_numbers_with_words(exported["preamble"])
    if decree.order_word_inline and order_word:
        preamble, order_word = f"{preamble} {order_word}", ""
    signatory = programme.people[decree.signatory] if decree.signatory else None
    return {
        "kind": decree.kind.upper(),
        "header": header,
        "issuer_line": decree.issuer_line or "",
        "date": decree_date(decree),
        "number": decree_number(decree),
        "place": decree.place or "",
        "title": exported["title"],
        "preamble": preamble,
        "order_word": order_word,
        "clauses": _flatten_clauses(exported["clauses"]),
        # a draft that names no signatory prints no signature
        "signature": {"position": signatory.signature_position or upper_first(signatory.position),
                      "name": person_name(signatory)} if signatory else None,
    }


def _corner(label: str, mark: str, stamp_word: str, stamp: str) -> dict:
    """The corner requisites as the templates print them: the label and the rest of the mark on lines of their
    own, the stamp's word and the rest of the stamp likewise; an empty one prints nothing."""
    return {"label": label, "mark": mark, "mark_text": mark[len(label):].strip(),
            "stamp": stamp, "stamp_word": stamp_word, "stamp_text": stamp[len(stamp_word):].strip()}


def _appendices(programme: Programme, exported: list[dict]) -> list[dict]:
    resolved = {entry["kind"]: entry for entry in exported}
    result = []
    for appendix in appendices(programme):
        texts = resolved[appendix.kind]
        result.append({
            "kind": appendix.kind, "owner": appendix.owner, "number": appendix.number,
            **_corner(appendix.label, appendix.mark, appendix.stamp_word, appendix.stamp),
            "title": texts["title"], "subtitle": texts["subtitle"] or "",
        })
    return result


def _list_items(listing: dict, level: int) -> list[dict]:
    """A list as body entries, nested lists after their item, one level deeper."""
    entries = []
    for item in listing["items"]:
        entries.append({"kind": "item", "marker": item["marker"], "text": item["text"], "level": level})
        if item["list"]:
            entries.extend(_list_items(item["list"], level + 1))
    return entries


def _block_entries(block: dict) -> list[dict]:
    if block["kind"] == "text":
        return [{"kind": "paragraph", "text": text} for text in block["paragraphs"]]
    if block["kind"] == "heading":
        return [{"kind": "heading", "text": block["text"]}]
    if block["kind"] == "list":
        return _list_items(block["list"], 1)
    return [{"kind": "paragraph", "text": f"Задача {task['number']}. {task['text']}"} for task in block["tasks"]]


def _section_entries(section: dict, level: int) -> list[dict]:
    number = f"{section['number']}." if section["number"] else ""
    entries = [{"kind": "section", "number": number, "title": section["title"], "level": level}]
    for block in section["blocks"]:
        entries.extend(_block_entries(block))
    for subsection in section["sections"]:
        entries.extend(_section_entries(subsection, level + 1))
    return entries


def _programme_document(exported: dict) -> dict:
    """The programme document: its title block, its stamp if approved, and its body as a flat list of entries
    (section headings, paragraphs, list items, …) that the template prints one by one, each in its style."""
    approval = exported["approval"]
    return {
        "title": exported["title"], "subtitle": exported["subtitle"] or "", "name": exported["name"] or "",
        "approval": _corner(approval["label"], approval["mark"], approval["stamp_word"], approval["stamp"])
        if approval else None,
        "body": [entry for section in exported["sections"] for entry in _section_entries(section, 1)],
    }


def _owner_rows(activity: dict, result: list[str]) -> list[dict]:
    """Table rows of one activity: an owner with a result of its own gets a row beside that result
    (lipetsk rows 1 and 6); the other owners share one row with the activity's common result."""
    rows = [{"owners": owner["short"], "result": owner["result"]} for owner in activity["owners"] if owner["result"]]
    shared = [owner["short"] for owner in activity["owners"] if not owner["result"]]
    if shared or result or not rows:
        rows.append({"owners": ", ".join(shared), "result": result})
    return rows


def _activity(activity: dict, dotted: bool) -> dict:
    return {
        "number": _dotted(activity["number"], dotted),
        "time": upper_first(activity["time"]["rendered"]),
        "activity": [activity["title"], *activity["details"]],
        "rows": _owner_rows(activity, activity["result"]),
    }


def _roadmap(roadmap: Roadmap, exported: dict) -> dict:
    dotted = roadmap.numbering == "dotted"
    groups = [{"title": f"{_dotted(section['number'], dotted)} {section['title']}",
               "activities": [_activity(a, dotted) for a in section["activities"]]}
              for section in exported["sections"]]
    if exported["activities"]:
        groups.append({"title": "", "activities": [_activity(a, dotted) for a in exported["activities"]]})
    return {
        "glossary": [{"short": entry["short"], "full": entry["full"]} for entry in exported["glossary"]],
        "columns": [{"field": column.field, "heading": column.heading,
                     "width": float(column.width) if column.width is not None else None}
                    for column in roadmap.columns],
        "groups": groups,
    }


def _budget_amount(line: dict) -> str:
    """«840 000,00 (21 × 40 000,00)» where the line is a quantity times a price, as the source prints it."""
    amount = _money(line["amount"])
    if line["quantity"] is not None and line["unit_price"] is not None:
        nbsp = formats.NBSP     # the product stays on one line
        amount += f" ({_plain_number(line['quantity'])}{nbsp}×{nbsp}{_money(line['unit_price'])})"
    return amount


def _budget(exported: dict) -> dict:
    rows = []
    for line in exported["lines"]:
        rows.append({"title": line["title"], "amount": _budget_amount(line)})
        rows.extend({"title": f"из них: {sub['title']}", "amount": _money(sub["amount"])} for sub in line["of_which"])
    return {
        "columns": exported["columns"],
        "rows": rows,
        "total": _money(exported["total"]),
        "total_words": exported["total_words"],
        "codes": " ".join(f"{name} {code}" for name, code in exported["codes"].items()),
        "funding_source": exported["funding_source"] or "",
    }


def _indicators(indicators: Indicators, exported: list[dict]) -> dict:
    return {
        "columns": indicators.columns,
        "rows": [{"number": _dotted(item["number"]), "name": item["name"], "unit": item["unit"],
                  "target": item["target"], "target_note": item["target_note"] or ""} for item in exported],
    }


def _deliverable(text: str) -> str:
    """Work items of the technical specification print as «– …» items; the spec may omit the dash."""
    return text if text.startswith(_DASHES) else f"– {text}"


def _specification(exported: dict, budget: dict | None) -> dict:
    return {
        "event_name": exported["event_name"],
        "requirements": [{"number": _dotted(item["number"]), "text": item["text"],
                          "time": item["time"]["rendered"] if item["time"] else "",
                          "deliverables": [_deliverable(d) for d in item["deliverables"]]}
                         for item in exported["items"]],
        "service_period": exported["service_period"]["rendered"],
        "funding_source": exported["funding_source"],
        # ТЗ section 5 states the sum: figures and words (ГОСТ: amounts in words where a document states a sum)
        "amount": budget["total"] if budget else "",
        "amount_words": budget["total_words"] if budget else "",
    }


def document_context(model: ProgrammeModel) -> dict:
    """Everything a template may show, for every document of the programme."""
    programme = model.programme
    exported = export_programme(model)
    info = exported["programme"]
    context: dict = {
        "programme": {"id": info["id"], "title": info["title"], "region": info["region"]},
        "decree": _decree(programme, programme.decree, exported["decree"]) if programme.decree else None,
        "document": _programme_document(exported["programme_document"]) if programme.programme_document else None,
        "appendices": _appendices(programme, exported["appendices"]),
        "roadmap": _roadmap(programme.roadmap, exported["roadmap"]) if programme.roadmap else None,
        "budget": _budget(exported["budget"]) if programme.budget else None,
        "indicators": _indicators(programme.indicators, exported["indicators"]) if programme.indicators else None,
    }
    context["specification"] = (_specification(exported["specification"], context["budget"])
                                if programme.specification else None)
    return context
