"""The spec language: pydantic models of a programme, with descriptions in Russian.

The descriptions become the JSON Schema that editors use for autocompletion, so
they are written for the staff who edit the YAML. Unknown keys are rejected.
Values with a grammar of their own (time, money, quantities, budget codes) are
parsed by `engine.model.timeexpr` and `engine.model.values` and stay typed here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine import formats
from engine.diagnostics import DiagnosticError
from engine.model.timeexpr import MAX_YEAR, MIN_YEAR, Period, TimeExpr, parse_period, parse_time
from engine.model.values import Quantity, parse_budget_code, parse_count, parse_money, parse_quantity

# --- value types -------------------------------------------------------------


def _via(parser):
    """Wrap a value parser so its DiagnosticError reaches the schema stage with code and caret."""

    def validate(value: Any):
        if value is None:
            raise PydanticCustomError("missing_value", "значение не задано")
        return _parsed(parser, value)

    return BeforeValidator(validate)


def _string_schema(description: str, examples: list[str]):
    return WithJsonSchema({"type": "string", "description": description, "examples": examples})


Money = Annotated[
    Decimal, _via(parse_money), PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
    _string_schema("Сумма в рублях: «1 900 000,00», «90 000»", ["1 900 000,00"]),
]
QuantityValue = Annotated[
    Quantity, _via(parse_quantity), PlainSerializer(lambda q: q.render(), return_type=str),
    _string_schema("Количество: «18 программ», «не менее 50 человек»", ["не менее 50 человек"]),
]
Count = Annotated[
    Decimal, _via(parse_count), PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "description": "Количество: положительное число, например 21"}),
]
BudgetCode = Annotated[
    str, _via(parse_budget_code),
    _string_schema("Код бюджетной классификации, строкой: «0709», «52 7 01 13760»", ["0709"]),
]
def _time(value: Any) -> TimeExpr:
    """A deadline as written — or, where the words alone would mislead the calendar, the words to print and what they
    mean apart: `{text: "Сентябрь-октябрь", means: "сентябрь – октябрь 2021"}` prints «Сентябрь-октябрь» and is
    placed in 2021 only."""
    if value is None:
        raise PydanticCustomError("missing_value", "значение не задано")
    if not isinstance(value, dict):
        return _parsed(parse_time, value)
    hint = "пишите срок строкой или так: {text: «как напечатано в документе», means: «что это значит для календаря»}"
    unknown = [str(key) for key in value if key not in ("text", "means")]
    absent = [key for key in ("text", "means") if key not in value]
    if unknown or absent:
        problem = f"неизвестный ключ «{unknown[0]}»" if unknown else f"не задан ключ «{absent[0]}»"
        raise PydanticCustomError("value_syntax", f"срок: {problem}", {"code": "M001" if unknown else "M002",
                                                                        "hint": hint, "offset": 0, "length": 0})
    text = value["text"]
    if not isinstance(text, str) or not text.strip():
        raise PydanticCustomError("value_syntax", "срок: «text» — текст срока, как он напечатан в документе",
                                  {"code": "M003", "hint": hint, "offset": 0, "length": 0, "key": "text"})
    return replace(_parsed(parse_time, value["means"], key="means"), text=text)


def _parsed(parser, value: Any, key: str | None = None):
    """The parser's DiagnosticError as a schema error with its code and caret (`key`: the mapping key it is under)."""
    try:
        return parser(value)
    except DiagnosticError as exc:
        ctx = {"code": exc.code, "hint": exc.hint, "offset": exc.offset, "length": exc.length}
        raise PydanticCustomError("value_syntax", exc.message, {**ctx, "key": key} if key else ctx) from None


Time = Annotated[
    TimeExpr, BeforeValidator(_time), PlainSerializer(lambda t: t.text, return_type=str),
    WithJsonSchema({"anyOf": [
        {"type": "string", "examples": ["Февраль-март", "до 10 февраля 2020 года"]},
        {"type": "object", "additionalProperties": False, "required": ["text", "means"], "properties": {
            "text": {"type": "string", "description": "Срок, как он напечатан в документе"},
            "means": {"type": "string", "description": "Что он значит для проверок и календаря: «сентябрь – октябрь 2021»"}},
        }],
        "description": (
            "Срок, как в документе (так и печатается): «16.03.2021», «01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022», "
            "«Февраль-март», «до 10 февраля 2020 года», «ежемесячно», «по пятницам», «раз в полугодие», "
            "«ежеквартально до 5 числа месяца, следующего за отчётным кварталом», «Ежегодно», «В течение года», "
            "«по запросу»; или {text: как напечатано, means: что значит}, если слова сами по себе дали бы "
            "календарю не те даты"),
    }),
]
PeriodValue = Annotated[
    Period, _via(parse_period), PlainSerializer(lambda p: f"{p.start.isoformat()}/{p.end.isoformat()}", return_type=str),
    _string_schema("Период программы: «2022», «2021–2024»", ["2022", "2021–2024"]),
]


_YEARS_HINT = f"год — четырьмя цифрами, от {MIN_YEAR} до {MAX_YEAR}"


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if not MIN_YEAR <= day.year <= MAX_YEAR:  # «01.01.0001»: no document of a programme is dated so
            raise DiagnosticError("P501", f"дата «{text}» вне {MIN_YEAR}–{MAX_YEAR} годов", _YEARS_HINT)
        return day
    raise DiagnosticError("P501", f"дата «{text}» записана неверно или не существует",
                          "пишите дату как 03.02.2020 или 2020-02-03")


def _year(value: Any) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR):
        raise DiagnosticError("P501", f"год «{text}» записан неверно", _YEARS_HINT + ", например 2022")
    return int(text)


Date = Annotated[
    dt.date, _via(_iso_date),
    _string_schema("Дата: «03.02.2020» или «2020-02-03»", ["03.02.2020"]),
]
Year = Annotated[
    int, _via(_year),
    WithJsonSchema({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR, "description": f"Год: {MIN_YEAR}–{MAX_YEAR}"}),
]
def _flag(value: Any) -> bool:
    words = {"true": True, "false": False, "да": True, "нет": False}
    key = str(value).strip().lower()
    if key not in words:
        raise DiagnosticError("P601", f"«{value}» — ожидается да или нет", "пишите true/false или да/нет")
    return words[key]


_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _identifier(value: Any) -> str:
    if not (isinstance(value, str) and _ID.fullmatch(value)):
        raise DiagnosticError(
            "P701", f"идентификатор «{value}» записан неверно",
            "идентификатор — латинские строчные буквы, цифры, «-» и «_», например kirina или monitoring-june",
        )
    return value


@functools.cache
def iana_zones() -> frozenset[str]:
    """The zone names of the IANA database (the tzdata package's list, the same on every machine).

    Not whatever ZoneInfo opens: that takes a folder («Europe» — a crash), the system's «localtime»
    or «posixrules» (a different zone on each machine) and paths through «..». «Factory» is a
    placeholder of the database, not a place.
    """
    names = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(names) - {"Factory"}


def _timezone(value: Any) -> str:
    name = str(value).strip()
    if name not in iana_zones():
        by_case = {zone.lower(): zone for zone in iana_zones()}
        close = by_case.get(name.lower()) or next(iter(difflib.get_close_matches(name, sorted(iana_zones()), n=1)), None)
        raise DiagnosticError(
            "P801", f"неизвестный часовой пояс «{name}»",
            (f"возможно, имелось в виду {close}; " if close else "")
            + "часовой пояс — название из базы IANA: Europe/Moscow, Asia/Yekaterinburg, Europe/Samara")
    return name


_INN_WEIGHTS = {10: ((2, 4, 10, 3, 5, 9, 4, 6, 8),),
                12: ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))}


def _inn(value: Any) -> str:
    """An ИНН with its check digits (10 digits for an organisation, 12 for a person): a typo never splits one
    organisation's calendar in two."""
    text = str(value).strip()
    weights = _INN_WEIGHTS.get(len(text)) if text.isascii() and text.isdigit() else None
    digits = [int(digit) for digit in text] if weights else []
    if not weights or any(sum(w * d for w, d in zip(row, digits, strict=False)) % 11 % 10 != digits[len(row)]
                          for row in weights):
        raise DiagnosticError("P901", f"ИНН «{value}» записан неверно",
                              "ИНН организации — 10 цифр, индивидуального предпринимателя — 12; последние цифры — "
                              "контрольные: проверьте по выписке ЕГРЮЛ; пишите в кавычках, чтобы не потерять ведущий "
                              "ноль: inn: \"0274062111\"")
    return text


