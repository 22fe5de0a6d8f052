"""The template context: the resolved model in the words and figures a signed document prints.

Built on `engine.export` (placeholders substituted, numbers and appendix marks
computed), then put into print form: amounts «1 900 000,00», dates 03.02.2020,
deadlines in words, clause numbers «5.1.», names «С.Н. Кирина». Values are plain
dicts, lists and strings, so a template can do nothing but show them. Keys never
shadow dict methods (`items`, `values`, `keys`): in Jinja `x.items` would find the
method before the key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engine import formats
from engine.export import export_programme, party_label
from engine.model.amending import edition_notes
from engine.model.appendices import appendices, decree_date, decree_number
from engine.model.grammar import inflect_phrase
from engine.model.printing import budget_amount, deliverable, dotted, owner_rows, upper_first
from engine.model.spec import Clause, Decree, IndicatorColumn, Indicators, Programme, ProgrammeDocument, Roadmap
from engine.model.text import person_name
from engine.model.validate import ProgrammeModel
from engine.render.docx import styles as S

# ГОСТ Р 7.0.97-2016 п. 5.19: a приказ has its order word; a распоряжение goes straight to its clauses.
DEFAULT_ORDER_WORDS = {"приказ": "ПРИКАЗЫВАЮ:", "распоряжение": ""}


def _typeset(value):
    """Every printed text of the context with its no-break spaces (formats.typeset); numbers and flags as they are."""
    if isinstance(value, str):
        return formats.typeset(value)
    if isinstance(value, list):
        return [_typeset(item) for item in value]
    if isinstance(value, dict):
        return {key: _typeset(item) for key, item in value.items()}
    return value


def _money(amount: str) -> str:
    return formats.money(Decimal(amount))


def _flatten_clauses(clauses: list[Clause], exported: list[dict], after_colon: bool = False) -> list[dict]:
    """Clauses of every level in reading order: «1.», «5.1.», … with the text as the spec writes it — but a clause
    that begins with a substituted value («{{ orgs.x.full.dat }} обеспечить …») begins a sentence, so with a capital,
    unless it continues its parent's sentence after a colon («5.1. в срок до …»)."""
    flat = []
    for clause, data in zip(clauses, exported, strict=True):
        text = data["text"]
        if clause.text.startswith("{{") and not after_colon:
            text = upper_first(text)
        flat.append({"number": dotted(data["number"]), "text": text, "level": data["number"].count(".") + 1,
                     "table": ""})
        flat.extend(_flatten_clauses(clause.clauses, data["clauses"], after_colon=clause.text.endswith(":")))
    return flat


def order_word_of(decree: Decree) -> str:
    return decree.order_word if decree.order_word is not None else DEFAULT_ORDER_WORDS[decree.kind]


def _decree(programme: Programme, decree: Decree, exported: dict, editions: dict[str, str]) -> dict:
    if decree.header:
        header = list(decree.header)
    elif decree.issuer_line:
        header = []      # the issuer line under the kind names the issuer (lysva: «НАЧАЛЬНИКА УПРАВЛЕНИЯ …»)
    else:
        header = [programme.organisations[decree.authority].full.upper()]
    order_word = order_word_of(decree)
    preamble = exported["preamble"]
    if decree.order_word_inline and order_word:
        preamble, order_word = f"{preamble} {order_word}", ""
    return {
        "kind": decree.kind.upper(),
        "header": header,
        "issuer_line": decree.issuer_line or "",
        "date": decree_date(decree),
        "number": decree_number(decree),
        "place": decree.place or "",
        "title": exported["title"],
        "edition": editions.get("decree", ""),
        "preamble": preamble,
        "order_word": order_word,
        "clauses": _flatten_clauses(decree.clauses, exported["clauses"]),
        "signature": signature_of(programme, decree.signatory),
        "performer": list(decree.performer),
    }


def signature_of(programme: Programme, signatory: str | None) -> dict | None:
    """The signature's position and name; a draft that names no signatory prints no signature."""
    person = programme.people.get(signatory) if signatory else None
    if person is None:
        return None
    return {"position": person.signature_position or upper_first(person.position), "name": person_name(person)}


