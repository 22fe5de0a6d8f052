"""The time language: deadlines written in Russian, exactly as official documents write them.

A deadline in a roadmap is rarely a date. `parse_time` reads what the document says
(«Февраль-март», «01.06.2022 – 27.06.2022; 15.11.2022 – 30.11.2022», «до 10 февраля
2020 года», «ежемесячно», «По итогам выявления») into a `TimeExpr`; the programme
`Period` then gives it concrete calendar windows, a recurrence rule for calendars, and
its canonical Russian wording.

Grammar (EBNF; words are case-insensitive, any whitespace separates tokens, a dash is
any of «-», «–», «—»):

    time        = undated | deadline | recurring | whole_year | dates | months ;

    undated     = ( "по" | "согласно" | "в" "соответствии" ( "с" | "со" ) ) WORD { any } ;
    deadline    = [ "в" "срок" ] ( "до" | "не" "позднее" ) day ;
    recurring   = "ежегодно" [ "," spans ]
                | ( "ежемесячно" | "ежеквартально" ) [ "," spans ] ;
    whole_year  = "в" "течение" ( "года" [ every_year ] | year )
                | year ;
    dates       = window { [ ";" | "," ] window } ;
    window      = day [ dash day ] ;
    day         = DD.MM.YYYY | YYYY-MM-DD | NUMBER MONTH year ;
    months      = spans [ every_year ] ;
    spans       = span { "," span } ;
    span        = MONTH [ year ] [ dash MONTH [ year ] ] ;
    year        = [ "," | dash ] YYYY [ "год" | "года" | "годы" | "г" [ "." ] | "гг" [ "." ] ] ;
    every_year  = "(" "ежегодно" ")" ;

    period      = YYYY [ dash YYYY ] | day ( dash | "/" ) day ;     (parse_period)

`MONTH` is a month name in the nominative or the genitive («март», «марта»).
A leading «,» or dash before a year is the documents' own punctuation («Август, 2021»,
«март – 2020»), not a range.

Meaning:

* A year written after a month belongs to it and to the months before it that have no
  year of their own: «май, июнь 2020 года» is May and June 2020, «Март-декабрь 2022» is
  March–December 2022. A month after the last written year is an error (which year?).
  A range crosses a year end only with both years written («ноябрь 2021 – январь 2022»).
* Months without any year are relative to the programme: in a one-year programme they fall
  in that year, in a multi-year programme in every year of it («Июнь-июль» in 2021–2024 is
  four windows). A relative range may wrap («ноябрь – январь»): it ends in the next year.
  A relative list («Ноябрь, январь, март, июнь») is each listed month in every year of the
  period; the order as written is kept only for rendering.
* «ежегодно» and «в течение года» are every whole year of the period; «2021 год» is 2021.
  «ежемесячно» / «ежеквартально» are every month / quarter of the period, or of the months
  after the comma («ежемесячно, март – декабрь 2022»). «ежегодно, июнь – июль» and
  «июнь – июль (ежегодно)» only spell out what «июнь – июль» already means; with a year
  they are contradictory and an error.
* «до 10.02.2020» is the single day 10.02.2020.
* Kinds: day (one day), windows (day ranges), months (one month span), month_list, deadline,
  monthly, quarterly, yearly, whole_year, undated.
* A recurrence (for iCalendar) exists for monthly and quarterly kinds, and for year-less
  kinds in a multi-year programme; it is offered only when it reproduces the windows.
* Undated phrases are kept as text and never placed in a calendar. Only known openers
  make a phrase undated; any other unrecognised text is an error, so a typo never turns
  a deadline silently into «no date».

Windows are what the words mean in the calendar; they are not clipped to the period, so
the time checks can see an activity that falls outside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Literal, NoReturn

from babel.dates import get_month_names
from dateutil import rrule

from engine.diagnostics import DiagnosticError

__all__ = ["MonthSpan", "Period", "Recurrence", "TimeExpr", "Window", "parse_period", "parse_time"]

SYNTAX = "P101"
END_BEFORE_START = "P102"

FORMS_HINT = (
    "допустимые сроки: «16.03.2021», «05.03.2021 – 09.03.2021», «март 2022 года», «февраль – март», "
    "«май, июнь 2020 года», «до 10 февраля 2020 года», «ежемесячно», «ежегодно», «в течение года», "
    "«2021 год», «по отдельному графику», «в соответствии с графиком …»"
)
PERIOD_HINT = "период программы пишется так: «2022», «2021–2024», «01.02.2020 – 31.12.2020»"

MIN_YEAR, MAX_YEAR = 1900, 2100

MONTH_NAMES = dict(get_month_names("wide", context="stand-alone", locale="ru"))  # 1 → «январь»
MONTH_GENITIVE = dict(get_month_names("wide", context="format", locale="ru"))  # 1 → «января»
MONTH_BY_NAME = {name: number for table in (MONTH_NAMES, MONTH_GENITIVE) for number, name in table.items()}

YEAR_WORDS = {"год", "года", "годы", "годов", "г", "гг"}
ABBREVIATED_YEAR_WORDS = {"г", "гг"}


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

    def in_year(self, year: int) -> MonthSpan:
        """This relative span placed in `year` (its end in the next year if it wraps)."""
        return MonthSpan(self.first, self.last, year, year + (self.last < self.first))


@dataclass(frozen=True)
class Recurrence:
    """An RRULE for a calendar: `first` repeats with `freq` until an occurrence starting on `until`.

    Occurrences take the length of `first`; a writer that needs every window exactly
    (months differ in length) uses `TimeExpr.windows` instead.
    """

    first: Window
    freq: Literal["MONTHLY", "YEARLY"]
    until: dt.date  # the start of the last occurrence (RRULE UNTIL is inclusive)
    by_month: tuple[int, ...] = ()
    interval: int = 1

    def starts(self) -> list[dt.date]:
        rule = rrule.rrule(
            rrule.MONTHLY if self.freq == "MONTHLY" else rrule.YEARLY,
            dtstart=dt.datetime.combine(self.first.start, dt.time()),
            until=dt.datetime.combine(self.until, dt.time()),
            interval=self.interval,
            bymonth=self.by_month or None,
        )
        return [moment.date() for moment in rule]

    def to_json(self) -> dict:
        return {
            "first": self.first.iso(),
            "freq": self.freq,
            "until": self.until.isoformat(),
            "by_month": list(self.by_month),
            "interval": self.interval,
        }


@dataclass(frozen=True)
class TimeExpr:
    """A parsed deadline. Equal when the meaning is equal; `text` (the wording) is not compared.

    Only the fields of its `kind` are set: `days` for day / windows / deadline (as written),
    `months` for months / month_list and as the limits of monthly / quarterly,
    `year` for a whole year that names it, `note` for undated text.
    """

    text: str = field(compare=False)
    kind: str  # day | windows | months | month_list | deadline | monthly | quarterly | yearly | whole_year | undated
    days: tuple[Window, ...] = ()
    months: tuple[MonthSpan, ...] = ()
    year: int | None = None
    note: str = ""

    @property
    def dated(self) -> bool:
        return self.kind != "undated"

    @property
    def every_year(self) -> bool:
        """True when the expression names no year and so repeats in every year of the period."""
        if self.kind == "yearly":
            return True
        if self.kind == "whole_year":
            return self.year is None
        return self.kind in ("months", "month_list") and self.months[0].relative

    def windows(self, period: Period) -> list[Window]:
        """Every concrete occurrence within the period's years, sorted; [] when undated."""
        return list(_windows(self, period))

    def first_day(self, period: Period) -> dt.date | None:
        windows = self.windows(period)
        return windows[0].start if windows else None

    def last_day(self, period: Period) -> dt.date | None:
        windows = self.windows(period)
        return max(window.end for window in windows) if windows else None

    def recurrence(self, period: Period) -> Recurrence | None:
        """A calendar rule reproducing `windows(period)`, for kinds that repeat; None otherwise.

        Monthly and quarterly kinds always repeat; year-less kinds repeat in multi-year
        programmes. The rule is returned only if it yields exactly the starts of the windows
        (a list with ranges of different lengths, for example, has none).
        """
        freq: Literal["MONTHLY", "YEARLY"]
        if self.kind in ("monthly", "quarterly"):
            freq, interval = "MONTHLY", 1 if self.kind == "monthly" else 3
        elif self.every_year and period.multi_year:
            freq, interval = "YEARLY", 1
        else:
            return None
        windows = self.windows(period)
        if len(windows) < 2:
            return None
        starts = [window.start for window in windows]
        for by_month in ((), tuple(sorted({start.month for start in starts}))):
            rule = Recurrence(windows[0], freq, starts[-1], by_month, interval)
            if rule.starts() == starts:
                return rule
        return None

    def render(self, period: Period) -> str:
        """The expression in official Russian, with the years the period gives it."""
        if self.kind == "undated":
            return self.note
        if self.kind in ("day", "windows"):
            return "; ".join(_render_window(window) for window in self.days)
        if self.kind == "deadline":
            return f"до {_render_day_in_words(self.days[0].start)}"
        if self.kind in ("months", "month_list"):
            spans = _render_spans(self.months, period)
            if self.every_year and period.multi_year:
                return f"ежегодно, {spans}" if self.kind == "months" else f"{spans} (ежегодно)"
            return spans
        if self.kind in ("monthly", "quarterly"):
            word = "ежемесячно" if self.kind == "monthly" else "ежеквартально"
            return f"{word}, {_render_spans(self.months, period)}" if self.months else word
        if self.kind == "yearly":
            return "ежегодно"
        if self.year is None and period.multi_year:
            return "в течение года (ежегодно)"
        return f"в течение {self.year or period.years[0]} года"

    def to_json(self, period: Period) -> dict:
        recurrence = self.recurrence(period)
        return {
            "text": self.text,
            "kind": self.kind,
            "rendered": self.render(period),
            "windows": [window.iso() for window in self.windows(period)],
            "recurrence": recurrence.to_json() if recurrence else None,
        }