Inn = Annotated[str, _via(_inn), _string_schema("ИНН: 10 цифр (организация) или 12 (ИП)", ["4826000000"])]


def _single_line(value: str) -> str:
    """A name, title or number is one line: a line break in it forges lines of a calendar feed or a table row."""
    for char, what in (("\n", "перенос строки"), ("\t", "табуляция")):
        if char in value:
            raise PydanticCustomError("value_syntax", f"{what} в тексте, который пишется одной строкой", {
                "code": "M006", "offset": 0, "length": 0,
                "hint": "напишите значение в одну строку; длинное можно перенести в YAML, начав его с «>-» "
                        "(строки склеятся через пробел); перечень пунктов — в полях-списках (details, result)"})
    return value


Line = Annotated[str, AfterValidator(_single_line), WithJsonSchema({"type": "string", "pattern": "^[^\\n\\t]*$"})]
"""Text of one line: names, titles, numbers, headings. Prose (a clause, a preamble, details, results) is `str`
and keeps its line breaks; which fields are which is decided here, once, by their type."""
Flag = Annotated[bool, _via(_flag), WithJsonSchema({"type": "string", "enum": ["true", "false", "да", "нет"]})]
Id = Annotated[
    str, _via(_identifier),
    WithJsonSchema({"type": "string", "pattern": _ID.pattern, "description": "Идентификатор: латиница, цифры, «-», «_»"}),
]
Timezone = Annotated[str, _via(_timezone), _string_schema("Часовой пояс IANA", ["Europe/Moscow"])]
Paragraphs = Annotated[
    list[str],
    BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                    "description": "Текст: строка или список абзацев / пунктов"}),
]
Case = Literal["nom", "gen", "dat", "acc", "ins", "loc"]
Silence = dict[str, str]


