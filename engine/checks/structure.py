"""Structure: clauses, appendices, references and ids hold together."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from engine import formats
from engine.checks.registry import CheckContext, Finding, NotBuilt, check
from engine.diagnostics import DiagnosticError, Severity
from engine.model.appendices import APPENDIX_FORM, DECREE, KIND_NAMES, PROGRAMME_DOCUMENT, appendices, decree_number
from engine.model.grammar import nominative_only
from engine.model.spec import (
    Activity,
    ActRef,
    Amendment,
    AppendixDocument,
    Block,
    Budget,
    BudgetLine,
    Clause,
    DataTable,
    DocumentSection,
    Indicator,
    IndicatorGroup,
    PassportRow,
    ProgrammeInfo,
    Section,
    SpecItem,
    SpecModel,
    Task,
)
from engine.model.text import TextContext, appendix_numbers, placeholders, render_text
from engine.model.walk import CONTENT_PARTS, TEXT_PARTS, all_clauses, decree_clauses, document_contents, walk_sections

APPENDIX_KINDS = ("roadmap", "budget", "indicators", "specification")
# folders at the outputs root shared by all programmes (organisation feeds, the editor schema)
RESERVED_IDS = frozenset({"calendars", "schema"})
# read also to know whether the section is there
APPROVED_BY = tuple(f"{kind}.approved_by" for kind in (*APPENDIX_KINDS, PROGRAMME_DOCUMENT))


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w{}.]+", " ", text.lower()).split())


@check("R501", "duplicate-clause", reads=("decree.clauses",), targets=(Clause,))
def duplicate_clause(ctx: CheckContext):
    """Пункт распорядительной части не повторяется.

    Дважды опубликованный пункт сбивает нумерацию и ссылки на пункты; при
    копировании текста это случается чаще, чем кажется.

    Плохо:
        clauses:
          - {text: "Утвердить целевые показатели (приложение {{ appendix.indicators }}).", approves: indicators}
          - {text: "Утвердить целевые показатели (приложение {{ appendix.indicators }}).", approves: indicators}
    Хорошо:
        clauses:
          - {text: "Утвердить целевые показатели (приложение {{ appendix.indicators }}).", approves: indicators}
    """
    seen: dict[str, Clause] = {}
    for clause in all_clauses(decree_clauses(ctx.programme)):
        key = _normalised(clause.text)
        if key in seen:
            yield Finding(clause, f"пункт {clause.number} повторяет пункт {seen[key].number}",
                          "удалите повтор: номера следующих пунктов пересчитаются сами", field="text")
        else:
            seen[key] = clause


@check("R502", "appendix-reference", reads=(*APPROVED_BY, "programme_document.appendices"),
       reads_whole=("decree.clauses", *CONTENT_PARTS), targets=(Clause, AppendixDocument))
def appendix_reference(ctx: CheckContext):
    """Приложения утверждаются ровно одним пунктом, и номера приложений в тексте верны.

    Номер приложения вычисляется по порядку утверждающих пунктов. Пункт не
    может утверждать приложение, которого нет в спецификации; дорожная карта,
    показатели и ТЗ должны утверждаться (или быть приложениями программного
    документа — `programme_document.appendices`, но не тем и другим сразу);
    набранный вручную номер («приложение 2») должен совпадать с вычисленным —
    лучше писать `{{ appendix.<вид> }}`.

    Плохо:
        - {text: "Утвердить смету (приложение 2).", approves: budget}   # смета — приложение 1
    Хорошо:
        - {text: "Утвердить смету (приложение {{ appendix.budget }}).", approves: budget}
    """
    programme = ctx.programme
    numbers = appendix_numbers(programme)
    approved: dict[str, Clause] = {}
    for clause in all_clauses(decree_clauses(programme)):
        if clause.approves is None:
            continue
        if getattr(programme, clause.approves) is None:
            yield Finding(clause, f"пункт {clause.number} утверждает приложение «{KIND_NAMES[clause.approves]}», "
                                  f"но такого раздела нет в спецификации",
                          f"добавьте раздел {clause.approves}: или уберите approves", field="approves")
        elif clause.approves in approved:
            yield Finding(clause, f"{KIND_NAMES[clause.approves]} уже утверждается пунктом "
                                  f"{approved[clause.approves].number}", "оставьте один утверждающий пункт",
                          field="approves")
        approved.setdefault(clause.approves, clause)
        for match in re.finditer(r"приложени\w*\s+(?:№\s*)?(\d+)", clause.text, re.IGNORECASE):
            if int(match.group(1)) != numbers[clause.approves]:
                yield Finding(clause, f"в тексте «{match.group()}», а утверждаемое приложение — № "
                                      f"{numbers[clause.approves]}",
                              f"пишите {{{{ appendix.{clause.approves} }}}}", field="text")
    own: set[str] = set()
    document = programme.programme_document
    for index, kind in enumerate(document.appendices if document else []):
        if kind in own:
            yield Finding(document, f"{KIND_NAMES[kind]} уже указана среди приложений программного документа",
                          "укажите каждое приложение один раз", field=("appendices", index))
        elif getattr(programme, kind) is None:
            yield Finding(document, f"приложение «{KIND_NAMES[kind]}» программного документа не задано в спецификации",
                          f"добавьте раздел {kind}: или уберите его из appendices", field=("appendices", index))
        elif kind in approved:
            yield Finding(document, f"{KIND_NAMES[kind]} — приложение программного документа и одновременно "
                                    f"утверждается пунктом {approved[kind].number} приказа",
                          "оставьте что-то одно: приложение программы утверждается вместе с ней",
                          field=("appendices", index),
                          related=((approved[kind], "approves", f"пункт {approved[kind].number}"),))
        own.add(kind)
    if any(isinstance(content, Block) and content.indicators is not None for content in document_contents(programme)):
        own.add("indicators")       # a table of the programme document's body
    for kind in ("roadmap", "indicators", "specification"):
        appendix = getattr(programme, kind)
        if appendix is not None and kind not in approved and kind not in own and appendix.approved_by is None:
            where = "ни одним пунктом приказа" if programme.decree else "приказом"
            yield Finding(appendix, f"{KIND_NAMES[kind]} не утверждается {where} и не является приложением "
                                    f"программного документа",
                          f"добавьте пункт с approves: {kind}, укажите approved_by или впишите {kind} в "
                          f"programme_document.appendices", key=True, field="title")


def _act_matches(act: ActRef, number: str | None, date) -> bool:
    return act.number == number and (date is None or act.date == date)


@check("R503", "act-reference-mismatch", reads=(
    "decree", "organisations", "programme_document.appendices", *APPROVED_BY,
    *(f"{kind}.{field}" for kind in (*APPENDIX_KINDS, PROGRAMME_DOCUMENT) for field in APPENDIX_FORM)),
    targets=(ActRef,))   # `appendices` reads the decree's requisites for the marks and stamps
def act_reference_mismatch(ctx: CheckContext):
    """Ссылки на приказы сверяются с самими приказами.

    Гриф «УТВЕРЖДЕНЫ распоряжением … № 138-р» у приложения к распоряжению
    № 178-р — ошибка, которую глазом не видно. Если приложение утверждено этим
    документом, его реквизиты в `approved_by` должны совпадать с ним; ссылка
    на приказ другой программы из specs/ (`programme:`) сверяется с его
    номером и датой.

    Плохо (decree.number: 178-р):
        indicators: {approved_by: {kind: распоряжение, issuer: комитета, date: 03.02.2020, number: 138-р}, …}
    Хорошо:
        indicators: {…}   # гриф вычисляется из реквизитов документа
    """
    programme = ctx.programme
    decree = programme.decree
    documents = [getattr(programme, kind) for kind in (*APPENDIX_KINDS, PROGRAMME_DOCUMENT)]
    approvals = [document.approved_by for document in documents if document is not None and document.approved_by]
    if decree is not None:
        for appendix in appendices(programme):
            act = appendix.document.approved_by
            if appendix.owner == DECREE and act is not None and not _act_matches(act, decree.number, decree.date):
                when = f" от {formats.date_numeric(decree.date)}" if decree.date else ""
                yield Finding(act, f"приложение утверждено этим документом № {decree_number(decree)}{when}, а в "
                                   f"грифе — № {act.number} от {formats.date_numeric(act.date)}",
                              "уберите approved_by: гриф вычисляется из реквизитов документа", field="number")
    acts = (list(decree.legal_basis.values()) if decree else []) + approvals
    for act in acts:
        if act.programme is None:
            continue
        other_decree = ctx.decree_of(act.programme)
        if isinstance(other_decree, NotBuilt):   # its own check reports why
            continue
        if other_decree is None:
            yield Finding(act, f"программа «{act.programme}» не найдена в папке спецификаций",
                          "проверьте id программы", field="programme")
            continue
        if not _act_matches(act, other_decree.number, other_decree.date):
            when = f" от {formats.date_numeric(other_decree.date)}" if other_decree.date else ""
            yield Finding(act, f"у программы {act.programme} документ № {decree_number(other_decree)}{when}, а в ссылке — "
                               f"№ {act.number} от {formats.date_numeric(act.date)}",
                          "исправьте номер и дату в ссылке", field="number")


@check("R504", "typed-number", Severity.WARNING, reads=("decree.clauses",), targets=(Clause,))
def typed_number(ctx: CheckContext):
    """Номера пунктов не набираются вручную.

    Номера пунктов и подпунктов вычисляются; набранный в начале текста номер
    продублируется в документе и разойдётся с настоящим после правки.

    Плохо:
        - text: "3. Контроль за исполнением приказа возложить на {{ control.acc }}."
    Хорошо:
        - text: "Контроль за исполнением приказа возложить на {{ control.acc }}."
    """
    for clause in all_clauses(decree_clauses(ctx.programme)):
        match = re.match(r"\s*(\d+(?:\.\d+)*)[.)]\s", clause.text)
        if match:
            yield Finding(clause, f"текст пункта {clause.number} начинается с номера «{match.group(1)}»",
                          "удалите номер из текста: он вычисляется", field="text")


@check("R505", "duplicate-id", reads=(
    "roadmap.sections", "roadmap.activities", "budget.lines", "indicators.groups", "indicators.items",
    "specification.items", "decree.clauses", "programme_document.tasks", "programme_document.sections"),
    targets=(Activity, Section, BudgetLine, Indicator, IndicatorGroup, SpecItem, Clause, Task, DocumentSection), guards=(
        "по id строятся постоянные UID событий календаря: из двух мероприятий с одним id подписчики увидели бы "
        "только одно"))
def duplicate_id(ctx: CheckContext):
    """Идентификаторы мероприятий, строк сметы, показателей и пунктов уникальны.

    По id строятся ссылки и постоянные UID событий календаря: два мероприятия
    с одним id смешают подписчикам события.

    Плохо:
        - {id: monitoring, title: Мониторинг в июне, …}
        - {id: monitoring, title: Мониторинг в ноябре, …}
    Хорошо:
        - {id: monitoring-june, …}
        - {id: monitoring-november, …}
    """
    programme = ctx.programme
    groups: list[tuple[str, Sequence[SpecModel]]] = []
    if programme.roadmap:
        groups.append(("мероприятие", programme.roadmap.all_activities()))
        groups.append(("раздел", programme.roadmap.sections))
    if programme.budget:
        groups.append(("строка сметы", programme.budget.lines))
    if programme.indicators:
        groups.append(("показатель", programme.indicators.all_items()))
        groups.append(("группа показателей", programme.indicators.groups))
    if programme.programme_document:
        groups.append(("задача программы", programme.programme_document.tasks))
        groups.append(("раздел", [s for s in walk_sections(programme.programme_document.sections) if s.id]))
    if programme.specification:
        groups.append(("пункт ТЗ", programme.specification.items))
    groups.append(("пункт", [c for c in all_clauses(decree_clauses(programme)) if c.id]))
    for label, items in groups:
        seen: set[str | None] = set()
        for item in items:
            item_id = getattr(item, "id", None)
            if item_id in seen:
                yield Finding(item, f"{label} с id «{item_id}» уже есть", "дайте каждому свой id", field="id")
            seen.add(item_id)


def _names_unbuilt(text: str, error: DiagnosticError, ctx: CheckContext) -> bool:
    """Whether the placeholder an error is about names an item that did not validate (it is not unknown)."""
    unbuilt = ctx.model.unbuilt.ids
    if not unbuilt:
        return False
    parts = text[error.offset:error.offset + error.length].strip("{} ").split(".")
    if parts[0] == "control" and ctx.programme.decree is not None:
        parts.append(ctx.programme.decree.control or "")
    return any(part in unbuilt for part in parts)


# what a placeholder can name (engine.model.text._resolve)
PLACEHOLDER_PARTS = ("programme.period", "decree.number", "decree.title", "decree.date", "decree.control",
                     "decree.legal_basis", "people", "organisations", "budget.total", "budget.codes", "specification.items",
                     "programme_document.title", "programme_document.name", "programme_document.tasks",
                     "programme_document.appendices")


@check("R506", "unknown-placeholder", reads=(*TEXT_PARTS, *PLACEHOLDER_PARTS), reads_whole=("decree.clauses",), guards=(
    "в документ нельзя подставить значение, которого нет: подписанный документ с пустым местом недопустим"))
def unknown_placeholder(ctx: CheckContext):
    """Подстановки в тексте называют существующие значения.

    `{{ budget.total }}` подставит итог сметы; `{{ budget.totl }}` или
    `{{ people.kirin.acc }}` подставить нечего, а пустое место в подписанном
    документе недопустимо.

    Плохо:
        text: "в размере {{ budget.totl }} рублей"
    Хорошо:
        text: "в размере {{ budget.total }} рублей"
    """
    programme = ctx.programme
    numbers = appendix_numbers(programme)
    with nominative_only():   # whether a placeholder resolves, not its case forms, matters here
        for target, field, text in ctx.texts:
            context = TextContext(
                programme, numbers,
                deadline=target.deadline if isinstance(target, Clause) else None,
                quantities=target.quantities if isinstance(target, SpecItem) else [],
                acts=target.legal_basis if isinstance(target, Amendment) else None,
            )
            try:
                render_text(text, context)
            except DiagnosticError as error:
                if error.code != "X101" and not _names_unbuilt(text, error, ctx):
                    yield Finding(target, error.message, error.hint, field=field, offset=error.offset, length=error.length)


@check("X101", "template-syntax", reads=TEXT_PARTS, guards=(
    "текст спецификации никогда не исполняется как шаблон, и документ с такой конструкцией не собрать"))
def template_syntax(ctx: CheckContext):
    """В тексте спецификации нет конструкций шаблонизатора.

    Текст спецификации никогда не исполняется: допустимы только подстановки
    `{{ имя }}` из списка. Выражения, фильтры, `{% … %}` — ошибка (и попытка
    выполнить код из спецификации не пройдёт).

    Плохо:
        title: "{{ ''.__class__ }} {% for x in y %}"
    Хорошо:
        title: "О реализации мероприятия {{ decree.number }}"
    """
    for target, field, text in ctx.texts:
        try:
            placeholders(text)
        except DiagnosticError as error:
            yield Finding(target, error.message, error.hint, field=field, offset=error.offset, length=error.length)


@check("R509", "dated-clause-id", Severity.WARNING, reads=("decree.clauses",), targets=(Clause,))
def dated_clause_id(ctx: CheckContext):
    """У пункта со сроком есть постоянный id.

    Срок пункта попадает в календари подписчиков. Событие узнаётся по id
    пункта; без id его приходится узнавать по номеру, и после вставки пункта
    выше подписчики получат новое событие вместо перенесённого.

    Плохо:
        - {text: "в срок {{ deadline }} – заявку и смету", deadline: "до 10 февраля 2020 года"}
    Хорошо:
        - {id: application, text: "в срок {{ deadline }} – заявку и смету", deadline: "до 10 февраля 2020 года"}
    """
    for clause in all_clauses(decree_clauses(ctx.programme)):
        if clause.deadline is not None and not clause.id:
            yield Finding(clause, f"у пункта {clause.number} со сроком нет id",
                          "добавьте «id: …» — латиницей, например application", key=True, field="deadline")


@check("R508", "programme-id", reads=("programme.id",), targets=(ProgrammeInfo,), guards=(
    "по id программы строятся пути её документов и календарей в outputs/: с чужим или занятым id они легли бы не туда"))
def programme_id(ctx: CheckContext):
    """Идентификатор программы совпадает с именем её папки и не занят.

    По id строятся пути документов, календарей и UID событий; папка и id,
    которые разошлись, дают два разных адреса одной программы. Имена calendars
    и schema заняты общими папками сборки.

    Плохо (папка specs/lipetsk-2022):
        programme: {id: lipetsk2022, …}
    Хорошо:
        programme: {id: lipetsk-2022, …}
    """
    info = ctx.programme.programme
    folder = ctx.model.directory.name
    if info.id in RESERVED_IDS:
        yield Finding(info, f"id программы «{info.id}» совпадает с общей папкой в outputs/",
                      "выберите другое id (и переименуйте папку): имена " + ", ".join(sorted(RESERVED_IDS))
                      + " заняты календарями организаций и схемой", field="id")
    elif info.id != folder:
        yield Finding(info, f"id программы «{info.id}» не совпадает с папкой «{folder}»",
                      f"напишите id: {folder} или переименуйте папку", field="id")


HEADED_TABLES = ("budget",)       # the indicators' columns name their fields (IndicatorColumn)
HEADINGS_PARTS = tuple(f"{kind}.columns" for kind in HEADED_TABLES)
# an own template that did not validate might be the one a table is headed for
TEMPLATES = ("programme.templates",)


def _headings(ctx: CheckContext):
    """(document, its headings, how many columns its table has) of each table headed by position in its bundled
    template — as many as the default headings (an own template may have any number)."""
    programme = ctx.programme
    for kind in HEADED_TABLES:
        document = getattr(programme, kind)
        if document is not None and kind not in programme.programme.templates:
            yield document, document.columns, len(type(document).model_fields["columns"].default_factory())


@check("R512", "extra-heading", Severity.WARNING, reads=HEADINGS_PARTS, reads_whole=TEMPLATES, targets=(Budget,))
def extra_heading(ctx: CheckContext):
    """Заголовков столбцов не больше, чем столбцов в таблице.

    Заголовки `columns` сметы ставятся над её двумя столбцами по порядку.
    Лишний заголовок в документ не попадает, и то, что его нет, легко не
    заметить; чаще всего это столбец, которого в таблице нет вовсе.

    Плохо:
        budget: {columns: ["Комплекс мероприятий", "Сумма, рублей", "Примечание"], …}
    Хорошо:
        budget: {columns: ["Комплекс мероприятий", "Сумма, рублей"], …}
    """
    for document, headings, count in _headings(ctx):
        for index in range(count, len(headings)):
            yield Finding(document, f"заголовок «{headings[index]}» — {index + 1}-й, а в таблице {count} столбца",
                          f"уберите лишние заголовки: они ставятся над столбцами по порядку (столбцов {count})",
                          field=("columns", index))


@check("R513", "missing-heading", reads=HEADINGS_PARTS, reads_whole=TEMPLATES, targets=(Budget,),
       guards="столбец без заголовка документ не собрать")
def missing_heading(ctx: CheckContext):
    """У каждого столбца таблицы есть заголовок.

    Заголовки `columns` сметы ставятся над её двумя столбцами по порядку, и
    заголовков нужно столько же. Если `columns` не писать, заголовки будут
    как в типовом документе.

    Плохо:
        budget: {columns: ["Комплекс мероприятий"], …}
    Хорошо:
        budget: {columns: ["Комплекс мероприятий", "Сумма, рублей"], …}
    """
    for document, headings, count in _headings(ctx):
        if len(headings) < count:
            yield Finding(document, f"заголовков столбцов {len(headings)}, а в таблице {count} столбца",
                          f"напишите {count} заголовка по порядку столбцов или уберите columns: будут заголовки "
                          "типового документа", field="columns")


@check("R516", "unknown-table", reads=(*CONTENT_PARTS, "tables"), targets=(Block,),
       guards="таблицу, которой нет, не напечатать")
def unknown_table(ctx: CheckContext):
    """Блок `table:` называет таблицу из раздела tables.

    Таблица с опечаткой в id не напечатается вовсе: в документе на её месте
    не окажется ничего.

    Плохо:
        blocks: [{table: ege-mat}]     # в tables — ege-math
    Хорошо:
        blocks: [{table: ege-math}]
    """
    known = ctx.programme.tables
    unbuilt = ctx.model.unbuilt.ids     # a table that did not validate is not unknown: it is not known yet
    for content in document_contents(ctx.programme):
        if isinstance(content, Block) and content.table is not None and content.table not in known \
                and content.table not in unbuilt:
            yield Finding(content, f"таблицы «{content.table}» нет в разделе tables",
                          f"известные таблицы: {', '.join(sorted(known)) or 'нет ни одной'}", field="table")


@check("R517", "unplaced-table", Severity.WARNING, reads=("tables",), reads_whole=CONTENT_PARTS,
       targets=(DataTable,))
def unplaced_table(ctx: CheckContext):
    """Каждая таблица данных где-то напечатана.

    Таблица из раздела tables печатается там, где её называет блок
    `table: <id>` раздела программного документа или текста вокруг таблицы
    приложения. Таблица, которую не называет ни один блок, в документ не
    попадёт — её данные проверяются, но никто их не увидит.

    Плохо:
        tables: {ege-math: {…}}        # и ни одного блока table: ege-math
    Хорошо:
        blocks: ["математика (профиль):", {table: ege-math}]
    """
    placed = {content.table for content in document_contents(ctx.programme)
              if isinstance(content, Block) and content.table is not None}
    for table_id, table in ctx.programme.tables.items():
        if table_id not in placed:
            yield Finding(table, f"таблица «{table_id}» не напечатана ни в одном разделе",
                          f"добавьте в раздел блок table: {table_id} или удалите таблицу", field="columns", key=True)


# a word in which Cyrillic and Latin letters meet: «внутримunicipальный», «прогрaмма» with a Latin «a». Found as
# the words (\w runs) holding such a pair, in texts that hold one at all: one pattern «\w*(pair)\w*» backtracks
# through every split of every word, a tenth of a programme's check.
_MIXED_PAIR = re.compile(r"[а-яё][a-z]|[a-z][а-яё]", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]+", re.IGNORECASE)


def mixed_words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` in which a Cyrillic and a Latin letter stand side by side."""
    if _MIXED_PAIR.search(text):
        yield from (word for word in _WORD.finditer(text) if _MIXED_PAIR.search(word.group()))


