"""Generated parts of docs/spec-language.md: the key tables and the table of deadline forms.

The key tables come from the pydantic model of the spec language (engine/model/spec.py): every
section, every key, whether it is required, what kind of value it takes and its Russian
description. The deadline table shows how the time language reads the forms of the three source
documents. Both sit between marker comments in docs/spec-language.md; the rest of the page is
written by hand.

    python tools/spec_docs.py           # rewrite the generated blocks in docs/spec-language.md
    python tools/spec_docs.py --check   # exit 1 if the page is out of date (the tests do this too)
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from engine.model import spec  # noqa: E402
from engine.model.timeexpr import parse_period, parse_time  # noqa: E402

DOC = REPO / "docs" / "spec-language.md"

# (section heading, how it is written in YAML, model) — in the order of the reference
SECTIONS: list[tuple[str, str, type[spec.SpecModel]]] = [
    ("Программа", "programme:", spec.ProgrammeInfo),
    ("Пределы программы", "programme.limits:", spec.Limits),
    ("Организация", "organisations: {id: …}", spec.Organisation),
    ("Сокращение", "terms: {id: …}", spec.Term),
    ("Должностное лицо", "people: {id: …}", spec.Person),
    ("Приказ или распоряжение", "decree:", spec.Decree),
    ("Программный документ", "programme_document:", spec.ProgrammeDocument),
    ("Задача программы", "programme_document.tasks: [ … ]", spec.Task),
    ("Раздел документа", "programme_document.sections: [ … ], sections: [ … ]", spec.DocumentSection),
    ("Блок раздела", "blocks: [ … ], before: [ … ], after: [ … ]", spec.Block),
    ("Паспорт", "blocks: [{passport: …}]", spec.Passport),
    ("Строка паспорта", "passport.rows: [ … ]", spec.PassportRow),
    ("Список", "list:", spec.ListBlock),
    ("Пункт списка", "list.items: [ … ]", spec.ListItem),
    ("Ссылка на акт", "decree.legal_basis: {id: …}, approved_by:", spec.ActRef),
    ("Пункт", "decree.clauses: [ … ], clauses: [ … ]", spec.Clause),
    ("Дорожная карта", "roadmap:", spec.Roadmap),
    ("Столбец дорожной карты", "roadmap.columns: [ … ]", spec.Column),
    ("Раздел дорожной карты", "roadmap.sections: [ … ]", spec.Section),
    ("Мероприятие", "roadmap.activities: [ … ], sections[].activities: [ … ]", spec.Activity),
    ("Исполнитель мероприятия", "owners: [ … ]", spec.Owner),
    ("Смета", "budget:", spec.Budget),
    ("Строка сметы", "budget.lines: [ … ]", spec.BudgetLine),
    ("Строка «из них»", "budget.lines[].of_which: [ … ]", spec.SubLine),
    ("Целевые показатели", "indicators:", spec.Indicators),
    ("Столбец таблицы показателей", "indicators.columns: [ … ]", spec.IndicatorColumn),
    ("Группа показателей", "indicators.groups: [ … ]", spec.IndicatorGroup),
    ("Показатель", "indicators.items: [ … ], groups[].items: [ … ]", spec.Indicator),
    ("Техническое задание", "specification:", spec.Specification),
    ("Пункт технического задания", "specification.items: [ … ]", spec.SpecItem),
    ("Таблица данных", "tables: {id: …}", spec.DataTable),
    ("Столбец таблицы данных", "tables.<id>.columns: [ … ]", spec.TableColumn),
    ("Строка таблицы данных", "tables.<id>.rows: [ … ]", spec.TableRow),
    ("Итоговая строка", "tables.<id>.totals: [ … ]", spec.TotalRow),
    ("Приказ о внесении изменений", "amendments: {id: …}", spec.Amendment),
    ("Изменение", "amendments.<id>.changes: [ … ]", spec.AmendmentChange),
    ("Пороги выбора формы изменения", "amendments.<id>.forms:", spec.AmendmentForms),
    ("Исполнение", "progress:", spec.Progress),
    ("Запись об исполнении", "progress.records: [ … ]", spec.ExecutionRecord),
    ("Подтверждающий документ", "evidence: [ … ], decision:", spec.Evidence),
    ("Фактическое значение показателя", "progress.actuals: [ … ]", spec.IndicatorActual),
]

# named value types of engine/model/spec.py → how the reference calls them
NAMED = [
    (spec.Money, "сумма"),
    (spec.QuantityValue, "количество"),
    (spec.BudgetCode, "код бюджетной классификации"),
    (spec.Time, "срок"),
    (spec.PeriodValue, "период"),
    (spec.Date, "дата"),
    (spec.Flag, "да / нет"),
    (spec.Id, "id"),
    (spec.ItemRef, "ссылка на пункт"),
    (spec.Timezone, "часовой пояс"),
    (spec.Line, "текст в одну строку"),
    (spec.Year, "год"),
    (spec.Paragraphs, "текст или список абзацев"),
    (spec.Case, "падеж"),
    (spec.TaskSelection, "`all` или список id"),
    (spec.HeadingGroup, "заголовок или список заголовков"),
    (spec.CellValue, "значение ячейки: текст, список абзацев или пусто"),
    (spec.Percent, "доля в процентах"),
    (spec.Cells, "{графа: текст}"),
    (spec.Renumbering, "{старый номер: новый}"),
]

# the deadline forms of the three sources: (as written, programme period, source)
TIME_EXAMPLES = [
    ("16.03.2021", "2021–2024", "один день"),
    ("05.03.2021 – 09.03.2021", "2021–2024", "окно"),
    ("01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022", "2022", "несколько окон (Липецк, строка 8)"),
    ("Март", "2022", "месяц (Липецк, строки 3–4)"),
    ("Февраль-март", "2022", "диапазон месяцев (Липецк, строки 1–2)"),
    ("Март-декабрь 2022", "2022", "диапазон с годом (Липецк, строки 5–7)"),
    ("май, июнь 2020 года", "2020", "перечень месяцев (Ленинград, ТЗ 2.7)"),
    ("до 10 февраля 2020 года", "2020", "крайний срок (Ленинград, пункт 5.1)"),
    ("не позднее 01.03.2022", "2022", "крайний срок"),
    ("ежемесячно", "2020", "ежемесячно весь период"),
    ("ежемесячно, февраль - декабрь 2020 года", "2020", "ежемесячно в указанные месяцы"),
    ("ежемесячно до 10 числа", "2022", "крайний срок каждый месяц"),
    ("ежеквартально", "2022", "каждый квартал"),
    ("ежеквартально до 5 числа месяца, следующего за отчётным кварталом", "2022",
     "отчёт о каждом квартале (последний — после периода)"),
    ("раз в полугодие", "2021–2024", "каждое полугодие"),
    ("еженедельно", "2022", "каждая неделя, с понедельника по воскресенье"),
    ("по пятницам", "2022", "каждая пятница (так же «каждую пятницу», «еженедельно по пятницам»)"),
    ("по вторникам и четвергам, март – май", "2022", "дни недели в указанные месяцы"),
    ("ежегодно до 1 декабря", "2021–2024", "крайний срок каждый год"),
    ("Ноябрь, январь, март, июнь", "2021–2024", "перечень месяцев каждый год (Лысьва, 2.3)"),
    ("Июнь-июль", "2021–2024", "месяцы без года в многолетней программе (Лысьва, 2.2)"),
    ("Ежегодно", "2021–2024", "каждый год (Лысьва, 3.7)"),
    ("В течение года", "2021–2024", "весь год, каждый год (Лысьва, 3.4)"),
    ("2021 год", "2021–2024", "один год целиком (Лысьва, 2.1)"),
    ("2024–2025", "2024–2028", "несколько лет целиком — одно окно (так же «2024–2025 годы», «2024–2025 гг.»)"),
    ("Август, 2021", "2021–2024", "месяц с годом через запятую (Лысьва, 1.1)"),
    ("сентябрь – ноябрь 2024 года; сентябрь – ноябрь 2025 года", "2024–2028", "месяцы разных лет через «;»"),
    ("ноябрь 2021 – январь 2022", "2021–2024", "через конец года — оба года"),
    ("В соответствии с календарными планами ОО", "2022", "без даты (Липецк, строка 13)"),
    ("По итогам выявления", "2021–2024", "без даты (Лысьва, 2.5)"),
    ("по отдельному графику", "2022", "без даты"),
]

KEYS_BEGIN = "<!-- ключи: начало; генерирует tools/spec_docs.py, не правьте вручную -->"
KEYS_END = "<!-- ключи: конец -->"
TIME_BEGIN = "<!-- сроки: начало; генерирует tools/spec_docs.py, не правьте вручную -->"
TIME_END = "<!-- сроки: конец -->"


# keys whose value a generic name would describe poorly
FIELD_TYPES = {
    ("ProgrammeInfo", "checks"): "словарь {код или имя проверки: `off` \\| `error` \\| `warning` \\| `info`}",
    ("ProgrammeInfo", "templates"): "словарь {вид документа: путь к файлу .docx}",
    ("ActRef", "issuer"): "id или текст",
    ("ProgrammeDocument", "appendices"): "список: `roadmap` \\| `budget` \\| `indicators` \\| `specification`",
    ("Evidence", "issuer"): "id или текст",
    ("ExecutionRecord", "evidence"): "список: [подтверждающий документ](#подтверждающий-документ) или ссылка",
}


def _named(annotation) -> str | None:
    if annotation == spec.Silence:
        return "словарь {код или имя проверки: причина}"
    for alias, name in NAMED:
        if annotation == alias:
            return name
    return None


def type_name(annotation) -> str:
    """The kind of value a key takes, in the words of the reference."""
    named = _named(annotation)
    if named:
        return named
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return " или ".join(type_name(a) for a in rest)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"список: {type_name(args[0])}"
    if origin is dict:
        key, value = args
        key_name = "падеж" if key == spec.Case else ("id" if key == spec.Id else type_name(key))
        return f"словарь {{{key_name}: {type_name(value)}}}"
    if isinstance(annotation, type) and issubclass(annotation, spec.SpecModel):
        heading = next((h for h, _, model in SECTIONS if model is annotation), annotation.__name__)
        return f"[{heading.lower()}](#{_anchor(heading)})"
    simple = {str: "текст", int: "целое число", bool: "да / нет"}
    if annotation in simple:
        return simple[annotation]
    if getattr(annotation, "__name__", "") == "Decimal":
        return "число"
    if isinstance(annotation, typing.ForwardRef | str):
        return type_name(typing.get_type_hints(spec.Clause, include_extras=True)["clauses"])
    return str(annotation)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces → «-», punctuation dropped."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -")
    return kept.replace(" ", "-")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _default(field) -> str:
    if field.is_required():
        return "да"
    if field.default_factory is not None:
        return "нет"
    if field.default in (None, False, "", [], {}):
        return "нет"
    if field.default is True:                        # a flag: written «да» / «нет» in the spec
        return "нет (по умолчанию да)"
    return f"нет (по умолчанию `{field.default}`)"


def key_tables() -> str:
    lines = ["Верхний уровень: в файлах программы пишутся разделы "
             + ", ".join(f"`{name}`" for name in spec.Programme.model_fields) + "."]
    top = spec.Programme.model_fields
    lines += ["", "| раздел | обязательный | что в нём |", "|---|---|---|"]
    hints = typing.get_type_hints(spec.Programme, include_extras=True)
    for name, field in top.items():
        lines.append(f"| `{name}` | {'да' if field.is_required() else 'нет'} | {type_name(hints[name])} — "
                     f"{_cell(field.description)} |")
    for heading, written, model in SECTIONS:
        doc = " ".join((model.__doc__ or "").split())
        hints = typing.get_type_hints(model, include_extras=True)
        lines += ["", f"### {heading}", "", f"`{written}` — {doc}", "",
                  "| ключ | обязательный | значение | описание |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            key = field.alias or name
            kind = FIELD_TYPES.get((model.__name__, name)) or type_name(hints[name])
            lines.append(f"| `{key}` | {_default(field)} | {kind} | {_cell(field.description or '')} |")
    return "\n".join(lines)


def _day_or_window(window) -> str:
    return f"{window.start:%d.%m.%Y}" if window.start == window.end else f"{window.start:%d.%m.%Y} – {window.end:%d.%m.%Y}"


def time_table() -> str:
    """Deadlines print as written, so the table shows what each form means: its windows in the calendar."""
    lines = ["| как написано (так и печатается) | период программы | что это | окна в календаре |", "|---|---|---|---|"]
    for text, period_text, what in TIME_EXAMPLES:
        period = parse_period(period_text)
        expr = parse_time(text)
        windows = expr.windows(period)
        if not windows:
            placed = "нет (в календарь не попадает)"
        elif len(windows) <= 2:
            placed = "; ".join(_day_or_window(window) for window in windows)
        else:
            placed = (f"{len(windows)} {_windows_word(len(windows))}: {_day_or_window(windows[0])}, "
                      f"{_day_or_window(windows[1])}, …, {_day_or_window(windows[-1])}")
        lines.append(f"| «{_cell(text)}» | {period_text} | {what} | {placed} |")
    return "\n".join(lines)


def _windows_word(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "окно"
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return "окна"
    return "окон"


def replace_block(text: str, begin: str, end: str, body: str) -> str:
    start, finish = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n\n" + body + "\n\n" + text[finish:]


def render(text: str) -> str:
    """The page with both generated blocks brought up to date."""
    text = replace_block(text, KEYS_BEGIN, KEYS_END, key_tables())
    return replace_block(text, TIME_BEGIN, TIME_END, time_table())


def regenerate(doc: Path, render_page, argv: list[str], tool: str) -> int:
    """Rewrite the generated blocks of `doc` by `render_page`; with --check, exit 1 instead if it is out of date."""
    current = doc.read_text(encoding="utf-8")
    fresh = render_page(current)
    if "--check" in argv:
        if fresh != current:
            sys.stderr.write(f"{doc.relative_to(REPO)} устарел: запустите python tools/{tool}\n")
            return 1
        return 0
    if fresh != current:
        doc.write_text(fresh, encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    return regenerate(DOC, render, argv, "spec_docs.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