class SpecModel(BaseModel):
    """Base of every spec object: unknown keys are errors; each object knows its path in the YAML.

    (Docstrings of subclasses are Russian: they become descriptions in the JSON Schema.)
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=False)
    _path: tuple = PrivateAttr(default=())

    @property
    def path(self) -> tuple:
        return self._path


class Silenceable(SpecModel):
    silence: Silence = Field(
        default_factory=dict,
        description="Отключить проверки для этого элемента: {код или имя проверки: причина}. Причина обязательна.",
    )


# --- glossary: organisations, terms, people ----------------------------------


class Organisation(Silenceable):
    """Организация: исполнитель, издающий орган, получатель средств."""

    short: Line = Field(description="Краткое наименование, как в документах: ГАУДПО ЛО «ИРО»")
    full: Line = Field(description="Полное наименование (с маленькой буквы, если так пишется в тексте)")
    forms: dict[Case, Line] = Field(
        default_factory=dict,
        description="Формы полного наименования в падежах, если автоматическое склонение неверно: {dat: «…»}",
    )
    inn: Inn | None = Field(
        None, description="ИНН организации (10 цифр, у ИП — 12): по нему одна и та же организация в разных программах "
                          "и регионах получает один общий календарь; без ИНН организация — это регион программы + id")
    formerly: list[Id] = Field(
        default_factory=list,
        description="Прежние id этой организации в программе: их календари не закрываются, а указывают на новый")
    email: Line | None = Field(None, description="Электронная почта для вопросов по срокам (в календаре — CONTACT и ORGANIZER)")
    phone: Line | None = Field(None, description="Телефон для вопросов по срокам (в календаре — CONTACT)")


class Term(Silenceable):
    """Сокращение, которое не является организацией (для перечня сокращений)."""

    short: Line = Field(description="Сокращение: МОС")
    full: Line = Field(description="Расшифровка: муниципальная образовательная система")


class Person(Silenceable):
    """Должностное лицо: подписант, контролирующий, ответственный."""

    surname: Line = Field(description="Фамилия в именительном падеже: Кирина")
    initials: Line = Field(description="Инициалы: С.Н.")
    gender: Literal["male", "female"] = Field(description="Пол, нужен для склонения фамилии: male или female")
    position: Line = Field(
        description="Должность в именительном падеже, со строчной буквы: первый заместитель начальника управления")
    organisation: Id | None = Field(None, description="Организация (id из organisations)")
    surname_forms: dict[Case, Line] = Field(default_factory=dict, description="Фамилия в падежах, если склонение неверно")
    position_forms: dict[Case, Line] = Field(default_factory=dict, description="Должность в падежах, если склонение неверно")
    signature_position: Line | None = Field(
        None, description="Должность в подписи, если отличается: «Заместитель председателя комитета»")
    email: Line | None = Field(None, description="Электронная почта (в календаре — CONTACT)")
    phone: Line | None = Field(None, description="Телефон (в календаре — CONTACT)")


# --- programme ---------------------------------------------------------------


TemplateKind = Literal["decree", "programme_document", "roadmap", "budget", "indicators", "specification",
                       "amendment", "progress"]
DEFAULT_REMINDERS = ("P7D", "P1D")


def _limit(ceiling: int, example: int):
    """A limit a programme sets for itself: a whole number from 1 up to `ceiling`, which no setting passes."""

    def parse(value: object) -> int:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 1 <= int(text) <= ceiling:
            return int(text)
        raise DiagnosticError("P302", f"предел «{value}» — нужно целое число от 1 до {ceiling}",
                              f"например {example}", 0, len(str(value)))

    return _via(parse)


MAX_PERIOD_YEARS, MAX_EVENTS = 100, 100_000   # what no programme setting passes
YearsLimit = Annotated[int, _limit(MAX_PERIOD_YEARS, 20), WithJsonSchema({"type": "string", "examples": ["20"]})]
EventsLimit = Annotated[int, _limit(MAX_EVENTS, 20_000), WithJsonSchema({"type": "string", "examples": ["20000"]})]


class Limits(SpecModel):
    """Пределы того, что программа может запросить: опечатка в периоде («1900–2100») не превращает ежемесячное
    мероприятие в тысячи событий. Программа, которой нужно больше, поднимает предел здесь."""

    period_years: YearsLimit = Field(
        10, description="Наибольшая длина периода программы, лет (по умолчанию 10, не больше 100)")
    events: EventsLimit = Field(
        5_000, description="Наибольшее число событий календаря программы: все сроки всех мероприятий и пунктов, "
                           "каждый повтор «ежемесячно» — отдельно, срок без даты — одно (по умолчанию 5000, не больше 100000)")


class ProgrammeInfo(SpecModel):
    """Общие сведения о программе."""

    id: Id = Field(description="Идентификатор программы, совпадает с именем папки: lipetsk-2022")
    title: Line = Field(description="Краткое название программы для сайта и календарей")
    region: Line = Field(description="Субъект РФ или муниципалитет: Липецкая область")
    period: PeriodValue = Field(description="Период программы: «2022» или «2021–2024»")
    timezone: Timezone = Field(description="Часовой пояс IANA: Europe/Moscow, Asia/Yekaterinburg")
    profile: Literal["gost-2016", "gost-2025"] = Field(
        "gost-2016", description="Правила оформления: ГОСТ Р 7.0.97-2016 или ГОСТ Р 7.0.97-2025")
    font: Line = Field("Times New Roman", description="Шрифт документов: Times New Roman (по ГОСТ), PT Serif, Liberation Serif")
    checks: dict[str, Literal["off", "error", "warning", "info"]] = Field(
        default_factory=dict,
        description="Настройка проверок для программы: {код или имя: off | error | warning | info}",
    )
    templates: dict[TemplateKind, Line] = Field(
        default_factory=dict, description="Свои шаблоны DOCX (пути относительно папки программы)")
    reminders: list[Line] = Field(
        default_factory=lambda: list(DEFAULT_REMINDERS),
        description="Напоминания в календаре до срока — последнего дня каждого периода, в 9:00: «P7D» — за неделю, "
                    "«P1D» — накануне, «P0D» — в день срока; по умолчанию [«P7D», «P1D»], [] — без напоминаний")
    deadline_events: Flag = Field(
        True, description="Публиковать срок — последний день каждого периода длиннее дня — отдельным однодневным "
                          "событием «Срок: …» (с напоминаниями); нет — только периоды, напоминания — до их окончания")
    limits: Limits = Field(default_factory=lambda: Limits.model_validate({}),
                           description="Пределы периода и числа событий календаря (см. «Пределы программы»)")



# --- decree -----------------------------------------------------------------

AppendixKind = Literal["roadmap", "budget", "indicators", "specification"]
# what a decree's clause may approve: an appendix, or the programme document of the same folder
ApprovedKind = Literal["roadmap", "budget", "indicators", "specification", "programme_document"]


class ActRef(Silenceable):
    """Ссылка на другой правовой акт (основание документа или акт, упомянутый в пункте)."""

    kind: Line = Field(description="Вид акта в именительном падеже: распоряжение, приказ, постановление, областной закон")
    issuer: Line = Field(
        description="Кто издал: id организации из organisations (склоняется сам) или текст в родительном падеже: "
                    "«Правительства Ленинградской области»")
    date: Date = Field(description="Дата акта")
    date_form: Literal["long", "numeric"] = Field(
        "long", description="Как текст пишет дату акта: «от 25 декабря 2019 года» (long) или «от 19.07.2021» (numeric)")
    number: Line = Field(description="Номер акта: 2778-р")
    title: Line | None = Field(None, description="Название акта без кавычек-ёлочек по краям")
    programme: Id | None = Field(None, description="Если акт — приказ другой программы в specs/, её id: номер и дата сверяются")


class Clause(Silenceable):
    """Пункт распорядительной части; номер вычисляется."""

    id: Id | None = Field(None, description="Идентификатор пункта (для ссылок и отключения проверок)")
    text: str = Field(description="Текст пункта; значения из модели вставляются как {{ budget.total }}, {{ appendix.roadmap }}")
    approves: ApprovedKind | None = Field(
        None, description="Пункт утверждает приложение: roadmap, budget, indicators, specification "
                          "или programme_document (программный документ этой папки)")
    deadline: Time | None = Field(None, description="Срок исполнения пункта; в тексте — {{ deadline }}")
    responsible: list[Id] = Field(default_factory=list, description="Ответственные (id людей или организаций)")
    clauses: list[Clause] = Field(default_factory=list, description="Подпункты")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


class Decree(Silenceable):
    """Приказ или распоряжение: реквизиты, преамбула, пункты, подпись."""

    kind: Literal["приказ", "распоряжение"] = Field(description="Вид документа")
    authority: Id = Field(description="Издающий орган (id из organisations)")
    header: list[Line] = Field(
        default_factory=list,
        description="Строки наименования органа над видом документа, если отличаются от полного наименования")
    issuer_line: Line | None = Field(
        None, description="Строка под видом документа: «НАЧАЛЬНИКА УПРАВЛЕНИЯ ОБРАЗОВАНИЯ …»")
    number: Line | None = Field(
        None, description="Регистрационный номер: 266, 178-р, 491/01-08; пусто, если документ ещё не подписан "
                          "(проект: в документе останется место для номера)")
    issuer: Line | None = Field(
        None, description="Кто издаёт, в родительном падеже, как его называют отметки и грифы приложений: «начальника "
                          "управления образования» («приказом начальника управления образования от …»). По умолчанию — "
                          "полное наименование органа (authority)")
    date: Date | None = Field(
        None, description="Дата подписания; пусто, если документ ещё не подписан (в документе останется место для даты)")
    date_unknown: Flag = Field(
        False, description="Документ подписан, но дата неизвестна (в источнике неразборчива): на сайте — «дата "
                           "неизвестна», а не «не подписан»; в документе, как и без даты, — место для даты")
    year: Year | None = Field(None, description="Год документа, если дата ещё не известна")
    place: Line | None = Field(None, description="Место издания: г. Липецк")
    title: Line = Field(description="Заголовок к тексту: «Об утверждении …» / «О финансировании …»")
    legal_basis: dict[Id, ActRef] = Field(default_factory=dict, description="Акты, на которые ссылается документ: {id: акт}")
    preamble: str = Field(description="Преамбула; ссылки на акты — {{ basis.<id>.ins }}")
    order_word: Line | None = Field(
        None, description="Распорядительное слово: по умолчанию «ПРИКАЗЫВАЮ:» для приказа, ничего для распоряжения")
    order_word_inline: Flag = Field(
        False, description="Печатать распорядительное слово в конце преамбулы, а не отдельной строкой")
    clauses: list[Clause] = Field(description="Пункты распорядительной части")
    signatory: Id | None = Field(None, description="Кто подписывает (id из people); пусто — проект без подписи")
    control: Id | None = Field(None, description="Кому поручен контроль (id из people); в тексте пункта — {{ control.acc }}")
    revision: Line | None = Field(
        None, description="Ревизия git (тег или коммит), в которой текст документа и приложений — ровно как подписан: "
                          "изменения после неё оформляются приказом о внесении изменений (docs/amendments.md)")
    performer: list[Line] = Field(
        default_factory=list,
        description="Отметка об исполнителе (ГОСТ Р 7.0.97-2016, п. 5.25) под подписью, строками, как в документе: "
                    "[«Смирнова Ольга Игоревна», «(383) 238-10-27»]")


# --- appendices ----------------------------------------------------------------


class AppendixDocument(Silenceable):
    """Приложение к документу."""

    title: Line = Field(description="Вид документа в заголовке: «План-график», «Смета расходов»")
    subtitle: Line | None = Field(None, description="Продолжение заголовка: «выполнения работ по реализации …»")
    stamp_word: Line | None = Field(
        None,
        description="Слово грифа утверждения, если не выводится из заголовка: УТВЕРЖДЕН, УТВЕРЖДЕНА, УТВЕРЖДЕНО, УТВЕРЖДЕНЫ")
    approved_by: ActRef | None = Field(
        None, description="Если приложение утверждено другим актом, а не этим документом: его реквизиты (сверяются)")
    corner: Literal["both", "mark", "stamp", "none"] = Field(
        "both", description="Что печатать в правом верхнем углу: отметку «Приложение № 1 к приказу …» и гриф "
                            "«УТВЕРЖДЕН приказом …» (both), только отметку (mark), только гриф (stamp) или ничего (none)")
    number_sign: Flag = Field(True, description="Номер приложения со знаком №: «Приложение № 1» (да) или «Приложение 1» (нет)")
    stamp_with_number: Flag = Field(
        False, description="После грифа — номер приложения в скобках: «УТВЕРЖДЕНЫ распоряжением … № 178-р (приложение 2)»")


class TableAppendix(AppendixDocument):
    """An appendix built around its table, with text before and after it as the document has it."""

    before: list[TextBlock] = Field(
        default_factory=list, description="Текст перед таблицей приложения: цель, задачи, пояснения (блоки, как в разделе)")
    after: list[TextBlock] = Field(
        default_factory=list, description="Текст после таблицы: «Исполнитель: …», примечания (блоки, как в разделе)")


RoadmapField = Literal["number", "time", "activity", "title", "details", "owners", "result"]


MIN_COLUMN_CM, MAX_COLUMN_CM = Decimal("0.5"), Decimal(100)
_MIN_WIDTH = formats.figure(MIN_COLUMN_CM, 1)     # «0,5», as the docs write a width


def _decimal_comma(value: object) -> object:
    """«2,5» as staff write a number (and the docs write widths): the comma is the decimal point."""
    return value.replace(",", ".", 1) if isinstance(value, str) and value.count(",") == 1 else value


def _column_width(value: Decimal) -> Decimal:
    """A width the page can hold and a letter fits in: «1e400», «-5» or «1e-300» (a column of zero twips)
    reached the DOCX renderer."""
    if not MIN_COLUMN_CM <= value <= MAX_COLUMN_CM:
        raise PydanticCustomError("value_syntax", f"ширина столбца {value} см вне разумных пределов", {
            "code": "M003", "offset": 0, "length": 0,
            "hint": f"ширина в сантиметрах: от {_MIN_WIDTH} до {MAX_COLUMN_CM}, например 3,5"})
    return value


# a column's width in centimetres, «3.5» or «3,5»
ColumnWidth = Annotated[Decimal, BeforeValidator(_decimal_comma), AfterValidator(_column_width)]


class Column(SpecModel):
    """Столбец таблицы дорожной карты."""

    field: RoadmapField = Field(
        description="Что в столбце: number (номер), time (срок), activity (мероприятие с перечнем действий в одной "
                    "ячейке), title (только наименование мероприятия), details (только его описание — перечень "
                    "действий), owners (исполнители), result (результат)")
    heading: Line = Field(description="Заголовок столбца, как в документе")
    group: Line | None = Field(
        None, description="Общий заголовок над несколькими соседними столбцами (двухуровневая шапка): "
                          "«Мероприятие» над «Наименование» и «Описание» — у обоих столбцов group: Мероприятие")
    width: ColumnWidth | None = Field(
        None, description=f"Ширина в сантиметрах: от {_MIN_WIDTH} до {MAX_COLUMN_CM}")


class Owner(Silenceable):
    """Ответственный исполнитель мероприятия и его результат."""

    org: Id = Field(description="Ответственный исполнитель (id организации или человека)")
    result: Paragraphs = Field(default_factory=list, description="Результат этого исполнителя")
    _implied: bool = PrivateAttr(default=False)  # the roadmap's executor, not written in the activity

    @property
    def implied(self) -> bool:
        return self._implied


def _bare_strings(field: str, key: str):
    """For a list `field` whose items may each be written as a bare string meaning `{key: string}`: the validator
    that expands them, and the model's schema hook that allows them in the schema too."""

    def expand(value: Any):
        if isinstance(value, list):
            return [{key: item} if isinstance(item, str) else item for item in value]
        return value

    def allow(schema: dict) -> None:
        items = schema["properties"][field]
        items["items"] = {"anyOf": [items["items"], {"type": "string"}]}

    return expand, allow