def _corner(label: str, mark: str, stamp_word: str, stamp: str, corner: str = "both") -> dict:
    """The corner requisites as the templates print them: the label and the rest of the mark on lines of their
    own, the stamp's word and the rest of the stamp likewise; an empty one prints nothing — nor does one the spec's
    `corner` switches off (`label` always names the appendix)."""
    mark = mark if corner in ("both", "mark") else ""
    stamp, stamp_word = (stamp, stamp_word) if corner in ("both", "stamp") else ("", "")
    return {"label": label, "mark": mark, "mark_text": mark[len(label):].strip(),
            "stamp": stamp, "stamp_word": stamp_word, "stamp_text": stamp[len(stamp_word):].strip()}


def _appendices(programme: Programme, exported: list[dict], body: _Body, editions: dict[str, str]) -> list[dict]:
    resolved = {entry["kind"]: entry for entry in exported}
    result = []
    for appendix in appendices(programme):
        texts = resolved[appendix.kind]
        before, after = body.blocks(texts["before"]), body.blocks(texts["after"])
        if appendix.kind == "roadmap" and programme.roadmap is not None:
            # «Исполнитель: …» is part of the text around the table: the end of the text before it, the start of the after
            line = _executor_line(programme.roadmap, body.exported["roadmap"]["executor"])
            placement = programme.roadmap.executor_line
            before += [{"kind": "paragraph", "text": line}] if line and placement == "before" else []
            after = ([{"kind": "paragraph", "text": line}] if line and placement == "after" else []) + after
        result.append({
            "kind": appendix.kind, "owner": appendix.owner, "number": appendix.number,
            **_corner(appendix.label, appendix.mark, appendix.stamp_word, appendix.stamp, appendix.corner),
            "edition": editions.get(appendix.kind, ""),
            "title": texts["title"], "subtitle": texts["subtitle"] or "", "before": before, "after": after,
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


# --- tables of the body: a grid of cells the renderer writes (render/docx/tables.py) ---------------------

# cell styles and width weights by the type of a data table's column
_CELL_STYLES = {"text": (S.TABLE_TEXT, S.TABLE_TOTAL, 4.0), "organisation": (S.TABLE_TEXT, S.TABLE_TOTAL, 4.0),
                "unit": (S.TABLE_CENTERED, S.TABLE_TOTAL_CENTERED, 1.2),
                "money": (S.TABLE_AMOUNT, S.TABLE_TOTAL_AMOUNT, 2.2)}
_NUMBER_STYLES = (S.TABLE_CENTERED, S.TABLE_TOTAL_CENTERED, 1.5)
_INDICATOR_WEIGHTS = {"number": 0.7, "name": 4.0, "indicator": 4.0, "unit": 1.2, "baseline": 1.8, "actual": 1.8,
                      "target": 1.8, "note": 2.0, "year": 1.0, "direction": 1.4}
_INDICATOR_TEXT_FIELDS = ("name", "indicator")
_DIRECTIONS = {"increase": "рост", "decrease": "снижение", "keep": "сохранение"}
_PASSPORT_WIDTHS_CM = (5.5, 11.5)          # the two columns of a passport on an A4 portrait page


def _grid(columns: list[dict], rows: list[dict], landscape: bool = False, header: bool = True) -> dict:
    """A table entry of the body: its grid, written as WordprocessingML into `table` when the template is opened."""
    return {"kind": "table", "grid": {"columns": columns, "rows": rows, "landscape": landscape, "header": header}}


def _grid_column(headings: list[str], width: float | None, weight: float, styles: tuple[str, str]) -> dict:
    return {"headings": headings, "width": width, "weight": weight, "style": styles[0], "total_style": styles[1]}


def _lines(cell) -> list[str]:
    return cell if isinstance(cell, list) else [cell]


def _data_table(table: dict, widths: list[float | None]) -> list[dict]:
    """A data table: its title as captions, then the grid (rows, group rows, total rows with their label first)."""
    columns = []
    for column, width in zip(table["columns"], widths, strict=True):
        style, total_style, weight = _CELL_STYLES.get(column["type"], _NUMBER_STYLES)
        columns.append(_grid_column([*column["group"], column["heading"]], width, weight, (style, total_style)))
    rows = [{"cells": [], "group": row["group"], "total": False} if row["group"] is not None
            else {"cells": [_lines(cell) for cell in row["cells"]], "group": None, "total": False}
            for row in table["rows"]]
    for total in table["totals"]:
        cells = [[total["values"].get(column["id"], "")] for column in table["columns"]]
        cells[0] = [total["label"]]
        rows.append({"cells": cells, "group": None, "total": True})
    captions = [{"kind": "caption", "text": line} for line in table["title"]]
    return captions + [_grid(columns, rows, table["landscape"])]


def _list_lines(listing: dict, depth: int = 0) -> list[str]:
    """A list inside a table cell: one paragraph per item, a nested item indented by its depth."""
    lines = []
    for item in listing["items"]:
        lines.append("\u00a0" * 4 * depth + f"{item['marker']} {item['text']}")
        if item["list"]:
            lines.extend(_list_lines(item["list"], depth + 1))
    return lines


def _indicator_line(number: int, item: dict) -> str:
    """«1. Доля общеобразовательных организаций … – 59 %.» — an indicator as a passport lists it."""
    return f"{number}. {item['name']} – {_with_unit(item['target'], item['unit'])}."


def _with_unit(value: str, unit: str) -> str:
    """«59 %», «12 ед.»: the value and its unit, unless the value already says it («не менее 50 человек»)."""
    if not unit or not value or not value[-1].isdigit():
        return value
    return f"{value}{formats.NBSP}{unit}"


def _passport_value(row: dict, indicators: dict[str, dict]) -> list[str]:
    kind = row["kind"]
    if kind == "text":
        return row["paragraphs"]
    if kind == "list":
        return _list_lines(row["list"])
    if kind == "tasks":
        return [f"Задача {task['number']}. {task['text']}" for task in row["tasks"]]
    if kind == "organisations":
        return [upper_first(", ".join(party["full"] for party in row["organisations"]))]
    shown = [indicators[item_id] for group in row["groups"] for item_id in group["items"]]
    return [_indicator_line(number, item) for number, item in enumerate(shown, start=1)]


def _passport(block: dict, indicators: dict[str, dict]) -> list[dict]:
    """The passport: two columns, a row per line of the passport, the label left, its value right."""
    headings = block["headings"]
    columns = [_grid_column([headings[index]] if headings else [""], width, 1.0, (S.TABLE_TEXT, S.TABLE_TOTAL))
               for index, width in enumerate(_PASSPORT_WIDTHS_CM)]
    rows = [{"cells": [[row["label"]], _passport_value(row, indicators)], "group": None, "total": False}
            for row in block["rows"]]
    return [_grid(columns, rows, header=bool(headings))]


def _indicator_cell(column: IndicatorColumn, item: dict, number: int, notes_apart: bool) -> list[str]:
    field = column.field
    if field == "number":
        return [str(number)]
    if field in ("actual", "target") and column.year is not None:
        return [item["actual" if field == "actual" else "targets"].get(str(column.year), "")]
    if field == "target":
        return [item["target"]] + ([item["target_note"]] if item["target_note"] and not notes_apart else [])
    if field == "note":
        return [item["target_note"] or ""]
    if field == "direction":
        return [_DIRECTIONS[item["direction"]]]
    value = item[field]
    return ["" if value is None else str(value)]


def indicator_table(indicators: Indicators, groups: list[dict], items: dict[str, dict]) -> dict:
    """The indicators of `groups` (a group's heading across the table, then its indicators, numbered on through the
    groups) in the columns the spec gives."""
    with_dots = indicators.numbering == "dotted"
    notes_apart = any(column.field == "note" for column in indicators.columns)
    columns = [_grid_column([*column.group, column.heading],
                            float(column.width) if column.width is not None else None,
                            _INDICATOR_WEIGHTS.get(column.field, 1.5),
                            (S.TABLE_TEXT, S.TABLE_TOTAL) if column.field in _INDICATOR_TEXT_FIELDS
                            else (S.TABLE_CENTERED, S.TABLE_TOTAL_CENTERED))
               for column in indicators.columns]
    rows: list[dict] = []
    number = 0
    for group in groups:
        if group["heading"]:
            rows.append({"cells": [], "group": group["heading"], "total": False})
        for item_id in group["items"]:
            number += 1
            rows.append({"cells": [[dotted(cell, with_dots) if column.field == "number" else cell
                                    for cell in _indicator_cell(column, items[item_id], number, notes_apart)]
                                   for column in indicators.columns], "group": None, "total": False})
    return _grid(columns, rows)


class _Body:
    """Blocks of text as entries the templates print one by one: the sections of a programme document, the text
    before and after an appendix's table."""

    def __init__(self, programme: Programme, exported: dict):
        self.programme = programme
        self.tables = exported["tables"]
        self.widths = {table_id: [float(column.width) if column.width is not None else None
                                  for column in table.columns] for table_id, table in programme.tables.items()}
        self.indicators = {item["id"]: item for item in exported.get("indicators", [])}
        self.exported = exported

    def block(self, block: dict) -> list[dict]:
        kind = block["kind"]
        if kind == "text":
            return [{"kind": "paragraph", "text": text} for text in block["paragraphs"]]
        if kind == "heading":
            return [{"kind": "heading", "text": block["text"]}]
        if kind == "list":
            return _list_items(block["list"], 1)
        if kind == "tasks":
            return [{"kind": "paragraph", "text": f"Задача {task['number']}. {task['text']}"} for task in block["tasks"]]
        if kind == "table":
            return _data_table(self.tables[block["table"]], self.widths[block["table"]])
        if kind == "passport":
            return _passport(block, self.indicators)
        indicators = self.programme.indicators
        if indicators is None:
            return []
        titles = self.exported["indicator_table"]
        captions = [{"kind": "caption", "text": text} for text in (titles["title"], titles["subtitle"]) if text]
        return captions + [indicator_table(indicators, block["groups"], self.indicators)]

    def blocks(self, blocks: list[dict]) -> list[dict]:
        return [entry for block in blocks for entry in self.block(block)]

    def section(self, section: dict, level: int) -> list[dict]:
        number = f"{section['number']}." if section["number"] else ""
        entries = [{"kind": "section", "number": number, "title": section["title"], "level": level}]
        entries += self.blocks(section["blocks"])
        for subsection in section["sections"]:
            entries += self.section(subsection, level + 1)
        return entries


def _programme_document(document: ProgrammeDocument, exported: dict, body: _Body) -> dict:
    """The programme document: its title block, its stamp if approved, and its body as a flat list of entries
    (section headings, paragraphs, list items, captions and tables) that the template prints one by one, each in
    its style."""
    approval = exported["approval"]
    return {
        "title": exported["title"], "subtitle": exported["subtitle"] or "", "name": exported["name"] or "",
        "approval": _corner(approval["label"], approval["mark"], approval["stamp_word"], approval["stamp"],
                            document.corner) if approval else None,
        "body": [entry for section in exported["sections"] for entry in body.section(section, 1)],
    }


def _activity(activity: dict, with_dots: bool) -> dict:
    """The cells of an activity by column field: `activity` holds the name and its list of actions in one cell,
    `title` and `details` hold them apart (a two-level «Мероприятие» / «Наименование», «Описание» header)."""
    return {
        "number": dotted(activity["number"], with_dots),
        "time": activity["time"]["rendered"],
        "activity": [activity["title"], *activity["details"]],
        "title": [activity["title"]],
        "details": activity["details"],
        "rows": owner_rows([(party_label(owner), owner["result"]) for owner in activity["owners"]], activity["result"]),
    }


def _executor_line(roadmap: Roadmap, executor: dict | None) -> str:
    """«Исполнитель: управление образования …» — the one executor of every activity, where no column names it."""
    if executor is None or roadmap.executor_line == "none":
        return ""
    name = executor["full"] if executor["type"] == "organisation" else f"{executor['position']} {executor['name']}"
    return f"{roadmap.executor_label}: {name}"


def _roadmap(roadmap: Roadmap, exported: dict) -> dict:
    with_dots = roadmap.numbering == "dotted"
    section_numbering = roadmap.section_numbering or roadmap.numbering
    groups = [{"title": section["title"] if section_numbering == "none" else
               f"{dotted(section['number'], section_numbering == 'dotted')} {section['title']}",
               "activities": [_activity(a, with_dots) for a in section["activities"]]}
              for section in exported["sections"]]
    if exported["activities"]:
        groups.append({"title": "", "activities": [_activity(a, with_dots) for a in exported["activities"]]})
    return {
        "glossary": [{"short": entry["short"], "full": entry["full"]} for entry in exported["glossary"]],
        "columns": [{"field": column.field, "heading": column.heading, "group": column.group or "",
                     "width": float(column.width) if column.width is not None else None}
                    for column in roadmap.columns],
        "groups": groups,
    }


def _budget_amount(line: dict) -> str:
    def decimal(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return budget_amount(Decimal(line["amount"]), decimal(line["quantity"]), decimal(line["unit_price"]))


def _budget(exported: dict) -> dict:
    """Rows of the budget table: a line, then its parts — `part` rows, indented under «из них» (or the spec's word), so
    that they visibly do not add to the total."""
    rows = []
    for line in exported["lines"]:
        rows.append({"title": line["title"], "amount": _budget_amount(line), "part": False})
        rows.extend({"title": f"{exported['of_which_label']} {sub['title']}", "amount": _money(sub["amount"]), "part": True}
                    for sub in line["of_which"])
    return {
        "columns": exported["columns"],
        "rows": rows,
        "total": _money(exported["total"]),
        "total_words": exported["total_words"],
        "codes": " ".join(f"{name} {code}" for name, code in exported["codes"].items()),
        "funding_source": exported["funding_source"] or "",
    }


def _indicators(indicators: Indicators, exported: dict) -> dict:
    """The indicators appendix: every group and indicator in one table (written into `table` when the template is
    opened), with the columns' headings and the rows as data too."""
    items = {item["id"]: item for item in exported["indicators"]}
    groups = [{"heading": group["heading"], "items": group["items"]} for group in exported["indicator_groups"]]
    grouped = {item_id for group in groups for item_id in group["items"]}
    groups.append({"heading": "", "items": [item["id"] for item in exported["indicators"] if item["id"] not in grouped]})
    # `columns` and `rows` as the indicators template printed them before the table was built in code (own templates)
    rows = [{"number": dotted(item["number"]), "name": item["name"], "unit": item["unit"], "target": item["target"],
             "target_note": item["target_note"] or ""} for item in exported["indicators"]]
    return dict(indicator_table(indicators, groups, items), columns=[column.heading for column in indicators.columns],
                rows=rows)


def _specification(exported: dict, budget: dict | None) -> dict:
    return {
        "event_name": exported["event_name"],
        "requirements": [{"number": dotted(item["number"]), "text": item["text"],
                          "time": item["time"]["rendered"] if item["time"] else "",
                          "deliverables": [deliverable(d) for d in item["deliverables"]]}
                         for item in exported["items"]],
        "service_period": exported["service_period"]["rendered"],
        "funding_source": exported["funding_source"],
        # ТЗ section 5 states the sum as the source does, in figures; the words are there for a template that wants them
        "amount": budget["total"] if budget else "",
        "amount_words": budget["total_words"] if budget else "",
    }


def _report_row(item: dict, with_dot: bool) -> dict:
    """A row of the report: what is done of an item, each of its occurrences that is due or has a record."""
    several = len(item["occurrences"]) > 1
    info, time = [], [upper_first(item["time"]["rendered"])]
    for occurrence in item["occurrences"]:
        prefix = f"{occurrence['planned']['text']}: " if several and occurrence["planned"] else ""
        if occurrence["moved"] is not None:
            time.append(f"{prefix}новый срок — {occurrence['moved']['new_deadline']['rendered']}")
        if occurrence["info"]:
            info.append(prefix + occurrence["info"])
    return {"number": dotted(item["number"], with_dot or item["document"] != "roadmap"),
            "activity": upper_first(item["title"]).rstrip(" :;"), "time": time,
            "owners": ", ".join(p.get("short") or p.get("name", "") for p in item["parties"]),
            "info": info or ["—"], "mark": item["mark"]}


def _report_groups(programme: Programme, progress: dict, titles: dict[str, str]) -> list[dict]:
    """Rows grouped as the documents group them: roadmap sections, the specification, the decree's clauses. A group
    is titled when it is a section or when the report has several groups."""
    roadmap = programme.roadmap
    rows_dotted = roadmap.numbering == "dotted" if roadmap else True
    sections_dotted = (roadmap.section_numbering or roadmap.numbering) == "dotted" if roadmap else True
    groups: dict[str, dict] = {}
    for item in progress["items"]:
        section = item["section"]
        key = f"{item['document']}.{section['id']}" if section else item["document"]
        if section is not None:
            title = f"{dotted(section['number'], sections_dotted)} {section['title']}"
        elif item["document"] == "decree" and programme.decree is not None:
            title = f"Поручения {inflect_phrase(programme.decree.kind, 'gen')}"
        else:
            title = titles.get(item["document"], "")
        groups.setdefault(key, {"title": title, "sections": section is not None, "rows": []})["rows"].append(
            _report_row(item, rows_dotted))
    several = len(groups) > 1
    return [{"title": group["title"] if group["sections"] or several else "", "rows": group["rows"]}
            for group in groups.values()]


def _report_summary(summary: dict) -> str:
    """«Наступил срок исполнения по 6 срокам: выполнено в срок — 4 (66,7 %), …» — the share the report is judged by."""
    due = summary["due"]
    if not due:
        return "Срок исполнения ни одного мероприятия ещё не наступил."
    share = summary["share_on_time"].replace(".", ",")
    text = (f"Наступил срок исполнения по {due} {formats.plural(due, ('сроку', 'срокам', 'срокам'))}: выполнено "
            f"в срок — {summary['done_on_time']} ({share}{formats.NBSP}%), с нарушением срока — "
            f"{summary['done_late']}, не выполнено — {summary['overdue']}")
    if summary["cancelled"]:
        text += f"; отменено — {summary['cancelled']}"
    return text + "."


def _report(programme: Programme, exported: dict) -> dict | None:
    """«Информация о ходе реализации … по состоянию на …»: the context of the progress template."""
    progress = exported.get("progress")
    if progress is None:
        return None
    titles = {appendix["kind"]: appendix["title"] for appendix in exported["appendices"]}
    signatory = programme.people.get(programme.progress.signatory) if programme.progress and \
        programme.progress.signatory else None
    return {
        "subject": progress["subject"],
        "as_of": formats.date_numeric(dt.date.fromisoformat(progress["as_of"])),
        "groups": _report_groups(programme, progress, titles),
        "summary": _report_summary(progress["summary"]),
        "indicators": [{
            "number": dotted(row["number"]), "name": row["name"], "unit": row["unit"],
            "target": row["target"], "actual": row["actual"] or "—",
            "achievement": row["achievement"].replace(".", ",") if row["achievement"] else "—",
            "comment": row["comment"] or "",
        } for row in progress["indicators"]],
        "signature": {"position": signatory.signature_position or upper_first(signatory.position),
                      "name": person_name(signatory)} if signatory else None,
    }


def document_context(model: ProgrammeModel) -> dict:
    """Everything a template may show, for every document of the programme."""
    programme = model.programme
    exported = export_programme(model)
    info = exported["programme"]
    body = _Body(programme, exported)
    editions = edition_notes(programme)
    context: dict = {
        "programme": {"id": info["id"], "title": info["title"], "region": info["region"]},
        "decree": _decree(programme, programme.decree, exported["decree"], editions) if programme.decree else None,
        "document": (_programme_document(programme.programme_document, exported["programme_document"], body)
                     if programme.programme_document else None),
        "appendices": _appendices(programme, exported["appendices"], body, editions),
        "roadmap": _roadmap(programme.roadmap, exported["roadmap"]) if programme.roadmap else None,
        "budget": _budget(exported["budget"]) if programme.budget else None,
        "indicators": _indicators(programme.indicators, exported) if programme.indicators else None,
    }
    context["specification"] = (_specification(exported["specification"], context["budget"])
                                if programme.specification else None)
    context["report"] = _report(programme, exported)
    return _typeset(context)
