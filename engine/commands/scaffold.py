"""`prikaz new`: a new programme folder that passes `prikaz check` at once.

The answers (authority, document kind, period, region, time zone, signatory) come from flags or,
on a terminal, from questions. Every file is written in the canonical layout of `prikaz fmt`,
with Russian comments saying what to fill in; values typed by a person are quoted whenever YAML
could misread them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from engine.building.atomic import write_text_atomic
from engine.diagnostics import DiagnosticError
from engine.loading.yaml_source import forbidden_character
from engine.model.identity import slug
from engine.model.spec import iana_zones
from engine.model.timeexpr import Period, parse_period
from engine.model.workdays import is_working_day

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/prikaz.schema.json"
PROGRAMME_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
KINDS = ("приказ", "распоряжение")
GENDERS = {"male": "male", "female": "female", "м": "male", "ж": "female",
           "муж": "male", "жен": "female", "мужской": "male", "женский": "female"}
_INITIALS = re.compile(r"([А-ЯЁA-Z])\.\s*(?:([А-ЯЁA-Z])\.)?")

# Time zones of the subjects of the Russian Federation, found by a stem of the region's name.
_ZONES_BY_REGION = {
    "Europe/Kaliningrad": ("калининград",),
    "Europe/Simferopol": ("крым", "севастопол"),
    "Europe/Samara": ("самар", "удмурт"),
    "Europe/Saratov": ("саратов",),
    "Europe/Ulyanovsk": ("ульянов",),
    "Europe/Astrakhan": ("астрахан",),
    "Europe/Volgograd": ("волгоград",),
    "Europe/Kirov": ("киров",),
    "Asia/Yekaterinburg": ("башкир", "башкорт", "курган", "оренбург", "перм", "свердлов", "тюмен",
                           "челябин", "ханты", "югра", "ямал"),
    "Asia/Omsk": ("омск",),
    "Asia/Novosibirsk": ("новосибир",),
    "Asia/Barnaul": ("алтай",),
    "Asia/Tomsk": ("томск",),
    "Asia/Novokuznetsk": ("кемеров", "кузбас"),
    "Asia/Krasnoyarsk": ("красноярск", "хакас", "тыва", "тува"),
    "Asia/Irkutsk": ("иркутск", "бурят"),
    "Asia/Chita": ("забайкал",),
    "Asia/Yakutsk": ("амурск", "якути", "саха"),
    "Asia/Vladivostok": ("примор", "хабаров", "еврейск"),
    "Asia/Sakhalin": ("сахалин",),
    "Asia/Magadan": ("магадан",),
    "Asia/Kamchatka": ("камчат",),
    "Asia/Anadyr": ("чукот",),
    "Europe/Moscow": (
        "москва", "москов", "петербург", "ленинград", "адыге", "дагестан", "ингуш", "кабардин", "калмык",
        "карачаев", "карели", "коми", "марий", "мордов", "осети", "татарстан", "чечен", "чуваш", "краснодар",
        "ставропол", "архангел", "белгород", "брянск", "владимир", "воронеж", "вологод", "иванов", "калуж",
        "костром", "курск", "липецк", "мурманск", "нижегород", "новгород", "орлов", "пенз", "псков", "ростов",
        "рязан", "смолен", "тамбов", "твер", "тульск", "ярослав", "ненец",
    ),
}


def timezone_for_region(region: str) -> str | None:
    """The usual time zone of a Russian region, or None if the name is not recognised.

    The first word of the name that starts like a region decides («Ямало-Ненецкий» is Yamal, not
    the Nenets okrug), and of the stems it starts with the longest (`сахалинская` is Sakhalin, not Sakha).
    """
    for word in re.findall(r"[а-яё]+", region.lower()):
        matches = [(len(stem), zone)
                   for zone, stems in _ZONES_BY_REGION.items() for stem in stems if word.startswith(stem)]
        if matches:
            return max(matches)[1]
    return None


class ScaffoldError(Exception):
    """A wrong or missing answer; the message is for the user, in Russian."""


@dataclass
class Answers:
    """What a new programme needs to know; each field is a flag of `prikaz new`."""

    authority: str
    authority_short: str
    kind: str
    period: str
    region: str
    timezone: str
    signatory_surname: str
    signatory_initials: str
    signatory_gender: str
    signatory_position: str


def _flag_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


# --- answers: checking and normalising ----------------------------------------------------


def _text(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ScaffoldError(f"{what}: пустое значение")
    forbidden = forbidden_character(value)   # the loader's rule: the new programme must read back
    if forbidden:
        raise ScaffoldError(f"{what}: в тексте {forbidden}")
    return value


def _kind(value: str) -> str:
    kind = value.strip().lower()
    if kind not in KINDS:
        raise ScaffoldError(f"вид документа «{value}»: ожидается приказ или распоряжение")
    return kind


def _period(value: str) -> str:
    text = _text(value, "период")
    try:
        period = parse_period(text)
    except DiagnosticError as exc:
        raise ScaffoldError(f"период «{text}»: {exc.message}; пишите «2025» или «2025–2027»") from None
    whole_years = (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31)
    if not whole_years:
        return text
    if period.start.year == period.end.year:
        return str(period.start.year)
    return f"{period.start.year}–{period.end.year}"


def _timezone(value: str) -> str:
    zone = value.strip()
    if zone not in iana_zones():   # the spec's own rule: a folder («Europe») or «localtime» would not pass check
        raise ScaffoldError(f"неизвестный часовой пояс «{value}»: например Europe/Moscow или Asia/Yekaterinburg")
    return zone


def _initials(value: str) -> str:
    match = _INITIALS.fullmatch(value.strip().upper())
    if not match:
        raise ScaffoldError(f"инициалы «{value}»: пишите как А.Б. или А.")
    return "".join(f"{letter}." for letter in match.groups() if letter)


def _gender(value: str) -> str:
    gender = GENDERS.get(value.strip().lower())
    if gender is None:
        raise ScaffoldError(f"пол «{value}»: ожидается male или female (м или ж)")
    return gender


_NORMALISE: dict[str, Callable[[str], str]] = {
    "authority": lambda v: _text(v, "полное наименование органа"),
    "authority_short": lambda v: _text(v, "краткое наименование органа"),
    "kind": _kind,
    "period": _period,
    "region": lambda v: _text(v, "регион"),
    "timezone": _timezone,
    "signatory_surname": lambda v: _text(v, "фамилия подписанта"),
    "signatory_initials": _initials,
    "signatory_gender": _gender,
    "signatory_position": lambda v: _text(v, "должность подписанта"),
}

QUESTIONS = {
    "authority": "Полное наименование издающего органа, как в тексте (со строчной буквы)",
    "authority_short": "Краткое наименование органа, как в документах",
    "kind": "Вид документа: приказ или распоряжение",
    "period": "Период программы: «2025» или «2025–2027»",
    "region": "Регион (субъект РФ или муниципалитет)",
    "timezone": "Часовой пояс IANA",
    "signatory_surname": "Подписывает — фамилия (именительный падеж)",
    "signatory_initials": "Инициалы подписанта (А.Б.)",
    "signatory_gender": "Пол подписанта (м/ж) — нужен для склонения",
    "signatory_position": "Должность подписанта (со строчной буквы)",
}


Ask = Callable[[str, "str | None", "str | None"], str]


def ask_on_terminal(question: str, default: str | None, problem: str | None) -> str:
    """One question on the terminal; an empty reply takes the default shown in brackets."""
    if problem:
        print(f"  {problem}", file=sys.stderr)
    return input(f"{question}{f' [{default}]' if default else ''}: ")


def _suggestion(name: str, known: dict[str, str]) -> str | None:
    if name == "timezone":
        return timezone_for_region(known.get("region", ""))
    return {"kind": "приказ", "period": str(dt.date.today().year)}.get(name)


def collect_answers(given: dict[str, str | None], ask: Ask | None) -> Answers:
    """Answers from flags; the missing ones are asked with `ask` or, without it, reported as missing flags.

    `ask(question, default, problem)` returns the typed text (empty takes the default); `problem` says
    why the previous reply to the same question was refused. Without `ask` only the time zone has
    a default (by region): everything else must be given.
    """
    known: dict[str, str] = {}
    for name, value in given.items():
        if value is not None:
            try:
                known[name] = _NORMALISE[name](value)
            except ScaffoldError as exc:
                raise ScaffoldError(f"{_flag_name(name)}: {exc}") from None
    if ask is None:
        if "timezone" not in known and (zone := _suggestion("timezone", known)):
            known["timezone"] = zone
        missing = [_flag_name(f.name) for f in fields(Answers) if f.name not in known]
        if missing:
            raise ScaffoldError("не заданы флаги: " + ", ".join(missing)
                                + " (или запустите команду в терминале и ответьте на вопросы)")
        return Answers(**known)
    for f in fields(Answers):
        problem = None
        while f.name not in known:
            default = _suggestion(f.name, known)
            reply = ask(QUESTIONS[f.name], default, problem).strip() or default or ""
            try:
                known[f.name] = _NORMALISE[f.name](reply)
            except ScaffoldError as exc:
                problem = str(exc)
    return Answers(**known)


# --- the files ----------------------------------------------------------------------------------

_PLAIN = re.compile(r"[А-Яа-яЁёA-Za-z](?:[^\n\t:#\"'«»]*[^\s:#\"'«»])?")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def yaml_scalar(text: str) -> str:
    """A value as YAML text: plain when nothing in it can be misread, otherwise double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _first_month(period: Period) -> str:
    """A time expression for the first weeks of the programme: a window of its first month, ending on a working day
    (a new programme does not start with a T207 warning)."""
    start = period.start
    next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = min(next_month - dt.timedelta(days=1), period.end)
    while end > start and not is_working_day(end):
        end -= dt.timedelta(days=1)
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def render_files(programme_id: str, answers: Answers) -> dict[str, str]:
    """File name → text of every file of the new programme."""
    period = parse_period(answers.period)
    multi_year = period.start.year != period.end.year
    years = f"{answers.period} годы" if multi_year else f"{answers.period} год"
    title = ("Об утверждении дорожной карты и сметы расходов программы поддержки школ с низкими результатами "
             f"обучения на {years}")
    authority_id = slug(answers.authority_short, "authority")
    signatory_id = slug(answers.signatory_surname, "signatory")
    if signatory_id == authority_id:
        signatory_id += "-person"
    of_document, to_document = ("приказа", "приказу") if answers.kind == "приказ" else ("распоряжения", "распоряжению")
    # A распоряжение has no «ПРИКАЗЫВАЮ:»; its preamble leads into the clauses with a colon.
    preamble_end = "" if answers.kind == "приказ" else ":"
    scalar = yaml_scalar
    programme = f"""{SCHEMA_LINE}
# Общие сведения о программе. Идентификатор совпадает с именем папки; период — «2025» или
# «2025–2027»: в многолетней программе месяц без года означает «каждый год».
# Часовой пояс нужен календарям: сроки мероприятий попадают в них по местному времени.

programme:
  id: {programme_id}
  # Краткое название для сайта и календарей: замените своим.
  title: {scalar(f"Поддержка школ с низкими результатами обучения — {answers.region}, {answers.period}")}
  region: {scalar(answers.region)}
  period: {scalar(answers.period)}
  timezone: {answers.timezone}
"""
    organisations = f"""{SCHEMA_LINE}
# Справочник: организации и должностные лица. Нигде больше имена не набираются — приказ,
# дорожная карта и смета ссылаются на них по id (латиница, цифры, «-», «_»).
# Добавьте сюда всех исполнителей мероприятий; неиспользуемые записи проверка отметит (O303).

organisations:
  {authority_id}:
    short: {scalar(answers.authority_short)}
    # Полное наименование — как оно стоит в тексте: склоняется само ({{{{ orgs.{authority_id}.full.dat }}}}).
    full: {scalar(answers.authority)}

people:
  # Подписант. Фамилия и должность — в именительном падеже: падежи строятся сами;
  # если склонение неверно, задайте surname_forms / position_forms.
  {signatory_id}:
    surname: {scalar(answers.signatory_surname)}
    initials: {scalar(answers.signatory_initials)}
    gender: {answers.signatory_gender}
    position: {scalar(answers.signatory_position)}
    organisation: {authority_id}
"""
    decree = f"""{SCHEMA_LINE}
# {answers.kind.capitalize()}: реквизиты, преамбула и пункты. Номера пунктов и приложений, грифы
# утверждения и отметки «Приложение N к {to_document} …» вычисляются — не набирайте их.

decree:
  kind: {answers.kind}
  authority: {authority_id}
  # Регистрационный номер и дата: впишите после регистрации. Пока их нет, в документе
  # остаётся место для них («№ ______»), год берётся из year, имя файла — «…-proekt.docx».
  number:
  date:
  year: "{period.start.year}"
  title: {scalar(title)}
  # Ссылки на акты-основания пишутся в legal_basis и вставляются как {{{{ basis.<id>.ins }}}}.
  preamble: {scalar(f"В целях повышения качества образования в школах с низкими результатами обучения{preamble_end}")}
  clauses:
    - id: approve-roadmap
      text: "Утвердить дорожную карту программы (приложение {{{{ appendix.roadmap }}}})."
      approves: roadmap
    - id: approve-budget
      text: "Утвердить смету расходов программы (приложение {{{{ appendix.budget }}}})."
      approves: budget
    - id: control
      text: "Контроль за исполнением настоящего {of_document} оставляю за собой."
  signatory: {signatory_id}
"""
    roadmap = f"""{SCHEMA_LINE}
# Приложение: дорожная карта. У каждого мероприятия постоянный id (от него зависит событие
# в календаре), срок — как в документе («Март», «01.06.2025 – 27.06.2025», «ежемесячно»,
# «по запросу»), ответственные — id из organisations.yaml или people.

roadmap:
  title: Дорожная карта
  columns:
    - field: number
      heading: № п/п
    - field: activity
      heading: Мероприятие
    - field: time
      heading: Срок
    - field: owners
      heading: Ответственный исполнитель
    - field: result
      heading: Планируемый результат
  activities:
    # Пример: замените своими мероприятиями.
    - id: working-group
      title: Создание рабочей группы по реализации программы
      time: {scalar(_first_month(period))}
      owners: [{authority_id}]
      result: Утверждён состав рабочей группы
"""
    budget = f"""{SCHEMA_LINE}
# Приложение: смета расходов. Суммы — строками с копейками («1 900 000,00»); итог сверяется
# с суммой строк (S101), строка может быть задана как quantity × unit_price (S102).

budget:
  title: Смета расходов
  lines:
    # Пример: замените своими строками.
    - id: methodical-support
      title: Методическое сопровождение школ
      amount: "100 000,00"
  total: "100 000,00"
"""
    signatory = f"{answers.signatory_initials} {answers.signatory_surname}"
    readme = f"""# {programme_id} — {answers.kind} {answers.authority_short}, {answers.period}

Программа создана командой `prikaz new`. Заполните файлы и проверяйте себя командой
`prikaz check specs/{programme_id}`: она покажет файл и строку каждой проблемы.

| файл | что в нём |
|---|---|
| `programme.yaml` | программа: {answers.region}, период {answers.period}, часовой пояс {answers.timezone} |
| `organisations.yaml` | организации и должностные лица: {answers.authority_short}, {signatory} (подписывает) |
| `decree.yaml` | {answers.kind}: реквизиты, заголовок, преамбула, пункты |
| `roadmap.yaml` | приложение: дорожная карта (пример мероприятия) |
| `budget.yaml` | приложение: смета расходов (пример строки и итог) |

Дальше:
- `prikaz fmt specs/{programme_id}` — привести файлы к единому виду (комментарии сохраняются);
- `prikaz build specs/{programme_id}` — собрать документы DOCX и календари в `outputs/`.

Если источник (опубликованный документ) содержит ошибки, исправьте их в спецификации и
перечислите здесь: как в источнике → как в спецификации — почему.
"""
    return {"programme.yaml": programme, "organisations.yaml": organisations, "decree.yaml": decree,
            "roadmap.yaml": roadmap, "budget.yaml": budget, "README.md": readme}


def free_folder(specs: Path, programme_id: str) -> Path:
    """specs/<id>, after checking that the id is well-formed and the folder does not exist yet."""
    if not PROGRAMME_ID.fullmatch(programme_id):
        raise ScaffoldError(f"идентификатор программы «{programme_id}» записан неверно: латинские строчные буквы, "
                            "цифры, «-» и «_», например lipetsk-2025")
    target = specs / programme_id
    if target.exists():
        raise ScaffoldError(f"папка {target} уже существует: выберите другой идентификатор или удалите её")
    return target


def create_programme(specs: Path, programme_id: str, answers: Answers) -> Path:
    """Write specs/<id>/ whole or not at all: files go to a hidden folder that is then renamed."""
    target = free_folder(specs, programme_id)
    specs.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{programme_id}.", dir=specs))
    try:
        for name, text in render_files(programme_id, answers).items():
            write_text_atomic(staging / name, text)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