@functools.lru_cache(maxsize=4096)
def _windows(expr: TimeExpr, period: Period) -> tuple[Window, ...]:
    """TimeExpr.windows, cached by meaning: every check of dates and every calendar asks again."""
    if expr.kind in ("day", "windows", "deadline"):
        found = set(expr.days)
    elif expr.kind in ("months", "month_list"):
        found = {window for span in expr.months for window in span.occurrences(period)}
    elif expr.kind in ("monthly", "quarterly"):
        limits = [window for span in expr.months for window in span.occurrences(period)]
        found = _calendar_units(limits or [Window(period.start, period.end)], 1 if expr.kind == "monthly" else 3)
    elif expr.kind == "whole_year":
        found = {_months_window(year, 1, year, 12) for year in ([expr.year] if expr.year else period.years)}
    elif expr.kind == "yearly":
        found = {_months_window(year, 1, year, 12) for year in period.years}
    else:
        found = set()
    return tuple(sorted(found))


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
        return self.text.lower()

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

    # time = undated | deadline | recurring | whole_year | dates | months

    def time(self) -> TimeExpr:
        token = self.peek()
        if token.kind == "end":
            self.fail("срок не указан")
        if self.at("по", "согласно") or (self.at("в") and self.at("соответствии", ahead=1)):
            return self.undated()
        if self.at("до") or (self.at("в") and self.at("срок", ahead=1)) or (self.at("не") and self.at("позднее", ahead=1)):
            return self.deadline()
        if self.at("ежегодно", "ежемесячно", "ежеквартально"):
            return self.recurring()
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

    def deadline(self) -> TimeExpr:
        if self.at("в"):
            self.advance()
            self.advance()  # «срок»
        if self.at("не"):
            self.advance()
            self.advance()  # «позднее»
        else:
            self.expect("до")
        if self.peek().kind == "end":
            self.fail("не указана дата срока", hint="например: «до 10 февраля 2020 года», «до 01.03.2022»")
        day = self.day()
        return TimeExpr(self.text, "deadline", days=(Window(day, day),))

    def recurring(self) -> TimeExpr:
        keyword = self.advance()
        spans: tuple[MonthSpan, ...] = ()
        if self.at_punct(","):
            self.advance()
            spans = self.spans()
        if keyword.value == "ежегодно":
            if not spans:
                return TimeExpr(self.text, "yearly")
            if not spans[0].relative:
                self.fail("«ежегодно» не сочетается с указанным годом", keyword, self.tokens[self.pos - 1],
                          hint="уберите год («ежегодно, июнь – июль») или слово «ежегодно» («июнь – июль 2022 года»)")
            return TimeExpr(self.text, "months" if len(spans) == 1 else "month_list", months=spans)
        kind = "monthly" if keyword.value == "ежемесячно" else "quarterly"
        return TimeExpr(self.text, kind, months=spans)

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
        return TimeExpr(self.text, "whole_year", year=year)

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
                      hint=f"в этом месяце {_days(days_in_month)}; {hint}")
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
        """spans = span { "," span }; the years are resolved once the whole list is read."""
        written: list[tuple[_Bound, _Bound]] = []
        while True:
            start = self.bound()
            end = start
            if self.peek().kind == "dash" and self.peek(1).month:
                self.advance()
                end = self.bound()
            written.append((start, end))
            if not (self.at_punct(",") and self.peek(1).month):
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


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