# an owner may be written as a bare id: `owners: [iro, cmoko]`
_owners, _owner_ids_allowed = _bare_strings("owners", "org")


class Activity(Silenceable):
    """Мероприятие дорожной карты."""

    model_config = ConfigDict(json_schema_extra=_owner_ids_allowed)

    id: Id = Field(description="Постоянный идентификатор мероприятия: от него зависит UID в календаре")
    title: Line = Field(description="Мероприятие")
    details: Paragraphs = Field(default_factory=list, description="Перечень действий (пункты под мероприятием)")
    time: Time = Field(description="Срок (период) выполнения")
    owners: Annotated[list[Owner], BeforeValidator(_owners)] = Field(
        default_factory=list,
        description="Ответственные: список id или [{org: id, result: …}] — у каждого может быть свой результат; "
                    "можно не писать, если у дорожной карты один исполнитель (roadmap.executor)")
    result: Paragraphs = Field(default_factory=list, description="Планируемый результат (общий для всех исполнителей)")
    indicators: list[Id] = Field(default_factory=list, description="Связанные целевые показатели (id)")
    depends_on: list[Id] = Field(default_factory=list, description="Мероприятия, которые должны завершиться раньше (id)")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


class Section(Silenceable):
    """Раздел дорожной карты."""

    id: Id = Field(description="Идентификатор раздела")
    title: Line = Field(description="Название раздела: «Нормативно-правовое обеспечение»")
    activities: list[Activity] = Field(description="Мероприятия раздела")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


class Roadmap(TableAppendix):
    """Дорожная карта / план-график."""

    columns: list[Column] = Field(description="Столбцы таблицы по порядку, с заголовками как в документе")
    glossary: list[Id] = Field(
        default_factory=list, description="Сокращения, расшифровываемые перед таблицей (id организаций и терминов)")
    numbering: Literal["dotted", "plain"] = Field(
        "dotted", description="Номера строк: «1.» (dotted) или «1» (plain); в разделах — «1.1.»")
    section_numbering: Literal["dotted", "plain", "none"] | None = Field(
        None, description="Номера разделов, если они записаны не так, как номера строк: «1.» (dotted) над строками "
                          "«1.1» (numbering: plain), none — раздел без номера, когда его название само нумерует "
                          "(«Задача 1. …» над строками «1.1»); по умолчанию — как numbering")
    sections: list[Section] = Field(default_factory=list, description="Разделы (если таблица делится на разделы)")
    activities: list[Activity] = Field(default_factory=list, description="Мероприятия (если разделов нет)")
    executor: Id | None = Field(
        None, description="Исполнитель всех мероприятий (id организации или человека), когда столбца исполнителей "
                          "нет: печатается строкой «Исполнитель: …» перед таблицей или после неё; мероприятия без "
                          "owners выполняет он (проверки, календари)")
    executor_line: Literal["before", "after", "none"] = Field(
        "after", description="Где строка «Исполнитель: …»: перед таблицей (before), после неё (after), нигде (none)")
    executor_label: Line = Field("Исполнитель", description="Слово перед исполнителем в этой строке, как в документе")

    def all_activities(self) -> list[Activity]:
        return [a for s in self.sections for a in s.activities] + list(self.activities)

    @model_validator(mode="after")
    def _executor_owns_the_unowned(self) -> Roadmap:
        """An activity without owners is the executor's: checks and calendars see it as its owner.

        (Also run on a recovered roadmap after each field is assigned — sections or activities may be absent there.)"""
        executor = self.__dict__.get("executor")
        if executor:
            activities = [a for s in self.__dict__.get("sections", []) for a in s.__dict__.get("activities", [])] + list(
                self.__dict__.get("activities", []))
            for activity in activities:
                if not activity.__dict__.get("owners", True):
                    owner = Owner(org=executor)
                    owner._implied = True
                    activity.owners = [owner]
        return self


class SubLine(Silenceable):
    """Строка «из них»: часть суммы строки сметы."""

    title: Line = Field(description="Наименование («из них …»)")
    amount: Money = Field(description="Сумма")


class BudgetLine(Silenceable):
    """Строка сметы."""

    id: Id = Field(description="Идентификатор строки сметы")
    title: Line = Field(description="Наименование расходов")
    amount: Money | None = Field(None, description="Сумма строки (можно не писать, если заданы количество и цена)")
    quantity: Count | None = Field(None, description="Количество (для строк «21 × 40 000,00»)")
    unit_price: Money | None = Field(None, description="Цена за единицу")
    of_which: list[SubLine] = Field(default_factory=list, description="«из них»: части суммы строки")
    codes: dict[str, BudgetCode] = Field(
        default_factory=dict, description="Коды бюджетной классификации строки: {КФСР: «0709», …}")
    recipient: Id | None = Field(None, description="Получатель средств (id организации)")

    @property
    def effective_amount(self) -> Decimal | None:
        if self.amount is not None:
            return self.amount
        if self.quantity is not None and self.unit_price is not None:
            return (self.quantity * self.unit_price).quantize(Decimal("0.01"))
        return None


class Budget(TableAppendix):
    """Смета расходов или субсидия."""

    title: Line = Field("Смета расходов", description="Вид документа в заголовке")
    columns: list[Line] = Field(
        default_factory=lambda: ["Комплекс мероприятий", "Сумма, рублей"], description="Заголовки столбцов таблицы")
    of_which_label: Line = Field(
        "из них", description="Слова перед частью строки (of_which), как в документе: «из них», «в том числе:»; "
                              "часть печатается с отступом под своей строкой и в итог не входит")
    funding_source: Line | None = Field(None, description="Источник финансирования")
    codes: dict[str, BudgetCode] = Field(default_factory=dict, description="Коды бюджетной классификации: {КФСР: «0709», …}")
    lines: list[BudgetLine] = Field(description="Строки сметы")
    total: Money = Field(description="Итого по смете (сверяется с суммой строк)")


PERCENT_UNITS = ("%", "процент", "проценты", "процентов")


