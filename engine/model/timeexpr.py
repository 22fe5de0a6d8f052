"""The time language: deadlines written in Russian, exactly as official documents write them.

A deadline in a roadmap is rarely a date. `parse_time` reads what the document says
(«Февраль-март», «01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022», «до 10 февраля
2020 года», «ежеквартально до 5 числа месяца, следующего за отчётным кварталом», «по
пятницам», «По итогам выявления») into a `TimeExpr`. The expression keeps its wording:
documents print it as written (`TimeExpr.wording`), and only checks and calendars use
what it means — the concrete windows that the programme `Period` gives it.

Grammar (EBNF; words are case-insensitive, «ё» is «е», any whitespace separates tokens,
a dash is any of «-», «–», «—»):

    time        = undated | deadline | due_only | recurring | weekdays | whole_year | dates | months ;

    undated     = ( "по" | "согласно" | "в" "соответствии" ( "с" | "со" ) ) WORD { any } ;
                  (* «по» followed by a day of the week is `weekdays`, not undated *)
    deadline    = [ "в" "срок" ] before day ;
    before      = "до" | "не" "позднее" | "в" "срок" "до" ;
    due_only    = before due_day ( "каждого" "месяца" | following ) ;
    recurring   = unit [ [ "," ] on_days ] [ [ "," ] before ( due_day [ following ] | NUMBER MONTH ) ]
                  [ "," spans ] ;
    unit        = "ежегодно" | "ежеквартально" | "поквартально" | "ежемесячно" | "еженедельно" | "ежеполугодно"
                | ( "каждый" | "каждое" | "каждую" ) UNIT_NOUN
                | [ "1" | "один" ] "раз" "в" UNIT_NOUN
                | ( "2" | "два" ) "раза" "в" "год" | "дважды" "в" "год" ;
    UNIT_NOUN   = "год" | "полугодие" | "полгода" | "квартал" | "месяц" | "неделю" ;
    weekdays    = on_days [ "," spans ] ;
    on_days     = "по" DAYS_DATIVE { ( "," | "и" ) DAYS_DATIVE }                  (* «по пятницам» *)
                | EVERY DAY_ACCUSATIVE { ( "," | "и" ) [ EVERY ] DAY_ACCUSATIVE } ;   (* «каждую пятницу» *)
    EVERY       = "каждый" | "каждую" | "каждое" ;
    due_day     = NUMBER "числа" ;
    following   = [ "месяца" ] [ "," ] "следующего" "за" ( "отчетным" | "отчетный" ) [ UNIT_INSTRUMENTAL ] ;
    UNIT_INSTRUMENTAL = "месяцем" | "кварталом" | "полугодием" | "годом" | "периодом" ;
    whole_year  = "в" "течение" ( "года" [ every_year ] | year )
                | year [ dash year ] ;                                      (* «2024–2025 годы» *)
    dates       = window { [ ";" | "," ] window } ;
    window      = day [ dash day ] ;
    day         = DD.MM.YYYY | YYYY-MM-DD | NUMBER MONTH year ;
    months      = spans [ every_year ] ;
    spans       = span { ( "," | ";" ) span } ;
    span        = MONTH [ year ] [ dash MONTH [ year ] ] ;
    year        = [ "," | dash ] YYYY [ "год" | "года" | "годы" | "г" [ "." ] | "гг" [ "." ] ] ;
    every_year  = "(" "ежегодно" ")" ;

    period      = YYYY [ dash YYYY ] | day ( dash | "/" ) day ;     (parse_period)

`MONTH` is a month name in the nominative or the genitive («март», «марта»); the days of
the week are written «по понедельникам, вторникам, средам, четвергам, пятницам, субботам,
воскресеньям» or «каждый понедельник, вторник, четверг», «каждую среду, пятницу, субботу»,
«каждое воскресенье». A leading «,» or dash before a year is the documents' own punctuation
(«Август, 2021», «март – 2020»), not a range.

Meaning:

* A year written after a month belongs to it and to the months before it that have no
  year of their own: «май, июнь 2020 года» is May and June 2020, «Март-декабрь 2022» is
  March–December 2022. A month after the last written year is an error (which year?).
  A range crosses a year end only with both years written («ноябрь 2021 – январь 2022»).
* Months without any year are relative to the programme: in a one-year programme they fall
  in that year, in a multi-year programme in every year of it («Июнь-июль» in 2021–2024 is
  four windows). A relative range may wrap («ноябрь – январь»): it ends in the next year.
  A relative list («Ноябрь, январь, март, июнь») is each listed month in every year of the
  period.
* «ежегодно» and «в течение года» are every year of the period (cut to it, if it starts or ends
  within a year); «2021 год» is the whole of 2021, «2024–2025 годы» one window over both years.
* Months are listed with «,» or «;»: «сентябрь – ноябрь 2024 года; сентябрь – ноябрь 2025 года».
  «ежегодно, июнь – июль» and «июнь – июль (ежегодно)» only spell out what «июнь – июль»
  already means; with a year they are contradictory and an error.
* Recurring units — «еженедельно» (weeks from Monday to Sunday), «ежемесячно», «ежеквартально»,
  «раз в полугодие» (January–June, July–December), «ежегодно» — are every such calendar unit of
  the period, or of the months after the comma («ежемесячно, март – декабрь 2022»), cut to
  them: a period that starts on a Friday starts its first week on that Friday.
* A day of the week («по пятницам», «еженедельно по пятницам», «каждую пятницу») is every such
  day of the period (or of the months after the comma).
* A due day makes each unit one deadline day: «ежемесячно до 10 числа» is the 10th of every
  month, «ежеквартально до 5 числа месяца, следующего за отчётным кварталом» (or «до 5 числа
  месяца, следующего за отчётным кварталом» alone) is 5 April, 5 July, 5 October and 5 January
  of the next year for each quarter of the period, «ежегодно до 1 декабря» is 1 December of
  every year. A day the month does not have is its last day («до 30 числа»: 28 or 29 February).
  The report on the last unit may fall after the period: it still reports on the period
  (`TimeExpr.planned_windows` gives the units reported on, which the period check uses).
* «до 10.02.2020» is the single day 10.02.2020.
* A recurrence (for iCalendar) is offered only when it reproduces the windows exactly.
* Undated phrases are kept as text and never placed in a calendar. Only known openers
  make a phrase undated; any other unrecognised text is an error, so a typo never turns
  a deadline silently into «no date».
* An expression may be framed `within` another (the items of a technical specification
  within its service period): its recurring units then fall in that term, not in the
  whole programme period. The wording stays as written.

Windows are what the words mean in the calendar; they are not clipped to the period, so
the time checks can see an activity that falls outside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Literal, NoReturn

from babel.dates import get_month_names
from dateutil import rrule

from engine.diagnostics import DiagnosticError

__all__ = ["Due", "MonthSpan", "Period", "Recurrence", "TimeExpr", "Window", "parse_period", "parse_time"]

SYNTAX = "P101"
END_BEFORE_START = "P102"

FORMS_HINT = (
    "допустимые сроки: «16.03.2021», «05.03.2021 – 09.03.2021», «март 2022 года», «февраль – март», "
    "«май, июнь 2020 года», «до 10 февраля 2020 года», «ежемесячно», «ежеквартально», «раз в полугодие», "
    "«еженедельно», «по пятницам», «ежеквартально до 5 числа месяца, следующего за отчётным кварталом», "
    "«ежегодно», «в течение года», «2021 год», «2024–2025 годы», «по отдельному графику», «в соответствии с графиком …»"
)
PERIOD_HINT = "период программы пишется так: «2022», «2021–2024», «01.02.2020 – 31.12.2020»"

MIN_YEAR, MAX_YEAR = 1900, 2100

MONTH_NAMES = dict(get_month_names("wide", context="stand-alone", locale="ru"))  # 1 → «январь»
MONTH_GENITIVE = dict(get_month_names("wide", context="format", locale="ru"))  # 1 → «января»
MONTH_BY_NAME = {name: number for table in (MONTH_NAMES, MONTH_GENITIVE) for number, name in table.items()}

YEAR_WORDS = {"год", "года", "годы", "годов", "г", "гг"}
ABBREVIATED_YEAR_WORDS = {"г", "гг"}

# Days of the week as deadlines name them (0 = Monday, as datetime.weekday()).
WEEKDAYS_DATIVE = {"понедельникам": 0, "вторникам": 1, "средам": 2, "четвергам": 3, "пятницам": 4,
                   "субботам": 5, "воскресеньям": 6}
WEEKDAYS_ACCUSATIVE = {"понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5,
                       "воскресенье": 6}
EVERY = ("каждый", "каждую", "каждое")

# Recurring units: kind → calendar months per unit (weeks are counted in days).
UNIT_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
UNIT_KINDS = ("weekly", *UNIT_MONTHS)
_UNIT_ADVERBS = {"еженедельно": "weekly", "ежемесячно": "monthly", "ежеквартально": "quarterly",
                 "поквартально": "quarterly", "ежеполугодно": "half_yearly", "ежегодно": "yearly"}
_UNIT_NOUNS = {"неделю": "weekly", "месяц": "monthly", "квартал": "quarterly", "полугодие": "half_yearly",
               "полгода": "half_yearly", "год": "yearly"}
_UNIT_INSTRUMENTAL = {"месяцем": "monthly", "кварталом": "quarterly", "полугодием": "half_yearly", "годом": "yearly"}
_UNIT_GENITIVE = {"monthly": "месяцем", "quarterly": "кварталом", "half_yearly": "полугодием", "yearly": "годом"}
_BEFORE_HINT = ("например: «ежемесячно до 10 числа», «ежеквартально до 5 числа месяца, следующего за отчётным "
                "кварталом», «ежегодно до 1 декабря»")


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Window:
    """Days from `start` to `end`, both inclusive."""

    start: dt.date
    end: dt.date

    def iso(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Period:
    """The period of a programme: one year (2022), several (2021–2024) or exact days."""

    start: dt.date
    end: dt.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def multi_year(self) -> bool:
        return self.start.year != self.end.year


@dataclass(frozen=True)
class MonthSpan:
    """Whole months from `first` to `last` (1–12), inclusive.

    With years it is one absolute window; without years (both None) it is relative to the
    programme period and may wrap over a year end («ноябрь – январь»).
    """

    first: int
    last: int
    first_year: int | None = None
    last_year: int | None = None

    @property
    def relative(self) -> bool:
        return self.first_year is None

    def occurrences(self, period: Period) -> list[Window]:
        if self.first_year is not None and self.last_year is not None:
            return [_months_window(self.first_year, self.first, self.last_year, self.last)]
        wraps = self.last < self.first
        return [_months_window(year, self.first, year + wraps, self.last) for year in period.years]


@dataclass(frozen=True)
class Due:
    """The deadline day of each recurring unit: the `day` of the month `month_offset` months after the unit's
    first month («до 10 числа» of a month: 0; «до 5 числа месяца, следующего за отчётным кварталом»: 3;
    «ежегодно до 1 декабря»: 11)."""

    day: int
    month_offset: int

    def in_unit(self, unit: Window) -> dt.date:
        year, month = _add_months(unit.start.year, unit.start.month, self.month_offset)
        return dt.date(year, month, min(self.day, calendar.monthrange(year, month)[1]))


Frequency = Literal["WEEKLY", "MONTHLY", "YEARLY"]
_RRULE_FREQUENCIES: dict[Frequency, Literal[0, 1, 2]] = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY,
                                                         "YEARLY": rrule.YEARLY}


@dataclass(frozen=True)
class Recurrence:
    """An RRULE for a calendar: `first` repeats with `freq` until an occurrence starting on `until`.

    Occurrences take the length of `first`; a writer that needs every window exactly
    (months differ in length) uses `TimeExpr.windows` instead.
    """

    first: Window
    freq: Frequency
    until: dt.date  # the start of the last occurrence (RRULE UNTIL is inclusive)
    by_month: tuple[int, ...] = ()
    interval: int = 1
    by_weekday: tuple[int, ...] = ()  # 0 = Monday

    def starts(self) -> list[dt.date]:
        rule = rrule.rrule(
            _RRULE_FREQUENCIES[self.freq],
            dtstart=dt.datetime.combine(self.first.start, dt.time()),
            until=dt.datetime.combine(self.until, dt.time()),
            interval=self.interval,
            bymonth=self.by_month or None,
            byweekday=self.by_weekday or None,
        )
        return [moment.date() for moment in rule]

    def to_json(self) -> dict:
        return {
            "first": self.first.iso(),
            "freq": self.freq,
            "until": self.until.isoformat(),
            "by_month": list(self.by_month),
            "interval": self.interval,
            "by_weekday": list(self.by_weekday),
        }


_RULES: dict[str, tuple[Frequency, int]] = {"weekly": ("WEEKLY", 1), "weekdays": ("WEEKLY", 1), "monthly": ("MONTHLY", 1),
          "quarterly": ("MONTHLY", 3), "half_yearly": ("MONTHLY", 6), "yearly": ("YEARLY", 1)}
_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class TimeExpr:
    """A parsed deadline. Equal when the meaning is equal; `text` (the wording) is not compared.

    Only the fields of its `kind` are set: `days` for day / windows / deadline (as written),
    `months` for months / month_list and as the limits of the recurring kinds, `weekdays`
    for weekdays, `due` for a recurring unit with a deadline day, `year` for a whole year that
    names it, `note` for undated text. `within` is the term that frames the recurrences.
    """

    text: str = field(compare=False)
    kind: str  # day | windows | months | month_list | deadline | weekly | weekdays | monthly | quarterly
    #            | half_yearly | yearly | whole_year | undated
    days: tuple[Window, ...] = ()
    months: tuple[MonthSpan, ...] = ()
    year: int | None = None
    note: str = ""
    weekdays: tuple[int, ...] = ()
    due: Due | None = None
    within: TimeExpr | None = None

    @property
    def dated(self) -> bool:
        return self.kind != "undated"

    @property
    def wording(self) -> str:
        """The deadline as the spec writes it, for print: line breaks of the YAML source are spaces, nothing else
        changes (no-break spaces stay)."""
        return _SPACES.sub(" ", self.text).strip()

    @property
    def every_year(self) -> bool:
        """True when the expression names no year and so repeats in every year of the period."""
        if self.kind == "yearly":
            return True
        if self.kind == "whole_year":
            return self.year is None
        return self.kind in ("months", "month_list") and self.months[0].relative

    def framed(self, term: TimeExpr) -> TimeExpr:
        """This expression with its recurrences inside `term` (a technical specification's service period)."""
        return replace(self, within=term)

    def frame(self, period: Period) -> Period:
        """The period the recurrences of this expression fall in: the framing term's days, or the programme's."""
        if self.within is None:
            return period
        windows = self.within.windows(period)
        return Period(windows[0].start, max(window.end for window in windows)) if windows else period

    def windows(self, period: Period) -> list[Window]:
        """Every concrete occurrence within the period's years, sorted; [] when undated."""
        return list(_windows(self, period))

    def planned_windows(self, period: Period) -> list[Window]:
        """The time the work is about: the units a recurring report is due on (a report due on 5 January is about
        the last quarter of the year before), otherwise the windows themselves."""
        if self.due is None:
            return self.windows(period)
        return sorted(_unit_windows(self, self.frame(period)))

    def first_day(self, period: Period) -> dt.date | None:
        windows = self.windows(period)
        return windows[0].start if windows else None

    def last_day(self, period: Period) -> dt.date | None:
        windows = self.windows(period)
        return max(window.end for window in windows) if windows else None

    def recurrence(self, period: Period) -> Recurrence | None:
        """A calendar rule reproducing `windows(period)`, for kinds that repeat; None otherwise.

        Recurring units and days of the week always repeat; year-less kinds repeat in multi-year
        programmes. The rule is returned only if it yields exactly the starts of the windows
        (a list with ranges of different lengths, or weeks cut by the period, for example, have none).
        """
        frame = self.frame(period)
        freq: Frequency
        if self.kind in _RULES:
            freq, interval = _RULES[self.kind]
        elif self.every_year and frame.multi_year:
            freq, interval = "YEARLY", 1
        else:
            return None
        windows = self.windows(period)
        if len(windows) < 2:
            return None
        starts = [window.start for window in windows]
        for by_month in ((), tuple(sorted({start.month for start in starts}))):
            rule = Recurrence(windows[0], freq, starts[-1], by_month, interval, self.weekdays)
            if rule.starts() == starts:
                return rule
        return None

    def to_json(self, period: Period) -> dict:
        recurrence = self.recurrence(period)
        return {
            "text": self.text,
            "kind": self.kind,
            "rendered": self.wording,
            "windows": [window.iso() for window in self.windows(period)],
            "recurrence": recurrence.to_json() if recurrence else None,
        }


@functools.lru_cache(maxsize=4096)
def _windows(expr: TimeExpr, period: Period) -> tuple[Window, ...]:
    """TimeExpr.windows, cached by meaning: every check of dates and every calendar asks again."""
    frame = expr.frame(period)
    if expr.kind in ("day", "windows", "deadline"):
        found = set(expr.days)
    elif expr.kind in ("months", "month_list"):
        found = {window for span in expr.months for window in span.occurrences(frame)}
    elif expr.kind == "weekdays":
        found = {Window(day, day) for limit in _limits(expr, frame) for day in _days(limit)
                 if day.weekday() in expr.weekdays}
    elif expr.kind in UNIT_KINDS and expr.due is not None:
        found = {Window(expr.due.in_unit(unit), expr.due.in_unit(unit))
                 for unit in _calendar_units(_limits(expr, frame), UNIT_MONTHS[expr.kind])}
    elif expr.kind in UNIT_KINDS:
        found = _unit_windows(expr, frame)
    elif expr.kind == "whole_year" and expr.year:
        found = {_months_window(expr.year, 1, expr.year, 12)}
    elif expr.kind == "whole_year":
        found = {Window(max(year.start, frame.start), min(year.end, frame.end))
                 for year in (_months_window(number, 1, number, 12) for number in frame.years)}
    else:
        found = set()
    return tuple(sorted(found))


def _limits(expr: TimeExpr, frame: Period) -> list[Window]:
    """Where a recurring expression recurs: the months after its comma, or the whole frame."""
    return [window for span in expr.months for window in span.occurrences(frame)] or [Window(frame.start, frame.end)]


def _unit_windows(expr: TimeExpr, frame: Period) -> set[Window]:
    """Every week / month / quarter / half-year / year of the limits, cut to them."""
    found = set()
    for limit in _limits(expr, frame):
        units = _weeks(limit) if expr.kind == "weekly" else _calendar_units([limit], UNIT_MONTHS[expr.kind])
        found |= {Window(max(unit.start, limit.start), min(unit.end, limit.end)) for unit in units}
    return found


# --- entry points --------------------------------------------------------------------------


def parse_time(text: str) -> TimeExpr:
    """Parse a deadline as the document writes it; raises DiagnosticError (P101, P102)."""
    return _parsed_time(_as_text(text, "срок"))


@functools.lru_cache(maxsize=4096)
def _parsed_time(text: str) -> TimeExpr:
    """Cached: a TimeExpr is immutable, and a programme writes the same few deadlines again and
    again («ежегодно», «по запросу»), as do the programmes of a tree (errors are not cached)."""
    parser = _Parser(text)
    expr = parser.time()
    parser.finish("срока")
    return expr


def parse_period(text: str) -> Period:
    """Parse a programme period: «2022», «2021–2024 гг», «01.02.2020 – 31.12.2020»."""
    parser = _Parser(_as_text(text, "период"))
    period = parser.period()
    parser.finish("периода")
    return period


def _as_text(value: object, what: str) -> str:
    """YAML hands over `2021` as int and `2020-02-03` as a date; both are meant as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise DiagnosticError(SYNTAX, f"{what} должен быть записан строкой, а не «{value!r}»", FORMS_HINT)


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<date>[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}(?![0-9]))
    | (?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9]))
    | (?P<number>[0-9]+)
    | (?P<word>[^\W\d_]+)
    | (?P<dash>[-‐‑‒–—−])
    | (?P<punct>[,;.()/])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # date | iso | number | word | dash | punct | other | end
    text: str  # as written
    offset: int

    @property
    def value(self) -> str:
        return self.text.lower().replace("ё", "е")

    @property
    def is_year(self) -> bool:
        return self.kind == "number" and len(self.text) == 4

    @property
    def month(self) -> int | None:
        return MONTH_BY_NAME.get(self.value) if self.kind == "word" else None


def _tokenize(text: str) -> list[_Token]:
    tokens = [
        _Token(kind, match.group(), match.start())
        for match in _TOKEN.finditer(text)
        if (kind := match.lastgroup) is not None and kind != "space"
    ]
    return tokens + [_Token("end", "", len(text.rstrip()))]


# --- parser --------------------------------------------------------------------------------


@dataclass
class _Bound:
    """One end of a month span while its year may still come later in the text."""

    month: int
    year: int | None
    token: _Token


class _Parser:
    """Recursive descent over the tokens; one method per grammar rule (see module docstring)."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    # navigation

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def at(self, *words: str, ahead: int = 0) -> bool:
        return self.peek(ahead).value in words and self.peek(ahead).kind == "word"

    def at_punct(self, mark: str, ahead: int = 0) -> bool:
        return self.peek(ahead).kind == "punct" and self.peek(ahead).text == mark

    def expect(self, *words: str) -> _Token:
        if not self.at(*words):
            self.fail(f"ожидалось «{words[0]}», а написано «{self.peek().text or '…'}»")
        return self.advance()

    # errors

    def fail(self, message: str, first: _Token | None = None, last: _Token | None = None,
             hint: str = FORMS_HINT, code: str = SYNTAX) -> NoReturn:
        """Raise with the caret on tokens first..last (the current token by default).

        At the end of the text the caret goes to the last written token, so it always
        points inside the text.
        """
        first = first or self.peek()
        if first.kind == "end":
            first = self.tokens[-2] if len(self.tokens) > 1 else first
        if last is None or last.kind == "end" or last.offset < first.offset:
            last = first
        raise DiagnosticError(code, message, hint, first.offset, last.offset + len(last.text) - first.offset)

    def unrecognised(self, what: str = "срок") -> NoReturn:
        self.fail(f"не распознан {what} «{' '.join(self.text.split())}»")

    def finish(self, what: str):
        token = self.peek()
        if token.kind != "end":
            rest = self.text[token.offset:].strip()
            self.fail(f"лишний текст после {what}: «{rest}»", token, self.tokens[-2])

    # time = undated | deadline | due_only | recurring | weekdays | whole_year | dates | months

    def time(self) -> TimeExpr:
        token = self.peek()
        if token.kind == "end":
            self.fail("срок не указан")
        if self.at_days():
            return self.weekdays()
        if self.unit_length():
            return self.recurring()
        if self.at("по", "согласно") or (self.at("в") and self.at("соответствии", ahead=1)):
            return self.undated()
        if self.at_before():
            return self.deadline()
        if token.is_year or (self.at("в") and self.at("течение", "течении", ahead=1)):
            return self.whole_year()
        if token.kind in ("date", "iso", "number"):
            return self.dates()
        if token.month:
            return self.months()
        self.unrecognised()

    def undated(self) -> TimeExpr:
        if self.advance().value == "в":
            self.advance()  # «соответствии»
            self.expect("с", "со")
        if self.peek().kind != "word":
            self.fail("после «по» / «в соответствии с» ожидается описание срока словами",
                      hint="например: «по отдельному графику», «по запросу», «в соответствии с графиком»")
        self.pos = len(self.tokens) - 1
        return TimeExpr(self.text, "undated", note=" ".join(self.text.split()))

    def at_before(self, ahead: int = 0) -> bool:
        """before = "до" | "не" "позднее" | "в" "срок" "до" (a bare «в срок» is accepted before a date too)."""
        return (self.at("до", ahead=ahead) or (self.at("не", ahead=ahead) and self.at("позднее", ahead=ahead + 1))
                or (self.at("в", ahead=ahead) and self.at("срок", ahead=ahead + 1)))

    def before(self):
        if self.at("в"):
            self.advance()
            self.advance()  # «срок»
        if self.at("не") and self.at("позднее", ahead=1):
            self.pos += 2
        else:
            self.expect("до")

    def deadline(self) -> TimeExpr:
        self.before()
        if self.peek().kind == "end":
            self.fail("не указана дата срока", hint="например: «до 10 февраля 2020 года», «до 01.03.2022»")
        if self.peek().kind == "number" and self.at("числа", ahead=1):
            return self.due_only()
        day = self.day()
        return TimeExpr(self.text, "deadline", days=(Window(day, day),))

    def due_only(self) -> TimeExpr:
        """«до 5 числа каждого месяца», «до 5 числа месяца, следующего за отчётным кварталом»: the unit is in the words."""
        day = self.due_day()
        if self.at("каждого") and self.at("месяца", ahead=1):
            self.pos += 2
            return TimeExpr(self.text, "monthly", due=Due(day, 0))
        start = self.peek()
        kind = self.following(None)
        if kind is None:
            self.fail("не сказано, какого месяца это число", start,
                      hint="например: «до 5 числа каждого месяца», «до 5 числа месяца, следующего за отчётным кварталом»")
        return TimeExpr(self.text, kind, due=Due(day, UNIT_MONTHS[kind]))

    # recurring = unit [ on_days ] [ before … ] [ "," spans ]

    def unit_length(self) -> int:
        """How many tokens the unit phrase at the current position takes (0: none there)."""
        if self.at(*_UNIT_ADVERBS):
            return 1
        if self.at(*EVERY) and self.at(*_UNIT_NOUNS, ahead=1):
            return 2
        start = 1 if self.at("один") or (self.peek().kind == "number" and self.peek().text == "1") else 0
        if self.at("раз", ahead=start) and self.at("в", ahead=start + 1) and self.at(*_UNIT_NOUNS, ahead=start + 2):
            return start + 3
        twice = self.at("два") or (self.peek().kind == "number" and self.peek().text == "2")
        if ((twice and self.at("раза", ahead=1) and self.at("в", ahead=2) and self.at("год", ahead=3))
                or (self.at("дважды") and self.at("в", ahead=1) and self.at("год", ahead=2))):
            return 4 if twice else 3
        return 0

    def unit(self) -> str:
        length = self.unit_length()
        words = [token.value for token in self.tokens[self.pos:self.pos + length]]
        self.pos += length
        if words[-1] == "год" and words[0] in ("два", "2", "дважды"):
            return "half_yearly"
        return _UNIT_ADVERBS.get(words[0]) or _UNIT_NOUNS[words[-1]]

    def recurring(self) -> TimeExpr:
        keyword = self.peek()
        kind = self.unit()
        if kind == "weekly" and (self.at_days() or (self.at_punct(",") and self.at_days(ahead=1))):
            if self.at_punct(","):
                self.advance()
            return self.weekdays()
        due = None
        if self.at_before() or (self.at_punct(",") and self.at_before(ahead=1)):
            if self.at_punct(","):
                self.advance()
            due = self.due(kind, keyword)
        spans: tuple[MonthSpan, ...] = ()
        if self.at_punct(",") and self.peek(1).month:
            self.advance()
            spans = self.spans()
        if kind == "yearly" and spans and due is None:
            if not spans[0].relative:
                self.fail("«ежегодно» не сочетается с указанным годом", keyword, self.tokens[self.pos - 1],
                          hint="уберите год («ежегодно, июнь – июль») или слово «ежегодно» («июнь – июль 2022 года»)")
            return TimeExpr(self.text, "months" if len(spans) == 1 else "month_list", months=spans)
        return TimeExpr(self.text, kind, months=spans, due=due)

    def due(self, kind: str, keyword: _Token) -> Due:
        """The deadline day of each unit: «до 10 числа», «… месяца, следующего за отчётным кварталом», «до 1 декабря»."""
        if kind == "weekly":
            self.fail("у еженедельного срока нет числа месяца", hint="например: «еженедельно по пятницам», «по пятницам»")
        self.before()
        start = self.peek()
        month = self.peek(1).month
        if start.kind == "number" and month is not None and kind == "yearly":
            self.pos += 2
            if self.peek().is_year or (self.peek().kind in ("punct", "dash") and self.peek(1).is_year):
                self.fail("«ежегодно» не сочетается с указанным годом", keyword, self.peek(),
                          hint="уберите год («ежегодно до 1 декабря») или слово «ежегодно» («до 1 декабря 2022 года»)")
            return Due(self.day_number(start, month), month - 1)
        if not (start.kind == "number" and self.at("числа", ahead=1)):
            self.fail("после «до» ожидается число месяца: «до 10 числа»", hint=_BEFORE_HINT)
        day = self.due_day()
        after = self.peek()
        following = self.following(kind)
        if following is not None:
            return Due(day, UNIT_MONTHS[kind])
        if kind != "monthly":
            self.fail("не сказано, какого месяца это число", after,
                      hint=f"например: «до {day} числа месяца, следующего за отчётным {_UNIT_GENITIVE.get(kind, 'периодом')}»")
        return Due(day, 0)

    def due_day(self) -> int:
        token = self.advance()
        self.advance()  # «числа»
        return self.day_number(token, None)

    def day_number(self, token: _Token, month: int | None) -> int:
        day = int(token.text)
        longest = calendar.monthrange(2000, month)[1] if month else 31
        if not 1 <= day <= longest:
            where = f"в месяце «{MONTH_NAMES[month]}»" if month else "в месяце"
            self.fail(f"числа {day} нет {where}", token, hint=f"число — от 1 до {longest}")
        return day

    def following(self, kind: str | None) -> str | None:
        """[ "месяца" ] [ "," ] "следующего" "за" "отчётным" [ unit ]: the unit reported on, or None if not written."""
        ahead = 1 if self.at("месяца") else 0
        ahead += 1 if self.at_punct(",", ahead=ahead) else 0
        if not (self.at("следующего", ahead=ahead) and self.at("за", ahead=ahead + 1)):
            if ahead and self.at("месяца"):
                self.fail("ожидалось «следующего за отчётным …»", self.peek(ahead), hint=_BEFORE_HINT)
            return None
        self.pos += ahead + 2
        self.expect("отчетным", "отчетный")
        if self.at(*_UNIT_INSTRUMENTAL):
            named = _UNIT_INSTRUMENTAL[self.peek().value]
            if kind is not None and named != kind:
                self.fail(f"отчётный период «{self.peek().text}» не совпадает с повторением срока",
                          hint=f"здесь отчётный период — «{_UNIT_GENITIVE.get(kind, 'неделя')}»")
            self.advance()
            return named
        if self.at("периодом"):
            self.advance()
        if kind is None:
            self.fail("не сказано, какой период отчётный", self.tokens[self.pos - 1],
                      hint="например: «… следующего за отчётным кварталом»")
        return kind

    # weekdays = on_days [ "," spans ]

    def at_days(self, ahead: int = 0) -> bool:
        any_day = (*WEEKDAYS_DATIVE, *WEEKDAYS_ACCUSATIVE)
        return ((self.at("по", ahead=ahead) and self.at(*WEEKDAYS_DATIVE, ahead=ahead + 1))
                or (self.at(*EVERY, ahead=ahead) and self.at(*any_day, ahead=ahead + 1)))

    def weekdays(self) -> TimeExpr:
        names = WEEKDAYS_DATIVE if self.advance().value == "по" else WEEKDAYS_ACCUSATIVE
        days = [self.weekday(names)]
        while (self.at_punct(",") or self.at("и")) and (
                self.at(*WEEKDAYS_DATIVE, *WEEKDAYS_ACCUSATIVE, ahead=1) or self.at(*EVERY, ahead=1)):
            self.advance()
            if self.at(*EVERY):
                self.advance()
            days.append(self.weekday(names))
        spans: tuple[MonthSpan, ...] = ()
        if self.at_punct(",") and self.peek(1).month:
            self.advance()
            spans = self.spans()
        return TimeExpr(self.text, "weekdays", months=spans, weekdays=tuple(sorted(set(days))))

    def weekday(self, names: dict[str, int]) -> int:
        """A day of the week in the form its opener wants: «по пятницам», «каждую пятницу»."""
        token = self.peek()
        if not self.at(*names):
            example = "по пятницам, средам" if names is WEEKDAYS_DATIVE else "каждую пятницу и среду"
            self.fail(f"день недели «{token.text or '…'}» записан не в той форме", token,
                      hint=f"пишите «{example}»: после «по» — «понедельникам … воскресеньям», после «каждый» / "
                           "«каждую» — «понедельник, вторник, среду, четверг, пятницу, субботу, воскресенье»")
        return names[self.advance().value]

    def whole_year(self) -> TimeExpr:
        if self.at("в"):
            self.advance()
            self.advance()  # «течение»
            if self.at("года"):
                self.advance()
                self.every_year()
                return TimeExpr(self.text, "whole_year")
        year = self.year(separated=False)
        if year is None:
            self.fail("после «в течение» ожидается «года» или год: «в течение 2021 года»")
        if self.peek().kind == "dash" and self.peek(1).is_year:
            return self.years_range(year)
        return TimeExpr(self.text, "whole_year", year=year)

    def years_range(self, first: int) -> TimeExpr:
        """«2024–2025», «2024–2025 годы»: the whole of both years and those between, one window."""
        self.advance()
        last_token = self.peek()
        last = self.year(separated=False)
        assert last is not None  # the caller saw a year after the dash
        if last < first:
            self.fail(f"окончание периода {last} раньше начала {first}", last_token, code=END_BEFORE_START,
                      hint="годы пишутся по порядку: «2024–2025 годы»")
        return TimeExpr(self.text, "months", months=(MonthSpan(1, 12, first, last),))

    def dates(self) -> TimeExpr:
        windows = [self.window()]
        while True:
            if (self.at_punct(";") or self.at_punct(",")) and self.peek(1).kind != "end":
                self.advance()
            elif self.peek().kind not in ("date", "iso", "number"):
                break
            windows.append(self.window())
        single_day = len(windows) == 1 and windows[0].start == windows[0].end
        return TimeExpr(self.text, "day" if single_day else "windows", days=tuple(windows))

    def window(self) -> Window:
        start = self.day()
        if self.peek().kind != "dash":
            return Window(start, start)
        self.advance()
        end_from = self.peek()
        end = self.day()
        if end < start:
            self.fail(f"окончание периода {_render_day(end)} раньше начала {_render_day(start)}",
                      end_from, self.tokens[self.pos - 1], code=END_BEFORE_START,
                      hint="проверьте даты: сначала пишется начало, затем окончание")
        return Window(start, end)

    def day(self) -> dt.date:
        first = self.peek()
        if first.kind == "date":
            day, month, year = (int(part) for part in first.text.split("."))
        elif first.kind == "iso":
            year, month, day = (int(part) for part in first.text.split("-"))
        elif first.kind == "number" and (named := self.peek(1).month):
            day, month = int(first.text), named
            self.pos += 1
        else:
            self.unrecognised()
        self.advance()
        if first.kind == "number":
            named_year = self.year(separated=True)
            if named_year is None:
                written = f"{first.text} {MONTH_GENITIVE[month]}"
                self.fail(f"не указан год в дате «{written}»", first, self.tokens[self.pos - 1],
                          hint=f"например: «{written} 2022 года»")
            year = named_year
        return self.make_date(year, month, day, first, self.tokens[self.pos - 1])

    def make_date(self, year: int, month: int, day: int, first: _Token, last: _Token) -> dt.date:
        written = self.text[first.offset:last.offset + len(last.text)]
        hint = "дата пишется так: «16.03.2021», «3 февраля 2020 года», «2020-02-03»"
        self.check_year(year, first, last)
        if not 1 <= month <= 12:
            self.fail(f"месяца {month:02d} не существует (в дате «{written}»)", first, last, hint=hint)
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            self.fail(f"{day} {MONTH_GENITIVE[month]} {year} года не существует", first, last,
                      hint=f"в этом месяце {_days_in_month(days_in_month)}; {hint}")
        return dt.date(year, month, day)

    def check_year(self, year: int, first: _Token, last: _Token):
        if not MIN_YEAR <= year <= MAX_YEAR:
            self.fail(f"год {year} вне допустимых пределов {MIN_YEAR}–{MAX_YEAR}", first, last)

    def year(self, separated: bool) -> int | None:
        """An optional year; `separated` allows the «, 2021» / «– 2020» punctuation before it."""
        ahead = 1 if separated and (self.at_punct(",") or self.peek().kind == "dash") else 0
        token = self.peek(ahead)
        if not token.is_year:
            return None
        self.pos += ahead + 1
        year = int(token.text)
        self.check_year(year, token, token)
        if self.at(*YEAR_WORDS) and self.advance().value in ABBREVIATED_YEAR_WORDS and self.at_punct("."):
            self.advance()
        return year

    def months(self) -> TimeExpr:
        spans = self.spans()
        if spans[0].relative:
            self.every_year()
        return TimeExpr(self.text, "months" if len(spans) == 1 else "month_list", months=spans)

    def every_year(self):
        if self.at_punct("(") and self.at("ежегодно", ahead=1) and self.at_punct(")", ahead=2):
            self.pos += 3

    def spans(self) -> tuple[MonthSpan, ...]:
        """spans = span { ( "," | ";" ) span }; the years are resolved once the whole list is read."""
        written: list[tuple[_Bound, _Bound]] = []
        while True:
            start = self.bound()
            end = start
            if self.peek().kind == "dash" and self.peek(1).month:
                self.advance()
                end = self.bound()
            written.append((start, end))
            if not ((self.at_punct(",") or self.at_punct(";")) and self.peek(1).month):
                break
            self.advance()
        self.resolve_years([bound for pair in written for bound in pair])
        return tuple(self.span(start, end) for start, end in written)

    def bound(self) -> _Bound:
        token = self.peek()
        if not token.month:
            self.unrecognised()
        self.advance()
        return _Bound(token.month, self.year(separated=True), token)

    def resolve_years(self, bounds: list[_Bound]):
        """A month without a year takes the next year written after it (none written: relative)."""
        if all(bound.year is None for bound in bounds):
            return
        following = None
        for bound in reversed(bounds):
            if bound.year is None and following is None:
                name = MONTH_NAMES[bound.month]
                self.fail(f"не указан год для «{bound.token.text}»", bound.token,
                          hint=f"год пишется после месяца: «{name} 2022 года»")
            bound.year = bound.year or following
            following = bound.year

    def span(self, start: _Bound, end: _Bound) -> MonthSpan:
        if start.year is not None and (end.year, end.month) < (start.year, start.month):
            self.fail(
                f"окончание периода «{MONTH_NAMES[end.month]} {end.year} года» раньше начала "
                f"«{MONTH_NAMES[start.month]} {start.year} года»", end.token, code=END_BEFORE_START,
                hint="если период переходит через год, укажите оба года: «ноябрь 2021 – январь 2022»")
        return MonthSpan(start.month, end.month, start.year, end.year)

    # period = YYYY [ dash YYYY ] | day ( dash | "/" ) day

    def period(self) -> Period:
        token = self.peek()
        if token.is_year:
            first = self.year(separated=False)
            if first is None:
                self.unrecognised("период")
            last = first
            if self.peek().kind == "dash":
                self.advance()
                last_token = self.peek()
                last_year = self.year(separated=False)
                if last_year is None:
                    self.unrecognised("период")
                if last_year < first:
                    self.fail(f"окончание периода {last_year} раньше начала {first}", last_token,
                              code=END_BEFORE_START, hint=PERIOD_HINT)
                last = last_year
            return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))
        if token.kind not in ("date", "iso", "number"):
            self.fail(f"не распознан период «{' '.join(self.text.split())}»", hint=PERIOD_HINT)
        start = self.day()
        if not (self.peek().kind == "dash" or self.at_punct("/")):
            self.fail("период должен иметь начало и окончание", hint=PERIOD_HINT)
        self.advance()
        end_from = self.peek()
        end = self.day()
        if end < start:
            self.fail(f"окончание периода {_render_day(end)} раньше начала {_render_day(start)}",
                      end_from, self.tokens[self.pos - 1], code=END_BEFORE_START, hint=PERIOD_HINT)
        return Period(start, end)