# --- rendering -----------------------------------------------------------------------------


def _render_day(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _render_day_in_words(day: dt.date) -> str:
    return f"{day.day} {MONTH_GENITIVE[day.month]} {day.year} года"


def _render_window(window: Window) -> str:
    if window.start == window.end:
        return _render_day(window.start)
    return f"{_render_day(window.start)} – {_render_day(window.end)}"


def _render_months(first: int, last: int) -> str:
    return MONTH_NAMES[first] if first == last else f"{MONTH_NAMES[first]} – {MONTH_NAMES[last]}"


def _render_spans(spans: tuple[MonthSpan, ...], period: Period) -> str:
    """«май, июнь 2020 года»: spans of one year share the year written after the last of them.

    Relative spans stay without a year in a multi-year period (they repeat every year) and
    take the period's year in a one-year period.
    """
    if spans[0].relative:
        if period.multi_year:
            return ", ".join(_render_months(span.first, span.last) for span in spans)
        spans = tuple(span.in_year(period.years[0]) for span in spans)
    parts: list[str] = []
    same_year: list[str] = []
    for index, span in enumerate(spans):
        if span.first_year != span.last_year:
            parts.append(f"{MONTH_NAMES[span.first]} {span.first_year} года – {MONTH_NAMES[span.last]} {span.last_year} года")
            continue
        same_year.append(_render_months(span.first, span.last))
        following = spans[index + 1] if index + 1 < len(spans) else None
        if following is None or (following.first_year, following.last_year) != (span.first_year, span.last_year):
            parts.append(f"{', '.join(same_year)} {span.first_year} года")
            same_year = []
    return ", ".join(parts)


def _days(count: int) -> str:
    return f"{count} день" if count == 31 else f"{count} дней"