class Indicator(Silenceable):
    """Целевой показатель."""

    id: Id = Field(description="Идентификатор показателя")
    name: Line = Field(description="Наименование показателя (Показатель)")
    indicator: Line | None = Field(
        None, description="Индикатор — как показатель измеряется («доля школ …, в общем количестве таких "
                          "организаций, %»), если в документе он записан отдельно от показателя")
    unit: Line = Field(description="Единица измерения: Ед., %, чел.")
    target: QuantityValue | None = Field(
        None, description="Целевое значение (на конец периода); можно не писать, если заданы targets по годам")
    targets: dict[Year, QuantityValue] = Field(
        default_factory=dict, description="Целевые (плановые, прогнозные) значения по годам: {2021: «90», 2022: «95»}")
    actual: dict[Year, QuantityValue] = Field(
        default_factory=dict, description="Фактические значения по годам: {2020: «70»} — значение на 31 декабря года; "
                                          "значения на другие отчётные даты — в progress.yaml (actuals)")
    target_note: Line | None = Field(None, description="Уточнение значения, как в документе: «Не менее 50 человек»")
    baseline: QuantityValue | None = Field(None, description="Базовое (фактическое) значение")
    direction: Literal["increase", "decrease", "keep"] = Field(
        "increase", description="Желаемое направление: increase (рост), decrease (снижение), keep (сохранение)")
    year: Year | None = Field(None, description="Год, на который установлено значение")
    measures: Id | None = Field(None, description="Пункт технического задания, который измеряет показатель (id)")
    activities: list[Id] = Field(default_factory=list, description="Мероприятия дорожной карты, к которым относится показатель")
    _number: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _has_target(self):
        if self.target is None and not self.targets:
            raise PydanticCustomError("value_syntax", "{message}", {
                "message": f"у показателя «{self.id}» нет целевого значения", "code": "M002",
                "hint": "напишите target: «…» или targets: {год: «…»}", "offset": 0, "length": 0})
        return self

    @property
    def number(self) -> str:
        return self._number

    @property
    def final_target(self) -> Quantity:
        """The target at the end of the period: `target`, else the last year's of `targets`."""
        return self.target if self.target is not None else self.targets[max(self.targets)]

    @property
    def in_percent(self) -> bool:
        """A share: its values lie within 0–100."""
        return self.unit.strip() in PERCENT_UNITS


HeadingGroup = Annotated[
    list[Line], BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                    "description": "Заголовок над столбцом или список заголовков от верхнего"}),
]
IndicatorField = Literal["number", "name", "indicator", "unit", "baseline", "actual", "target", "note", "year",
                         "direction"]


class IndicatorColumn(SpecModel):
    """Столбец таблицы показателей."""

    field: IndicatorField = Field(
        description="Что в столбце: number (№), name (показатель), indicator (индикатор), unit (единица), baseline "
                    "(базовое значение), actual (факт за год year), target (цель; с year — на этот год), note "
                    "(уточнение значения), year (год), direction (рост / снижение)")
    heading: Line = Field(description="Заголовок столбца, как в документе")
    group: HeadingGroup = Field(
        default_factory=list,
        description="Общий заголовок над этим и соседними столбцами: строка («Прогнозное значение») или список "
                    "заголовков от верхнего; у соседних столбцов одинаковые объединяются")
    year: Year | None = Field(None, description="Год значения для actual (обязательно) и target")
    width: ColumnWidth | None = Field(None, description="Ширина в сантиметрах")

    @model_validator(mode="after")
    def _year_where_it_means_something(self):
        if (self.field == "actual" and self.year is None) or (self.year is not None and self.field not in ("actual",
                                                                                                          "target")):
            raise PydanticCustomError("value_syntax", "{message}", {
                "message": f"столбец {self.field}: год year задаётся у actual (обязательно) и target",
                "code": "M008", "hint": "например {field: actual, year: 2020, heading: «2020 г.»}",
                "offset": 0, "length": 0})
        return self


# the target indicators appendix as the bundled programmes print it: (field, heading, width in cm)
_INDICATOR_COLUMNS = (("number", "№ п/п", "1.3"), ("name", "Наименование показателя", "9.7"),
                      ("unit", "Единица измерения", "2.5"), ("target", "Значение показателя", "3.5"))


def _default_indicator_columns() -> list[IndicatorColumn]:
    return [IndicatorColumn.model_validate({"field": field, "heading": heading, "width": Decimal(width)})
            for field, heading, width in _INDICATOR_COLUMNS]


def _headings_only(value: Any):
    """The earlier form, four headings for the standard columns (`columns: [№ п/п, …]`), still reads."""
    if isinstance(value, list) and len(value) == len(_INDICATOR_COLUMNS) and all(isinstance(v, str) for v in value):
        return [{"field": field, "heading": heading, "width": width}
                for (field, _, width), heading in zip(_INDICATOR_COLUMNS, value, strict=True)]
    return value


class IndicatorGroup(Silenceable):
    """Группа показателей: под задачей программы («Задача 1. …») или под своим заголовком."""

    id: Id = Field(description="Идентификатор группы: блок indicators и строка паспорта показывают группы по id")
    task: Id | None = Field(None, description="Задача программы (id из programme_document.tasks): заголовок «Задача 1. …»")
    title: Line | None = Field(None, description="Свой заголовок группы, если она не задача программы")
    items: list[Indicator] = Field(description="Показатели группы")

    @model_validator(mode="after")
    def _one_heading(self):
        if (self.task is None) == (self.title is None):
            raise PydanticCustomError("value_syntax", "{message}", {
                "message": f"у группы «{self.id}» должен быть один заголовок: task или title", "code": "M008",
                "hint": "task: <id задачи программы> — или свой title: «…»", "offset": 0, "length": 0})
        return self


def _heading_columns_allowed(schema: dict) -> None:
    """In the schema too, the columns may be the four headings of the standard ones."""
    columns = schema["properties"]["columns"]
    columns["items"] = {"anyOf": [columns["items"], {"type": "string"}]}


class Indicators(TableAppendix):
    """Целевые показатели."""

    model_config = ConfigDict(json_schema_extra=_heading_columns_allowed)

    title: Line = Field("Целевые показатели", description="Вид документа в заголовке")
    columns: Annotated[list[IndicatorColumn], BeforeValidator(_headings_only)] = Field(
        default_factory=_default_indicator_columns,
        description="Столбцы таблицы по порядку (по умолчанию: № п/п, наименование, единица измерения, значение); "
                    "четыре строки-заголовка — заголовки этих столбцов")
    numbering: Literal["dotted", "plain"] = Field("dotted", description="Номера строк: «1.» (dotted) или «1» (plain)")
    groups: list[IndicatorGroup] = Field(
        default_factory=list, description="Группы показателей (по задачам программы); номера идут подряд через группы")
    items: list[Indicator] = Field(default_factory=list, description="Показатели вне групп")

    def all_items(self) -> list[Indicator]:
        return [item for group in self.groups for item in group.items] + list(self.items)


class SpecItem(Silenceable):
    """Пункт технического задания."""

    id: Id = Field(description="Идентификатор пункта технического задания")
    text: str = Field(description="Требование; количества вставляются как {{ quantity }} или {{ quantities.1 }}")
    quantities: list[QuantityValue] = Field(
        default_factory=list, description="Количества: первое — то, что измеряет показатель («18 программ»)")
    time: Time | None = Field(None, description="Срок оказания услуги по пункту")
    deliverables: list[str] = Field(default_factory=list, description="Состав работ и результаты (пункты «–»)")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


class Specification(TableAppendix):
    """Техническое задание."""

    title: Line = Field("Техническое задание", description="Вид документа в заголовке")
    event_name: Line = Field(description="Наименование мероприятия (раздел 1)")
    items: list[SpecItem] = Field(description="Требования к объёму услуг и срокам их оказания (раздел 2)")
    service_period: Time = Field(description="Срок оказания услуг (раздел 3)")
    executor: Id | None = Field(
        None, description="Исполнитель технического задания (id организации): его календарь получает сроки пунктов")
    funding_source: Line = Field(description="Источник финансирования (раздел 4)")

    @model_validator(mode="after")
    def _items_within_service_period(self) -> Specification:
        """«ежемесячно» in an item means every month of the services (section 3), not of the whole programme.

        (Also run on a recovered specification after each field is assigned — either may be absent there.)"""
        items, term = self.__dict__.get("items"), self.__dict__.get("service_period")
        for item in items if term is not None and items else []:
            if item.__dict__.get("time") is not None:
                item.time = item.time.framed(term)
        return self


# --- data tables -------------------------------------------------------------------------------

ColumnType = Literal["text", "integer", "decimal", "percent", "money", "organisation", "unit"]
TotalRule = Literal["sum", "count", "mean", "weighted_mean"]
CellValue = str | list[str] | None
_NUMERIC_TYPES = ("integer", "decimal", "percent", "money")


def _setting_error(message: str, hint: str) -> PydanticCustomError:
    return PydanticCustomError("value_syntax", "{message}",
                               {"message": message, "code": "M008", "hint": hint, "offset": 0, "length": 0})