# --- calendar helpers ----------------------------------------------------------------------


def _months_window(first_year: int, first_month: int, last_year: int, last_month: int) -> Window:
    last_day = calendar.monthrange(last_year, last_month)[1]
    return Window(dt.date(first_year, first_month, 1), dt.date(last_year, last_month, last_day))


def _calendar_units(limits: list[Window], months_per_unit: int) -> set[Window]:
    """Calendar months (1) or quarters (3) that overlap any of the limits."""
    units = set()
    for limit in limits:
        year, month = limit.start.year, limit.start.month - (limit.start.month - 1) % months_per_unit
        while dt.date(year, month, 1) <= limit.end:
            units.add(_months_window(year, month, *_add_months(year, month, months_per_unit - 1)))
            year, month = _add_months(year, month, months_per_unit)
    return units


def _weeks(limit: Window) -> list[Window]:
    """Weeks from Monday to Sunday that overlap the limit."""
    monday = limit.start - dt.timedelta(days=limit.start.weekday())
    weeks = []
    while monday <= limit.end:
        weeks.append(Window(monday, monday + dt.timedelta(days=6)))
        monday += dt.timedelta(days=7)
    return weeks


def _days(limit: Window) -> list[dt.date]:
    return [limit.start + dt.timedelta(days=offset) for offset in range((limit.end - limit.start).days + 1)]


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


# --- rendering (of error messages) ----------------------------------------------------------


def _render_day(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _days_in_month(count: int) -> str:
    return f"{count} день" if count == 31 else f"{count} дней"