def _prose(ctx: CheckContext):
    """Every text a reader sees: the texts of the programme, the glossary's names, the headings of tables."""
    programme = ctx.programme
    yield from ctx.texts
    for entries in (programme.organisations, programme.terms):
        for entry in entries.values():
            yield entry, ("short",), entry.short
            yield entry, ("full",), entry.full
    for person in programme.people.values():
        for name in ("surname", "position"):
            yield person, (name,), getattr(person, name)
    for document in (programme.roadmap, programme.indicators):
        for column in document.columns if document else []:
            yield column, ("heading",), column.heading


@check("R515", "latin-letters", reads=(*TEXT_PARTS, "organisations", "terms", "people", "roadmap.columns",
                                         "indicators.columns"))
def latin_letters(ctx: CheckContext):
    """В русских словах нет латинских букв.

    Латинские «а», «о», «с», «е», «р», «х» выглядят как русские, и глазом их
    не отличить; такое слово не найдётся поиском, его не узнает проверка
    орфографии, а склонение и сокращения на нём ошибутся. Проверяется
    всякий текст программы: пункты, разделы, таблицы, справочник.

    Плохо:
        - "1. Организован внутримunicipальный обмен опытом"
    Хорошо:
        - "1. Организован внутримуниципальный обмен опытом"
    """
    for target, field, text in _prose(ctx):
        for word in mixed_words(text):
            latin = ", ".join(f"«{letters.group()}»" for letters in _LATIN.finditer(word.group()))
            yield Finding(target, f"в слове «{word.group()}» латинские буквы {latin}",
                          "наберите слово русскими буквами (латинские a, o, c, e, p, x похожи на русские)",
                          field=field, offset=word.start(), length=len(word.group()))