class TableColumn(SpecModel):
    """Столбец таблицы данных: заголовок, тип значений, правило итога."""

    id: Id = Field(description="Идентификатор столбца: на него ссылаются итоги, веса и подстановки {{ tables.… }}")
    heading: Line = Field(description="Заголовок столбца, как в документе")
    group: HeadingGroup = Field(
        default_factory=list,
        description="Общий заголовок над этим и соседними столбцами (многоуровневая шапка): строка или список "
                    "заголовков от верхнего; у соседних столбцов одинаковые объединяются в одну ячейку")
    type: ColumnType = Field(
        "text", description="Тип значений: text (текст), integer (целое), decimal (число), percent (процент), "
                            "money (сумма), organisation (id организации из справочника), unit (единица измерения)")
    precision: Annotated[int, Field(ge=0, le=6)] | None = Field(
        None, description="Знаков после запятой у вычисленного итога (по умолчанию — как в строках)")
    total: TotalRule | None = Field(
        None, description="Как считается итог столбца: sum (сумма), count (число заполненных ячеек), mean (среднее "
                          "строк), weighted_mean (среднее, взвешенное по столбцу weight)")
    weight: Id | None = Field(None, description="Столбец весов для weighted_mean: «кол-во сдающих» для среднего балла")
    of: Id | None = Field(
        None, description="У процента — столбец численности, от которой он взят: процент сверяется с ней (S107)")
    sum_of: list[Id] = Field(
        default_factory=list,
        description="Столбец «Всего» строки — сумма других столбцов той же строки: [y2024, y2025, y2026]; "
                    "сверяется в каждой строке (S108)")
    name: Literal["short", "full"] = Field(
        "short", description="У столбца организаций — какое наименование печатать: short или full")
    width: ColumnWidth | None = Field(None, description="Ширина в сантиметрах")

    @model_validator(mode="after")
    def _consistent(self):
        numeric = self.type in _NUMERIC_TYPES
        if self.total is not None and self.total != "count" and not numeric:
            raise _setting_error(f"итог «{self.total}» у столбца «{self.heading}» с нечисловым типом {self.type}",
                                 "сумма и среднее — у столбцов integer, decimal, percent, money; у текста — count")
        if (self.total == "weighted_mean") != (self.weight is not None):
            raise _setting_error(f"weight у столбца «{self.heading}» — только вместе с total: weighted_mean",
                                 "напишите total: weighted_mean и weight: <id столбца весов> (или уберите weight)")
        if self.of is not None and self.type != "percent":
            raise _setting_error(f"of у столбца «{self.heading}» — только у процентов", "напишите type: percent")
        if self.precision is not None and not numeric:
            raise _setting_error(f"precision у нечислового столбца «{self.heading}»", "уберите precision")
        if self.sum_of and not numeric:
            raise _setting_error(f"sum_of у нечислового столбца «{self.heading}»",
                                 "сумма строки — у столбцов integer, decimal, money: напишите type")
        return self


class TableRow(Silenceable):
    """Строка таблицы данных: ячейки по столбцам или строка-группа («Задача 1. …»)."""

    id: Id | None = Field(None, description="Идентификатор строки (для подстановок {{ tables.<таблица>.rows.<id>.<столбец> }})")
    cells: list[CellValue] = Field(
        default_factory=list, description="Значения по столбцам, как в документе; пустая ячейка — ~ или \"\"")
    group: Line | None = Field(None, description="Строка-группа: текст во всю ширину таблицы вместо ячеек")
    _bare: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _from_bare_list(cls, value: Any, handler):
        """A row may be written as the bare list of its cells: `- [borinskoe, "35", "54,9"]`."""
        if isinstance(value, list):
            row = handler({"cells": value})
            row._bare = True
            return row
        return handler(value)

    def cell_field(self, index: int) -> tuple:
        """The path of a cell below the row: the list item itself, or the item of `cells` of a row written in full."""
        return (index,) if self._bare else ("cells", index)

    @model_validator(mode="after")
    def _cells_or_group(self):
        if self.group is not None and self.cells:
            raise _setting_error("в строке и ячейки, и group", "строка — список ячеек или {group: «…»} — строка-группа")
        return self


class TotalRow(Silenceable):
    """Итоговая строка таблицы: вычисляется по строкам или заявлена, как в документе, и сверяется."""

    label: Line = Field(description="Подпись в первом столбце: «ИТОГО 2020:»")
    values: dict[Id, CellValue] = Field(
        default_factory=dict,
        description="Заявленные значения по id столбцов, как в документе: сверяются с вычисленными (S105, S106); "
                    "столбец с total без значения получает вычисленное")
    declared_only: Flag = Field(
        False, description="Итог, которого строки таблицы не дают (прошлый год): печатается как написан, не сверяется")


def _table_rows_schema(schema: dict) -> None:
    rows = schema["properties"]["rows"]
    rows["items"] = {"anyOf": [rows["items"], {"type": "array"}]}


class DataTable(Silenceable):
    """Таблица данных: типизированные столбцы, строки, итоги."""

    model_config = ConfigDict(json_schema_extra=_table_rows_schema)

    title: Paragraphs = Field(default_factory=list, description="Заголовок над таблицей (строки по центру)")
    columns: list[TableColumn] = Field(description="Столбцы по порядку")
    rows: list[TableRow] = Field(
        description="Строки: список ячеек [«…», «…»] или {cells: […], id: …}, строка-группа — {group: «…»}")
    totals: list[TotalRow] = Field(default_factory=list, description="Итоговые строки под таблицей")
    landscape: Flag = Field(False, description="Широкая таблица: на страницах альбомной ориентации")

    @model_validator(mode="after")
    def _known_columns(self):
        ids = [column.id for column in self.columns]
        repeated = sorted({column_id for column_id in ids if ids.count(column_id) > 1})
        if repeated:
            raise _setting_error(f"столбец с id «{repeated[0]}» повторяется", "дайте каждому столбцу свой id")
        types = {column.id: column.type for column in self.columns}
        for column in self.columns:
            for name, ref in (("weight", column.weight), ("of", column.of), *(("sum_of", part) for part in column.sum_of)):
                if ref is not None and ref not in ids:
                    raise _setting_error(f"{name}: «{ref}» у столбца «{column.heading}» — такого столбца нет",
                                         "известные столбцы: " + ", ".join(ids))
            for part in column.sum_of:
                if part == column.id or types[part] not in _NUMERIC_TYPES:
                    raise _setting_error(f"sum_of: «{part}» у столбца «{column.heading}» — не другой числовой столбец",
                                         "слагаемые — другие столбцы integer, decimal, money той же таблицы")
        for total in self.totals:
            unknown = [key for key in total.values if key not in ids]
            if unknown:
                raise _setting_error(f"в итоге «{total.label}» значение для неизвестного столбца «{unknown[0]}»",
                                     "известные столбцы: " + ", ".join(ids))
        return self


# --- programme document: free structure ------------------------------------------------


class ListItem(Silenceable):
    """Пункт списка; вложенный список — ключ list."""

    text: str = Field(description="Текст пункта, как в документе (с его знаками препинания)")
    listing: ListBlock | None = Field(None, alias="list", description="Вложенный список под этим пунктом")


# a list item may be written as its bare text: `items: [первый, второй]`
_list_items, _bare_items_allowed = _bare_strings("items", "text")


class ListBlock(Silenceable):
    """Список с маркерами, как в документе."""

    model_config = ConfigDict(json_schema_extra=_bare_items_allowed)

    marker: Line = Field(
        "–", description="Маркер пунктов, как в документе: «–», «-», «•» ставится перед каждым пунктом; «1.», «1)» — "
                         "номера, «а)», «а.» — буквы (вычисляются)")
    start: Annotated[int, Field(ge=1, le=1000)] = Field(1, description="С какого номера (буквы) начинается нумерация")
    items: Annotated[list[ListItem], BeforeValidator(_list_items)] = Field(
        description="Пункты: строки или {text: …, list: вложенный список}")


class Task(Silenceable):
    """Задача программы; номер («Задача 1.») вычисляется по порядку."""

    id: Id = Field(description="Идентификатор задачи: на него ссылаются группы показателей")
    text: str = Field(description="Формулировка задачи: «Идентификация школ с низкими результатами обучения …»")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


TaskSelection = Literal["all"] | list[Id]
Selection = Literal["all"] | list[Id]