_NAME_WORD = re.compile(r"\w+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")


def _pattern(name: str) -> re.Pattern[str]:
    """An indicator's name in any punctuation and case, ё as е."""
    words = _NAME_WORD.findall(name.lower().replace("ё", "е"))
    return re.compile(r"\W+".join(map(re.escape, words)))


def _row_texts(row: PassportRow) -> list[tuple[tuple, str]]:
    texts: list[tuple[tuple, str]] = [(("text", index), text) for index, text in enumerate(row.text or [])]
    if row.listing is not None:
        texts += [(("list", "items", index, "text"), item.text) for index, item in enumerate(row.listing.items)]
    return texts


@check("R514", "passport-value", reads=(*CONTENT_PARTS, "indicators.groups", "indicators.items"),
       targets=(PassportRow,))
def passport_value(ctx: CheckContext):
    """Значение, которое паспорт повторяет, совпадает с таблицей показателей.

    Паспорт программы пересказывает её: «Доля школ … – 59 %». Если в
    тексте паспорта набрано наименование показателя и число, оно должно
    совпадать с целевым значением этого показателя (на конец периода или на
    один из годов). Лучше не набирать: строка паспорта `indicators: [id]`
    печатает показатели из таблицы, и разойтись они не могут.

    Плохо:
        indicators: {items: [{id: share, name: Доля школ с высокими результатами, unit: "%", targets: {2021: "59"}}]}
        passport: {rows: [{label: Основные показатели, text: "1. Доля школ с высокими результатами – 60 %."}]}
    Хорошо:
        passport: {rows: [{label: Основные показатели, indicators: [share]}]}
    """
    indicators = ctx.programme.indicators
    if indicators is None:
        return
    named = [(indicator, _pattern(indicator.name)) for indicator in indicators.all_items()]
    for content in document_contents(ctx.programme):
        if not isinstance(content, PassportRow):
            continue
        for field, text in _row_texts(content):
            plain = text.lower().replace("ё", "е")
            for indicator, pattern in named:
                found = pattern.search(plain)
                figure = _FIGURE.search(plain, found.end()) if found else None
                if figure is None:
                    continue
                stated = Decimal(figure.group().replace(",", "."))
                values = [indicator.final_target, *indicator.targets.values()]
                if any(value.value == stated for value in values):
                    continue
                yield Finding(content, f"паспорт называет показатель {indicator.number} со значением {figure.group()}, "
                                       f"а его цель — {indicator.final_target}",
                              f"исправьте значение или напишите строку паспорта как indicators: [{indicator.id}]",
                              field=field, offset=figure.start(), length=len(figure.group()),
                              related=((indicator, "target" if indicator.target is not None else "targets",
                                        f"цель показателя {indicator.number}"),))