class Content(Silenceable):
    """What a block of text and a passport row may hold: exactly one of these keys (`_KINDS`)."""

    _KINDS: ClassVar[tuple[str, ...]] = ("text", "listing", "tasks")

    text: Paragraphs | None = Field(None, description="Абзацы текста (строка или список абзацев)")
    listing: ListBlock | None = Field(None, alias="list", description="Список с маркерами")
    tasks: TaskSelection | None = Field(
        None, description="Задачи программы списком «Задача 1. …»: all (все) или список id")
    indicators: Selection | None = Field(
        None, description="Показатели (раздел indicators): all или id групп и показателей — в разделе таблицей, "
                          "в паспорте списком «1. Доля … – 59 %.»")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [name for name in self._KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            keys = ", ".join(type(self).model_fields[name].alias or name for name in self._KINDS)
            raise PydanticCustomError("value_syntax", "{message}", {
                "message": ("в блоке нет содержимого" if not given else "в блоке несколько видов содержимого: "
                            + ", ".join(type(self).model_fields[name].alias or name for name in given)),
                "code": "M005", "hint": f"напишите ровно один из ключей: {keys}", "offset": 0, "length": 0})
        return self


def _text_block(value: Any):
    """A block may be written as its bare text: `blocks: ["Первый абзац.", {list: …}]`."""
    return {"text": value} if isinstance(value, str) else value


def _bare_text_allowed(schema: dict) -> None:
    """In the schema too, a block may be a bare string."""
    schema.pop("type", None)
    schema["anyOf"] = [{"type": "object", "properties": schema.pop("properties"),
                        "additionalProperties": schema.pop("additionalProperties", False)}, {"type": "string"}]


class PassportRow(Content):
    """Строка паспорта: наименование и значение — текст, список или ссылки на модель (ровно одно)."""

    _KINDS: ClassVar[tuple[str, ...]] = ("text", "listing", "tasks", "organisations", "indicators")

    label: Line = Field(description="Наименование строки (левый столбец): «Срок реализации программы»")
    organisations: list[Id] | None = Field(
        None, description="Организации из справочника: их полные наименования через запятую (разработчики, исполнители)")


class Passport(Silenceable):
    """Паспорт программы: таблица из двух столбцов «наименование — значение»."""

    headings: list[Line] = Field(
        default_factory=list, description="Заголовки двух столбцов, если у паспорта есть шапка (обычно её нет)")
    rows: list[PassportRow] = Field(description="Строки паспорта по порядку")


class Block(Content):
    """Блок раздела: абзацы, подзаголовок, список, задачи, таблица данных, паспорт, таблица показателей — ровно один
    из ключей."""

    model_config = ConfigDict(json_schema_extra=_bare_text_allowed)
    _KINDS: ClassVar[tuple[str, ...]] = ("text", "heading", "listing", "tasks", "table", "passport", "indicators")

    heading: Line | None = Field(None, description="Подзаголовок внутри раздела (без номера), полужирный, по центру")
    table: Id | None = Field(None, description="Таблица данных из раздела tables (id)")
    passport: Passport | None = Field(None, description="Паспорт программы: таблица «наименование — значение»")


TextBlock = Annotated[Block, BeforeValidator(_text_block)]


class DocumentSection(Silenceable):
    """Раздел программного документа; номер («1.», «2.1.») вычисляется."""

    id: Id | None = Field(None, description="Идентификатор раздела (для отключения проверок и ссылок)")
    title: Line = Field(description="Заголовок раздела: «Паспорт программы»")
    numbered: Flag = Field(True, description="Нумеровать раздел («1. Паспорт программы»); нет — заголовок без номера")
    blocks: list[TextBlock] = Field(default_factory=list, description="Содержимое раздела по порядку: абзацы, списки, …")
    sections: list[DocumentSection] = Field(default_factory=list, description="Подразделы")
    _number: str = PrivateAttr(default="")

    @property
    def number(self) -> str:
        return self._number


class ProgrammeDocument(AppendixDocument):
    """Программный документ: муниципальная программа, программа развития, региональная программа.

    Не приказ: нет номера, даты и подписи. Может быть утверждён приказом этой же папки
    (пункт с approves: programme_document — гриф вычисляется), актом другого органа
    (approved_by) или оставаться проектом без грифа.
    """

    title: Line = Field(description="Вид документа — первая строка заголовка: «Муниципальная программа»")
    subtitle: Line | None = Field(
        None, description="Продолжение заголовка: «реализации мероприятия 21 … в {{ programme.period }} году»")
    approved_by: ActRef | None = Field(
        None, description="Акт другого органа, которым утверждён документ (его нет в папке): гриф «УТВЕРЖДЕНА "
                          "постановлением … от … № …» печатается по нему")
    name: Line | None = Field(
        None, description="Наименование программы без кавычек по краям (в тексте — {{ document.name }})")
    tasks: list[Task] = Field(default_factory=list, description="Задачи программы по порядку («Задача 1.», …)")
    sections: list[DocumentSection] = Field(description="Разделы документа по порядку")
    appendices: list[AppendixKind] = Field(
        default_factory=list,
        description="Приложения к этому документу по порядку (roadmap, budget, indicators, specification): "
                    "«Приложение 1 к муниципальной программе»")


# --- amendments -----------------------------------------------------------------

AmendedDocument = Literal["decree", "roadmap", "budget", "indicators", "specification"]
Cells = dict[str, Paragraphs]
Renumbering = Annotated[dict[str, str], WithJsonSchema(
    {"type": "object", "additionalProperties": {"type": "string"}, "description": "{старый номер: новый номер}"})]


def _percent(value: Any) -> int:
    text = str(value).strip().rstrip("%").strip()
    if not text.isdigit() or int(text) > 100:
        raise DiagnosticError("P903", f"«{value}» — ожидается доля в процентах от 0 до 100",
                              "пишите целое число процентов, например 30")
    return int(text)


Percent = Annotated[int, _via(_percent), WithJsonSchema(
    {"type": "string", "description": "Доля в процентах: целое число от 0 до 100, например 30"})]


class AmendmentForms(SpecModel):
    """Пороги выбора юридической формы изменения (docs/amendments.md, «Как выбирается форма»)."""

    words: Percent = Field(
        30, description="Доля изменённых слов пункта или графы (в процентах), до которой изменение оформляется заменой "
                        "слов («слова … заменить словами …»); больше — пункт или строка излагается в новой редакции "
                        "(замена не больше трёх слов — всегда заменой слов)")
    appendix: Percent = Field(
        50, description="Доля изменённых строк приложения (в процентах), начиная с которой приложение излагается "
                        "в новой редакции целиком и прилагается к приказу о внесении изменений")


class AmendmentChange(Silenceable):
    """Одно изменение: что было и что стало, как напечатано в документе. Записывается командой prikaz amend."""

    document: AmendedDocument = Field(
        "decree", description="Где изменение: decree (сам приказ), roadmap, budget, indicators, specification")
    item: Line | None = Field(
        None, description="Что изменено: номер пункта или строки в изменяемой редакции («3», «5.1», «1.3»), id строки "
                          "сметы, или часть документа: title, subtitle, preamble, total, funding_source, codes, "
                          "event_name, service_period")
    field: Line | None = Field(
        None, description="Графа строки: time, activity, owners, result (дорожная карта), title, amount (смета), "
                          "name, unit, target (показатели), text, time, deliverables (ТЗ); text — текст пункта")
    old: Paragraphs | None = Field(None, description="Текст до изменения, как он напечатан в подписанной редакции")
    new: Paragraphs | None = Field(None, description="Текст после изменения")
    added: Cells | None = Field(None, description="Добавленный пункт или строка: {графа: текст}")
    removed: Cells | None = Field(None, description="Исключённый пункт или строка: {графа: текст, как был напечатан}")
    after: Line | None = Field(
        None, description="Для добавленного или исключённого пункта (строки): за каким он стоит; пусто — первым")
    renumber: Renumbering | None = Field(
        None, description="Перенумерация пунктов или строк после добавления или исключения: {старый номер: новый}")
    form: Literal["words", "edition", "appendix"] | None = Field(
        None, description="Форма вместо выбранной по порогам: words — замена слов, edition — новая редакция пункта "
                          "или строки, appendix — новая редакция всего приложения")
    wording: Line | None = Field(
        None, description="Свой текст этого изменения вместо сформулированного prikaz (без номера «1)» и точки с запятой)")


class Amendment(Silenceable):
    """Приказ (распоряжение) о внесении изменений в документ программы: реквизиты и список изменений.

    Вид документа, издающий орган и шапка — те же, что у изменяемого документа (decree).
    """

    number: Line | None = Field(None, description="Регистрационный номер; пусто, пока приказ не зарегистрирован")
    date: Date | None = Field(None, description="Дата подписания; пусто, пока приказ не подписан")
    place: Line | None = Field(None, description="Место издания, если отличается от места издания изменяемого документа")
    title: Line | None = Field(
        None, description="Заголовок, если не подходит вычисленный «О внесении изменений в приказ … от … № …»")
    legal_basis: dict[Id, ActRef] = Field(
        default_factory=dict, description="Акты, на которые ссылается преамбула: {id: акт}; в тексте — {{ basis.<id>.ins }}")
    preamble: str | None = Field(None, description="Преамбула: почему вносятся изменения")
    signatory: Id | None = Field(None, description="Кто подписывает (id из people)")
    forms: AmendmentForms = Field(
        default_factory=lambda: AmendmentForms.model_validate({}),
        description="Пороги выбора формы изменения: {words: 30, appendix: 50}")
    numbering: Literal["list", "decimal"] = Field(
        "list", description="Нумерация изменений: list — «1)», «а)» (как в изменениях законов и постановлений); "
                            "decimal — «1. Внести …: 1.1. …; 1.2. …», подпункты «1.2.1.» (как пункты приказа)")
    changes: list[AmendmentChange] = Field(description="Изменения по порядку документа (их пишет prikaz amend)")


# --- execution: what happened to the dated items (progress.yaml) ----------------------------------

ExecutionStatus = Literal["выполнено", "выполняется", "перенесено", "не выполнено", "отменено"]
ITEM_DOCUMENTS = ("roadmap", "specification", "decree")
_ITEM_REF = re.compile(rf"(?:(?:{'|'.join(ITEM_DOCUMENTS)})\.)?{_ID.pattern}")


def _item_ref(value: Any) -> str:
    if not (isinstance(value, str) and _ITEM_REF.fullmatch(value)):
        raise DiagnosticError(
            "P701", f"ссылка на пункт «{value}» записана неверно",
            "пишите id мероприятия, пункта технического задания или пункта приказа: monitoring; если такой id есть "
            "в нескольких документах — с именем документа: roadmap.monitoring, specification.monitoring, "
            "decree.report")
    return value


ItemRef = Annotated[
    str, _via(_item_ref),
    WithJsonSchema({"type": "string", "pattern": _ITEM_REF.pattern,
                    "description": "id мероприятия, пункта ТЗ или пункта приказа: monitoring, specification.webinars"}),
]


# a link may be written alone: `evidence: ["https://…"]`
_evidence, _links_allowed = _bare_strings("evidence", "link")


class Evidence(Silenceable):
    """Документ, подтверждающий исполнение или решение: вид, номер и дата — или ссылка."""

    kind: Line | None = Field(None, description="Вид документа в именительном падеже: приказ, протокол, справка, отчёт, письмо")
    issuer: Line | None = Field(
        None, description="Кто издал: id организации из organisations (склоняется сам) или текст в родительном падеже")
    number: Line | None = Field(None, description="Номер документа: 123, 01-15/456")
    date: Date | None = Field(None, description="Дата документа")
    title: Line | None = Field(None, description="Заголовок или краткое содержание документа, без кавычек-ёлочек по краям")
    link: Line | None = Field(None, description="Ссылка на документ или публикацию: https://…")

    @property
    def names_a_document(self) -> bool:
        """Enough to find the document: its kind and date, or a link."""
        return bool(self.link) or (bool(self.kind) and self.date is not None)


class ExecutionRecord(Silenceable):
    """Запись об исполнении мероприятия, пункта технического задания или пункта приказа со сроком.

    Действует с даты `date`: отчёт на более раннюю дату её не видит. У одного пункта может быть
    несколько записей (сначала «выполняется», потом «выполнено»): в силе последняя по дате.
    """

    model_config = ConfigDict(json_schema_extra=_links_allowed)

    item: ItemRef = Field(
        description="Что исполнено: id мероприятия, пункта технического задания или пункта приказа; если id "
                    "повторяется в разных документах — с документом: roadmap.<id>, specification.<id>, decree.<id>")
    window: Time | None = Field(
        None, description="Какой срок повторяющегося пункта: срок на языке сроков, в который попадает окончание этого "
                          "срока по плану — «март 2022», «2022 год», «15.11.2022 – 30.11.2022»; не указан — все сроки пункта")
    status: ExecutionStatus = Field(description="Состояние: выполнено, выполняется, перенесено, не выполнено, отменено")
    date: Date = Field(
        description="Дата записи: когда выполнено (выполнено), на какую дату сведения (выполняется, не выполнено), "
                    "когда принято решение (перенесено, отменено)")
    evidence: Annotated[list[Evidence], BeforeValidator(_evidence)] = Field(
        default_factory=list,
        description="Подтверждающие документы: [{kind: приказ, number: 123, date: 15.03.2022}] или ссылки «https://…»")
    comment: str | None = Field(None, description="Информация об исполнении — текст для графы отчёта")
    reason: str | None = Field(
        None, description="Причина отклонения от срока: почему выполнено позже срока или раньше приказа (печатается в отчёте)")
    new_deadline: Time | None = Field(
        None, description="Новый срок перенесённого пункта, на языке сроков: «до 30 апреля 2022 года», «май 2022»")
    decision: Evidence | None = Field(
        None, description="Решение о переносе или отмене: {kind: приказ, number: 45, date: 01.03.2022} или {link: …}")


class IndicatorActual(Silenceable):
    """Фактическое значение целевого показателя на отчётную дату. Факт за год, записанный в indicators.yaml
    (actual: {2022: …}), — то же самое значение на 31.12.2022: его здесь не повторяют."""

    indicator: Id = Field(description="Показатель (id из indicators)")
    date: Date = Field(description="Отчётная дата: на какую дату значение достигнуто")
    value: QuantityValue = Field(description="Фактическое значение: «12», «45,5»")
    comment: Line | None = Field(None, description="Пояснение к значению (печатается в отчёте)")


class Progress(SpecModel):
    """Исполнение программы: записи о сделанном и фактические значения показателей (файл progress.yaml)."""

    as_of: Date = Field(
        description="Дата отчёта «по состоянию на»: на неё собирается «Информация о ходе реализации …» и её "
                    "показывает сайт (сборка никогда не берёт «сегодня»)")
    subject: Line | None = Field(
        None, description="Что реализуется, в родительном падеже — продолжение заголовка «Информация о ходе реализации …»: "
                          "«плана-графика …»; по умолчанию — из названия дорожной карты или технического задания")
    signatory: Id | None = Field(None, description="Кто подписывает отчёт (id из people); не указан — без подписи")
    records: list[ExecutionRecord] = Field(default_factory=list, description="Записи об исполнении")
    actuals: list[IndicatorActual] = Field(
        default_factory=list, description="Фактические значения показателей: по записи на показатель и отчётную дату")


class Programme(SpecModel):
    """Программа: всё, что лежит в её папке, собранное из всех файлов."""

    programme: ProgrammeInfo = Field(description="Общие сведения о программе")
    organisations: dict[Id, Organisation] = Field(default_factory=dict, description="Организации: {id: …}")
    terms: dict[Id, Term] = Field(default_factory=dict, description="Прочие сокращения: {id: …}")
    people: dict[Id, Person] = Field(default_factory=dict, description="Должностные лица: {id: …}")
    decree: Decree | None = Field(
        None, description="Приказ или распоряжение (обязателен, если нет programme_document)")
    programme_document: ProgrammeDocument | None = Field(
        None, description="Программный документ: муниципальная программа, программа развития (обязателен, если нет decree)")
    roadmap: Roadmap | None = Field(None, description="Дорожная карта / план-график")
    budget: Budget | None = Field(None, description="Смета расходов / субсидия")
    indicators: Indicators | None = Field(None, description="Целевые показатели")
    specification: Specification | None = Field(None, description="Техническое задание")
    tables: dict[Id, DataTable] = Field(
        default_factory=dict, description="Таблицы данных: {id: …}; печатаются там, где их называет блок table: <id>")
    amendments: dict[Id, Amendment] = Field(
        default_factory=dict, description="Приказы о внесении изменений в подписанный документ, по порядку: {id: …} "
                                          "(docs/amendments.md)")
    progress: Progress | None = Field(
        None, description="Исполнение: что сделано, что перенесено, фактические значения показателей (progress.yaml)")


# models that name one defined after them (a clause its sub-clauses, an appendix its blocks of text)
for _model in (Clause, ListItem, DocumentSection, TableAppendix, Roadmap, Budget, Indicators, Specification,
               ProgrammeDocument, Programme):
    _model.model_rebuild()
